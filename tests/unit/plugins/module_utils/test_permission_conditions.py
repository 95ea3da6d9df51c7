# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How a custom role permission's conditions are set and cleared (only with calls Okta's recordings show)."""

from __future__ import annotations

from urllib.parse import urlsplit

from ansible_collections.saasops.okta_m2m.plugins.module_utils.admin_roles import PermissionMember
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_auth import SswsAuth
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_client import OktaClient, Transport

from ansible_collections.saasops.okta_m2m.tests.unit.plugins.module_utils.fake_http import FakeResponse, FakeSession

ORG = "https://example.okta.com"
ROLE = {"id": "cr0zluri"}
PATH = "/api/v1/iam/roles/cr0zluri/permissions/okta.users.read"
CONDITIONS = {"include": {"okta:ResourceAttribute/User/Profile": ["department"]}}


def client_for(session: FakeSession) -> OktaClient:
    return OktaClient(Transport(ORG, session=session), SswsAuth("t"))


def test_conditions_are_set_with_one_put() -> None:
    session = FakeSession([FakeResponse(200, {"label": "okta.users.read", "conditions": CONDITIONS})])
    PermissionMember().update(client_for(session), ROLE, {"label": "okta.users.read", "conditions": CONDITIONS},
                              {"label": "okta.users.read", "conditions": None})
    (put,) = session.sent
    assert (put.method, urlsplit(put.url).path, put.json) == ("PUT", PATH, {"conditions": CONDITIONS})


def test_conditions_are_cleared_by_removing_and_granting_again_without_a_body() -> None:
    session = FakeSession([FakeResponse(204), FakeResponse(204)])
    PermissionMember().update(client_for(session), ROLE, {"label": "okta.users.read", "conditions": None},
                              {"label": "okta.users.read", "conditions": CONDITIONS})
    assert [(sent.method, urlsplit(sent.url).path) for sent in session.sent] == [("DELETE", PATH), ("POST", PATH)]
    assert not session.sent[1].data, "the permission is granted again with no conditions at all"
