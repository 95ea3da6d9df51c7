# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Custom roles, permissions, resource sets, resources and bindings."""
from __future__ import annotations

import urllib.parse

import pytest

from helpers import AdminSession, recorded, shape
from okta_emulator.harness import RunningEmulator

ROLES = "/api/v1/iam/roles"
SETS = "/api/v1/iam/resource-sets"


def make_role(admin: AdminSession, label: str = "Zluri minimum", permissions: tuple[str, ...] = ("okta.users.read",)) -> dict:
    response = admin.post(admin.base_url + ROLES, json={"label": label, "description": "d", "permissions": list(permissions)})
    assert response.status_code == 200, response.text
    return response.json()


def make_set(admin: AdminSession, resources: list[str], label: str = "Zluri resources") -> dict:
    response = admin.post(admin.base_url + SETS, json={"label": label, "description": "d", "resources": resources})
    assert response.status_code == 200, response.text
    return response.json()


def group_id(admin: AdminSession, name: str) -> str:
    found = admin.get(admin.base_url + "/api/v1/groups", params={"search": 'profile.name eq "%s"' % name}).json()
    return found[0]["id"]


def test_role_lifecycle_matches_recording(admin: AdminSession) -> None:
    role = make_role(admin, permissions=("okta.apps.assignment.manage",))
    assert role["id"].startswith("cr0") and len(role["id"]) == 20
    recorded_role = recorded("idaas__TestAccDataSourceOktaAdminRoleCustom_read__oie-00.yaml", "POST", ROLES, 200)
    assert shape(role) == shape(recorded_role)
    assert role["isCloneable"] is False

    by_label = admin.get(admin.base_url + ROLES + "/" + urllib.parse.quote(role["label"]))
    assert by_label.status_code == 200 and by_label.json()["id"] == role["id"]
    assert by_label.headers["Link"] == '<%s>; rel="self"' % role["_links"]["self"]["href"]

    assert admin.post(admin.base_url + ROLES + "/%s/permissions/okta.users.read" % role["id"]).status_code == 204
    permissions = admin.get(admin.base_url + ROLES + "/%s/permissions" % role["id"]).json()["permissions"]
    assert [item["label"] for item in permissions] == ["okta.users.read", "okta.apps.assignment.manage"]  # newest first
    recorded_permissions = recorded("idaas__TestAccResourceOktaAdminRoleCustom_crud__oie-00.yaml", "GET", "/permissions", 200)
    assert shape(permissions[0]) == shape(recorded_permissions["permissions"][0])
    assert permissions[0]["conditions"] is None

    conditions = {"conditions": {"include": {"okta:ResourceAttribute/User/Profile": ["department"]}}}
    replaced = admin.put(admin.base_url + ROLES + "/%s/permissions/okta.users.read" % role["id"], json=conditions)
    assert replaced.status_code == 200 and replaced.json()["conditions"] == conditions["conditions"]
    assert admin.get(admin.base_url + ROLES + "/%s/permissions/okta.users.read" % role["id"]).json()["conditions"]

    updated = admin.put(admin.base_url + ROLES + "/" + role["id"], json={"label": "Renamed", "description": "new"})
    assert updated.status_code == 200 and updated.json()["label"] == "Renamed"
    assert len(admin.get(admin.base_url + ROLES + "/%s/permissions" % role["id"]).json()["permissions"]) == 2

    assert admin.delete(admin.base_url + ROLES + "/%s/permissions/okta.users.read" % role["id"]).status_code == 204
    assert admin.delete(admin.base_url + ROLES + "/Renamed").status_code == 204
    missing = admin.get(admin.base_url + ROLES + "/" + role["id"])
    assert missing.status_code == 404


