# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Apps, JSON Web Keys and scope grants."""
from __future__ import annotations

import copy
import re
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec, rsa

from helpers import AdminSession, create_service_app, grant, recorded, shape
from okta_fixtures import public_jwk, service_app_body, web_app_body

APPS = "/api/v1/apps"
JWKS_CASSETTE = "idaas__TestAccResourceOktaAppOauth_serviceWithJWKS__oie-00.yaml"


def test_service_app_shape_matches_recording(admin: AdminSession, rsa_keys: list, ec_key: ec.EllipticCurvePrivateKey) -> None:
    app = create_service_app(admin, "Zluri", rsa_keys[0], kid="SIGNING_KEY_RSA")
    expected = recorded(JWKS_CASSETTE, "POST", APPS, 200)
    assert shape(app) == shape(expected)
    assert app["id"].startswith("0oa") and app["credentials"]["oauthClient"]["client_id"] == app["id"]
    assert app["orn"] == "orn:okta:idp:%s:apps:oidc_client:%s" % (admin.get(admin.base_url + "/.well-known/okta-organization").json()["id"], app["id"])
    key = app["settings"]["oauthClient"]["jwks"]["keys"][0]
    assert key["id"].startswith("pks") and key["status"] == "ACTIVE" and key["use"] is None
    assert "client_secret" not in app["credentials"]["oauthClient"]
    assert app["_links"]["clientCredentials"] == [{"name": "jwks", "href": admin.base_url + "/api/v1/apps/%s/credentials/jwks" % app["id"]}]

    ec_body = service_app_body("EC app", [{key: value for key, value in public_jwk(ec_key, "SIGNING_KEY_EC").items() if key != "crv"}])
    ec_app = admin.post(admin.base_url + APPS, json=ec_body).json()
    assert ec_app["settings"]["oauthClient"]["jwks"]["keys"][0]["crv"] is None  # as recorded when crv is not sent
    assert admin.get(admin.base_url + APPS + "/" + app["id"]).json()["label"] == "Zluri"


def test_secret_apps_show_the_secret_only_on_create(admin: AdminSession) -> None:
    created = admin.post(admin.base_url + APPS, json=web_app_body("Web", ["https://example.com/cb"])).json()
    assert created["credentials"]["oauthClient"]["client_secret"]
    fetched = admin.get(admin.base_url + APPS + "/" + created["id"]).json()
    assert "client_secret" not in fetched["credentials"]["oauthClient"]
    assert fetched["_links"]["clientCredentials"][0]["name"] == "secrets"


def test_app_validation(admin: AdminSession, rsa_keys: list) -> None:
    small_key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    too_small = admin.post(admin.base_url + APPS, json=service_app_body("Small", [public_jwk(small_key, "k")]))
    expected = recorded("TestApplicationSSOPublicKeysResource.test_sso_public_keys_lifecycle.yaml", "POST", "/credentials/jwks", 400)
    assert too_small.status_code == 400 and too_small.json()["errorCauses"] == expected["errorCauses"]
    assert too_small.json()["errorSummary"] == expected["errorSummary"]

    no_keys = admin.post(admin.base_url + APPS, json=service_app_body("No keys", None))
    assert no_keys.status_code == 400 and no_keys.json()["errorCode"] == "E0000001"
    with_secret = service_app_body("Secret", [public_jwk(rsa_keys[0], "k")])
    with_secret["credentials"]["oauthClient"]["client_secret"] = "s" * 40
    response = admin.post(admin.base_url + APPS, json=with_secret)
    assert response.json()["errorCauses"] == [{"errorSummary": "'client_secret' can't be used when 'token_endpoint_auth_method' is 'private_key_jwt'."}]
    duplicate_kids = service_app_body("Dup", [public_jwk(rsa_keys[0], "same")])
    duplicate_kids["settings"]["oauthClient"]["jwks"]["keys"].append(public_jwk(rsa_keys[1], "same"))
    assert "unique `kid`" in admin.post(admin.base_url + APPS, json=duplicate_kids).json()["errorCauses"][0]["errorSummary"]
    missing_kid = service_app_body("No kid", [public_jwk(rsa_keys[0])])
    missing_kid["settings"]["oauthClient"]["jwks"]["keys"].append(public_jwk(rsa_keys[1], "k2"))
    assert "unique kid" in admin.post(admin.base_url + APPS, json=missing_kid).json()["errorCauses"][0]["errorSummary"]
    too_many = service_app_body("Many", None)
    too_many["settings"]["oauthClient"]["jwks"] = {"keys": [public_jwk(rsa_keys[0], "k%d" % index) for index in range(51)]}
    assert "maximum number of keys allowed (50)" in admin.post(admin.base_url + APPS, json=too_many).json()["errorCauses"][0]["errorSummary"]
    assert admin.post(admin.base_url + APPS, json={"name": "oidc_client"}).status_code == 400


