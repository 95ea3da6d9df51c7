# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared by the fidelity tests: the specs (loaded once per process), a scenario HTTP client, DPoP token flows."""
from __future__ import annotations

import functools
import hashlib
import json
import time
import uuid
from typing import Any

import jwt
import requests
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from helpers import JWT_BEARER
from okta_fixtures import b64url, public_jwk

SCENARIO_AGENT = "okta-emulator-fidelity/1.0"
# Requests meant to be wrong (to get Okta's error answers): their requests are not held to the spec, their answers are.
NEGATIVE_AGENT = "okta-emulator-fidelity-negative/1.0"
ENFORCE_SCENARIO = r"^okta-emulator-fidelity/"


@functools.lru_cache(maxsize=1)
def specs() -> Any:
    """Both OpenAPI documents (the contract, or the full ones in ``$OKTA_OPENAPI_DIR``), parsed once per test process."""
    from fidelity.specs import Specs  # pylint: disable=import-outside-toplevel
    return Specs()


def validator(enforce_clients: str = ENFORCE_SCENARIO) -> Any:
    """A spec validator over the documents of :func:`specs`."""
    from fidelity.spec_validator import SpecValidator  # pylint: disable=import-outside-toplevel
    return SpecValidator(specs(), enforce_clients=enforce_clients)


class Client:
    """Raw HTTP against the emulator, as one named client (its User-Agent decides whether its requests are enforced)."""

    def __init__(self, base_url: str, token: str | None = None, agent: str = SCENARIO_AGENT, verify: Any = True) -> None:
        self.base_url = base_url
        self.session = requests.Session()
        self.session.verify = verify
        self.session.headers.update({"User-Agent": agent, "Accept": "application/json"})
        if token:
            self.session.headers["Authorization"] = "SSWS " + token

    def call(self, method: str, path: str, expect: int | tuple[int, ...] | None = None, **kwargs: Any) -> requests.Response:
        """One call; with ``expect``, the status must be one of those."""
        response = self.session.request(method, path if path.startswith("http") else self.base_url + path, timeout=20, **kwargs)
        wanted = (expect,) if isinstance(expect, int) else expect
        if wanted is not None:
            assert response.status_code in wanted, "%s %s -> %s %s" % (method, path, response.status_code, response.text[:500])
        return response

    def json(self, method: str, path: str, expect: int | tuple[int, ...] = 200, **kwargs: Any) -> Any:
        """The decoded answer of a call that must succeed with ``expect``."""
        response = self.call(method, path, expect, **kwargs)
        return response.json() if response.content else None

    def close(self) -> None:
        """Close the connection pool."""
        self.session.close()


class OAuthClient:
    """A service app's client: private_key_jwt assertions and DPoP proofs (fresh ones for every try)."""

    def __init__(self, base_url: str, client_id: str, key: rsa.RSAPrivateKey, kid: str, agent: str = SCENARIO_AGENT,
                 dpop: bool = True) -> None:
        self.base_url = base_url
        self.client_id = client_id
        self.key = key
        self.kid = kid
        self.agent = agent
        self.dpop_key = ec.generate_private_key(ec.SECP256R1()) if dpop else None
        self.nonce: str | None = None
        self.token: str | None = None
        self.token_type = "Bearer"

    def assertion(self) -> str:
        """A new client assertion (its jti is single-use)."""
        now = int(time.time())
        claims = {"iss": self.client_id, "sub": self.client_id, "aud": self.base_url + "/oauth2/v1/token", "iat": now,
                  "exp": now + 300, "jti": uuid.uuid4().hex}
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": self.kid})

    def proof(self, method: str, url: str, access_token: str | None = None) -> str:
        """A DPoP proof for one request."""
        assert self.dpop_key is not None
        claims: dict[str, Any] = {"htm": method, "htu": url.split("?")[0], "iat": int(time.time()), "jti": uuid.uuid4().hex}
        if self.nonce:
            claims["nonce"] = self.nonce
        if access_token:
            claims["ath"] = b64url(hashlib.sha256(access_token.encode()).digest())
        return jwt.encode(claims, self.dpop_key, algorithm="ES256", headers={"typ": "dpop+jwt", "jwk": public_jwk(self.dpop_key)})

    def token_request(self, scopes: str, with_proof: bool = True) -> requests.Response:
        """One token request."""
        url = self.base_url + "/oauth2/v1/token"
        headers = {"User-Agent": self.agent, "Accept": "application/json"}
        if self.dpop_key is not None and with_proof:
            headers["DPoP"] = self.proof("POST", url)
        return requests.post(url, headers=headers, timeout=20, data={
            "grant_type": "client_credentials", "scope": scopes, "client_assertion_type": JWT_BEARER,
            "client_assertion": self.assertion()})

    def mint(self, scopes: str) -> dict[str, Any]:
        """A token, through the DPoP nonce dance when DPoP is on."""
        response = self.token_request(scopes)
        if response.status_code == 400 and response.json().get("error") == "use_dpop_nonce":
            self.nonce = response.headers["dpop-nonce"]
            response = self.token_request(scopes)
        assert response.status_code == 200, response.text
        body = response.json()
        self.token, self.token_type = body["access_token"], body["token_type"]
        return body

    def call(self, method: str, path: str, expect: int = 200, **kwargs: Any) -> requests.Response:
        """A management call with the token (and a proof when it is DPoP-bound)."""
        headers = {"User-Agent": self.agent, "Accept": "application/json", "Authorization": "%s %s" % (self.token_type, self.token)}
        if self.token_type == "DPoP":
            headers["DPoP"] = self.proof(method, self.base_url + path, self.token)
        response = requests.request(method, self.base_url + path, headers=headers, timeout=20, **kwargs)
        assert response.status_code == expect, "%s %s -> %s %s" % (method, path, response.status_code, response.text[:300])
        return response


def dumps(value: Any) -> str:
    """Compact JSON for assertion messages."""
    return json.dumps(value, sort_keys=True)[:2000]