def test_role_links_use_the_admin_host() -> None:
    from okta_emulator.config import OrgUrls  # pylint: disable=import-outside-toplevel
    urls = OrgUrls.build("https", "dev-123.okta.com")
    assert urls.admin("/api/v1/iam/roles/x") == "https://dev-123-admin.okta.com/api/v1/iam/roles/x"
    assert OrgUrls.build("http", "127.0.0.1:8080").admin_url == "http://127.0.0.1:8080"


@pytest.mark.okta_emulator(seed="empty", org_host="okta.emulator.test")
def test_role_links_on_a_named_org_host(admin: AdminSession) -> None:
    port = admin.base_url.rsplit(":", 1)[1]
    role = make_role(admin)
    assert role["_links"]["self"]["href"] == "http://okta-admin.emulator.test:%s/api/v1/iam/roles/%s" % (port, role["id"])
    resource_set = make_set(admin, ["http://okta.emulator.test:%s/api/v1/users" % port])
    assert resource_set["_links"]["self"]["href"].startswith("http://okta.emulator.test:%s/" % port)


def test_role_errors_match_recordings(admin: AdminSession) -> None:
    missing = admin.get(admin.base_url + ROLES + "/non-existent-role-id")
    expected = recorded("TestRoleAPIResource.test_role_error_handling.yaml", "GET", "non-existent-role-id", 404)
    assert missing.status_code == 404 and shape(missing.json()) == shape(expected)
    assert missing.json()["errorSummary"] == expected["errorSummary"]
    assert missing.json()["errorId"].startswith("oae")

    make_role(admin, "Test-Duplicate-Role")
    duplicate = admin.post(admin.base_url + ROLES, json={"label": "Test-Duplicate-Role", "description": "d", "permissions": ["okta.users.read"]})
    expected = recorded("TestRoleAPIResource.test_role_error_handling.yaml", "POST", ROLES, 400)
    assert duplicate.status_code == 400
    assert {key: duplicate.json()[key] for key in ("errorCode", "errorSummary", "errorCauses")} == \
        {key: expected[key] for key in ("errorCode", "errorSummary", "errorCauses")}

    for body in ({"label": "x", "description": "d", "permissions": []}, {"label": "x", "permissions": ["okta.users.read"]},
                 {"description": "d", "permissions": ["okta.users.read"]}, {"label": "x", "description": "d", "permissions": ["bad perm"]}):
        response = admin.post(admin.base_url + ROLES, json=body)
        assert response.status_code == 400 and response.json()["errorCode"] == "E0000001", body
    assert admin.post(admin.base_url + ROLES, data="{not json").status_code == 400
    assert admin.patch(admin.base_url + ROLES).json()["errorCode"] == "E0000022"
    assert admin.get(admin.base_url + "/api/v1/nothing-here").status_code == 404


def test_roles_list_pages_through_body_links(admin: AdminSession) -> None:
    for index in range(5):
        make_role(admin, "Role %d" % index)
    first = admin.get(admin.base_url + ROLES, params={"limit": 2}).json()
    assert len(first["roles"]) == 2 and "next" in first["_links"]
    labels = [role["label"] for role in first["roles"]]
    next_url = first["_links"]["next"]["href"]
    while next_url:
        page = admin.get(next_url).json()
        labels += [role["label"] for role in page["roles"]]
        next_url = page["_links"].get("next", {}).get("href")
    assert labels == ["Role %d" % index for index in range(5)]


def test_custom_role_limit(admin: AdminSession) -> None:
    for index in range(100):
        make_role(admin, "Bulk %d" % index)
    response = admin.post(admin.base_url + ROLES, json={"label": "One too many", "description": "d", "permissions": ["okta.users.read"]})
    assert response.status_code == 400