def test_list_search_filter_and_link_pagination(admin: AdminSession, rsa_keys: list) -> None:
    ids = [create_service_app(admin, "Zluri", rsa_keys[0])["id"] for _copy in range(3)]  # labels are not unique
    create_service_app(admin, "Zluri connector", rsa_keys[0])
    by_prefix = admin.get(admin.base_url + APPS, params={"q": "zluri", "filter": 'name eq "oidc_client"', "limit": "200"}).json()
    assert len(by_prefix) == 4 and {app["label"] for app in by_prefix} == {"Zluri", "Zluri connector"}
    by_name = admin.get(admin.base_url + APPS, params={"q": "oidc"}).json()
    assert len(by_name) == 4
    by_id = admin.get(admin.base_url + APPS, params={"filter": 'id eq "%s" and status eq "ACTIVE"' % ids[1]}).json()
    assert [app["id"] for app in by_id] == [ids[1]]
    assert admin.get(admin.base_url + APPS, params={"filter": 'label eq "x"'}).status_code == 400

    seen: list[str] = []
    url: str | None = admin.base_url + APPS + "?limit=3"
    while url:
        response = admin.get(url)
        seen += [app["id"] for app in response.json()]
        links = response.headers["Link"]
        found = re.search(r'<([^>]+)>; rel="next"', links)
        url = found.group(1) if found else None
        assert 'rel="self"' in links
    assert len(seen) == len(set(seen)) == 8  # 4 seeded + 4 created


def test_lifecycle_replace_and_delete(admin: AdminSession, rsa_keys: list) -> None:
    app = create_service_app(admin, "Zluri", rsa_keys[0])
    url = admin.base_url + APPS + "/" + app["id"]
    active_delete = admin.delete(url)
    assert active_delete.status_code == 403 and active_delete.json()["errorCode"] == "E0000056"
    replacement = copy.deepcopy(app)
    replacement["label"] = "Zluri renamed"
    replacement["settings"]["oauthClient"]["dpop_bound_access_tokens"] = True
    replaced = admin.put(url, json=replacement).json()
    assert replaced["label"] == "Zluri renamed" and replaced["created"] == app["created"] and replaced["status"] == "ACTIVE"
    assert replaced["settings"]["oauthClient"]["jwks"]["keys"][0]["id"] == app["settings"]["oauthClient"]["jwks"]["keys"][0]["id"]
    assert replaced["credentials"]["signing"]["kid"] == app["credentials"]["signing"]["kid"]
    bad = copy.deepcopy(replacement)
    bad["label"] = ""
    assert admin.put(url, json=bad).status_code == 400 and admin.get(url).json()["label"] == "Zluri renamed"
    deactivated = admin.post(url + "/lifecycle/deactivate")
    assert deactivated.status_code == 200 and deactivated.json() == {}
    assert admin.get(url).json()["_links"]["activate"]
    assert admin.post(url + "/lifecycle/activate").json() == {}
    admin.post(url + "/lifecycle/deactivate")
    assert admin.delete(url).status_code == 204
    gone = admin.get(url)
    assert gone.status_code == 404 and gone.json()["errorSummary"] == "Not found: Resource not found: %s (AppInstance)" % app["id"]


def test_jwks_endpoints(admin: AdminSession, rsa_keys: list) -> None:
    app = create_service_app(admin, "Zluri", rsa_keys[0], kid="first")
    jwks_url = admin.base_url + APPS + "/%s/credentials/jwks" % app["id"]
    listed = admin.get(jwks_url).json()
    assert isinstance(listed, list) and listed[0]["kid"] == "first" and listed[0]["created"]
    first_id = listed[0]["id"]
    only_active = admin.post(jwks_url + "/%s/lifecycle/deactivate" % first_id)
    assert only_active.status_code == 400 and "only active JSON Web Key" in only_active.json()["errorCauses"][0]["errorSummary"]
    added = admin.post(jwks_url, json={**public_jwk(rsa_keys[1], "second"), "use": "sig", "alg": "RS256", "status": "INACTIVE"})
    assert added.status_code == 201 and added.json()["status"] == "INACTIVE" and set(added.json()["_links"]) == {"activate", "delete"}
    second_id = added.json()["id"]
    assert admin.post(jwks_url, json=public_jwk(rsa_keys[2], "second")).status_code == 400  # duplicate kid
    assert admin.post(jwks_url, json={"kid": "test-key-2048", "status": "ACTIVE", "kty": "RSA", "use": "sig"}).status_code == 400
    assert admin.post(jwks_url + "/%s/lifecycle/activate" % second_id).json()["status"] == "ACTIVE"
    assert admin.post(jwks_url + "/%s/lifecycle/deactivate" % first_id).json()["status"] == "INACTIVE"
    active_delete = admin.delete(jwks_url + "/" + second_id)
    assert active_delete.status_code == 400 and "Deactivate the key" in active_delete.json()["errorCauses"][0]["errorSummary"]
    assert admin.delete(jwks_url + "/" + first_id).status_code == 204
    assert admin.get(jwks_url + "/" + first_id).status_code == 404
    embedded = admin.get(admin.base_url + APPS + "/" + app["id"]).json()["settings"]["oauthClient"]["jwks"]["keys"]
    assert [key["kid"] for key in embedded] == ["second"]


