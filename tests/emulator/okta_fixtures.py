# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the emulator tests, the reliability_* integration targets and make bench set up in an emulated org, in one place.

Keys and JWKs are computed here, apart from the collection's code, so a test that compares the collection's kid or
JWK with these checks the collection rather than itself. The app bodies are the ones of docs/okta-api.md 6.1.

Every consumer already has tests/emulator on sys.path (for okta_emulator): the emulator tests' conftest, bench/runner.py
and reliability_common/reltool.py, which finds tests/emulator in the ansible-test copy of the collection. The module
needs the standard library and cryptography only, so ansible-core's own Python can run it.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import ssl
import urllib.error
import urllib.request
from collections.abc import Iterable, Sequence
from typing import Any, Union

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from okta_emulator.harness import DEFAULT_ADMIN_TOKEN

PrivateKey = Union[rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey]

ADMIN_TOKEN = DEFAULT_ADMIN_TOKEN
# What an OAuth admin service app holds: every scope the collection's modules ask for (their oauth_scopes).
ADMIN_APP_SCOPES = ("okta.apps.manage", "okta.apps.read", "okta.roles.manage", "okta.roles.read", "okta.appGrants.manage",
                    "okta.appGrants.read", "okta.groups.read", "okta.users.read")
ADMIN_APP_LABEL = "Automation Admin"


# Base64url and keys.

def b64url(data: bytes) -> str:
    """Unpadded base64url (RFC 7515 section 2)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_uint(value: int, length: int | None = None) -> str:
    """Base64url of a big-endian unsigned integer; EC coordinates keep their full ``length`` in bytes (RFC 7518 6.2.1.2)."""
    return b64url(value.to_bytes(length or (value.bit_length() + 7) // 8, "big"))


def generate_key(path: str | None = None, bits: int = 2048) -> rsa.RSAPrivateKey:
    """A new RSA key; with ``path``, also written there as PKCS#8 PEM, mode 0600, never over an existing file."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    if path:
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        os.makedirs(os.path.dirname(path) or ".", mode=0o700, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(pem)
    return key


def load_key(path: str) -> Any:
    """The private key of a PEM file without a passphrase."""
    with open(path, "rb") as stream:
        return serialization.load_pem_private_key(stream.read(), password=None)


def public_jwk(key: PrivateKey, kid: str | None = None) -> dict[str, Any]:
    """The public JWK of an RSA or P-256 private key (with ``kid`` when given)."""
    if isinstance(key, rsa.RSAPrivateKey):
        numbers = key.public_key().public_numbers()
        jwk: dict[str, Any] = {"kty": "RSA", "e": b64url_uint(numbers.e), "n": b64url_uint(numbers.n)}
    else:
        point = key.public_key().public_numbers()
        jwk = {"kty": "EC", "crv": "P-256", "x": b64url_uint(point.x, 32), "y": b64url_uint(point.y, 32)}
    if kid is not None:
        jwk["kid"] = kid
    return jwk


def thumbprint(jwk: dict[str, Any]) -> str:
    """The RFC 7638 SHA-256 thumbprint of a public JWK: its required members, sorted, without whitespace."""
    required = ("e", "kty", "n") if jwk["kty"] == "RSA" else ("crv", "kty", "x", "y")
    canonical = json.dumps({name: jwk[name] for name in required}, separators=(",", ":"), sort_keys=True)
    return b64url(hashlib.sha256(canonical.encode("ascii")).digest())


def key_kid(path: str) -> str:
    """The kid the collection gives a key file's public key: its thumbprint."""
    return thumbprint(public_jwk(load_key(path)))


def signing_jwk(key: PrivateKey, kid: str | None = None) -> dict[str, Any]:
    """A public signing JWK as the collection registers it: kid (the thumbprint unless given), use sig, alg RS256."""
    jwk = public_jwk(key)
    return dict(jwk, kid=kid or thumbprint(jwk), use="sig", alg="RS256")


# App bodies (docs/okta-api.md 6.1).

def service_app_body(label: str, jwks: Iterable[dict[str, Any]] | None, dpop: bool = False) -> dict[str, Any]:
    """The console's "API Services" app with private_key_jwt; each JWK is registered ACTIVE, as given otherwise."""
    oauth: dict[str, Any] = {"application_type": "service", "grant_types": ["client_credentials"], "response_types": ["token"],
                             "consent_method": "TRUSTED", "issuer_mode": "ORG_URL", "dpop_bound_access_tokens": dpop}
    if jwks is not None:
        oauth["jwks"] = {"keys": [dict(jwk, status="ACTIVE") for jwk in jwks]}
    return {"name": "oidc_client", "label": label, "signOnMode": "OPENID_CONNECT",
            "credentials": {"oauthClient": {"token_endpoint_auth_method": "private_key_jwt", "autoKeyRotation": True,
                                            "pkce_required": False}},
            "settings": {"oauthClient": oauth}}


def web_app_body(label: str, redirect_uris: Sequence[str] | None = None) -> dict[str, Any]:
    """An OIDC web app with a client secret: not a service app, so it takes no admin role and Okta shows its secret once."""
    oauth: dict[str, Any] = {"application_type": "web", "grant_types": ["authorization_code"]}
    if redirect_uris is not None:
        oauth["redirect_uris"] = list(redirect_uris)
    return {"name": "oidc_client", "label": label, "signOnMode": "OPENID_CONNECT",
            "credentials": {"oauthClient": {"token_endpoint_auth_method": "client_secret_basic"}},
            "settings": {"oauthClient": oauth}}


# Setting up an org through the Okta API with the admin SSWS token.

class OrgAdmin:
    """Okta API calls with the admin SSWS token, to an emulator on 127.0.0.1 (no proxy from the environment).

    org_url is the org URL the collection under test is given (a recording proxy's, say); grants name it as issuer.
    """

    def __init__(self, url: str, token: str = ADMIN_TOKEN, ca_path: str | None = None, org_url: str | None = None) -> None:
        self.url = url
        self.token = token
        self.org_url = org_url or url
        handlers: list[Any] = [urllib.request.ProxyHandler({})]
        if ca_path:
            handlers.append(urllib.request.HTTPSHandler(context=ssl.create_default_context(cafile=ca_path)))
        self._opener = urllib.request.build_opener(*handlers)

    def api(self, method: str, path: str, body: Any = None, token: str | None = None) -> tuple[int, Any]:
        """One call; (HTTP status, decoded JSON answer or None). Error answers are returned, not raised."""
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.url + path, data=data, method=method, headers={
            "Authorization": "SSWS " + (token or self.token), "Accept": "application/json", "Content-Type": "application/json"})
        try:
            with self._opener.open(request, timeout=30) as response:
                raw = response.read()
                return response.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as error:
            raw = error.read()
            return error.code, json.loads(raw) if raw else None

    def control(self, method: str, name: str, body: Any = None) -> Any:
        """A call to the emulator's control API (``/_emulator/{name}``, no credentials); its JSON answer, raising on an error."""
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.url + "/_emulator/" + name, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with self._opener.open(request, timeout=30) as response:
                raw = response.read()
        except urllib.error.HTTPError as error:
            raise RuntimeError("setup: control %s %s failed: %s %s" % (method, name, error.code, error.read().decode())) from None
        return json.loads(raw) if raw else None

    def expect(self, method: str, path: str, body: Any = None, what: str = "") -> Any:
        """A call that must succeed (2xx); its answer."""
        status, answer = self.api(method, path, body)
        if not 200 <= status < 300:
            raise RuntimeError("setup: %s failed: %s %s" % (what or "%s %s" % (method, path), status, answer))
        return answer