def test_resource_set_with_urls_and_orns(admin: AdminSession) -> None:
    org = admin.get(admin.base_url + "/.well-known/okta-organization").json()
    org_id = org["id"]
    engineering = group_id(admin, "Engineering")
    resource_set = make_set(admin, [admin.base_url + "/api/v1/users", admin.base_url + "/api/v1/groups",
                                    "orn:okta:idp:%s:apps" % org_id,
                                    admin.base_url + "/api/v1/groups/%s/users" % engineering,
                                    "orn:okta:iam:%s:contained_resources" % org_id])
    assert shape(resource_set) == shape(recorded("idaas__TestAccResourceOktaResourceSet_crud__oie-00.yaml", "POST", SETS, 200))
    resources = admin.get(admin.base_url + SETS + "/%s/resources" % resource_set["id"], params={"limit": 200}).json()
    recorded_resources = recorded("idaas__TestAccResourceOktaResourceSet_crud__oie-00.yaml", "GET", "/resources?limit=200", 200)
    by_orn = {item["orn"].split(":", 4)[4]: item for item in resources["resources"]}
    for item in recorded_resources["resources"]:
        assert shape(by_orn[item["orn"].split(":", 4)[4]]) == shape(item)
    assert shape({key: value for key, value in resources.items() if key != "resources"}) == \
        shape({key: value for key, value in recorded_resources.items() if key != "resources"})
    users_of_group = by_orn["groups:%s:contained_resources" % engineering]
    assert users_of_group["orn"] == "orn:okta:directory:%s:groups:%s:contained_resources" % (org_id, engineering)
    assert users_of_group["_links"]["self"]["href"] == admin.base_url + "/api/v1/groups/%s/users" % engineering
    assert "self" not in by_orn["contained_resources"]["_links"]
    assert all(item["id"].startswith("ire") for item in resources["resources"])


def test_resource_set_errors_match_recordings(admin: AdminSession) -> None:
    name = "TestResourceSetAPIResource.test_resource_set_error_handling.yaml"
    missing = admin.get(admin.base_url + SETS + "/irs000000000000000000")
    assert missing.status_code == 404 and missing.json()["errorSummary"] == recorded(name, "GET", "irs000", 404)["errorSummary"]
    for method in ("GET", "PATCH"):
        assert admin.request(method, admin.base_url + SETS + "/irs000000000000000000/resources", json={"additions": ["x"]}).status_code == 404
    no_label = admin.post(admin.base_url + SETS, json={"description": "d", "resources": [admin.base_url + "/api/v1/users"]})
    expected = recorded(name, "POST", SETS, 400)
    assert no_label.status_code == 400 and no_label.json()["errorCauses"] == expected["errorCauses"]
    org_id = admin.get(admin.base_url + "/.well-known/okta-organization").json()["id"]
    for bad in ("not-a-resource", "orn:okta:directory:00oWRONGORG00000000:users", "orn:oktapreview:directory:%s:users" % org_id,
                admin.base_url + "/api/v1/groups/00gdoesnotexist000000", admin.base_url + "/api/v1/users/00u1",
                "orn:okta:idp:%s:apps:bookmark:0oanotthere0000000000" % org_id, "orn:okta:iam:%s:roles" % org_id):
        response = admin.post(admin.base_url + SETS, json={"label": "bad", "description": "d", "resources": [bad]})
        assert response.status_code == 400 and response.json()["errorCode"] == "E0000001", bad