def test_cannot_add_a_key_beside_one_without_kid(admin: AdminSession, rsa_keys: list) -> None:
    app = admin.post(admin.base_url + APPS, json=service_app_body("No kid", [public_jwk(rsa_keys[0])])).json()
    response = admin.post(admin.base_url + APPS + "/%s/credentials/jwks" % app["id"], json=public_jwk(rsa_keys[1], "k2"))
    assert response.status_code == 400 and "unique kid" in response.json()["errorCauses"][0]["errorSummary"]


def test_grants_match_recording(admin: AdminSession, rsa_keys: list) -> None:
    app = create_service_app(admin, "Zluri", rsa_keys[0])
    grants_url = admin.base_url + APPS + "/%s/grants" % app["id"]
    created = admin.post(grants_url, json={"issuer": admin.base_url, "scopeId": "okta.users.read"})
    name = "idaas__TestAccResourceOktaAppOAuthApplication_apiScope__oie-00.yaml"
    assert created.status_code == 200 and shape(created.json()) == shape(recorded(name, "POST", "/grants", 200))
    grant_body = created.json()
    assert grant_body["id"].startswith("oag") and grant_body["source"] == "ADMIN" and grant_body["clientId"] == app["id"]
    listed = admin.get(grants_url).json()
    assert shape(listed) == shape(recorded(name, "GET", "/grants", 200)) and "_embedded" not in listed[0]
    assert "_embedded" in admin.get(grants_url, params={"expand": "scope"}).json()[0]
    assert admin.get(grants_url + "/" + grant_body["id"]).json()["scopeId"] == "okta.users.read"
    again = admin.post(grants_url, json={"issuer": admin.base_url, "scopeId": "okta.users.read"})
    assert again.status_code == 400 and again.json()["errorCode"] == "E0000001"
    assert admin.post(grants_url, json={"issuer": admin.base_url, "scopeId": "okta.nothing.read"}).status_code == 400
    assert admin.post(grants_url, json={"issuer": admin.base_url + "/oauth2/default", "scopeId": "okta.groups.read"}).status_code == 400
    assert admin.delete(grants_url + "/" + grant_body["id"]).status_code == 204
    assert admin.get(grants_url).json() == []
    grant(admin, app["id"], "okta.users.read")  # can be granted again once revoked


def custom_client_body(label: str, client_id: Any, key: Any) -> dict:
    body = service_app_body(label, [public_jwk(key, "key-1")])
    body["credentials"]["oauthClient"]["client_id"] = client_id
    return body


def test_an_app_created_with_a_custom_client_id_is_addressed_by_its_app_id(admin: AdminSession, rsa_keys: list) -> None:
    created = admin.post(admin.base_url + APPS, json=custom_client_body("Custom", "zluri-m2m.prod", rsa_keys[0]))
    assert created.status_code == 200, created.text
    app = created.json()
    assert app["id"].startswith("0oa") and app["credentials"]["oauthClient"]["client_id"] == "zluri-m2m.prod"
    assert admin.get(admin.base_url + APPS + "/" + app["id"]).status_code == 200
    assert admin.get(admin.base_url + APPS + "/zluri-m2m.prod").status_code == 404
    listed = admin.get(admin.base_url + APPS, params={"filter": 'name eq "oidc_client"', "limit": 200}).json()
    assert [item["id"] for item in listed if item["credentials"]["oauthClient"]["client_id"] == "zluri-m2m.prod"] == [app["id"]]
    replaced = admin.put(admin.base_url + APPS + "/" + app["id"], json=custom_client_body("Custom renamed", "another-id", rsa_keys[0]))
    assert replaced.status_code == 200 and replaced.json()["credentials"]["oauthClient"]["client_id"] == "zluri-m2m.prod"  # immutable


def test_custom_client_ids_are_checked_and_unique(admin: AdminSession, rsa_keys: list) -> None:
    first = create_service_app(admin, "First", rsa_keys[0])
    for client_id in ("short", "x" * 101, "has space", "slash/no", "ALL_CLIENTS", 12345678):
        refused = admin.post(admin.base_url + APPS, json=custom_client_body("Bad", client_id, rsa_keys[0]))
        assert refused.status_code == 400 and refused.json()["errorCode"] == "E0000001", client_id
    assert admin.post(admin.base_url + APPS, json=custom_client_body("Edge", "$-_.+!*'(),", rsa_keys[0])).status_code == 200
    assert admin.post(admin.base_url + APPS, json=custom_client_body("Taken", first["id"], rsa_keys[0])).status_code == 400
    assert admin.post(admin.base_url + APPS, json=custom_client_body("Mine", "zluri-custom", rsa_keys[0])).status_code == 200
    assert admin.post(admin.base_url + APPS, json=custom_client_body("Again", "zluri-custom", rsa_keys[0])).status_code == 400
