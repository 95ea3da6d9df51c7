# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A real third-party client: the official Okta Python SDK (``okta`` 3.4.x, async) against the emulator over HTTPS.

With an SSWS token it lists and reads what the zluri_okta role creates (custom role and permissions, resource set
and resources, the API Services app with its grants and keys, client role assignments, users, groups); with the
service app's private key and DPoP (``authorizationMode: PrivateKey``, ``dpopEnabled: True``) it mints a token and
lists users, groups, apps, logs and roles. Every SDK model must deserialise the emulator's answers.

Known defects of the SDK itself (not of the emulator, whose answers follow the recordings) are covered with raw
HTTP instead, each named where it is worked around:

* SDK_CLIENT_ROLES: ``list_roles_for_client`` / ``retrieve_client_role`` cannot parse a non-empty answer: its
  StandardRole and CustomRole models both match ("Multiple matches found when deserializing ... ListRolesForClient200ResponseInner").
* SDK_CONDITIONS: a permission with conditions cannot be parsed: the SDK (from the spec) wants each attribute to be
  an object, Okta answers a list of attribute names (TF-VCR AdminRoleCustom_withConditions:106).
* SDK_DEEPCOPY: the SDK deep-copies its configuration, which an ``ssl.SSLContext`` refuses; an SSLContext subclass
  whose ``__deepcopy__`` returns itself is passed instead.
"""
from __future__ import annotations

import asyncio
import ssl
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from okta_fixtures import service_app_body, signing_jwk
from okta_emulator.harness import RunningEmulator, start_emulator

okta_client = pytest.importorskip("okta.client")

ZLURI_SCOPES = ["okta.users.read", "okta.groups.read", "okta.apps.read", "okta.logs.read", "okta.roles.read", "okta.domains.read"]


class SharedSslContext(ssl.SSLContext):
    """SDK_DEEPCOPY: okta 3.4.x deep-copies its configuration; an SSLContext can't be copied, so it is shared."""

    def __deepcopy__(self, memo: dict[int, Any]) -> SharedSslContext:
        return self


def _context(ca_path: str) -> SharedSslContext:
    context = SharedSslContext(ssl.PROTOCOL_TLS_CLIENT)
    context.load_verify_locations(ca_path)
    return context


def _ok(result: tuple[Any, Any, Any]) -> Any:
    """The SDK answers (value, response, error); the call must have succeeded and deserialised."""
    value, _response, error = result
    assert error is None, repr(error)
    return value


@pytest.fixture(scope="module")
def org(rsa_keys: list[rsa.RSAPrivateKey]) -> Iterator[dict[str, Any]]:
    """An HTTPS emulator with what the zluri_okta role creates (built with raw HTTP, as the collection would)."""
    with start_emulator(seed="demo", tls=True) as emulator:
        session = requests.Session()
        session.verify = emulator.ca_path
        session.headers["Authorization"] = "SSWS " + emulator.admin_token
        base = emulator.url

        def call(method: str, path: str, **kwargs: Any) -> Any:
            # verify per request: REQUESTS_CA_BUNDLE would override the session's own setting
            response = session.request(method, base + path, timeout=20, verify=emulator.ca_path, **kwargs)
            assert response.status_code < 300, response.text
            return response.json() if response.content else None

        org_id = call("GET", "/.well-known/okta-organization")["id"]
        app = call("POST", "/api/v1/apps", json=service_app_body("Zluri", [signing_jwk(rsa_keys[0], "zluri-1")], dpop=True))
        for scope in ZLURI_SCOPES:
            call("POST", "/api/v1/apps/%s/grants" % app["id"], json={"issuer": base, "scopeId": scope})
        role = call("POST", "/api/v1/iam/roles", json={"label": "Zluri minimum", "description": "Read-only for Zluri", "permissions": [
            "okta.users.read", "okta.groups.read", "okta.iam.read", "okta.apps.read", "okta.directories.read"]})
        call("POST", "/api/v1/iam/roles/%s/permissions/okta.users.userprofile.manage" % role["id"],
             json={"conditions": {"include": {"okta:ResourceAttribute/User/Profile": ["department"]}}})
        resource_set = call("POST", "/api/v1/iam/resource-sets", json={
            "label": "Zluri resources", "description": "What Zluri may read",
            "resources": [base + "/api/v1/users", base + "/api/v1/groups", base + "/api/v1/apps",
                          "orn:okta:iam:%s:contained_resources" % org_id]})
        client_roles = "/oauth2/v1/clients/%s/roles" % app["id"]
        standard = call("POST", client_roles, json={"type": "READ_ONLY_ADMIN"})
        custom = call("POST", client_roles, json={"type": "CUSTOM", "role": role["id"], "resource-set": resource_set["id"]})
        pem = rsa_keys[0].private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption()).decode()
        yield {"emulator": emulator, "session": session, "app": app, "role": role, "resource_set": resource_set,
               "standard": standard, "custom": custom, "pem": pem}
        session.close()


