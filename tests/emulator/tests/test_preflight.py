# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a pre-flight reads (NOTES 10): who the admin credential is and which roles it holds, "Public client app admins",
API Access Management; and the Super-Administrator-only rules that make a credential unfit (DD-SVCAPP)."""
from __future__ import annotations

from typing import Any

import pytest
import requests

from helpers import AdminSession, ServiceClient, assign, create_service_app, grant, shape, wait_until
from okta_fixtures import ADMIN_APP_SCOPES, OrgAdmin, create_admin_app, public_jwk, service_app_body, signing_jwk
from okta_emulator.harness import RunningEmulator

ORG_ADMIN_TOKEN = "org-admin-token"
# A user's standard role assignment as Okta answers GET /api/v1/users/{userId}/roles (terraform-provider-okta
# test/fixtures/vcr/idaas/TestAccResourceOktaUserAdminRoles_crud/oie-00.yaml @17b5c776, interaction 5, 2025-03).
RECORDED_USER_ROLE = {"id": "IFIFAX2BIRGUSTQ", "label": "Application Administrator", "type": "APP_ADMIN", "status": "ACTIVE",
                      "created": "2025-03-13T23:44:05.000Z", "lastUpdated": "2025-03-13T23:44:05.000Z", "assignmentType": "USER",
                      "_links": {"assignee": {"href": "https://oie-00.dne-okta.com/api/v1/users/00ukwr8iwz9tD7ZV11d7"}}}
# A custom authorization server as Okta answers it (terraform-provider-okta
# test/fixtures/vcr/idaas/TestAccDataSourceOktaAuthServer_read/oie-00.yaml @52b8cfb3, interaction 1, 2025-03): its members.
RECORDED_AUTH_SERVER_MEMBERS = ["id", "name", "description", "audiences", "issuer", "issuerMode", "status", "created", "lastUpdated",
                                "credentials", "default", "_links"]
RECORDED_AUTH_SERVER_LINKS = ["rotateKey", "metadata", "keys", "claims", "policies", "self", "scopes", "deactivate"]
ACCESS_DENIED = {"errorCode": "E0000006", "errorSummary": "You do not have permission to perform the requested action",
                 "errorLink": "E0000006", "errorCauses": []}


def ssws(url: str, token: str) -> requests.Session:
    """A session with an SSWS token."""
    session = requests.Session()
    session.headers.update({"Authorization": "SSWS " + token, "Accept": "application/json"})
    session.base_url = url  # type: ignore[attr-defined]
    return session


def denied(response: requests.Response) -> bool:
    """403 E0000006 with the body of every E0000006 (SPEC ErrorAccessDenied): no cause names the Super Administrator."""
    body = {key: value for key, value in response.json().items() if key != "errorId"}
    return response.status_code == 403 and body == ACCESS_DENIED and "WWW-Authenticate" not in response.headers


def admin_client(okta_emulator: RunningEmulator, key: Any, role: str, scopes: tuple[str, ...] = ADMIN_APP_SCOPES) -> ServiceClient:
    """An admin OAuth service app seeded as okta_fixtures seeds them, holding ``role``, with a token for ``scopes``."""
    client_id, kid = create_admin_app(OrgAdmin(okta_emulator.url), key, scopes=scopes, role=role)
    client = ServiceClient(okta_emulator.url, client_id, key, kid)
    assert client.get_token(" ".join(scopes)).status_code == 200
    return client


# Who the credential is.

@pytest.mark.okta_emulator(seed="demo", org_admin_token=ORG_ADMIN_TOKEN, readonly_token="ro-token")
def test_users_me_is_the_admin_of_the_api_token(okta_emulator: RunningEmulator, admin: AdminSession) -> None:
    """SPEC getUser: ``me`` is "the user linked to the API token that is specified in the Authorization header"."""
    for token, login in (("emulator-admin-token", "admin@example.com"), ("ro-token", "readonly@example.com"),
                         (ORG_ADMIN_TOKEN, "orgadmin@example.com")):
        me = ssws(okta_emulator.url, token).get(okta_emulator.url + "/api/v1/users/me")
        assert me.status_code == 200 and me.json()["profile"]["login"] == login
        assert me.json() == admin.get(admin.base_url + "/api/v1/users/" + me.json()["id"]).json()


def test_users_me_for_a_client_credentials_token(admin: AdminSession, rsa_keys: list) -> None:
    """A service app's token acts for no user: ``me`` is answered as an unknown user (no source shows more)."""
    app = create_service_app(admin, "Reader", rsa_keys[0])
    grant(admin, app["id"], "okta.users.read")
    assign(admin, app["id"], {"type": "READ_ONLY_ADMIN"})
    client = ServiceClient(admin.base_url, app["id"], rsa_keys[0], "key-1")
    assert client.get_token("okta.users.read").status_code == 200
    me = client.call("GET", "/api/v1/users/me")
    assert me.status_code == 404 and me.json()["errorSummary"] == "Not found: Resource not found: me (User)"


