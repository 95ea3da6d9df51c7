# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ways into the Okta Management API: an SSWS API token, or OAuth 2.0 client credentials with private_key_jwt.

Each method is a small class with validate() (before any call) and headers_for() (per request), in the
manner of community.hashi_vault's auth methods. DPoP follows RFC 9449 as Okta implements it
(docs/okta-api.md 1.2, 1.3).

Private to the collection (not a public API): it may change in any release.
"""

from __future__ import annotations

import base64
import hashlib
import re
import time
import traceback
import uuid
from typing import Any, Callable, Sequence
from urllib.parse import unquote, urlsplit, urlunsplit

from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_client import (
    OktaApiError,
    OktaConfigError,
    Response,
    Transport,
)

JWT_IMPORT_ERROR: str | None
try:
    import jwt
except ImportError:
    JWT_IMPORT_ERROR = traceback.format_exc()
else:
    JWT_IMPORT_ERROR = None

CRYPTOGRAPHY_IMPORT_ERROR: str | None
try:
    from cryptography.hazmat.primitives.asymmetric import ec
except ImportError:
    CRYPTOGRAPHY_IMPORT_ERROR = traceback.format_exc()
else:
    CRYPTOGRAPHY_IMPORT_ERROR = None

CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
# Okta accepts an assertion that expires at most one hour ahead; five minutes leaves room for skew.
ASSERTION_LIFETIME_SECONDS = 300
DPOP_MODES = ("auto", "always", "never")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def access_token_hash(access_token: str) -> str:
    """The DPoP 'ath' claim: base64url(SHA-256(token)) without padding."""
    return b64url(hashlib.sha256(access_token.encode("ascii")).digest())


# What Okta encodes again in a path it compares with a proof's htu, after percent-decoding it ('%' first).
_HTU_PATH_ESCAPES = (("%", "%25"), (" ", "%20"), ('"', "%22"), ("#", "%23"))


def htu(url: str) -> str:
    """The DPoP 'htu' claim as Okta compares it: the URL without query and fragment (Okta rejects a query there),
    its path percent-decoded with only '%', space, '"' and '#' encoded again (okta-sdk-java
    DPoPInterceptor.getUriWithoutQueryString; okta-sdk-python#541): a label such as 'Zluri (read-only)' in a path
    is sent as %28...%29 but must appear in htu as '(' and ')'."""
    parts = urlsplit(url)
    path = unquote(parts.path)
    for character, escape in _HTU_PATH_ESCAPES:
        path = path.replace(character, escape)
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def split_scopes(values: Sequence[str] | None) -> list[str]:
    """Scopes may come as a list, or from OKTA_SCOPES as one space- or comma-separated string."""
    scopes: list[str] = []
    for value in values or []:
        for scope in re.split(r"[\s,]+", value.strip()):
            if scope and scope not in scopes:
                scopes.append(scope)
    return scopes


class SswsAuth:
    """Authorization: SSWS <API token>."""

    def __init__(self, api_token: str) -> None:
        self.api_token = api_token
        self.warnings: list[str] = []

    def validate(self) -> None:
        if not self.api_token or any(ch.isspace() for ch in self.api_token.strip()):
            raise OktaConfigError("api_token must be a non-empty Okta API token without spaces")
        self.api_token = self.api_token.strip()

    def headers_for(self, method: str, url: str) -> dict[str, str]:
        return {"Authorization": "SSWS " + self.api_token}

    def should_retry(self, response: Response) -> bool:
        return False

    def refusal_hint(self) -> str:
        return ("Okta refused the API token (O(api_token), or OKTA_API_TOKEN): it is wrong, revoked, from another org, "
                "or expired after 30 days without use")

    def secrets(self) -> list[str]:
        return [self.api_token]


class DpopSigner:
    """Signs DPoP proofs with an ephemeral P-256 key that is never the client's own key.

    It holds no nonce: each server hands out its own (RFC 9449 sections 8 and 9), and the caller picks the one of the
    server a proof is for.
    """

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._key = ec.generate_private_key(ec.SECP256R1())
        numbers = self._key.public_key().public_numbers()
        self.public_jwk = {
            "kty": "EC",
            "crv": "P-256",
            "x": b64url(numbers.x.to_bytes(32, "big")),
            "y": b64url(numbers.y.to_bytes(32, "big")),
        }
        self._clock = clock

    def proof(self, method: str, url: str, access_token: str | None = None, nonce: str | None = None) -> str:
        claims: dict[str, Any] = {"htm": method.upper(), "htu": htu(url), "iat": int(self._clock()), "jti": str(uuid.uuid4())}
        if nonce:
            claims["nonce"] = nonce
        if access_token:
            claims["ath"] = access_token_hash(access_token)
        return jwt.encode(claims, self._key, algorithm="ES256", headers={"typ": "dpop+jwt", "jwk": self.public_jwk})

    def thumbprint(self) -> str:
        canonical = '{"crv":"%s","kty":"%s","x":"%s","y":"%s"}' % (
            self.public_jwk["crv"], self.public_jwk["kty"], self.public_jwk["x"], self.public_jwk["y"])
        return b64url(hashlib.sha256(canonical.encode("ascii")).digest())


class AccessToken:
    def __init__(self, value: str, token_type: str, scopes: list[str], expires_at: float) -> None:
        self.value = value
        self.token_type = token_type
        self.scopes = scopes
        self.expires_at = expires_at


class PrivateKeyJwtAuth:
    """OAuth 2.0 client credentials against the org authorization server, client auth by private_key_jwt.

    One access token is minted lazily and reused for every call of the run.
    dpop: 'always' sends a proof from the first token request; 'never' never does; 'auto' starts
    without and switches to DPoP when the token endpoint says the app requires it.
    dpop_nonce: a nonce the token endpoint gave an earlier run (Okta rotates it daily and accepts an old one for
    about three days); with it the first token request carries a proof with that nonce, so a DPoP-bound app costs
    one token request instead of two or three. A stale nonce only costs the usual use_dpop_nonce retry.
    The token endpoint's nonce and a resource server's are kept apart: each goes only into proofs for its own server,
    and only the token endpoint's is carried to later runs.
    """

    def __init__(
        self,
        transport: Transport,
        client_id: str,
        private_key: Any,
        key_id: str | None,
        scopes: Sequence[str],
        dpop: str = "auto",
        dpop_nonce: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.transport = transport
        self.client_id = client_id
        self.private_key = private_key
        self.key_id = key_id
        self.scopes = list(scopes)
        self.dpop_mode = dpop
        self.carried_dpop_nonce = dpop_nonce if dpop != "never" else None
        self.token_endpoint_nonce = self.carried_dpop_nonce
        self.resource_nonce: str | None = None
        self._clock = clock
        self.dpop: DpopSigner | None = None
        self.token: AccessToken | None = None
        self.token_requests = 0
        self.warnings: list[str] = []
        self._minted: list[str] = []

    @property
    def token_url(self) -> str:
        return self.transport.org_url + "/oauth2/v1/token"

    def validate(self) -> None:
        missing = [name for name, value in (("client_id", self.client_id), ("private_key or private_key_path", self.private_key)) if not value]
        if missing:
            raise OktaConfigError("OAuth client credentials need %s" % " and ".join(missing))
        if not self.scopes:
            raise OktaConfigError("scopes must name at least one okta.* scope for OAuth client credentials")
        bad = [scope for scope in self.scopes if not scope.startswith("okta.")]
        if bad:
            raise OktaConfigError("scopes must be Okta API scopes (okta.*); not valid here: %s" % ", ".join(bad))
        if self.dpop_mode not in DPOP_MODES:
            raise OktaConfigError("dpop must be one of %s" % ", ".join(DPOP_MODES))
        if JWT_IMPORT_ERROR or CRYPTOGRAPHY_IMPORT_ERROR:
            raise OktaConfigError("OAuth client credentials need the Python libraries PyJWT and cryptography")

    def client_assertion(self) -> str:
        """A freshly signed assertion; its jti is single-use, so every token request needs a new one."""
        now = int(self._clock())
        claims = {
            "iss": self.client_id,
            "sub": self.client_id,
            "aud": self.token_url,
            "iat": now,
            "exp": now + ASSERTION_LIFETIME_SECONDS,
            "jti": str(uuid.uuid4()),
        }
        headers = {"kid": self.key_id} if self.key_id else None
        return jwt.encode(claims, self.private_key, algorithm="RS256", headers=headers)

    def refusal_hint(self) -> str:
        return ("Okta refused the access token of O(client_id) %s: the app may have been deactivated, or lost the scope "
                "or admin role this call needs" % self.client_id)

    def secrets(self) -> list[str]:
        """Values that must never appear in output: the tokens minted so far."""
        return list(self._minted)

    def headers_for(self, method: str, url: str) -> dict[str, str]:
        token = self.access_token()
        if token.token_type.lower() == "dpop" and self.dpop is not None:
            return {"Authorization": "DPoP " + token.value, "DPoP": self.dpop.proof(method, url, token.value, nonce=self.resource_nonce)}
        return {"Authorization": "Bearer " + token.value}

    def should_retry(self, response: Response) -> bool:
        """A resource server may ask for a DPoP nonce of its own (RFC 9449 section 9); take it for later calls to
        resource servers and let the request be sent again."""
        nonce = response.header("DPoP-Nonce")
        asked = _oauth_error(response) == "use_dpop_nonce" or 'error="use_dpop_nonce"' in (response.header("WWW-Authenticate") or "")
        if response.status in (400, 401) and nonce and asked and self.dpop is not None and self.resource_nonce != nonce:
            self.resource_nonce = nonce
            return True
        return False

    def dpop_nonce_to_carry(self) -> str | None:
        """The token endpoint's nonce, for later runs, once it has issued a DPoP-bound token."""
        if self.token is not None and self.token.token_type.lower() == "dpop" and self.dpop is not None:
            return self.token_endpoint_nonce
        return None

    def access_token(self) -> AccessToken:
        if self.token is None or self.token.expires_at - 60 <= self._clock():
            self.token = self._mint()
        return self.token

    def _mint(self) -> AccessToken:
        if self.dpop is None and (self.dpop_mode == "always" or self.carried_dpop_nonce):
            self.dpop = DpopSigner(self._clock)
        response = self._token_request()
        if self._dpop_required(response) and self.dpop_mode == "auto" and self.dpop is None:
            self.dpop = DpopSigner(self._clock)
            response = self._token_request()
        if response.status == 400 and _oauth_error(response) == "use_dpop_nonce" and self.dpop is not None:
            # The nonce retry needs a new proof and a new assertion: Okta consumed the first jti.
            self.token_endpoint_nonce = response.header("DPoP-Nonce")
            response = self._token_request()
        if not 200 <= response.status < 300 or not isinstance(response.body, dict) or "access_token" not in response.body:
            raise _token_error(response, self)
        body = response.body
        token_type = str(body.get("token_type", "Bearer"))
        if self.dpop is not None and token_type.lower() != "dpop":
            if self.dpop_mode == "always":
                raise OktaApiError("dpop=always but the token endpoint issued a %s token instead of a DPoP-bound one" % token_type)
            # A proof sent only because an earlier run's nonce was carried in is a guess, not a request for DPoP.
            if not self.carried_dpop_nonce:
                self.warnings.append(
                    "a DPoP proof was sent but the token endpoint issued a %s token; the token is not sender-constrained" % token_type
                )
            self.dpop = None
        self._minted.append(body["access_token"])
        granted = str(body.get("scope", " ".join(self.scopes))).split()
        return AccessToken(body["access_token"], token_type, granted, self._clock() + float(body.get("expires_in", 3600)))

    def _token_request(self) -> Response:
        self.token_requests += 1
        return self.transport.send("POST", self.token_url, signed_form=self._signed_token_form, retry_unsafe=True)

    def _signed_token_form(self) -> tuple[dict[str, str], dict[str, str]]:
        """A token request's form and headers; signed anew for every attempt because each jti is single-use."""
        form = {
            "grant_type": "client_credentials",
            "scope": " ".join(self.scopes),
            "client_assertion_type": CLIENT_ASSERTION_TYPE,
            "client_assertion": self.client_assertion(),
        }
        headers = {"DPoP": self.dpop.proof("POST", self.token_url, nonce=self.token_endpoint_nonce)} if self.dpop is not None else {}
        return form, headers

    @staticmethod
    def _dpop_required(response: Response) -> bool:
        return response.status == 400 and _oauth_error(response) == "invalid_dpop_proof" and "missing" in _oauth_description(response).lower()


def _oauth_error(response: Response) -> str:
    return str(response.body.get("error", "")) if isinstance(response.body, dict) else ""


def _oauth_description(response: Response) -> str:
    return str(response.body.get("error_description", "")) if isinstance(response.body, dict) else ""


def _token_error(response: Response, auth: PrivateKeyJwtAuth) -> OktaApiError:
    error = OktaApiError.from_response("POST", "/oauth2/v1/token", response.status, response.headers, response.body)
    hint = token_error_hint(_oauth_error(response), _oauth_description(response), auth.dpop_mode)
    if hint:
        error.add_hint(hint)
    return error


def token_error_hint(error: str, description: str, dpop_mode: str) -> str:
    """Say in plain words what a token endpoint refusal usually means."""
    text = description.lower()
    if error == "invalid_dpop_proof" and "missing" in text:
        return "The app requires DPoP (Require DPoP header in token requests); use dpop=auto or dpop=always" if dpop_mode == "never" else ""
    if error == "consent_required":
        return "None of the requested scopes is granted to the app: grant them on its Okta API Scopes tab"
    if error == "invalid_scope":
        return "Okta does not know a requested scope (or none was requested): check the scope names"
    if error == "invalid_client":
        if "jti" in text or "already been used" in text:
            return "The client assertion was replayed"
        if "exp" in text or "iat" in text or "expired" in text or "future" in text:
            return "The client assertion's time claims were refused: check this machine's clock (skew)"
        if "token_endpoint_auth_method" in text:
            return "The app's client authentication is not private_key_jwt: set it to 'Public key / Private key' on the app"
        return ("Okta did not accept the client assertion: is the key's public JWK registered and ACTIVE on the app, is key_id its kid, "
                "and does the app authenticate with private_key_jwt?")
    if error == "unauthorized_client":
        return "The app does not allow the client_credentials grant"
    return ""
