# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The converge's summary follows the connection's phase, read from this run's results and the app's keys in Okta."""

from __future__ import annotations

from typing import Any

import pytest

from ansible_collections.saasops.okta_m2m.plugins.plugin_utils.connection_report import (
    CONVERGED,
    FIRST_HAND_OFF,
    NOT_CREATED,
    ROTATION_FINISHED,
    ROTATION_STARTED,
    ConnectionReportError,
    connection_report,
    teardown_lines,
)

SETTINGS = {"org_url": "https://acme.okta.com", "host": "acme-prod", "tier": "minimum", "app_label": "Zluri",
            "role_label": "Zluri Custom Role", "resource_set_label": "Zluri Resource Set",
            "standard_roles": ["READ_ONLY_ADMIN"], "scopes": ["okta.users.read"], "require_dpop": False,
            "bundle_path": "/home/me/.zluri-okta/acme-prod/zluri-handoff.json", "key_max_age_days": 365}
FORM = {"Client ID": "0oa1", "Private key": {"file": "/k.pem"}, "Base URL": "https://acme.okta.com", "Key ID": "new",
        "Modulus": "n-value", "Exponent": "AQAB"}


def app(*keys: tuple[str, str], **extra: Any) -> dict[str, Any]:
    result = {"client_id": "0oa1", "changed": False, "changes": [], "keys_added": [], "keys_retired": [],
              "public_keys": [{"kid": kid, "status": status, "age_days": 3} for kid, status in keys]}
    result.update(extra)
    return result


def results(app_result: dict[str, Any], handoff: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"key": {"kid": "new", "n": "n-value", "e": "AQAB", "fingerprint": "SHA256:x"}, "app": app_result,
            "handoff": handoff if handoff is not None else {"changed": False, "bundle_written": True, "form": FORM, "verification": {"ok": True}}}


@pytest.mark.parametrize("app_result,handoff,phase,manual,words", [
    ({}, {}, NOT_CREATED, False, "does not exist yet"),
    (app(("new", "ACTIVE"), created=True, changed=True, changes=["create API Services app 'Zluri'"]), None, FIRST_HAND_OFF, True,
     "connect \"Okta (Machine to Machine)\" with \"Connect it myself\" and enter Client ID 0oa1"),
    (app(("old", "ACTIVE"), ("new", "ACTIVE"), keys_added=["new"], changed=True, changes=["add key new"]), None, ROTATION_STARTED, True,
     "enter the new Key ID new, its Modulus, Exponent and private key"),
    (app(("old", "ACTIVE"), ("new", "ACTIVE")), None, ROTATION_STARTED, True, "-e zluri_okta_hosts=acme-prod -e zluri_okta_rotation=finish"),
    (app(("old", "INACTIVE"), ("new", "ACTIVE"), keys_retired=["old"], changed=True, changes=["retire key old"]), None, ROTATION_FINISHED, False,
     "Nothing to do in Zluri: it uses key new; key old retired"),
    (app(("old", "INACTIVE"), ("new", "ACTIVE")), None, CONVERGED, False, "Nothing to do in Zluri: nothing changed that Zluri must be told"),
    (app(("new", "ACTIVE")), {"changed": True, "form": FORM, "verification": {"ok": True}}, FIRST_HAND_OFF, True, "Connect it myself"),
])
def test_the_next_step_follows_the_phase(app_result: dict[str, Any], handoff: dict[str, Any] | None, phase: str, manual: bool, words: str) -> None:
    report = connection_report(results(app_result, handoff), SETTINGS)
    summary = report["summary"]
    assert (summary["phase"], summary["manual_action_required"]) == (phase, manual)
    assert words in summary["next_step"]
    assert report["lines"][-1] == "Next: " + summary["next_step"]


def test_the_summary_carries_zluri_form_but_never_the_private_key() -> None:
    summary = connection_report(results(app(("new", "ACTIVE"))), SETTINGS)["summary"]
    assert summary["zluri_form"] == {"Client ID": "0oa1", "Base URL": "https://acme.okta.com", "Key ID": "new", "Modulus": "n-value", "Exponent": "AQAB"}
    assert "Private key" not in str(summary)
    assert (summary["key_age_days"], summary["verified"], summary["bundle_written"]) == (3, True, True)


def test_a_converged_run_says_it_changed_nothing_and_check_mode_says_would() -> None:
    lines = connection_report(results(app(("new", "ACTIVE"))), SETTINGS)["lines"]
    assert lines[0] == "Changed nothing: the org and the local files were already as the role leaves them."
    checked = connection_report(results(app(("new", "ACTIVE"), changed=True, changes=["update API Services app 'Zluri' label"])),
                                dict(SETTINGS, check_mode=True))
    assert checked["lines"][0] == "Would change: update API Services app 'Zluri' label"
    assert not checked["summary"]["bundle_written"]


def test_new_values_for_zluri_are_a_change_of_their_own() -> None:
    report = connection_report(results(app(("new", "ACTIVE")), {"changed": True, "form": FORM}), SETTINGS)
    assert report["summary"]["changes"] == ["new values for Zluri's form in the hand-off"]


def test_an_old_key_warns_naming_the_rotation() -> None:
    old = app(("new", "ACTIVE"))
    old["public_keys"][0]["age_days"] = 400
    report = connection_report(results(old), SETTINGS)
    assert report["warnings"] and "-e zluri_okta_hosts=acme-prod -e zluri_okta_rotation=start" in report["warnings"][0]
    assert report["lines"][-1].startswith("WARNING: The key new of the app 'Zluri' was registered 400 days ago")
    assert not connection_report(results(old), dict(SETTINGS, key_max_age_days=0))["warnings"]


def test_the_teardown_says_what_it_removed_and_asks_for_zluri_first_in_check_mode() -> None:
    removed = {"app": {"changed": True, "changes": ["delete API Services app 'Zluri'"]}, "role": {"changed": False, "changes": []},
               "files": {"results": [{"changed": True, "path": "/k.pem"}, {"changed": False, "path": "/next.pem"}]}}
    checked = teardown_lines(removed, True)
    assert checked[0] == "Would remove: delete API Services app 'Zluri'; delete /k.pem"
    assert checked[1].startswith("Disconnect Okta in Zluri first")
    done = teardown_lines({"app": {"changed": False}}, False)
    assert done[0] == "Removed nothing: the Zluri connection was not in this org."


def test_input_that_is_not_results_is_refused() -> None:
    with pytest.raises(ConnectionReportError):
        connection_report([], SETTINGS)
    with pytest.raises(ConnectionReportError):
        teardown_lines("nothing", False)
