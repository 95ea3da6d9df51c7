# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A preset resolved with the user's overrides, and the summary of what a converge of it left."""

from __future__ import annotations

from typing import Any

import pytest

from ansible_collections.saasops.okta_m2m.plugins.plugin_utils.service_connection import (
    ServiceConnectionError,
    resolve_preset,
    service_report,
    service_teardown_lines,
)

PRESETS: dict[str, Any] = {
    "acme": {
        "vendor": "Acme", "source": "https://help.acme.example/okta", "source_read": "2026-12-01", "app_label": "Acme",
        "app_scopes": ["okta.users.read"], "standard_roles": ["SUPER_ADMIN"], "key_holder": "customer",
        "custom_role": {"label": "Acme Role", "tiers": {"low": ["okta.users.read"], "high": ["okta.users.manage"]},
                        "resource_set_label": "Acme Set", "resources": [{"type": "all_users"}]},
        "form": [{"field": "Tenant", "value": "org_url"}, {"field": "App", "value": "client_id"},
                 {"field": "Key", "value": "private_key"}, {"field": "Use OAuth", "literal": "Yes"}],
        "super_admin_reason": "it reads admins",
        "least_privilege": {"standard_roles": ["READ_ONLY_ADMIN"], "note": "reads what the scopes reach"},
    },
}
SETTINGS = {"org_url": "https://acme.okta.com", "private_key_source": "the PEM file /k.pem", "jwks_uri": "", "check_mode": False}


def test_super_administrator_is_refused_without_a_yes() -> None:
    with pytest.raises(ServiceConnectionError, match="The preset Acme asks for the Super Administrator role on the app: it reads admins"):
        resolve_preset(PRESETS, "acme", {}, tier="low")


def test_overrides_replace_the_presets_values_and_empty_ones_keep_them() -> None:
    spec = resolve_preset(PRESETS, "acme", {"standard_roles": ["READ_ONLY_ADMIN"], "app_label": "", "app_scopes": []}, tier="high")
    assert spec["standard_roles"] == ["READ_ONLY_ADMIN"] and spec["app_label"] == "Acme" and spec["app_scopes"] == ["okta.users.read"]
    assert spec["custom_role"]["permissions"] == ["okta.users.manage"] and spec["custom_role"]["tier"] == "high"
    assert spec["custom_role"]["description"] == "Access for Acme (managed by saasops.okta_m2m)"


@pytest.mark.parametrize("name, overrides, tier, message", [
    ("nope", {}, "low", "okta_service_connection_preset must be one of acme, or custom"),
    ("acme", {"standard_roles": ["READ_ONLY_ADMIN"]}, "middle", "okta_service_connection_tier must be one of high, low for Acme"),
    ("acme", {"colour": "red"}, "low", "unknown override okta_service_connection_colour"),
    ("custom", {"vendor": "Mine", "app_label": "Mine"}, "low",
     "the preset Mine needs okta_service_connection_app_scopes, okta_service_connection_key_holder, okta_service_connection_form"),
    ("custom", {"app_label": "X", "app_scopes": ["okta.users.read"], "key_holder": "me", "form": [{"field": "A", "value": "org_url"}]},
     "low", "okta_service_connection_key_holder must be one of customer, vendor_jwk, vendor_jwks_uri"),
    ("custom", {"app_label": "X", "app_scopes": ["okta.users.read"], "key_holder": "customer", "form": [{"field": "A", "value": "pin"}]},
     "low", "each of okta_service_connection_form is a field with a value among"),
])
def test_what_the_role_cannot_use_is_refused_naming_the_variable(name: str, overrides: dict[str, Any], tier: str, message: str) -> None:
    with pytest.raises(ServiceConnectionError, match=message):
        resolve_preset(PRESETS, name, overrides, tier=tier)


@pytest.mark.parametrize("given, expected", [(False, False), ("false", False), ("no", False), (True, True), ("True", True), ("1", True)])
def test_dpop_takes_a_yes_or_no_as_the_command_line_gives_it(given: Any, expected: bool) -> None:
    spec = resolve_preset(PRESETS, "acme", {"require_dpop": given, "standard_roles": ["READ_ONLY_ADMIN"]}, tier="low")
    assert spec["require_dpop"] is expected


def test_dpop_refuses_what_is_no_yes_or_no() -> None:
    with pytest.raises(ServiceConnectionError, match="okta_service_connection_require_dpop must be true or false, not 'maybe'"):
        resolve_preset(PRESETS, "acme", {"require_dpop": "maybe", "standard_roles": ["READ_ONLY_ADMIN"]}, tier="low")


def test_a_custom_preset_comes_from_the_variables_alone() -> None:
    spec = resolve_preset(PRESETS, "custom", {"vendor": "Mine", "app_label": "Mine", "app_scopes": ["okta.apps.read"],
                                              "standard_roles": ["READ_ONLY_ADMIN"], "key_holder": "vendor_jwks_uri",
                                              "form": [{"field": "Domain", "value": "org_url"}]})
    assert (spec["vendor"], spec["custom_role"], spec["require_dpop"], spec["source"]) == ("Mine", None, False, "")


