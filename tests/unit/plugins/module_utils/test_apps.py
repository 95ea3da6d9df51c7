# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.saasops.okta_m2m.plugins.module_utils.apps import writable_app


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