def _ssws_client(emulator: RunningEmulator) -> Any:
    assert emulator.ca_path
    return okta_client.Client({"orgUrl": emulator.url, "token": emulator.admin_token, "sslContext": _context(emulator.ca_path)})


def test_ssws_reads_what_the_role_created(org: dict[str, Any]) -> None:  # pylint: disable=too-many-locals
    emulator, app, role, resource_set = org["emulator"], org["app"], org["role"], org["resource_set"]

    async def scenario() -> None:
        client = _ssws_client(emulator)
        roles = _ok(await client.list_roles())
        assert [item.label for item in roles.roles] == ["Zluri minimum"]
        assert _ok(await client.get_role(role["id"])).label == "Zluri minimum"
        assert _ok(await client.get_role("Zluri minimum")).id == role["id"]
        permissions = _ok(await client.get_role_permission(role["id"], "okta.users.read"))
        assert permissions.label == "okta.users.read"
        # SDK_CONDITIONS: list_role_permissions includes okta.users.userprofile.manage, which has conditions: raw HTTP.

        sets = _ok(await client.list_resource_sets())
        assert {item.label for item in sets.resource_sets} == {"Workflows Resource Set", "Zluri resources"}
        assert _ok(await client.get_resource_set(resource_set["id"])).label == "Zluri resources"
        resources = _ok(await client.list_resource_set_resources(resource_set["id"]))
        assert len(resources.resources) == 4 and all(item.orn for item in resources.resources)
        bindings = _ok(await client.list_bindings(resource_set["id"]))
        assert [item.id for item in bindings.roles] == [role["id"]]
        members = _ok(await client.list_members_of_binding(resource_set["id"], role["id"]))
        assert len(members.members) == 1

        fetched = _ok(await client.get_application(app["id"]))
        assert fetched.label == "Zluri" and fetched.settings.oauth_client.application_type == "service"
        assert any(item.id == app["id"] for item in _ok(await client.list_applications(q="Zluri")))
        grants = _ok(await client.list_scope_consent_grants(app["id"]))
        assert sorted(grant.scope_id for grant in grants) == sorted(ZLURI_SCOPES)
        assert _ok(await client.get_scope_consent_grant(app["id"], grants[0].id)).scope_id == grants[0].scope_id
        keys = _ok(await client.list_jwk(app["id"]))
        assert [key.actual_instance.kid for key in keys] == ["zluri-1"]
        assert _ok(await client.get_jwk(app["id"], keys[0].actual_instance.id)).actual_instance.kid == "zluri-1"

        users = _ok(await client.list_users())
        assert len(users) >= 20
        assert _ok(await client.get_user(users[0].id)).id == users[0].id
        groups = _ok(await client.list_groups(q="Eng"))
        assert _ok(await client.get_group(groups[0].id)).profile.actual_instance.name == "Engineering"

    asyncio.run(scenario())


