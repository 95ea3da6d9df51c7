# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Keys a vendor holds: an app created with a JWKS URL, the switch between saved keys and a URL (what Okta deletes by
itself, and the guard that keeps keys in use), and the URL's validation."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

from ansible_collections.saasops.okta_m2m.plugins.module_utils.apps import (
    KeySourceSwitch,
    ServiceAppKind,
    jwks_uri_of,
    public_jwk_for_okta,
    saved_keys,
)
from ansible_collections.saasops.okta_m2m.plugins.module_utils.jwks import ensure_local_key
from ansible_collections.saasops.okta_m2m.plugins.module_utils.keys import generate_rsa_key, private_key_pem
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_client import RetryPolicy
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_config import OktaConfigError, validate_https_url
from ansible_collections.saasops.okta_m2m.plugins.module_utils.reconcile import ensure_object

URL = "https://vendor.example.com/.well-known/jwks.json"


def vendor_jwk(kid: str) -> dict[str, Any]:
    """A public JWK as a vendor hands it over: with alg, use and an x5c-like extra member, never a private member."""
    key = ensure_local_key(None, private_key_pem(generate_rsa_key(2048)).decode("ascii"), None, 2048, kid, True)
    return dict(key.public_jwk, x5t="ignored")


VENDOR = vendor_jwk("vendor-2026")


def app(auth: str = "private_key_jwt", keys: list[dict[str, Any]] | None = None, uri: str | None = None) -> dict[str, Any]:
    oauth: dict[str, Any] = {"application_type": "service", "grant_types": ["client_credentials"], "dpop_bound_access_tokens": False}
    if keys is not None:
        oauth["jwks"] = {"keys": keys}
    if uri is not None:
        oauth["jwks_uri"] = uri
    return {"id": "0oa1", "name": "oidc_client", "label": "Vendor", "status": "ACTIVE", "signOnMode": "OPENID_CONNECT",
            "credentials": {"oauthClient": {"client_id": "0oa1", "token_endpoint_auth_method": auth}}, "settings": {"oauthClient": oauth}}


def held(kid: str, status: str = "ACTIVE") -> dict[str, Any]:
    return dict(public_jwk_for_okta(vendor_jwk(kid)), id="pks" + kid, status=status)


def desired(uri: str | None = None, jwks: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"label": "Vendor", "dpop_bound_access_tokens": False, "status": "ACTIVE", "token_endpoint_auth_method": "private_key_jwt",
            "grant_types": ["client_credentials"], "jwks": jwks, "jwks_uri": "" if uri is None and jwks else uri}