def converged(created: bool) -> dict[str, Any]:
    changes = ["create API Services app 'Acme'"] if created else []
    return {
        "key": {"kid": "k1", "n": "n-value", "e": "AQAB", "changed": created},
        "app": {"client_id": "0oa1", "created": created, "changed": created, "changes": changes,
                "public_keys": [{"kid": "k1", "status": "ACTIVE", "created": "2026-12-01T00:00:00.000Z"}]},
        "check": {"ok": True, "check": "token"},
    }


def test_the_first_converge_hands_over_the_form_without_the_key() -> None:
    spec = resolve_preset(PRESETS, "acme", {}, allow_super_admin=True, tier="low")
    report = service_report(converged(True), spec, SETTINGS)
    summary = report["summary"]
    assert summary["form"] == {"Tenant": "https://acme.okta.com", "App": "0oa1", "Key": "the PEM file /k.pem", "Use OAuth": "Yes"}
    assert summary["manual_action_required"] and summary["verified"]
    assert report["lines"][0] == "Changed: create API Services app 'Acme'"
    assert summary["next_step"] == "Enter the values above in Acme's form (https://help.acme.example/okta)."


def test_the_form_gives_the_public_jwk_of_the_key_in_use() -> None:
    spec = resolve_preset(PRESETS, "custom", {"vendor": "Mine", "app_label": "Mine", "app_scopes": ["okta.apps.read"],
                                              "key_holder": "customer", "form": [{"field": "JWK", "value": "public_jwk"},
                                                                                 {"field": "Key", "value": "key_id"}]})
    made_here = converged(True)
    made_here["key"]["public_jwk"] = {"kty": "RSA", "kid": "k1", "n": "n-value", "e": "AQAB"}
    form = service_report(made_here, spec, SETTINGS)["summary"]["form"]
    assert form == {"JWK": '{"e": "AQAB", "kid": "k1", "kty": "RSA", "n": "n-value"}', "Key": "k1"}
    given = dict(SETTINGS, vendor_public_jwk={"kty": "RSA", "kid": "v1", "n": "v", "e": "AQAB"})
    assert service_report({"app": converged(True)["app"]}, spec, given)["summary"]["form"]["JWK"] == '{"e": "AQAB", "kid": "v1", "kty": "RSA", "n": "v"}'


def test_a_converged_org_leaves_nothing_to_do() -> None:
    spec = resolve_preset(PRESETS, "acme", {}, allow_super_admin=True, tier="low")
    report = service_report(converged(False), spec, SETTINGS)
    assert not report["summary"]["manual_action_required"]
    assert report["lines"][0] == "Changed nothing: the org was already as the preset leaves it."
    assert report["summary"]["next_step"] == "Nothing to do in Acme: the org is as the preset leaves it."


def test_check_mode_before_the_app_exists() -> None:
    spec = resolve_preset(PRESETS, "acme", {}, allow_super_admin=True, tier="low")
    results = {"app": {"client_id": "", "changed": True, "changes": ["create API Services app 'Acme'"]}}
    report = service_report(results, spec, dict(SETTINGS, check_mode=True))
    assert report["lines"][0] == "Would change: create API Services app 'Acme'"
    assert report["summary"]["next_step"].startswith("Check mode: the app does not exist yet")
    assert not report["summary"]["manual_action_required"] and not report["summary"]["verified"]


@pytest.mark.parametrize("created", [True, False])
def test_while_the_vendor_key_is_awaited_the_next_step_is_to_bring_it(created: bool) -> None:
    spec = resolve_preset(PRESETS, "acme", {"key_holder": "vendor_jwks_uri", "form": [{"field": "App", "value": "client_id"}]},
                          allow_super_admin=True, tier="low")
    results = converged(created)
    results["app"].update(awaiting_vendor_key=True, public_keys=[{"kid": "okta-m2m-no-private-key", "status": "ACTIVE"}])
    report = service_report({"app": results["app"]}, spec, SETTINGS)
    summary = report["summary"]
    assert summary["awaiting_vendor_key"] and summary["manual_action_required"] and not summary["verified"]
    assert summary["form"] == {"App": "0oa1"}
    assert summary["next_step"] == (
        "Enter the values above in Acme's form (https://help.acme.example/okta); Acme then shows the URL of its keys (JWKS URL): run "
        "again with -e okta_service_connection_vendor_jwks_uri=<what Acme shows>. Until then nobody can get a token for the app.")
    assert "Key: awaiting Acme's key: the app holds a sealed key (okta-m2m-no-private-key) that nobody can sign for; DPoP off" in report["lines"]
    jwk_spec = dict(spec, key_holder="vendor_jwk")
    assert "-e okta_service_connection_vendor_public_jwk=" in service_report({"app": results["app"]}, jwk_spec, SETTINGS)["summary"]["next_step"]


def test_teardown_lines_say_what_was_removed_and_the_step_at_the_vendor() -> None:
    results = {"app": {"changed": True, "changes": ["delete API Services app 'Acme'"]},
               "files": {"results": [{"changed": True, "path": "/k.pem"}, {"changed": False, "path": "/n.pem"}]}}
    assert service_teardown_lines(results, "Acme", False) == [
        "Removed: delete API Services app 'Acme'; delete /k.pem", "In Acme, disconnect Okta if it is still connected: it can no longer sync."]
    assert service_teardown_lines({}, "Acme", True)[0] == "Would remove nothing: the Acme connection is not in this org."