def test_resource_set_crud_and_resource_operations(admin: AdminSession) -> None:
    resource_set = make_set(admin, [admin.base_url + "/api/v1/users"])
    same_label = {"label": resource_set["label"], "description": "d", "resources": [admin.base_url + "/api/v1/users"]}
    assert admin.post(admin.base_url + SETS, json=same_label).status_code == 400
    renamed = admin.put(admin.base_url + SETS + "/" + resource_set["id"], json={"id": resource_set["id"], "label": "New", "description": "e"})
    assert renamed.status_code == 200 and renamed.json()["label"] == "New"
    additions = {"additions": [admin.base_url + "/api/v1/groups", admin.base_url + "/api/v1/users"]}
    patched = admin.patch(admin.base_url + SETS + "/New/resources", json=additions)
    assert patched.status_code == 200 and patched.json()["id"] == resource_set["id"]  # the resource set, not resources
    app_id = admin.get(admin.base_url + "/api/v1/apps", params={"q": "Company Wiki"}).json()[0]["id"]
    with_conditions = admin.post(admin.base_url + SETS + "/%s/resources" % resource_set["id"], json={
        "resourceOrnOrUrl": admin.base_url + "/api/v1/apps/" + app_id, "conditions": {"Exclude": {"okta:ORN": []}}})
    assert with_conditions.status_code == 200 and with_conditions.json()["conditions"] == {"Exclude": {"okta:ORN": []}}
    entry_id = with_conditions.json()["id"]
    assert admin.get(admin.base_url + SETS + "/%s/resources/%s" % (resource_set["id"], entry_id)).json()["orn"].endswith(
        ":apps:bookmark:" + app_id)
    resources = admin.get(admin.base_url + SETS + "/%s/resources" % resource_set["id"], params={"limit": 1}).json()
    assert len(resources["resources"]) == 1 and "after=" in resources["_links"]["next"]["href"]
    assert admin.delete(admin.base_url + SETS + "/%s/resources/%s" % (resource_set["id"], entry_id)).status_code == 204
    listed = admin.get(admin.base_url + SETS).json()
    assert any(item["id"] == "WORKFLOWS_IAM_POLICY" and "created" not in item for item in listed["resource-sets"])
    assert admin.delete(admin.base_url + SETS + "/" + resource_set["id"]).status_code == 204
    assert admin.get(admin.base_url + SETS + "/" + resource_set["id"]).status_code == 404


def test_deleted_objects_vanish_from_resource_sets(admin: AdminSession) -> None:
    group = admin.post(admin.base_url + "/api/v1/groups", json={"profile": {"name": "Temporary"}}).json()
    app = admin.post(admin.base_url + "/api/v1/apps", json={"name": "bookmark", "label": "Temp",
                                                            "settings": {"app": {"url": "https://example.com"}}}).json()
    resource_set = make_set(admin, [admin.base_url + "/api/v1/groups/" + group["id"], admin.base_url + "/api/v1/apps/" + app["id"],
                                    admin.base_url + "/api/v1/groups/%s/users" % group["id"], admin.base_url + "/api/v1/users"])
    assert admin.delete(admin.base_url + "/api/v1/groups/" + group["id"]).status_code == 204
    assert admin.post(admin.base_url + "/api/v1/apps/%s/lifecycle/deactivate" % app["id"]).status_code == 200
    assert admin.delete(admin.base_url + "/api/v1/apps/" + app["id"]).status_code == 204
    remaining = admin.get(admin.base_url + SETS + "/%s/resources" % resource_set["id"]).json()["resources"]
    assert [item["orn"].rsplit(":", 1)[1] for item in remaining] == ["users"]


