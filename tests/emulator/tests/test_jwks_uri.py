# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Apps whose keys a vendor publishes at a JWKS URL: stored and rendered, either saved keys or a URL, and client assertions
verified with the keys fetched from the URL (from loopback only)."""
from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import requests

from helpers import AdminSession, ServiceClient, create_service_app, grant, recorded, shape
from okta_fixtures import public_jwk, service_app_body
from okta_emulator.harness import RunningEmulator
from okta_emulator.jwks_uri import JwksUriError, JwksUriFetcher

APPS = "/api/v1/apps"
ROLE_ASSIGNMENT_CASSETTE = "idaas__TestAccResourceOktaAppOAuthRoleAssignment_basic__oie-00.yaml"
BOTH = "jwks_uri: 'jwks' and 'jwks_uri' can't both be set; an app's keys are saved in Okta or fetched from its jwks_uri."


def uri_app_body(label: str, uri: Any) -> dict[str, Any]:
    body = service_app_body(label, None)
    body["settings"]["oauthClient"]["jwks_uri"] = uri
    return body


def create_uri_app(admin: AdminSession, label: str, uri: str) -> dict[str, Any]:
    response = admin.post(admin.base_url + APPS, json=uri_app_body(label, uri))
    assert response.status_code == 200, response.text
    return response.json()


def vendor(okta_emulator: RunningEmulator, admin: AdminSession, key: Any, kid: str) -> tuple[dict[str, Any], ServiceClient]:
    """A vendor that publishes its key at a URL, an app registered with that URL and granted a scope, and the vendor's client."""
    url = okta_emulator.host_jwks("vendor", [public_jwk(key, kid)])
    app = create_uri_app(admin, "Vendor", url)
    grant(admin, app["id"], "okta.users.read")
    return app, ServiceClient(admin.base_url, app["id"], key, kid)


def test_an_app_with_a_jwks_uri_is_stored_and_rendered_as_recorded(admin: AdminSession) -> None:
    recorded_app = recorded(ROLE_ASSIGNMENT_CASSETTE, "POST", APPS, 200)
    app = create_uri_app(admin, "Vendor", "https://vendor.example.com/.well-known/jwks.json")
    oauth = app["settings"]["oauthClient"]
    assert oauth["jwks_uri"] == "https://vendor.example.com/.well-known/jwks.json"
    assert "jwks" not in oauth and "jwks" not in recorded_app["settings"]["oauthClient"]
    assert shape(oauth) == shape(recorded_app["settings"]["oauthClient"])
    read = admin.get(admin.base_url + APPS + "/" + app["id"]).json()
    assert read["settings"]["oauthClient"]["jwks_uri"] == oauth["jwks_uri"]
    assert admin.get(admin.base_url + APPS + "/%s/credentials/jwks" % app["id"]).json() == []


def test_a_client_secret_app_may_carry_a_jwks_uri_as_recorded(admin: AdminSession) -> None:
    body = uri_app_body("Secret", "https://example.com")
    body["credentials"]["oauthClient"]["token_endpoint_auth_method"] = "client_secret_basic"
    app = admin.post(admin.base_url + APPS, json=body).json()
    assert app["settings"]["oauthClient"]["jwks_uri"] == "https://example.com"
    assert app["credentials"]["oauthClient"]["client_secret"]


def test_saved_keys_and_a_jwks_uri_are_never_both_set(admin: AdminSession, rsa_keys: list) -> None:
    both = service_app_body("Both", [public_jwk(rsa_keys[0], "k")])
    both["settings"]["oauthClient"]["jwks_uri"] = "https://vendor.example.com/jwks"
    refused = admin.post(admin.base_url + APPS, json=both)
    assert refused.status_code == 400 and refused.json()["errorCode"] == "E0000001"
    assert refused.json()["errorCauses"] == [{"errorSummary": BOTH}]

    not_a_url = admin.post(admin.base_url + APPS, json=uri_app_body("Bad", "vendor.example.com/jwks"))
    assert not_a_url.status_code == 400 and not_a_url.json()["errorCauses"][0]["errorSummary"].startswith("jwks_uri:")
    assert admin.post(admin.base_url + APPS, json=uri_app_body("Bad", 42)).status_code == 400

    app = create_uri_app(admin, "Vendor", "https://vendor.example.com/jwks")
    added = admin.post(admin.base_url + APPS + "/%s/credentials/jwks" % app["id"], json=dict(public_jwk(rsa_keys[1], "k2"), status="ACTIVE"))
    assert added.status_code == 400 and added.json()["errorCauses"] == [{"errorSummary": BOTH}]
    assert admin.get(admin.base_url + APPS + "/%s/credentials/jwks" % app["id"]).json() == []