def test_only_the_option_makes_the_org_admin(admin: AdminSession) -> None:
    logins = [user["profile"]["login"] for user in admin.get(admin.base_url + "/api/v1/users?limit=200").json()]
    assert "orgadmin@example.com" not in logins
    assert requests.get(admin.base_url + "/api/v1/users/me", headers={"Authorization": "SSWS " + ORG_ADMIN_TOKEN}, timeout=5).status_code == 401


# Roles of users and of admin apps.

@pytest.mark.okta_emulator(seed="demo", org_admin_token=ORG_ADMIN_TOKEN, readonly_token="ro-token")
def test_the_admins_roles(okta_emulator: RunningEmulator, admin: AdminSession) -> None:
    """SPEC listAssignedRolesForUser, answered with the recorded shape (TF-VCR UserAdminRoles)."""
    for token, role_type in (("emulator-admin-token", "SUPER_ADMIN"), ("ro-token", "READ_ONLY_ADMIN"), (ORG_ADMIN_TOKEN, "ORG_ADMIN")):
        session = ssws(okta_emulator.url, token)
        me = session.get(okta_emulator.url + "/api/v1/users/me").json()
        roles = session.get(okta_emulator.url + "/api/v1/users/%s/roles" % me["id"])
        assert roles.status_code == 200, roles.text
        assert [item["type"] for item in roles.json()] == [role_type]
        assert shape(roles.json()[0]) == shape(RECORDED_USER_ROLE)
        assert roles.json()[0]["_links"]["assignee"]["href"] == okta_emulator.url + "/api/v1/users/" + me["id"]
    unknown = admin.get(admin.base_url + "/api/v1/users/00uNoSuchUser0000000/roles")
    assert unknown.status_code == 404 and unknown.json()["errorCode"] == "E0000007"


def test_user_role_assignments(admin: AdminSession) -> None:
    """POST 201 with the recorded body (TF-VCR UserAdminRoles: APP_ADMIN -> IFIFAX2BIRGUSTQ, "Application Administrator");
    a custom role assigned to the user or to one of its groups is listed too (SPEC StandardAndCustomRolesListResponse)."""
    user = admin.get(admin.base_url + "/api/v1/users", params={"q": "Ada"}).json()[0]
    roles_url = admin.base_url + "/api/v1/users/%s/roles" % user["id"]
    created = admin.post(roles_url, params={"disableNotifications": "false"}, json={"type": "APP_ADMIN"})
    assert created.status_code == 201
    recorded = {key: value for key, value in RECORDED_USER_ROLE.items() if key not in ("created", "lastUpdated", "_links")}
    assert {key: created.json()[key] for key in recorded} == recorded
    assert admin.post(roles_url, json={"type": "APP_ADMIN"}).status_code == 409
    role = admin.post(admin.base_url + "/api/v1/iam/roles", json={"label": "viewer", "description": "d", "permissions": ["okta.users.read"]}).json()
    users_set = admin.post(admin.base_url + "/api/v1/iam/resource-sets", json={
        "label": "users", "description": "d", "resources": [admin.base_url + "/api/v1/users"]}).json()
    groups_set = admin.post(admin.base_url + "/api/v1/iam/resource-sets", json={
        "label": "groups", "description": "d", "resources": [admin.base_url + "/api/v1/groups"]}).json()
    custom = admin.post(roles_url, json={"type": "CUSTOM", "role": role["id"], "resource-set": users_set["id"]})
    assert custom.status_code == 201 and (custom.json()["assignmentType"], custom.json()["role"]) == ("USER", role["id"])
    engineering = admin.get(admin.base_url + "/api/v1/groups", params={"q": "Engineering"}).json()[0]
    assert admin.post(admin.base_url + "/api/v1/iam/resource-sets/%s/bindings" % groups_set["id"], json={
        "role": role["id"], "members": [admin.base_url + "/api/v1/groups/" + engineering["id"]]}).status_code == 200
    listed = admin.get(roles_url).json()
    assert [(item["type"], item["assignmentType"]) for item in listed] == [("APP_ADMIN", "USER"), ("CUSTOM", "USER"), ("CUSTOM", "GROUP")]
    assert listed[2]["_links"]["assignee"]["href"] == admin.base_url + "/api/v1/groups/" + engineering["id"]
    assert admin.get(roles_url + "/" + created.json()["id"]).json() == created.json()
    assert admin.delete(roles_url + "/" + created.json()["id"]).status_code == 204
    assert admin.delete(roles_url + "/" + custom.json()["id"]).status_code == 204
    assert [item["assignmentType"] for item in admin.get(roles_url).json()] == ["GROUP"]
    assert admin.get(roles_url + "/" + created.json()["id"]).status_code == 404