def create_app(admin: OrgAdmin, body: dict[str, Any]) -> dict[str, Any]:
    """Create (and activate) an app; the created app."""
    return admin.expect("POST", "/api/v1/apps?activate=true", body, "creating app %r" % body.get("label"))


def create_service_app(admin: OrgAdmin, label: str, jwks: Iterable[dict[str, Any]], dpop: bool = False) -> dict[str, Any]:
    """An API Services app (private_key_jwt) with these public JWKs; the created app."""
    return create_app(admin, service_app_body(label, jwks, dpop))


def grant_scopes(admin: OrgAdmin, app_id: str, scopes: Iterable[str], issuer: str | None = None) -> None:
    """Grant Okta API scopes to an app; the issuer is the org URL the collection is given unless said."""
    for scope in scopes:
        admin.expect("POST", "/api/v1/apps/%s/grants" % app_id, {"issuer": issuer or admin.org_url, "scopeId": scope}, "granting " + scope)


def assign_role(admin: OrgAdmin, client_id: str, body: dict[str, Any]) -> tuple[int, Any]:
    """Assign an admin role to a client; (status, answer)."""
    return admin.api("POST", "/oauth2/v1/clients/%s/roles" % client_id, body)


def create_admin_app(admin: OrgAdmin, key: PrivateKey, label: str = ADMIN_APP_LABEL, scopes: Iterable[str] = ADMIN_APP_SCOPES,
                     issuer: str | None = None, dpop: bool = False, role: str = "SUPER_ADMIN") -> tuple[str, str]:
    """An OAuth admin service app: the standard admin ``role`` (SUPER_ADMIN unless said, e.g. ORG_ADMIN for an admin app
    that is no Super Administrator), the modules' scopes, this key registered. (client_id, kid)."""
    jwk = signing_jwk(key)
    app_id = create_service_app(admin, label, [jwk], dpop=dpop)["id"]
    grant_scopes(admin, app_id, scopes, issuer)
    status, answer = assign_role(admin, app_id, {"type": role})
    if status >= 300:
        raise RuntimeError("setup: assigning %s failed: %s %s" % (role, status, answer))
    return app_id, jwk["kid"]


def seed_api_token(admin: OrgAdmin, owner: str, name: str | None = None, created_days_ago: float = 0,
                   last_used_days_ago: float | None = None, network: dict[str, Any] | None = None) -> dict[str, Any]:
    """An extra API token in the emulated org (``POST /_emulator/api-tokens``): owned by ``owner`` (login or id), made
    ``created_days_ago`` days ago, last used ``last_used_days_ago`` days ago (default: not since), with a network
    condition (default ANYWHERE). The token as the API answers it, plus its secret in ``token``."""
    body: dict[str, Any] = {"owner": owner, "created_days_ago": created_days_ago}
    for field, value in (("name", name), ("last_used_days_ago", last_used_days_ago), ("network", network)):
        if value is not None:
            body[field] = value
    return admin.control("POST", "api-tokens", body)