def test_bindings_and_members(admin: AdminSession) -> None:
    role = make_role(admin)
    resource_set = make_set(admin, [admin.base_url + "/api/v1/users"])
    bindings_url = admin.base_url + SETS + "/%s/bindings" % resource_set["id"]
    empty = admin.get(bindings_url).json()
    expected = recorded("TestResourceSetAPIResource.test_resource_set_bindings_basic_operations.yaml", "GET", "/bindings", 200)
    assert empty == {**expected, "_links": {key: {"href": bindings_url if key == "self" else admin.base_url + SETS + "/" + resource_set["id"]}
                                            for key in expected["_links"]}}
    unknown_role = admin.post(bindings_url, json={"role": "ir0VcBqGjFLDGzJgCe2", "members": []})
    assert unknown_role.status_code == 404 and "(CustomRole)" in unknown_role.json()["errorSummary"]

    users = admin.get(admin.base_url + "/api/v1/users", params={"limit": 2}).json()
    engineering = group_id(admin, "Engineering")
    created = admin.post(bindings_url, json={"role": role["id"], "members": [admin.base_url + "/api/v1/users/" + users[0]["id"],
                                                                             admin.base_url + "/api/v1/groups/" + engineering]})
    assert created.status_code == 200
    assert shape(created.json()) == shape(recorded("TestAccOktaAdminRoleCustomAssignments__mm-oie-2022-10-07-max.yaml", "POST", "/bindings", 200))
    assert admin.post(bindings_url, json={"role": role["id"], "members": [admin.base_url + "/api/v1/users/" + users[1]["id"]]}).status_code == 400
    members_url = bindings_url + "/%s/members" % role["id"]
    assert admin.patch(members_url, json={"additions": [admin.base_url + "/api/v1/users/" + users[1]["id"]]}).status_code == 200
    members = admin.get(members_url).json()
    assert len(members["members"]) == 3 and all(item["id"].startswith("irb") for item in members["members"])
    assert members["members"][0]["created"].endswith("T00:00:00.000Z")
    assert shape(members["members"][0]) == shape(recorded("TestAccOktaAdminRoleCustomAssignments__mm-oie-2022-10-07-max.yaml", "GET",
                                                          "/members?limit=200", 200)["members"][0])
    binding = admin.get(bindings_url + "/" + urllib.parse.quote(role["label"])).json()
    assert binding["id"] == role["id"] and set(binding["_links"]) == {"self", "members", "resource-set"}
    listed = admin.get(bindings_url).json()["roles"]
    assert [item["id"] for item in listed] == [role["id"]]
    member_id = members["members"][0]["id"]
    assert admin.get(members_url + "/" + member_id).json()["id"] == member_id
    assert admin.delete(members_url + "/" + member_id).status_code == 204
    bad = admin.patch(members_url, json={"additions": [admin.base_url + "/api/v1/users/00unknown"]})
    assert bad.status_code == 400
    assert admin.delete(bindings_url + "/" + role["id"]).status_code == 204
    assert admin.get(bindings_url + "/" + role["id"]).status_code == 404


# A delay no run can outlast, lifted through the settings: with a short one, a busy machine can let it pass
# between creating an object and listing it.
@pytest.mark.okta_emulator(seed="empty", consistency_delay=3600)
def test_eventual_consistency_of_lists_and_labels(okta_emulator: RunningEmulator, admin: AdminSession) -> None:
    role = make_role(admin)
    resource_set = make_set(admin, [admin.base_url + "/api/v1/users"])
    assert admin.get(admin.base_url + ROLES).json()["roles"] == []
    assert admin.get(admin.base_url + ROLES + "/" + role["id"]).status_code == 200
    assert [item["id"] for item in admin.get(admin.base_url + SETS).json()["resource-sets"]] == ["WORKFLOWS_IAM_POLICY"]
    assert admin.delete(admin.base_url + SETS + "/" + resource_set["id"]).status_code == 204
    same_label = {"label": resource_set["label"], "description": "d", "resources": [admin.base_url + "/api/v1/users"]}
    reused = admin.post(admin.base_url + SETS, json=same_label)
    assert reused.status_code == 400  # the label of a just-deleted set stays reserved for a while (#1739)
    okta_emulator.settings(consistency_delay=0)
    assert [item["id"] for item in admin.get(admin.base_url + ROLES).json()["roles"]] == [role["id"]]
    assert make_set(admin, [admin.base_url + "/api/v1/users"], label=resource_set["label"])["label"] == resource_set["label"]


# What a Zluri admin may well type; every character here reaches the API intact (okta-sdk-java PR #1526).
SPELLED_OUT = "Zluri (read-only): ops@acme & co + 'x' \u2013 Z\u00fcrich"