def test_a_user_holds_what_its_roles_allow(okta_emulator: RunningEmulator, admin: AdminSession) -> None:
    """An API token carries the privileges of its admin, and follows later changes to them (DD-TOKEN)."""
    user = admin.get(admin.base_url + "/api/v1/users", params={"q": "Grace"}).json()[0]
    token = okta_emulator.seed_api_token(user["id"])["token"]
    session = ssws(okta_emulator.url, token)
    assert denied(session.get(okta_emulator.url + "/api/v1/groups"))
    roles_url = admin.base_url + "/api/v1/users/%s/roles" % user["id"]
    assignment = admin.post(roles_url, json={"type": "READ_ONLY_ADMIN"}).json()
    assert session.get(okta_emulator.url + "/api/v1/groups").status_code == 200
    assert denied(session.post(okta_emulator.url + "/api/v1/groups", json={"profile": {"name": "x"}}))
    admin.delete(roles_url + "/" + assignment["id"])
    assert denied(session.get(okta_emulator.url + "/api/v1/groups"))


def test_an_admin_app_reads_its_own_roles(okta_emulator: RunningEmulator, rsa_keys: list) -> None:
    """NOTES 10: a client-credentials token reads its app's roles at /oauth2/v1/clients/{clientId}/roles (okta.roles.read,
    implied by okta.roles.manage)."""
    client = admin_client(okta_emulator, rsa_keys[0], "ORG_ADMIN")
    roles = client.call("GET", "/oauth2/v1/clients/%s/roles" % client.client_id)
    assert roles.status_code == 200 and [(item["type"], item["assignmentType"]) for item in roles.json()] == [("ORG_ADMIN", "CLIENT")]
    assert client.get_token("okta.roles.manage").status_code == 200
    assert client.call("GET", "/oauth2/v1/clients/%s/roles" % client.client_id).status_code == 200


# The Super Administrator's privileges (DD-SVCAPP).

def _org_admin_keeps_and_loses(url: str, call: Any, admin: AdminSession, rsa_keys: list) -> None:
    """What an admin who is no Super Administrator may do (create an app, change the keys of an app without grants) and
    may not (grant Okta API scopes, manage custom roles and resource sets, change the keys of an app with grants)."""
    app = call("POST", "/api/v1/apps", json=service_app_body("Vendor", [signing_jwk(rsa_keys[0], "k1")]))
    assert app.status_code == 200, app.text
    app_id = app.json()["id"]
    jwks = "/api/v1/apps/%s/credentials/jwks" % app_id
    assert call("POST", jwks, json=dict(public_jwk(rsa_keys[1], "k2"), status="INACTIVE")).status_code == 201
    assert denied(call("POST", "/api/v1/apps/%s/grants" % app_id, json={"issuer": url, "scopeId": "okta.users.read"}))
    assert denied(call("POST", "/api/v1/iam/roles", json={"label": "r", "description": "d", "permissions": ["okta.users.read"]}))
    assert denied(call("POST", "/api/v1/iam/resource-sets", json={"label": "s", "description": "d", "resources": [url + "/api/v1/users"]}))
    assert denied(call("POST", "/oauth2/v1/clients/%s/roles" % app_id, json={"type": "READ_ONLY_ADMIN"}))
    assert call("GET", "/api/v1/iam/roles").status_code == 200

    grant(admin, app_id, "okta.users.read")
    inactive = next(key for key in call("GET", jwks).json() if key["kid"] == "k2")
    assert denied(call("POST", "%s/%s/lifecycle/activate" % (jwks, inactive["id"])))
    assert denied(call("DELETE", "%s/%s" % (jwks, inactive["id"])))
    assert denied(call("POST", jwks, json=dict(public_jwk(rsa_keys[2], "k3"), status="ACTIVE")))
    assert denied(call("PUT", "/api/v1/apps/" + app_id, json=service_app_body("Vendor", [signing_jwk(rsa_keys[2], "k3")])))
    by_secret = service_app_body("Vendor", None)
    by_secret["credentials"]["oauthClient"]["token_endpoint_auth_method"] = "client_secret_basic"
    assert denied(call("PUT", "/api/v1/apps/" + app_id, json=by_secret))
    renamed = service_app_body("Vendor renamed", None)
    renamed["settings"]["oauthClient"]["jwks"] = {"keys": [
        {name: value for name, value in key.items() if name in ("kid", "kty", "e", "n", "status")} for key in call("GET", jwks).json()]}
    assert call("PUT", "/api/v1/apps/" + app_id, json=renamed).status_code == 200, "a replace that leaves the keys as they are"
    assert admin.post(admin.base_url + jwks, json=dict(public_jwk(rsa_keys[2], "k3"), status="ACTIVE")).status_code == 201, \
        "the Super Administrator may"


