# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Permission conditions as the recordings show them: set and switched with PUT, cleared by removing and granting again."""
from __future__ import annotations

from helpers import AdminSession, recorded, shape

ROLES = "/api/v1/iam/roles"
CASSETTE = "idaas__TestAccResourceOktaAdminRoleCustom_withConditions__oie-00.yaml"
INCLUDE = {"include": {"okta:ResourceAttribute/User/Profile": ["department", "costCenter"]}}
EXCLUDE = {"exclude": {"okta:ResourceAttribute/User/Profile": ["title"]}}


def role_with_users_read(admin: AdminSession) -> str:
    response = admin.post(admin.base_url + ROLES, json={"label": "Conditioned", "description": "d", "permissions": ["okta.users.read"]})
    assert response.status_code == 200, response.text
    return admin.base_url + ROLES + "/%s/permissions/okta.users.read" % response.json()["id"]


def test_put_sets_and_switches_conditions_as_recorded(admin: AdminSession) -> None:
    url = role_with_users_read(admin)
    included = admin.put(url, json={"conditions": INCLUDE})
    assert included.status_code == 200 and shape(included.json()) == shape(recorded(CASSETTE, "PUT", "/permissions/okta.users.read", 200))
    assert included.json()["conditions"] == INCLUDE
    switched = admin.put(url, json={"conditions": EXCLUDE})
    assert switched.status_code == 200 and admin.get(url).json()["conditions"] == EXCLUDE


def test_conditions_are_cleared_by_delete_and_a_bodiless_post(admin: AdminSession) -> None:
    url = role_with_users_read(admin)
    assert admin.put(url, json={"conditions": INCLUDE}).status_code == 200
    assert admin.delete(url).status_code == 204
    assert admin.get(url).status_code == 404
    assert admin.post(url).status_code == 204
    assert admin.get(url).json()["conditions"] is None


def test_conditions_hold_exactly_one_of_include_or_exclude(admin: AdminSession) -> None:
    url = role_with_users_read(admin)
    both = admin.put(url, json={"conditions": {**INCLUDE, **EXCLUDE}})
    assert both.status_code == 400 and both.json()["errorCode"] == "E0000001"
    assert admin.get(url).json()["conditions"] is None