def test_a_switch_to_a_url_deletes_the_saved_keys_and_a_switch_back_drops_the_url(admin: AdminSession, rsa_keys: list) -> None:
    app = create_service_app(admin, "Switch", rsa_keys[0], kid="saved")
    keys_path = admin.base_url + APPS + "/%s/credentials/jwks" % app["id"]
    assert [key["kid"] for key in admin.get(keys_path).json()] == ["saved"]

    to_url = admin.get(admin.base_url + APPS + "/" + app["id"]).json()
    del to_url["settings"]["oauthClient"]["jwks"]
    to_url["settings"]["oauthClient"]["jwks_uri"] = "https://vendor.example.com/jwks"
    switched = admin.put(admin.base_url + APPS + "/" + app["id"], json=to_url)
    assert switched.status_code == 200, switched.text
    assert "jwks" not in switched.json()["settings"]["oauthClient"]
    assert admin.get(keys_path).json() == [], "the saved keys are deleted"

    back = switched.json()
    del back["settings"]["oauthClient"]["jwks_uri"]
    back["settings"]["oauthClient"]["jwks"] = {"keys": [dict(public_jwk(rsa_keys[1], "again"), status="ACTIVE")]}
    saved = admin.put(admin.base_url + APPS + "/" + app["id"], json=back).json()
    assert "jwks_uri" not in saved["settings"]["oauthClient"]
    assert [key["kid"] for key in admin.get(keys_path).json()] == ["again"]

    no_key_left = dict(saved, settings=dict(saved["settings"], oauthClient={k: v for k, v in saved["settings"]["oauthClient"].items() if k != "jwks"}))
    refused = admin.put(admin.base_url + APPS + "/" + app["id"], json=no_key_left)
    assert refused.status_code == 400 and "'jwks' or 'jwks_uri' is required" in refused.json()["errorCauses"][0]["errorSummary"]


def test_a_token_is_issued_to_an_assertion_signed_with_a_key_the_url_publishes(
        okta_emulator: RunningEmulator, admin: AdminSession, rsa_keys: list) -> None:
    _app, client = vendor(okta_emulator, admin, rsa_keys[0], "vendor-1")
    response = client.get_token("okta.users.read")
    assert response.status_code == 200, response.text
    assert response.json()["scope"] == "okta.users.read"
    fetches = [entry for entry in okta_emulator.log() if entry["path"] == "/_emulator/jwks/vendor"]
    assert fetches == [], "the control API stays out of the request log"


def test_the_keys_are_fetched_at_every_token_request_so_a_rotation_at_the_url_applies_at_once(
        okta_emulator: RunningEmulator, admin: AdminSession, rsa_keys: list) -> None:
    _app, client = vendor(okta_emulator, admin, rsa_keys[0], "vendor-1")
    assert client.get_token("okta.users.read").status_code == 200
    okta_emulator.host_jwks("vendor", [public_jwk(rsa_keys[1], "vendor-2")])
    refused = client.get_token("okta.users.read")
    assert refused.status_code == 401 and refused.json()["error_description"] == "The client_assertion JWT kid is invalid."
    rotated = ServiceClient(admin.base_url, client.client_id, rsa_keys[1], "vendor-2")
    assert rotated.get_token("okta.users.read").status_code == 200


def test_an_assertion_the_url_keys_do_not_verify_is_refused(okta_emulator: RunningEmulator, admin: AdminSession, rsa_keys: list) -> None:
    _app, client = vendor(okta_emulator, admin, rsa_keys[0], "vendor-1")
    impostor = ServiceClient(admin.base_url, client.client_id, rsa_keys[2], "vendor-1")
    response = impostor.get_token("okta.users.read")
    assert response.status_code == 401 and response.json() == {"error": "invalid_client",
                                                               "error_description": "The client_assertion signature is invalid."}


@pytest.mark.parametrize("uri", ["https://vendor.example.com/.well-known/jwks.json", "http://10.0.0.1/jwks", "{base}/_emulator/jwks/none"])
def test_keys_that_cannot_be_fetched_refuse_the_token(okta_emulator: RunningEmulator, admin: AdminSession, rsa_keys: list,
                                                      uri: str) -> None:
    """Only loopback URLs are fetched (the emulator never calls out of the machine); elsewhere is as unreachable."""
    app = create_uri_app(admin, "Vendor", uri.format(base=admin.base_url))
    grant(admin, app["id"], "okta.users.read")
    response = ServiceClient(admin.base_url, app["id"], rsa_keys[0], "vendor-1").get_token("okta.users.read")
    assert response.status_code == 401
    assert response.json() == {"error": "invalid_client", "error_description": "Error retrieving the client JWKSet from jwks_uri."}