class Org:
    """Answers the app reads and records the writes a reconcile of one app sends."""

    def __init__(self, existing: dict[str, Any] | None) -> None:
        self.app = existing
        self.writes: list[tuple[str, str, Any]] = []
        self.org_url = "https://example.okta.com"
        self.transport = self

    retry = RetryPolicy(max_retries=0)

    def pause(self, seconds: float, reason: str) -> None:
        raise AssertionError("no pause expected: " + reason)

    def get(self, path: str, params: Any = None) -> Any:
        return self.app if path.endswith("/0oa1") else saved_keys(self.app or {})

    def paginate(self, path: str, params: Any = None, items_key: Any = None) -> list[dict[str, Any]]:
        return [self.app] if self.app else []

    def get_optional(self, path: str, params: Any = None) -> Any:
        return self.app

    def post(self, path: str, body: Any = None, params: Any = None, **_kwargs: Any) -> dict[str, Any]:
        self.writes.append(("POST", path, body))
        self.app = dict(copy.deepcopy(body), id="0oa1", status="ACTIVE", credentials={"oauthClient": dict(
            body["credentials"]["oauthClient"], client_id="0oa1")}) if path == "/api/v1/apps" else self.app
        return self.app or {}

    def put(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        self.writes.append(("PUT", path, body))
        self.app = dict(copy.deepcopy(body), id="0oa1", status="ACTIVE")
        return self.app


def reconcile(org: Org, want: dict[str, Any], check: bool = False, switch: bool = False) -> Any:
    kind = ServiceAppKind(switch_key_source=switch)
    return kind, ensure_object(org, kind, want, "present", check, purge={"jwks": False})  # type: ignore[arg-type]


def test_a_vendor_public_jwk_is_registered_as_a_public_key_and_nothing_else() -> None:
    registered = public_jwk_for_okta(VENDOR)
    assert set(registered) == {"kty", "kid", "e", "n", "alg", "use", "status"}
    assert registered["n"] == VENDOR["n"] and registered["kid"] == "vendor-2026"
    with pytest.raises(OktaConfigError, match="must not contain private key members"):
        public_jwk_for_okta(dict(VENDOR, d="private"))


def test_an_app_is_created_with_the_url_and_no_key() -> None:
    org = Org(None)
    _kind, outcome = reconcile(org, desired(URL))
    (method, path, body), = org.writes
    assert (method, path) == ("POST", "/api/v1/apps")
    assert body["settings"]["oauthClient"]["jwks_uri"] == URL and "jwks" not in body["settings"]["oauthClient"]
    assert body["credentials"]["oauthClient"]["token_endpoint_auth_method"] == "private_key_jwt"
    assert outcome.after["jwks_uri"] == URL and outcome.after["jwks"] == []


def test_an_app_with_its_url_is_converged_with_no_write() -> None:
    org = Org(app(uri=URL))
    kind, outcome = reconcile(org, desired(URL))
    assert org.writes == [] and not outcome.changed and kind.key_source_switch is None


def test_creating_needs_a_key_or_a_url() -> None:
    with pytest.raises(OktaConfigError, match="public_keys must hold at least one public JWK, or jwks_uri name the URL"):
        reconcile(Org(None), desired(None))


def test_another_url_is_a_plain_update_that_keeps_every_other_setting() -> None:
    existing = app(uri=URL)
    existing["settings"]["oauthClient"]["client_uri"] = "https://vendor.example.com/"
    org = Org(existing)
    kind, outcome = reconcile(org, desired("https://vendor.example.com/keys-v2"))
    (_method, _path, body), = org.writes
    assert outcome.changes == ["update API Services app 'Vendor' jwks_uri"]
    assert body["settings"]["oauthClient"]["jwks_uri"] == "https://vendor.example.com/keys-v2"
    assert body["settings"]["oauthClient"]["client_uri"] == "https://vendor.example.com/"
    assert kind.key_source_switch is None and "okta_consequences" not in outcome.after


@pytest.mark.parametrize("check", [True, False])
def test_switching_active_saved_keys_to_a_url_is_refused_before_any_write(check: bool) -> None:
    org = Org(app(keys=[held("in-use"), held("retired-2025", "INACTIVE")]))
    with pytest.raises(OktaConfigError) as refused:
        reconcile(org, desired(URL), check=check)
    assert org.writes == []
    message = str(refused.value)
    assert "the app holds the ACTIVE saved key in-use, and Okta deletes every saved key" in message and "retired-2025" not in message
    assert "O(switch_key_source)=true" in message and "O(public_keys)" in message


@pytest.mark.parametrize("check", [True, False])
def test_a_switch_to_a_url_on_purpose_says_okta_deletes_every_saved_key(check: bool) -> None:
    org = Org(app(keys=[held("in-use"), held("old", "INACTIVE")]))
    kind, outcome = reconcile(org, desired(URL), check=check, switch=True)
    assert outcome.changes == ["update API Services app 'Vendor' jwks_uri; Okta deletes the app's saved keys in-use, old"]
    assert outcome.after["okta_consequences"] == ["deletes the app's saved keys in-use, old"]
    assert [key["kid"] for key in kind.key_source_switch.deleted_keys] == ["in-use", "old"]
    if check:
        assert org.writes == []
    else:
        (method, _path, body), = org.writes
        assert method == "PUT"
        assert body["settings"]["oauthClient"]["jwks_uri"] == URL and "jwks" not in body["settings"]["oauthClient"]


def test_retired_keys_alone_do_not_stop_the_switch_but_are_announced() -> None:
    org = Org(app(keys=[held("old", "INACTIVE")]))
    _kind, outcome = reconcile(org, desired(URL))
    assert outcome.after["okta_consequences"] == ["deletes the app's saved keys old"]


def test_leaving_the_url_of_an_app_that_authenticates_with_it_is_refused_unless_on_purpose() -> None:
    org = Org(app(uri=URL))
    with pytest.raises(OktaConfigError, match="authenticates with the keys published at its JWKS URL %s" % URL):
        reconcile(org, desired(jwks=[public_jwk_for_okta(VENDOR)]))
    assert org.writes == []
    kind, outcome = reconcile(org, desired(jwks=[public_jwk_for_okta(VENDOR)]), switch=True)
    assert outcome.changes == ["update API Services app 'Vendor' jwks_uri with add key vendor-2026; Okta drops the app's JWKS URL " + URL]
    assert kind.key_source_switch.dropped_uri == URL
    (_method, _path, body), = org.writes
    oauth = body["settings"]["oauthClient"]
    assert "jwks_uri" not in oauth and [key["kid"] for key in oauth["jwks"]["keys"]] == ["vendor-2026"]
    assert outcome.after["jwks"][0]["kid"] == "vendor-2026"


def test_a_client_secret_app_that_names_a_url_switches_to_private_key_jwt_with_it_and_no_key() -> None:
    org = Org(app(auth="client_secret_basic", uri="https://example.com"))
    org.app["credentials"]["oauthClient"]["client_secret"] = "s3cr3t"
    _kind, outcome = reconcile(org, desired("https://example.com"))
    assert outcome.after["okta_consequences"] == ["deletes the app's client secrets"]
    (_method, _path, body), = org.writes
    credentials = body["credentials"]["oauthClient"]
    assert credentials["token_endpoint_auth_method"] == "private_key_jwt" and "client_secret" not in credentials
    assert body["settings"]["oauthClient"]["jwks_uri"] == "https://example.com" and "jwks" not in body["settings"]["oauthClient"]


def test_a_client_secret_app_may_drop_its_unused_url_for_saved_keys_without_the_option() -> None:
    org = Org(app(auth="client_secret_basic", uri="https://example.com"))
    kind, outcome = reconcile(org, desired(jwks=[public_jwk_for_okta(VENDOR)]))
    assert outcome.after["okta_consequences"] == ["deletes the app's client secrets", "drops the app's JWKS URL https://example.com"]
    assert kind.key_source_switch.authenticates_with_keys is False


def test_the_switch_is_none_when_the_source_stays() -> None:
    assert KeySourceSwitch.between(app(uri=URL), desired(None)) is None
    assert KeySourceSwitch.between(app(keys=[held("k")]), desired(jwks=[held("k")])) is None
    assert KeySourceSwitch.between(app(uri=URL), desired("https://vendor.example.com/other")) is None
    switch = KeySourceSwitch.between(app(keys=[]), desired(URL))
    assert switch is not None and switch.consequences() == [] and switch.refusal() is None
    assert jwks_uri_of(app()) == "" and saved_keys(app()) == []


@pytest.mark.parametrize("url, error", [
    (None, "O(jwks_uri) is required"),
    ("vendor.example.com/jwks", "must be an absolute https URL"),
    ("http://vendor.example.com/jwks", "must use https; plain http is allowed only for loopback hosts"),
    ("https://user:pw@vendor.example.com/jwks", "must not carry credentials"),
    ("https://vendor.example.com/jwks#keys", "must not carry a fragment"),
])
def test_a_jwks_url_is_https_without_credentials_or_fragment(url: str | None, error: str) -> None:
    with pytest.raises(OktaConfigError, match=re.escape(error)):
        validate_https_url(url, "O(jwks_uri)", URL)


def test_a_jwks_url_is_kept_as_given_so_it_compares_with_what_okta_holds() -> None:
    assert validate_https_url(" https://Vendor.example.com/keys/ ", "O(jwks_uri)", URL) == "https://Vendor.example.com/keys/"
    assert validate_https_url("http://127.0.0.1:8080/jwks?v=2", "O(jwks_uri)", URL) == "http://127.0.0.1:8080/jwks?v=2"
