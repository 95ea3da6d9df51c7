# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers shared by the emulator tests: JWKs, service apps, client assertions, DPoP proofs, cassettes."""
from __future__ import annotations

import hashlib
import json
import time
import uuid
from pathlib import Path
from typing import Any

import jwt
import requests
import yaml
from cryptography.hazmat.primitives.asymmetric import rsa

from okta_fixtures import b64url, public_jwk, service_app_body

JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
# The recorded Okta exchanges kept in the repository (fidelity/recordings/README.md says where each comes from).
CASSETTES = Path(__file__).resolve().parents[1] / "fidelity" / "recordings"


class AdminSession(requests.Session):
    """A session with the Super Admin SSWS token and the emulator's base URL."""

    def __init__(self, base_url: str, token: str) -> None:
        super().__init__()
        self.base_url = base_url
        self.headers.update({"Authorization": "SSWS " + token, "Accept": "application/json"})


class ServiceClient:
    """An OAuth service client talking to the emulator as Zluri or the collection would."""

    def __init__(self, base_url: str, client_id: str, key: Any, kid: str | None, dpop_key: Any = None,
                 algorithm: str = "RS256", verify: Any = True) -> None:
        self.base_url = base_url
        self.client_id = client_id
        self.key = key
        self.kid = kid
        self.dpop_key = dpop_key
        self.algorithm = algorithm
        self.verify = verify
        self.access_token: str | None = None
        self.token_type = "Bearer"

    def assertion(self, **claims: Any) -> str:
        """A fresh client assertion; keyword arguments override (or, with None, drop) claims."""
        now = int(time.time())
        body: dict[str, Any] = {"iss": self.client_id, "sub": self.client_id, "aud": self.base_url + "/oauth2/v1/token",
                                "iat": now, "exp": now + 300, "jti": uuid.uuid4().hex}
        body.update(claims)
        body = {name: value for name, value in body.items() if value is not None}
        headers = {"kid": self.kid} if self.kid else {}
        return jwt.encode(body, self.key, algorithm=self.algorithm, headers=headers)

    def proof(self, method: str, url: str, nonce: str | None = None, access_token: str | None = None,
              header: dict[str, Any] | None = None, **claims: Any) -> str:
        """A DPoP proof signed with the DPoP key."""
        body: dict[str, Any] = {"htm": method, "htu": url, "iat": int(time.time()), "jti": uuid.uuid4().hex}
        if nonce:
            body["nonce"] = nonce
        if access_token:
            body["ath"] = b64url(hashlib.sha256(access_token.encode()).digest())
        body.update(claims)
        jwt_header = {"typ": "dpop+jwt", "jwk": public_jwk(self.dpop_key), **(header or {})}
        return jwt.encode(body, self.dpop_key, algorithm="RS256" if isinstance(self.dpop_key, rsa.RSAPrivateKey) else "ES256",
                          headers=jwt_header)

    def token_request(self, scopes: str, assertion: str | None = None, proof: str | None = None) -> requests.Response:
        """One raw token request."""
        headers = {"DPoP": proof} if proof else {}
        return requests.post(self.base_url + "/oauth2/v1/token", headers=headers, verify=self.verify, timeout=10, data={
            "grant_type": "client_credentials", "scope": scopes, "client_assertion_type": JWT_BEARER,
            "client_assertion": assertion or self.assertion()})

    def get_token(self, scopes: str) -> requests.Response:
        """Token with the DPoP nonce dance when a DPoP key is set (a new assertion and proof on the retry)."""
        url = self.base_url + "/oauth2/v1/token"
        if self.dpop_key is None:
            response = self.token_request(scopes)
        else:
            response = self.token_request(scopes, proof=self.proof("POST", url))
            if response.status_code == 400 and response.json().get("error") == "use_dpop_nonce":
                response = self.token_request(scopes, proof=self.proof("POST", url, nonce=response.headers["dpop-nonce"]))
        if response.status_code == 200:
            self.access_token = response.json()["access_token"]
            self.token_type = response.json()["token_type"]
        return response

    def call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """A management call with the access token (and a proof when the token is DPoP-bound)."""
        headers = {"Authorization": "%s %s" % (self.token_type, self.access_token), "Accept": "application/json"}
        if self.token_type == "DPoP":
            headers["DPoP"] = self.proof(method, self.base_url + path.split("?")[0], access_token=self.access_token)
        headers.update(kwargs.pop("headers", {}))
        return requests.request(method, self.base_url + path, headers=headers, verify=self.verify, timeout=10, **kwargs)


def create_service_app(admin: AdminSession, label: str, key: Any, kid: str = "key-1", dpop: bool = False) -> dict[str, Any]:
    """Create an API Services app with the key's public JWK; the created app."""
    response = admin.post(admin.base_url + "/api/v1/apps", json=service_app_body(label, [public_jwk(key, kid)], dpop))
    assert response.status_code == 200, response.text
    return response.json()


def grant(admin: AdminSession, app_id: str, *scopes: str) -> None:
    """Grant Okta API scopes to an app."""
    for scope in scopes:
        response = admin.post(admin.base_url + "/api/v1/apps/%s/grants" % app_id, json={"issuer": admin.base_url, "scopeId": scope})
        assert response.status_code == 200, response.text


def assign(admin: AdminSession, client_id: str, body: dict[str, Any]) -> requests.Response:
    """Assign an admin role to a client."""
    return admin.post(admin.base_url + "/oauth2/v1/clients/%s/roles" % client_id, json=body)


def cassette(name: str) -> list[dict[str, Any]]:
    """The interactions of a recorded cassette as ``{"method", "url", "status", "body", "headers"}``."""
    (match,) = CASSETTES.glob("*/" + name)
    document = yaml.safe_load(match.read_text(encoding="utf-8"))
    interactions = []
    for item in document["interactions"]:
        request, response = item["request"], item["response"]
        if "uri" in request:  # vcrpy
            body = response["body"]["string"] if isinstance(response["body"], dict) else response["body"]
            interactions.append({"method": request["method"], "url": request["uri"], "status": response["status"]["code"],
                                 "body": body, "headers": response.get("headers", {})})
        else:  # go-vcr
            interactions.append({"method": request["method"], "url": request["url"], "status": response["code"],
                                 "body": response["body"], "headers": response.get("headers", {})})
    return interactions


def recorded(name: str, method: str, url_part: str, status: int) -> Any:
    """The JSON body of the first recorded interaction matching method, URL fragment and status."""
    for interaction in cassette(name):
        if interaction["method"] == method and url_part in interaction["url"] and interaction["status"] == status:
            return json.loads(interaction["body"]) if interaction["body"] else None
    raise AssertionError("no recorded %s %s %s in %s" % (method, url_part, status, name))


def shape(value: Any) -> Any:
    """The key structure of a JSON value: dicts keep their keys (recursively), lists the shape of their first item."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return None


def wait_until(predicate: Any, timeout: float = 5.0) -> None:
    """Poll until the predicate is true."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not met in %ss" % timeout
        time.sleep(0.05)
