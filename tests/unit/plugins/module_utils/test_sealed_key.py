# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An app created before its vendor shows its key (Vanta asks for the client id first): a sealed key nobody can sign for,
which the vendor's JWKS URL or public key replaces without the guards that protect keys in use."""

from __future__ import annotations

from typing import Any

import pytest

from ansible_collections.saasops.okta_m2m.plugins.module_utils.apps import ServiceAppKind, public_jwk_for_okta
from ansible_collections.saasops.okta_m2m.plugins.module_utils.configuration_check import Expected, _saved_key
from ansible_collections.saasops.okta_m2m.plugins.module_utils.jwks import JwkMember, sealed_public_jwk
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_client import OktaConfigError
from ansible_collections.saasops.okta_m2m.plugins.module_utils.reconcile import ensure_object, list_delta, removal_delta
from ansible_collections.saasops.okta_m2m.plugins.module_utils.sealed_keys import SEALED_KID, awaits_vendor_key, is_sealed, refuse_sealed_kid
from ansible_collections.saasops.okta_m2m.plugins.module_utils.sealed_keys import in_use
from ansible_collections.saasops.okta_m2m.plugins.modules.okta_service_app import awaiting_vendor_key

from ansible_collections.saasops.okta_m2m.tests.unit.plugins.module_utils.test_jwk_guards import CONSOLE_APP, DESIRED, PutRecorder
from ansible_collections.saasops.okta_m2m.tests.unit.plugins.module_utils.test_vendor_held_keys import URL, VENDOR, Org, app, desired, held


def sealed(status: str = "ACTIVE", created: str = "2026-12-06T08:00:00.000Z") -> dict[str, Any]:
    return dict(public_jwk_for_okta(sealed_public_jwk()), id="pkssealed", status=status, created=created)


def reconcile(org: Org, want: dict[str, Any], check: bool = False, purge: Any = JwkMember.purge_sealed) -> Any:
    kind = ServiceAppKind(await_vendor_key=want.get("jwks") is None and not want.get("jwks_uri"), add_beside_active_keys=False)
    return ensure_object(org, kind, want, "present", check, purge={"jwks": purge})  # type: ignore[arg-type]


def test_a_sealed_key_is_a_fresh_public_key_under_its_own_kid() -> None:
    first, second = sealed_public_jwk(), sealed_public_jwk()
    assert first["kid"] == second["kid"] == SEALED_KID and first["n"] != second["n"]
    assert set(first) == {"kty", "kid", "n", "e"}
    assert is_sealed(first) and not in_use(first) and in_use(dict(VENDOR, status="ACTIVE"))


def test_awaiting_the_vendor_creates_the_app_with_a_sealed_key_only() -> None:
    org = Org(None)
    outcome = reconcile(org, desired(None))
    (method, path, body), = org.writes
    assert (method, path) == ("POST", "/api/v1/apps")
    keys = body["settings"]["oauthClient"]["jwks"]["keys"]
    assert [key["kid"] for key in keys] == [SEALED_KID] and "jwks_uri" not in body["settings"]["oauthClient"]
    assert body["credentials"]["oauthClient"]["token_endpoint_auth_method"] == "private_key_jwt"
    assert awaiting_vendor_key(outcome, [dict(key, status=None) for key in keys], True)


def test_without_the_option_an_app_is_still_never_created_without_a_key() -> None:
    with pytest.raises(OktaConfigError, match="await_vendor_key=true creates it with a sealed key"):
        ensure_object(Org(None), ServiceAppKind(), desired(None), "present", False, purge={"jwks": False})  # type: ignore[arg-type]


def test_an_awaiting_app_is_left_as_it_is() -> None:
    org = Org(app(keys=[sealed()]))
    outcome = reconcile(org, desired(None))
    assert org.writes == [] and not outcome.changed
    assert awaiting_vendor_key(outcome, [sealed()], True)


def test_the_vendor_url_replaces_the_sealed_key_without_switch_key_source() -> None:
    org = Org(app(keys=[sealed()]))
    outcome = reconcile(org, desired(URL))
    (method, _path, body), = org.writes
    assert method == "PUT" and body["settings"]["oauthClient"]["jwks_uri"] == URL and "jwks" not in body["settings"]["oauthClient"]
    assert outcome.after["okta_consequences"] == ["deletes the app's saved keys %s" % SEALED_KID]
    assert not awaiting_vendor_key(outcome, [], False)


def test_a_sealed_key_does_not_shield_a_key_in_use_from_the_switch_guard() -> None:
    with pytest.raises(OktaConfigError, match="ACTIVE saved key in-use"):
        reconcile(Org(app(keys=[sealed(), held("in-use")])), desired(URL))


def test_the_vendor_public_key_goes_in_beside_the_sealed_key_which_is_retired() -> None:
    member = JwkMember(beside_other_keys=False)
    current = [sealed()]
    wanted = [public_jwk_for_okta(VENDOR)]
    delta = list_delta(current, wanted, member.key, JwkMember.purge_sealed, member.same)
    member.check_delta({}, delta, current)
    assert [key["kid"] for key in delta.to_add] == ["vendor-2026"]
    assert [key["kid"] for key in delta.to_remove] == [SEALED_KID]