@pytest.mark.okta_emulator(seed="demo", org_admin_token=ORG_ADMIN_TOKEN)
def test_an_org_admin_api_token_is_no_super_admin(okta_emulator: RunningEmulator, admin: AdminSession, rsa_keys: list) -> None:
    session = ssws(okta_emulator.url, ORG_ADMIN_TOKEN)
    _org_admin_keeps_and_loses(okta_emulator.url, lambda method, path, **kwargs: session.request(method, okta_emulator.url + path, **kwargs),
                               admin, rsa_keys)


def test_an_org_admin_oauth_app_is_no_super_admin(okta_emulator: RunningEmulator, admin: AdminSession, rsa_keys: list) -> None:
    client = admin_client(okta_emulator, rsa_keys[0], "ORG_ADMIN")
    _org_admin_keeps_and_loses(okta_emulator.url, client.call, admin, rsa_keys)


# "Public client app admins".

@pytest.mark.okta_emulator(seed="empty", public_client_app_admins=True, org_admin_token=ORG_ADMIN_TOKEN)
def test_client_privileges_setting(okta_emulator: RunningEmulator, admin: AdminSession, rsa_keys: list) -> None:
    """SPEC getClientPrivilegesSetting / assignClientPrivilegesSetting, reflecting --public-client-app-admins."""
    url = admin.base_url + "/api/v1/org/settings/clientPrivilegesSetting"
    assert admin.get(url).json() == {"clientPrivilegesSetting": True}
    assert denied(ssws(okta_emulator.url, ORG_ADMIN_TOKEN).put(url, json={"clientPrivilegesSetting": False}))
    assert ssws(okta_emulator.url, ORG_ADMIN_TOKEN).get(url).json() == {"clientPrivilegesSetting": True}
    assert admin.put(url, json={"clientPrivilegesSetting": False}).json() == {"clientPrivilegesSetting": False}
    assert okta_emulator.settings()["public_client_app_admins"] is False
    app = create_service_app(admin, "Vendor", rsa_keys[0])
    grant(admin, app["id"], "okta.users.read")
    assert admin.get(admin.base_url + "/oauth2/v1/clients/%s/roles" % app["id"]).json() == [], "the setting is off now"
    assert admin.put(url, json={"clientPrivilegesSetting": "yes"}).status_code == 400


def test_client_privileges_setting_off_by_default(admin: AdminSession) -> None:
    assert admin.get(admin.base_url + "/api/v1/org/settings/clientPrivilegesSetting").json() == {"clientPrivilegesSetting": False}


# API Access Management.

