# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from ansible_collections.saasops.okta_m2m.plugins.module_utils.apps import app_for_members, find_app, writable_app
from ansible_collections.saasops.okta_m2m.plugins.module_utils.grants import GrantMember
from ansible_collections.saasops.okta_m2m.plugins.module_utils.jwks import JwkMember
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_auth import SswsAuth
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_client import OktaClient, OktaConfigError, Transport
from ansible_collections.saasops.okta_m2m.plugins.module_utils.role_assignments import RoleAssignmentMember

from ansible_collections.saasops.okta_m2m.tests.unit.plugins.module_utils.fake_http import FakeResponse, FakeSession

ORG = "https://example.okta.com"
NOT_FOUND = FakeResponse(404, {"errorCode": "E0000007", "errorSummary": "Not found: Resource not found: zluri-m2m (AppInstance)"})


def service_app(app_id: str, client_id: str, label: str = "Zluri") -> dict[str, Any]:
    return {"id": app_id, "label": label, "name": "oidc_client", "status": "ACTIVE",
            "credentials": {"oauthClient": {"client_id": client_id}},
            "settings": {"oauthClient": {"application_type": "service"}}}


def client_for(session: FakeSession) -> OktaClient:
    return OktaClient(Transport(ORG, session=session), SswsAuth("t"))


def test_a_client_id_that_is_the_app_id_is_found_with_one_read() -> None:
    session = FakeSession([FakeResponse(200, service_app("0oa1", "0oa1"))])
    assert find_app(client_for(session), client_id="0oa1")["id"] == "0oa1"
    assert [urlsplit(sent.url).path for sent in session.sent] == ["/api/v1/apps/0oa1"]


def test_a_custom_client_id_is_found_among_the_oidc_apps() -> None:
    listed = [service_app("0oa1", "0oa1"), service_app("0oa2", "zluri-m2m")]
    session = FakeSession([NOT_FOUND, FakeResponse(200, listed)])
    assert find_app(client_for(session), client_id="zluri-m2m")["id"] == "0oa2"
    get, listing = session.sent
    assert urlsplit(get.url).path == "/api/v1/apps/zluri-m2m"
    assert urlsplit(listing.url).path == "/api/v1/apps"
    assert parse_qs(urlsplit(listing.url).query)["filter"] == ['name eq "oidc_client"']


def test_an_app_whose_id_is_someone_elses_client_id_is_not_taken_for_it() -> None:
    # Custom client ids are free text: one may equal the id of another app.
    session = FakeSession([FakeResponse(200, service_app("0oaX", "other")), FakeResponse(200, [service_app("0oa2", "0oaX")])])
    assert find_app(client_for(session), client_id="0oaX")["id"] == "0oa2"


def test_no_app_with_the_client_id_is_none() -> None:
    session = FakeSession([NOT_FOUND, FakeResponse(200, [service_app("0oa1", "0oa1")])])
    assert find_app(client_for(session), client_id="zluri-m2m") is None


def test_an_app_id_with_another_client_id_is_refused() -> None:
    session = FakeSession([FakeResponse(200, service_app("0oa2", "zluri-m2m"))])
    with pytest.raises(OktaConfigError, match="app_id 0oa2 has the client id zluri-m2m, not app_client_id 0oa2"):
        find_app(client_for(session), client_id="0oa2", app_id="0oa2")


def test_a_verified_reference_carries_both_ids_without_a_read() -> None:
    session = FakeSession()
    app = app_for_members(client_for(session), None, "zluri-m2m", "present", False, verified=True, app_id="0oa2")
    assert app is not None and app["id"] == "0oa2" and app["credentials"]["oauthClient"]["client_id"] == "zluri-m2m"
    assert session.sent == []


def test_a_verified_client_id_without_the_app_id_is_read() -> None:
    session = FakeSession([NOT_FOUND, FakeResponse(200, [service_app("0oa2", "zluri-m2m")])])
    assert app_for_members(client_for(session), None, "zluri-m2m", "present", False, verified=True)["id"] == "0oa2"


def test_members_use_the_app_id_under_api_v1_apps_and_the_client_id_under_oauth2_clients() -> None:
    app = service_app("0oa2", "zluri-m2m")
    session = FakeSession([FakeResponse(200, []), FakeResponse(200, []), FakeResponse(200, [])])
    client = client_for(session)
    GrantMember(ORG).current(client, app)
    JwkMember().reread(client, app)
    RoleAssignmentMember([], "present", False).current(client, app)
    assert [urlsplit(sent.url).path for sent in session.sent] == [
        "/api/v1/apps/0oa2/grants", "/api/v1/apps/0oa2/credentials/jwks", "/oauth2/v1/clients/zluri-m2m/roles"]


def test_a_put_body_keeps_every_setting_and_drops_read_only_members_and_nulls() -> None:
    app = {
        "id": "0oa1", "orn": "orn:okta:idp:00o1:apps:oidc_client:0oa1", "status": "ACTIVE", "created": "x", "lastUpdated": "y",
        "features": [], "_links": {"self": {}}, "label": "Zluri", "name": "oidc_client", "visibility": {"hide": {"iOS": True}},
        "accessibility": {"selfService": False, "errorRedirectUrl": None},
        "credentials": {"signing": {"kid": "k", "lastRotated": "z"}, "oauthClient": {"client_id": "0oa1", "token_endpoint_auth_method": "private_key_jwt"}},
        "settings": {"emOptInStatus": "NOT_ENABLED", "notes": {"admin": None}, "app": {}, "manualProvisioning": False, "implicitAssignment": False,
                     "oauthClient": {"dpop_bound_access_tokens": False, "logo_uri": None,
                                     "jwks": {"keys": [{"id": "pks1", "kid": "k1", "kty": "RSA", "n": "n", "e": "AQAB", "status": "ACTIVE"}]}}},
    }
    body = writable_app(app)
    assert set(body) == {"label", "name", "visibility", "accessibility", "credentials", "settings"}
    assert body["visibility"] == {"hide": {"iOS": True}}
    assert body["accessibility"] == {"selfService": False}
    assert body["credentials"]["signing"] == {"kid": "k"}
    assert body["settings"]["notes"] == {}
    assert not {"emOptInStatus", "app", "manualProvisioning"} & set(body["settings"]), "read-only, or not named by the PUT schema"
    assert body["settings"]["implicitAssignment"] is False
    assert "logo_uri" not in body["settings"]["oauthClient"]
    assert body["settings"]["oauthClient"]["jwks"]["keys"] == [{"kid": "k1", "kty": "RSA", "n": "n", "e": "AQAB", "status": "ACTIVE"}]
    assert app["id"] == "0oa1", "the app read from Okta is left as it was"