def test_a_retired_sealed_key_stays_as_it_is_and_no_other_key_is_purged() -> None:
    member = JwkMember(beside_other_keys=False)
    vendor = dict(public_jwk_for_okta(VENDOR), id="pksvendor", created="2026-12-06T09:00:00.000Z")
    current = [sealed("INACTIVE"), vendor, held("console")]
    delta = list_delta(current, [public_jwk_for_okta(VENDOR)], member.key, JwkMember.purge_sealed, member.same)
    member.check_delta({}, delta, current)
    assert delta.to_add == [] and delta.to_remove == []


def test_retiring_a_sealed_key_newer_than_the_vendor_key_is_not_refused() -> None:
    member = JwkMember(beside_other_keys=False)
    vendor = dict(public_jwk_for_okta(VENDOR), id="pksvendor", created="2026-12-01T09:00:00.000Z")
    current = [vendor, sealed(created="2026-12-06T09:00:00.000Z")]
    delta = list_delta(current, [public_jwk_for_okta(VENDOR)], member.key, JwkMember.purge_sealed, member.same)
    member.check_delta({}, delta, current)
    assert [key["kid"] for key in delta.to_remove] == [SEALED_KID]


def test_the_configuration_check_names_the_sealed_key_as_the_problem() -> None:
    item = _saved_key([sealed()], Expected())
    assert not item.ok and "holds only the sealed key %s" % SEALED_KID in item.problem and "jwks_uri or public_keys" in item.problem
    assert _saved_key([sealed("INACTIVE"), dict(public_jwk_for_okta(VENDOR), id="pksv")], Expected(public_jwk=VENDOR)).ok


def test_a_client_secret_app_awaiting_its_vendor_key_switches_to_a_sealed_key() -> None:
    client = PutRecorder(CONSOLE_APP)
    ServiceAppKind(await_vendor_key=True).update(client, CONSOLE_APP, dict(DESIRED, jwks=None))  # type: ignore[arg-type]
    (_get, (method, _path, body)) = client.sent
    assert method == "PUT" and "client_secret" not in body["credentials"]["oauthClient"]
    assert body["credentials"]["oauthClient"]["token_endpoint_auth_method"] == "private_key_jwt"
    assert [key["kid"] for key in body["settings"]["oauthClient"]["jwks"]["keys"]] == [SEALED_KID]


def test_check_mode_says_what_the_run_would_leave_for_an_existing_app() -> None:
    registering = reconcile(Org(app(keys=[sealed()])), desired(jwks=[public_jwk_for_okta(VENDOR)]), check=True)
    assert [change.split(" ", 1)[0] for change in registering.changes] == ["add", "retire"]
    assert not awaiting_vendor_key(registering, [sealed()], False)
    switching = reconcile(Org(app(auth="client_secret_basic")), desired(None), check=True)
    assert switching.changed and awaiting_vendor_key(switching, [], True)
    assert switching.after["okta_consequences"] == [
        "deletes the app's client secrets", "registers the sealed key okta-m2m-no-private-key until the vendor's key replaces it"]
    assert not awaiting_vendor_key(switching, [], False)


def test_a_sealed_key_beside_a_key_in_use_is_not_awaiting() -> None:
    assert not awaits_vendor_key(None, [sealed(), dict(public_jwk_for_okta(VENDOR), status="ACTIVE")])
    assert awaits_vendor_key(None, [sealed(), dict(public_jwk_for_okta(VENDOR), status="INACTIVE")])
    assert not awaits_vendor_key(URL, [sealed()]) and not awaits_vendor_key(None, [], sealing=False)


def test_the_last_key_in_use_is_never_removed_leaving_the_sealed_key() -> None:
    member = JwkMember(delete=True)
    vendor = dict(public_jwk_for_okta(VENDOR), id="pksvendor")
    current = [sealed(), vendor]
    with pytest.raises(OktaConfigError, match="only the sealed key okta-m2m-no-private-key, which nobody can sign with"):
        member.check_delta({}, removal_delta(current, [{"kid": "vendor-2026"}], member.key), current)
    member.check_delta({}, removal_delta(current, [{"kid": SEALED_KID}], member.key), current)


def test_a_key_of_the_user_is_never_taken_under_the_sealed_kid() -> None:
    with pytest.raises(OktaConfigError, match="the kid okta-m2m-no-private-key is kept for the sealed key"):
        refuse_sealed_kid([dict(VENDOR, kid=SEALED_KID)], "public_keys")
    refuse_sealed_kid([VENDOR, {"kid": None}], "public_keys")


def test_a_client_secret_app_that_already_holds_a_key_gets_no_sealed_key() -> None:
    with_key = dict(CONSOLE_APP, settings={"oauthClient": dict(CONSOLE_APP["settings"]["oauthClient"], jwks={"keys": [held("console")]})})
    client = PutRecorder(with_key)
    ServiceAppKind(await_vendor_key=True).update(client, with_key, dict(DESIRED, jwks=None))  # type: ignore[arg-type]
    (_get, (_method, _path, body)) = client.sent
    assert [key["kid"] for key in body["settings"]["oauthClient"]["jwks"]["keys"]] == ["console"]