@pytest.mark.parametrize("uri", ["https://vendor.example.com/jwks", "http://10.0.0.1/jwks", "http://[::ffff:8.8.8.8]/jwks", "file:///etc/passwd"])
def test_the_fetcher_never_connects_off_loopback(monkeypatch: pytest.MonkeyPatch, uri: str) -> None:
    def no_connection(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("a connection was opened to " + uri)
    monkeypatch.setattr("http.client.HTTPConnection.connect", no_connection)
    with pytest.raises(JwksUriError, match="loopback"):
        JwksUriFetcher().keys(uri)


class _Vendor(BaseHTTPRequestHandler):
    """A vendor's own JWKS endpoint, with a redirect that would lead off loopback."""

    document: dict[str, Any] = {}

    def do_GET(self) -> None:  # pylint: disable=invalid-name
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "https://vendor.example.com/jwks")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        payload = json.dumps(self.document).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:  # pylint: disable=redefined-builtin
        """Quiet."""


@pytest.fixture
def vendor_server() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Vendor)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_a_vendor_server_on_loopback_is_fetched_and_its_redirects_are_not_followed(
        admin: AdminSession, rsa_keys: list, vendor_server: ThreadingHTTPServer) -> None:
    _Vendor.document = {"keys": [dict(public_jwk(rsa_keys[0], "vendor-1"), use="sig"), dict(public_jwk(rsa_keys[1], "enc-key"), use="enc")]}
    base = "http://127.0.0.1:%d" % vendor_server.server_address[1]
    app = create_uri_app(admin, "Vendor", base + "/.well-known/jwks.json")
    grant(admin, app["id"], "okta.users.read")
    assert ServiceClient(admin.base_url, app["id"], rsa_keys[0], "vendor-1").get_token("okta.users.read").status_code == 200
    encryption_only = ServiceClient(admin.base_url, app["id"], rsa_keys[1], "enc-key").get_token("okta.users.read")
    assert encryption_only.json()["error_description"] == "The client_assertion JWT kid is invalid."

    redirected = create_uri_app(admin, "Redirected", base + "/redirect")
    grant(admin, redirected["id"], "okta.users.read")
    response = ServiceClient(admin.base_url, redirected["id"], rsa_keys[0], "vendor-1").get_token("okta.users.read")
    assert response.json()["error_description"] == "Error retrieving the client JWKSet from jwks_uri."


def test_the_control_api_hosts_jwk_sets_until_reset(okta_emulator: RunningEmulator, rsa_keys: list) -> None:
    url = okta_emulator.host_jwks("v", [public_jwk(rsa_keys[0], "k")])
    assert url == okta_emulator.url + "/_emulator/jwks/v"
    assert requests.get(url, timeout=5).json() == {"keys": [public_jwk(rsa_keys[0], "k")]}
    bad = requests.put(url, json={"no": "keys"}, timeout=5)
    assert bad.status_code == 400
    okta_emulator.reset()
    assert requests.get(url, timeout=5).status_code == 404
    okta_emulator.host_jwks("v", [])
    assert requests.delete(url, timeout=5).status_code == 204 and requests.get(url, timeout=5).status_code == 404


@pytest.mark.okta_emulator(seed="empty", tls=True)
def test_under_tls_the_emulator_trusts_its_own_ca_for_a_jwk_set_it_serves(okta_emulator: RunningEmulator, rsa_keys: list) -> None:
    admin = AdminSession(okta_emulator.url, okta_emulator.admin_token)
    admin.verify = okta_emulator.ca_path
    admin.trust_env = False  # REQUESTS_CA_BUNDLE would override the session's own CA
    url = okta_emulator.host_jwks("vendor", [public_jwk(rsa_keys[0], "vendor-1")])
    assert url.startswith("https://127.0.0.1:")
    app = create_uri_app(admin, "Vendor", url)
    grant(admin, app["id"], "okta.users.read")
    client = ServiceClient(admin.base_url, app["id"], rsa_keys[0], "vendor-1", verify=okta_emulator.ca_path)
    assert client.get_token("okta.users.read").status_code == 200
