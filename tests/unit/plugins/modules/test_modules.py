# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Modules end to end with HTTP mocked: argument handling, check mode, results and what never appears in them."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from ansible.module_utils.testing import patch_module_args

from ansible_collections.saasops.okta_m2m.plugins.module_utils import okta_client
from ansible_collections.saasops.okta_m2m.plugins.modules import (
    okta_admin_role,
    okta_app_jwk,
    okta_m2m_check,
    okta_scope_grant,
    okta_service_app,
    zluri_connection,
)
from ansible_collections.saasops.okta_m2m.tests.unit.plugins.module_utils.fake_http import FakeResponse, FakeSession

ORG = "https://example.okta.com"
NOT_FOUND = {"errorCode": "E0000007", "errorSummary": "Not found: Resource not found: Zluri (CustomRole)"}


def run_module(module: Any, args: dict[str, Any], session: FakeSession | None, monkeypatch: pytest.MonkeyPatch,
               capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    if session is not None:
        monkeypatch.setattr(okta_client.requests, "Session", lambda: session)
    with patch_module_args(args), pytest.raises(SystemExit):
        module.main()
    return json.loads(capsys.readouterr().out)


ROLE_ARGS = {"org_url": ORG, "api_token": "00secret-token", "label": "Zluri", "description": "d", "permissions": ["okta.users.read"]}


def test_admin_role_check_mode_creates_nothing(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    session = FakeSession([FakeResponse(404, NOT_FOUND)])
    result = run_module(okta_admin_role, dict(ROLE_ARGS, _ansible_check_mode=True, _ansible_diff=True), session, monkeypatch, capsys)
    assert result["changed"] is True
    assert result["changes"] == ["create custom admin role 'Zluri'"]
    assert result["diff"]["after"]["permissions"] == ["okta.users.read"]
    assert [request.method for request in session.sent] == ["GET"]
    assert "00secret-token" not in json.dumps(result)


def test_admin_role_create_then_errors_carry_okta_details(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    created = {"id": "cr0abc", "label": "Zluri", "description": "d"}
    session = FakeSession([FakeResponse(404, NOT_FOUND), FakeResponse(200, created)])
    result = run_module(okta_admin_role, ROLE_ARGS, session, monkeypatch, capsys)
    assert result["role"]["id"] == "cr0abc"
    assert session.sent[1].json == {"label": "Zluri", "description": "d", "permissions": ["okta.users.read"]}
    assert result["api_calls"]["writes"] == 1

    duplicate = {"errorCode": "E0000001", "errorSummary": "Api validation failed: label",
                 "errorCauses": [{"errorSummary": "label: There is already an admin role with this name."}]}
    session = FakeSession([FakeResponse(404, NOT_FOUND), FakeResponse(400, duplicate, {"X-Okta-Request-Id": "rid-1"})])
    failed = run_module(okta_admin_role, ROLE_ARGS, session, monkeypatch, capsys)
    assert failed["failed"] is True
    assert failed["error_code"] == "E0000001"
    assert failed["request_id"] == "rid-1"
    assert failed["error_causes"] == ["label: There is already an admin role with this name."]


def test_bad_input_fails_before_any_call(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    session = FakeSession([])
    result = run_module(okta_admin_role, dict(ROLE_ARGS, org_url="http://example.okta.com"), session, monkeypatch, capsys)
    assert result["failed"] and "org_url must use https" in result["msg"]
    result = run_module(okta_admin_role, dict(ROLE_ARGS, permissions=["users.read"]), session, monkeypatch, capsys)
    assert result["failed"] and "permissions[0]" in result["msg"]
    assert session.sent == []


def test_shared_argument_specs_bring_their_constraints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    connection = {"org_url": ORG, "api_token": "00secret-token"}
    grant = dict(connection, app_scopes=["okta.users.read"])
    bundle = {"bundle_path": str(tmp_path / "bundle.json"), "check_scopes": ["okta.users.read"]}
    cases = [
        (okta_scope_grant, dict(grant, app="Zluri", app_id="0oa1"), "mutually exclusive: app|app_id"),
        (okta_scope_grant, dict(grant, app_client_id="0oa1", app_client_id_verified=True), "app_client_id_verified is True"),
        (okta_scope_grant, grant, "one of the following is required: app, app_client_id, app_id"),
        (okta_m2m_check, dict(connection, app_id="0oa1", app_key_path="/k.pem", app_key_content="PEM"),
         "mutually exclusive: app_key_path|app_key_content"),
        (zluri_connection, dict(connection, **bundle, app_id="0oa1", app_key_path="/k.pem", app_key_content="PEM"),
         "mutually exclusive: app_key_path|app_key_content"),
        (zluri_connection, dict(connection, **bundle, app_id="0oa1", client_id="0oa2"), "mutually exclusive: api_token|client_id"),
        (okta_m2m_check, dict(connection, app_id="0oa1", app_key_path="/k.pem", app_jwks_uri="https://v.example.com/jwks"),
         "mutually exclusive: app_jwks_uri|app_key_path"),
        (okta_m2m_check, dict(connection, app_id="0oa1", app_public_jwk={"kid": "k"}, app_jwks_uri="https://v.example.com/jwks"),
         "mutually exclusive: app_public_jwk|app_jwks_uri"),
        (okta_service_app, dict(connection, label="Vendor", public_keys=[{"kid": "k"}], jwks_uri="https://v.example.com/jwks"),
         "mutually exclusive: public_keys|jwks_uri"),
        (okta_service_app, dict(connection, label="Vendor", jwks_uri="http://v.example.com/jwks"),
         "jwks_uri must use https; plain http is allowed only for loopback hosts"),
    ]
    for module, args, error in cases:
        session = FakeSession([])
        result = run_module(module, args, session, monkeypatch, capsys)
        assert result["failed"] and error in result["msg"], (module.__name__, result["msg"])
        assert session.sent == []


def test_missing_credentials_name_the_options(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("OKTA_API_TOKEN", "OKTA_CLIENT_ID", "OKTA_PRIVATE_KEY", "OKTA_PRIVATE_KEY_PATH"):
        monkeypatch.delenv(name, raising=False)
    args = {key: value for key, value in ROLE_ARGS.items() if key != "api_token"}
    result = run_module(okta_admin_role, args, FakeSession([]), monkeypatch, capsys)
    assert result["failed"] and "api_token" in result["msg"] and "OKTA_API_TOKEN" in result["msg"]


def test_env_fallback_for_the_connection(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("OKTA_ORG_URL", ORG)
    monkeypatch.setenv("OKTA_API_TOKEN", "00from-env")
    session = FakeSession([FakeResponse(404, NOT_FOUND)])
    args = {key: value for key, value in ROLE_ARGS.items() if key not in ("org_url", "api_token")}
    result = run_module(okta_admin_role, dict(args, _ansible_check_mode=True), session, monkeypatch, capsys)
    assert result["changed"]
    assert session.sent[0].headers["Authorization"] == "SSWS 00from-env"
    assert session.sent[0].url.startswith(ORG + "/api/v1/iam/roles/")


def test_app_jwk_generates_a_local_key_once_and_never_returns_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    key_path = tmp_path / "keys" / "zluri.pem"
    checked = run_module(okta_app_jwk, {"key_path": str(key_path), "_ansible_check_mode": True}, None, monkeypatch, capsys)
    assert checked["changed"] and checked["generated"] and not key_path.exists()

    first = run_module(okta_app_jwk, {"key_path": str(key_path)}, None, monkeypatch, capsys)
    assert first["changed"] and first["generated"]
    assert stat.S_IMODE(os.stat(key_path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(key_path.parent).st_mode) == 0o700
    assert "PRIVATE KEY" not in json.dumps(first)
    assert set(first["public_jwk"]) == {"kty", "kid", "n", "e", "alg", "use"}

    second = run_module(okta_app_jwk, {"key_path": str(key_path)}, None, monkeypatch, capsys)
    assert not second["changed"] and not second["generated"]
    assert second["kid"] == first["kid"] and second["n"] == first["n"]


def test_a_dpop_bound_admin_token_leaves_its_nonce_for_the_next_task(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    pem = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    oauth_args = {key: value for key, value in ROLE_ARGS.items() if key != "api_token"}
    oauth_args.update(client_id="0oaadmin", private_key=pem, _ansible_check_mode=True)
    token = {"token_type": "DPoP", "expires_in": 3600, "access_token": "at-secret", "scope": "okta.roles.manage"}
    session = FakeSession([FakeResponse(200, token), FakeResponse(404, NOT_FOUND)])
    result = run_module(okta_admin_role, dict(oauth_args, dpop_nonce="nonce-1"), session, monkeypatch, capsys)
    assert result["ansible_facts"] == {"okta_m2m_dpop_nonce": "nonce-1"}
    assert result["api_calls"]["by_endpoint"]["POST /oauth2/v1/token"] == 1
    assert "at-secret" not in json.dumps(result)

    bearer = dict(token, token_type="Bearer")
    session = FakeSession([FakeResponse(200, bearer), FakeResponse(404, NOT_FOUND)])
    result = run_module(okta_admin_role, oauth_args, session, monkeypatch, capsys)
    assert "ansible_facts" not in result, "no DPoP, no nonce to pass on"


VENDOR_URL = "https://vendor.example.com/.well-known/jwks.json"


def vendor_app(**oauth: Any) -> dict[str, Any]:
    return {"id": "0oa1", "label": "Vendor", "name": "oidc_client", "status": "ACTIVE", "signOnMode": "OPENID_CONNECT",
            "credentials": {"oauthClient": {"client_id": "0oa1", "token_endpoint_auth_method": "private_key_jwt"}},
            "settings": {"oauthClient": dict({"application_type": "service", "grant_types": ["client_credentials"],
                                              "dpop_bound_access_tokens": False}, **oauth)}}


def test_without_a_private_key_the_check_proves_the_configuration_and_says_the_first_token_proves_the_rest(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    session = FakeSession([FakeResponse(200, [vendor_app(jwks_uri=VENDOR_URL)]),
                           FakeResponse(200, [{"id": "oag1", "scopeId": "okta.users.read"}]),
                           FakeResponse(200, [{"id": "ra1", "type": "READ_ONLY_ADMIN", "label": "Read-only Administrator"}])])
    args = {"org_url": ORG, "api_token": "00secret-token", "app": "Vendor", "check_scopes": ["okta.users.read"], "app_dpop": "never",
            "app_jwks_uri": VENDOR_URL, "expected_roles": ["READ_ONLY_ADMIN"]}
    result = run_module(okta_m2m_check, args, session, monkeypatch, capsys)
    assert result["ok"] is True and result["check"] == "configuration" and "failed" not in result
    assert result["msg"].startswith("API Services app 'Vendor' (client id 0oa1) is configured as the vendor needs it: app: Vendor, ACTIVE; ")
    assert "; key: keys held by the vendor at %s; DPoP: not required; " % VENDOR_URL in result["msg"]
    assert "the vendor's first token proves the rest" in result["msg"] and "last_token=true" in result["msg"]
    assert result["report"]["key_source"] == "jwks_uri" and result["report"]["problems"] == []
    assert [sent.method for sent in session.sent] == ["GET", "GET", "GET"]
    assert not any("/oauth2/v1/token" in sent.url for sent in session.sent)

    session = FakeSession([FakeResponse(200, [vendor_app(jwks_uri=VENDOR_URL, dpop_bound_access_tokens=True)]),
                           FakeResponse(200, []), FakeResponse(200, [])])
    failed = run_module(okta_m2m_check, dict(args, option_names={"app_dpop": "vendor_dpop"}), session, monkeypatch, capsys)
    assert failed["failed"] is True and failed["ok"] is False
    assert failed["msg"].startswith("API Services app 'Vendor' (client id 0oa1) is not configured as the vendor needs it: DPoP: ")
    assert "(vendor_dpop=never)" not in failed["msg"], "report texts name no option markup to translate"
    assert len(failed["report"]["problems"]) == 3 and "the vendor's first token proves the rest" in failed["msg"]


def test_switching_saved_keys_to_a_url_in_check_mode_warns_what_okta_would_delete(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    held = {"kid": "in-use", "kty": "RSA", "e": "AQAB", "n": "x", "status": "ACTIVE", "id": "pks1"}
    session = FakeSession([FakeResponse(200, [vendor_app(jwks={"keys": [held]})])])
    args = {"org_url": ORG, "api_token": "00secret-token", "label": "Vendor", "dpop_bound_access_tokens": False, "jwks_uri": VENDOR_URL,
            "_ansible_check_mode": True, "_ansible_diff": True}
    refused = run_module(okta_service_app, args, session, monkeypatch, capsys)
    assert refused["failed"] and "the app holds the ACTIVE saved key in-use" in refused["msg"] and "switch_key_source=true" in refused["msg"]
    session = FakeSession([FakeResponse(200, [vendor_app(jwks={"keys": [held]})])])
    result = run_module(okta_service_app, dict(args, switch_key_source=True), session, monkeypatch, capsys)
    assert result["changed"] and result["saved_keys_deleted"] == ["in-use"] and result["jwks_uri_dropped"] == ""
    assert result["diff"]["after"]["okta_consequences"] == ["deletes the app's saved keys in-use"]
    assert result["public_keys"] == [] and [sent.method for sent in session.sent] == ["GET"]


class Warned:
    """The part of OktaModule the warnings use (on the controller, AnsibleModule's warnings go to the display)."""

    def __init__(self, check_mode: bool) -> None:
        self.check_mode = check_mode
        self.warnings: list[str] = []

    def warn(self, warning: str) -> None:
        self.warnings.append(warning)


@pytest.mark.parametrize("check_mode", [True, False])
def test_the_switches_okta_makes_by_itself_are_warned_of(check_mode: bool) -> None:
    module = Warned(check_mode)
    deleted = {"client_secrets_deleted": False, "saved_keys_deleted": ["a", "b"], "jwks_uri_dropped": ""}
    dropped = {"client_secrets_deleted": False, "saved_keys_deleted": [], "jwks_uri_dropped": VENDOR_URL}
    okta_service_app.warn_about_consequences(module, {"label": "Vendor"}, deleted, VENDOR_URL)
    okta_service_app.warn_about_consequences(module, {"label": "Vendor"}, dropped, "")
    if check_mode:
        assert module.warnings == [
            "switching API Services app 'Vendor' to the JWKS URL %s would delete its saved keys a, b (Okta deletes them on that switch): "
            "anything that still signs with them would no longer authenticate" % VENDOR_URL,
            "switching API Services app 'Vendor' to keys saved in Okta would drop its JWKS URL %s (Okta drops it on that switch): keys "
            "published there would no longer authenticate" % VENDOR_URL]
    else:
        assert module.warnings == [
            "switching API Services app 'Vendor' to the JWKS URL %s deleted its saved keys a, b (Okta deletes them on that switch): anything "
            "that still signs with them no longer can" % VENDOR_URL,
            "switching API Services app 'Vendor' to keys saved in Okta dropped its JWKS URL %s (Okta drops it on that switch): keys published "
            "there no longer authenticate" % VENDOR_URL]