def test_preflight_reads_with_the_sdk(org: dict[str, Any]) -> None:
    """The reads of a pre-flight and of an API token audit deserialise into the SDK's models (the user's role list has
    the SDK_CLIENT_ROLES defect once a custom role is in it; this org's admin holds SUPER_ADMIN only)."""
    emulator = org["emulator"]
    emulator.seed_api_token("readonly@example.com", name="Vendor sync", created_days_ago=40, last_used_days_ago=9)

    async def scenario() -> None:
        client = _ssws_client(emulator)
        me = _ok(await client.get_user("me"))
        assert me.profile.login == "admin@example.com"
        roles = _ok(await client.list_assigned_roles_for_user(me.id))
        assert [item.actual_instance.type for item in roles] == ["SUPER_ADMIN"]
        assert _ok(await client.get_client_privileges_setting()).client_privileges_setting is False
        servers = _ok(await client.list_authorization_servers())
        assert [server.name for server in servers] == ["default"]
        assert _ok(await client.get_authorization_server(servers[0].id)).audiences == ["api://default"]
        tokens = _ok(await client.list_api_tokens())
        assert [(token.name, token.token_window, token.network.connection) for token in tokens] == [
            ("Emulator admin token", "P30D", "ANYWHERE"), ("Vendor sync", "P30D", "ANYWHERE")]
        assert _ok(await client.get_api_token(tokens[1].id)).user_id == tokens[1].user_id

    asyncio.run(scenario())


def test_sdk_defects_are_covered_with_raw_http(org: dict[str, Any]) -> None:
    """SDK_CLIENT_ROLES and SDK_CONDITIONS: the answers Okta gives, read without the SDK's models."""
    session, base, app, role = org["session"], org["emulator"].url, org["app"], org["role"]
    verify = org["emulator"].ca_path
    assignments = session.get(base + "/oauth2/v1/clients/%s/roles" % app["id"], timeout=20, verify=verify).json()
    assert sorted(item["type"] for item in assignments) == ["CUSTOM", "READ_ONLY_ADMIN"]
    custom = session.get(base + "/oauth2/v1/clients/%s/roles/%s" % (app["id"], org["custom"]["id"]), timeout=20, verify=verify).json()
    assert custom["role"] == role["id"] and custom["resource-set"] == org["resource_set"]["id"]
    permissions = session.get(base + "/api/v1/iam/roles/%s/permissions" % role["id"], timeout=20, verify=verify).json()["permissions"]
    conditioned = next(item for item in permissions if item["label"] == "okta.users.userprofile.manage")
    assert conditioned["conditions"] == {"include": {"okta:ResourceAttribute/User/Profile": ["department"]}}

    async def sdk_fails_as_known() -> None:
        client = _ssws_client(org["emulator"])
        with pytest.raises(ValueError, match="Multiple matches found"):
            await client.list_roles_for_client(app["id"])
        try:
            _value, _response, error = await client.get_role_permission(role["id"], "okta.users.userprofile.manage")
        except ValueError as raised:
            error = raised
        assert error is not None and "PermissionConditions" in str(error)

    asyncio.run(sdk_fails_as_known())


def test_private_key_and_dpop(org: dict[str, Any]) -> None:
    emulator, app = org["emulator"], org["app"]

    async def scenario() -> None:
        assert emulator.ca_path
        client = okta_client.Client({
            "orgUrl": emulator.url, "authorizationMode": "PrivateKey", "clientId": app["credentials"]["oauthClient"]["client_id"],
            "scopes": ZLURI_SCOPES, "privateKey": org["pem"], "kid": "zluri-1", "dpopEnabled": True,
            "sslContext": _context(emulator.ca_path)})
        assert len(_ok(await client.list_users())) >= 20
        assert _ok(await client.list_groups())
        assert _ok(await client.list_applications())
        assert _ok(await client.list_log_events(limit=5)) is not None
        roles = _ok(await client.list_roles())
        assert [item.label for item in roles.roles] == ["Zluri minimum"]

    asyncio.run(scenario())
    tokens = [entry for entry in emulator.log() if entry["path"] == "/oauth2/v1/token"]
    assert [entry["status"] for entry in tokens][:2] == [400, 200]  # use_dpop_nonce, then the DPoP-bound token
    calls = [entry for entry in emulator.log() if entry["principal"] == "client:" + app["id"]]
    assert len(calls) >= 5 and all(entry["status"] == 200 for entry in calls)