def test_the_default_authorization_server(admin: AdminSession) -> None:
    """An org with API Access Management has the ``default`` custom authorization server (TF okta_auth_server_default)."""
    listed = admin.get(admin.base_url + "/api/v1/authorizationServers")
    assert listed.status_code == 200 and listed.headers["Link"] == '<%s/api/v1/authorizationServers>; rel="self"' % admin.base_url
    (server,) = listed.json()
    assert list(server) == RECORDED_AUTH_SERVER_MEMBERS and list(server["_links"]) == RECORDED_AUTH_SERVER_LINKS
    assert (server["name"], server["default"], server["audiences"], server["issuer"]) == (
        "default", True, ["api://default"], admin.base_url + "/oauth2/default")
    assert admin.get(admin.base_url + "/api/v1/authorizationServers/" + server["id"]).json() == server
    assert admin.get(admin.base_url + "/api/v1/authorizationServers/default").json() == server
    assert admin.get(admin.base_url + "/api/v1/authorizationServers", params={"q": "api://def"}).json() == [server]
    assert admin.get(admin.base_url + "/api/v1/authorizationServers", params={"q": "nothing"}).json() == []
    assert admin.get(admin.base_url + "/api/v1/authorizationServers/ausNoSuchServer00000").status_code == 404


@pytest.mark.okta_emulator(seed="empty", no_api_access_management=True)
def test_no_api_access_management(okta_emulator: RunningEmulator, admin: AdminSession) -> None:
    """401 E0000015 (SPEC Error-FF-NotEnabled-Response-401) for the feature's API, as for its admin role."""
    for path in ("/api/v1/authorizationServers", "/api/v1/authorizationServers/default"):
        answer = admin.get(admin.base_url + path)
        assert answer.status_code == 401 and answer.json()["errorCode"] == "E0000015", path
        assert answer.json()["errorSummary"] == "You do not have permission to access the feature you are requesting"
    okta_emulator.settings(api_access_management=True)
    assert admin.get(admin.base_url + "/api/v1/authorizationServers").status_code == 200


# Scopes.

@pytest.mark.parametrize(("path", "scope"), [
    ("/oauth2/v1/clients/{client}/roles", "okta.roles.read"),
    ("/api/v1/users/{user}/roles", "okta.roles.read"),
    ("/api/v1/org/settings/clientPrivilegesSetting", "okta.orgs.read"),
    ("/api/v1/authorizationServers", "okta.authorizationServers.read"),
    ("/api/v1/api-tokens", "okta.apiTokens.read"),
    ("/api/v1/users/me", "okta.users.read"),
])
def test_a_read_the_token_has_no_scope_for(okta_emulator: RunningEmulator, admin: AdminSession, rsa_keys: list, path: str,
                                           scope: str) -> None:
    """403 E0000006 with ``WWW-Authenticate: Bearer ... error="insufficient_scope"`` naming the scope the spec gives the
    operation, whatever the admin role; with the scope granted, the read is answered."""
    client = admin_client(okta_emulator, rsa_keys[0], "SUPER_ADMIN", scopes=("okta.groups.read", scope))
    user_id = admin.get(admin.base_url + "/api/v1/users/me").json()["id"]
    target = path.format(client=client.client_id, user=user_id)
    assert client.get_token("okta.groups.read").status_code == 200
    refused = client.call("GET", target)
    assert refused.status_code == 403 and refused.json()["errorCode"] == "E0000006"
    challenge = refused.headers["WWW-Authenticate"]
    assert 'error="insufficient_scope"' in challenge and 'scope="%s"' % scope in challenge
    assert client.get_token(scope).status_code == 200
    assert client.call("GET", target).status_code in (200, 404), "404: `me` for a client"


def test_new_reads_are_in_the_request_log(okta_emulator: RunningEmulator, admin: AdminSession) -> None:
    for path in ("/api/v1/users/me", "/api/v1/org/settings/clientPrivilegesSetting", "/api/v1/authorizationServers", "/api/v1/api-tokens"):
        admin.get(admin.base_url + path)
    principal = "user:" + admin.get(admin.base_url + "/api/v1/users/me").json()["id"]
    # An exchange is logged once its answer is sent: the last one may reach the log a little after the client has it.
    wait_until(lambda: len(okta_emulator.log()) == 5)
    assert [(entry["path"], entry["status"], entry["principal"]) for entry in okta_emulator.log()[:4]] == [
        (path, 200, principal) for path in ("/api/v1/users/me", "/api/v1/org/settings/clientPrivilegesSetting",
                                            "/api/v1/authorizationServers", "/api/v1/api-tokens")]
    stats = okta_emulator.stats()
    assert stats["GET /api/v1/users/{userId}"] == {"200": 2} and stats["GET /api/v1/api-tokens"] == {"200": 1}