def test_labels_with_punctuation_and_non_ascii_are_addressed_by_label(admin: AdminSession) -> None:
    role = make_role(admin, label=SPELLED_OUT)
    resource_set = make_set(admin, [admin.base_url + "/api/v1/users"], label=SPELLED_OUT)
    path = "/" + urllib.parse.quote(SPELLED_OUT, safe="")
    for collection, made, sub_path in ((ROLES, role, "/permissions"), (SETS, resource_set, "/resources")):
        fetched = admin.get(admin.base_url + collection + path)
        assert fetched.status_code == 200 and fetched.json()["id"] == made["id"], collection
        assert admin.get(admin.base_url + collection + path + sub_path).status_code == 200, collection
        replaced = admin.put(admin.base_url + collection + path, json={"label": SPELLED_OUT, "description": "new"})
        assert replaced.status_code == 200 and replaced.json()["description"] == "new", collection
    users = admin.get(admin.base_url + "/api/v1/users", params={"limit": 1}).json()
    binding = admin.post(admin.base_url + SETS + path + "/bindings",
                         json={"role": role["id"], "members": [admin.base_url + "/api/v1/users/" + users[0]["id"]]})
    assert binding.status_code == 200, binding.text
    assert admin.get(admin.base_url + SETS + path + "/bindings" + path).json()["id"] == role["id"]
    assert admin.delete(admin.base_url + SETS + path).status_code == 204
    assert admin.delete(admin.base_url + ROLES + path).status_code == 204


def test_a_label_with_a_semicolon_is_cut_there(admin: AdminSession) -> None:
    role = make_role(admin, label="prefix;suffix")
    resource_set = make_set(admin, [admin.base_url + "/api/v1/users"], label="prefix;suffix")
    for collection, type_name in ((ROLES, "CustomRole"), (SETS, "IAMPolicy")):
        for path in ("/prefix%3Bsuffix", "/prefix;suffix"):
            for method in ("GET", "PUT", "DELETE"):
                missing = admin.request(method, admin.base_url + collection + path, json={"label": "x", "description": "d"})
                assert missing.status_code == 404, (collection, path, method)
                assert missing.json()["errorSummary"] == "Not found: Resource not found: prefix (%s)" % type_name
    assert admin.get(admin.base_url + ROLES + "/prefix%3Bsuffix/permissions").status_code == 404
    assert admin.get(admin.base_url + SETS + "/prefix%3Bsuffix/resources").status_code == 404
    # Only what precedes the ";" is looked up: a role labelled "prefix" answers for "prefix;suffix".
    other = make_role(admin, label="prefix")
    assert admin.get(admin.base_url + ROLES + "/prefix%3Bsuffix").json()["id"] == other["id"]
    assert admin.get(admin.base_url + ROLES + "/" + role["id"]).json()["label"] == "prefix;suffix"
    assert admin.get(admin.base_url + SETS + "/" + resource_set["id"]).json()["label"] == "prefix;suffix"


def test_a_label_with_a_backslash_gets_the_web_containers_html_400(admin: AdminSession) -> None:
    role = make_role(admin, label="prefix\\suffix")
    resource_set = make_set(admin, [admin.base_url + "/api/v1/users"], label="prefix\\suffix")
    for collection in (ROLES, SETS):
        for method in ("GET", "PUT", "DELETE"):
            refused = admin.request(method, admin.base_url + collection + "/prefix%5Csuffix", json={"label": "x", "description": "d"})
            assert refused.status_code == 400, (collection, method)
            assert refused.headers["Content-Type"].startswith("text/html")
            assert refused.text.startswith("<!doctype html>") and "HTTP Status 400" in refused.text
    assert admin.get(admin.base_url + ROLES + "/prefix%5Csuffix/permissions").status_code == 400
    assert admin.get(admin.base_url + SETS + "/%s/bindings/prefix%%5Csuffix" % resource_set["id"]).status_code == 400
    assert admin.get(admin.base_url + ROLES + "/" + role["id"]).json()["label"] == "prefix\\suffix"
    assert admin.get(admin.base_url + SETS + "/" + resource_set["id"]).json()["label"] == "prefix\\suffix"
