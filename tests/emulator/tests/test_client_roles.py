# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Admin role assignments to OAuth clients (standard and custom), and the org settings around them."""
from __future__ import annotations

import pytest

from helpers import AdminSession, ServiceClient, assign, create_service_app, grant, recorded, shape
from okta_fixtures import public_jwk, service_app_body, web_app_body

NAME = "idaas__TestAccResourceOktaAppOAuthRoleAssignment_basic__oie-00.yaml"


def test_standard_assignment_matches_recording(admin: AdminSession, rsa_keys: list) -> None:
    app = create_service_app(admin, "Zluri", rsa_keys[0])
    created = assign(admin, app["id"], {"type": "HELP_DESK_ADMIN"})
    expected = recorded(NAME, "POST", "/roles", 201)
    assert created.status_code == 201 and shape(created.json()) == shape(expected)
    body = created.json()
    assert (body["id"], body["label"], body["assignmentType"]) == (expected["id"], expected["label"], "CLIENT")
    assert body["_links"]["assignee"]["href"] == admin.base_url + "/oauth2/v1/clients/" + app["id"]
    roles_url = admin.base_url + "/oauth2/v1/clients/%s/roles" % app["id"]
    assert admin.get(roles_url + "/JBCUYUC7IRCVGS27IFCE2SKO").json() == body
    duplicate = assign(admin, app["id"], {"type": "HELP_DESK_ADMIN"})
    assert duplicate.status_code == 409 and duplicate.json()["errorCode"] == "E0000090"
    assert assign(admin, app["id"], {"type": "NOT_A_ROLE"}).status_code == 400
    assert admin.delete(roles_url + "/" + body["id"]).status_code == 204
    assert admin.get(roles_url + "/" + body["id"]).status_code == 404
    assert admin.get(roles_url).json() == []


def test_roles_only_for_service_apps(admin: AdminSession) -> None:
    bookmark = admin.get(admin.base_url + "/api/v1/apps", params={"q": "Company Wiki"}).json()[0]
    web = admin.post(admin.base_url + "/api/v1/apps", json=web_app_body("Web")).json()
    response = assign(admin, web["id"], {"type": "READ_ONLY_ADMIN"})
    assert response.status_code == 400 and response.json()["errorCode"] == "E0000227"
    assert assign(admin, bookmark["id"], {"type": "READ_ONLY_ADMIN"}).status_code == 404
    assert assign(admin, "0oaunknown00000000000", {"type": "READ_ONLY_ADMIN"}).status_code == 404


def test_custom_assignment_is_a_binding_member(admin: AdminSession, rsa_keys: list) -> None:
    app = create_service_app(admin, "Zluri", rsa_keys[0])
    role = admin.post(admin.base_url + "/api/v1/iam/roles", json={"label": "view", "description": "d", "permissions": ["okta.users.read"]}).json()
    resource_set = admin.post(admin.base_url + "/api/v1/iam/resource-sets", json={
        "label": "set", "description": "d", "resources": [admin.base_url + "/api/v1/users"]}).json()
    assert assign(admin, app["id"], {"type": "CUSTOM", "role": "cr0missing0000000000", "resource-set": resource_set["id"]}).status_code == 404
    assert assign(admin, app["id"], {"type": "CUSTOM", "role": role["id"], "resource-set": "iammissing0000000000"}).status_code == 404
    created = assign(admin, app["id"], {"type": "CUSTOM", "role": role["id"], "resource-set": resource_set["id"]})
    assert created.status_code == 201
    body = created.json()
    assert body["id"].startswith("irb") and body["type"] == "CUSTOM" and body["resource-set"] == resource_set["id"]
    assert set(body["_links"]) == {"role", "resource-set", "permissions", "member", "assignee"}
    members = admin.get(admin.base_url + "/api/v1/iam/resource-sets/%s/bindings/%s/members" % (resource_set["id"], role["id"])).json()
    assert [(item["id"], item["_links"]["self"]["href"]) for item in members["members"]] == \
        [(body["id"], admin.base_url + "/oauth2/v1/clients/" + app["id"])]
    duplicate = assign(admin, app["id"], {"type": "CUSTOM", "role": role["id"], "resource-set": resource_set["id"]})
    assert duplicate.status_code == 409 and duplicate.json()["errorCode"] == "E0000263"
    roles_url = admin.base_url + "/oauth2/v1/clients/%s/roles" % app["id"]
    assert [item["id"] for item in admin.get(roles_url).json()] == [body["id"]]
    assert admin.delete(roles_url + "/" + body["id"]).status_code == 204
    assert admin.get(admin.base_url + "/api/v1/iam/resource-sets/%s/bindings/%s/members" % (resource_set["id"], role["id"])).json()["members"] == []


@pytest.mark.okta_emulator(seed="empty", no_api_access_management=True, public_client_app_admins=True)
def test_org_settings(admin: AdminSession, rsa_keys: list) -> None:
    app = create_service_app(admin, "Zluri", rsa_keys[0])
    unavailable = assign(admin, app["id"], {"type": "API_ACCESS_MANAGEMENT_ADMIN"})
    assert unavailable.status_code == 401 and unavailable.json()["errorCode"] == "E0000015"
    roles_url = admin.base_url + "/oauth2/v1/clients/%s/roles" % app["id"]
    assert admin.get(roles_url).json() == []
    grant(admin, app["id"], "okta.users.read", "okta.groups.read")
    assert [item["type"] for item in admin.get(roles_url).json()] == ["SUPER_ADMIN"]  # silently, once


def test_api_access_management_admin_when_available(admin: AdminSession, rsa_keys: list) -> None:
    app = create_service_app(admin, "Zluri", rsa_keys[0])
    created = assign(admin, app["id"], {"type": "API_ACCESS_MANAGEMENT_ADMIN"})
    assert created.status_code == 201 and created.json()["label"] == "API Access Management Administrator"


def test_client_roles_take_the_client_id_only(admin: AdminSession, rsa_keys: list) -> None:
    body = service_app_body("Custom", [public_jwk(rsa_keys[0], "key-1")])
    body["credentials"]["oauthClient"]["client_id"] = "zluri-m2m"
    app = admin.post(admin.base_url + "/api/v1/apps", json=body).json()
    assert assign(admin, app["id"], {"type": "READ_ONLY_ADMIN"}).status_code == 404
    created = assign(admin, "zluri-m2m", {"type": "READ_ONLY_ADMIN"})
    assert created.status_code == 201
    assert created.json()["_links"]["assignee"]["href"] == admin.base_url + "/oauth2/v1/clients/zluri-m2m"
    assert admin.get(admin.base_url + "/oauth2/v1/clients/%s/roles" % app["id"]).status_code == 404
    assert [item["type"] for item in admin.get(admin.base_url + "/oauth2/v1/clients/zluri-m2m/roles").json()] == ["READ_ONLY_ADMIN"]
    grant(admin, app["id"], "okta.users.read")
    assert admin.get(admin.base_url + "/api/v1/apps/%s/grants" % app["id"]).json()[0]["clientId"] == "zluri-m2m"
    client = ServiceClient(admin.base_url, "zluri-m2m", rsa_keys[0], "key-1")
    token = client.get_token("okta.users.read")
    assert token.status_code == 200, token.text
    assert client.call("GET", "/api/v1/users?limit=1").status_code == 200
    as_app_id = ServiceClient(admin.base_url, app["id"], rsa_keys[0], "key-1").get_token("okta.users.read")
    assert as_app_id.status_code == 401 and as_app_id.json()["error"] == "invalid_client"
