# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The org authorization server's token endpoint (client credentials + ``private_key_jwt`` + DPoP) and the
checks of access tokens and DPoP proofs on management calls.

Rules: docs/okta-api.md sections 1.2 and 1.3 (DD-JWT, DD-DPOP, PY ``oauth.py``); error texts: Okta's OAuth error
catalog (okta-developer-docs ``data/oauth2-error-codes.json``).
"""
from __future__ import annotations

import dataclasses
import secrets
import threading
import urllib.parse
import uuid
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from .context import OrgContext
from .errors import OAuthError, invalid_token
from .jwk import PRIVATE_MEMBERS, SIGNING_ALGORITHMS, access_token_hash, public_key, thumbprint
from .jwks_uri import JwksUriError, JwksUriFetcher
from .routing import Principal, Request, Response, Router
from .scopes import OKTA_API_SCOPES
from .state import App

JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
# The org authorization server's event for an issued access token (tag oauth2-org-as in Okta's event type catalog,
# okta-developer-docs data/event-types.json); app.oauth2.as.* are the custom authorization servers' events.
TOKEN_GRANT_EVENT = "app.oauth2.token.grant.access_token"
TOKEN_LIFETIME = 3600
MAX_ASSERTION_LIFETIME = 3600
MAX_PROOF_AGE = 300
# Only the signature is checked by PyJWT; the claims are checked here, with Okta's rules and its (skewable) clock.
_DECODE_OPTIONS: Any = {"verify_exp": False, "verify_iat": False, "verify_nbf": False, "verify_aud": False, "verify_iss": False}
_NO_STORE = [("Cache-Control", "no-store"), ("Pragma", "no-cache")]


def htu_path(raw_path: str) -> str:
    """The request path as Okta compares it with a proof's ``htu``: percent-decoded, then only ``%``, space, ``"`` and
    ``#`` encoded again (okta-sdk-java ``DPoPInterceptor.getUriWithoutQueryString``, fixed for roles and resource sets
    fetched by label in PRs #1526/#1528; okta-sdk-python#541; okta-sdk-nodejs#521). A proof whose ``htu`` carries the
    path as sent (``%28``, ``%3A``, ...) is refused."""
    decoded = urllib.parse.unquote(raw_path)
    return "".join({"%": "%25", " ": "%20", '"': "%22", "#": "%23"}.get(character, character) for character in decoded)


def _invalid_client(description: str) -> OAuthError:
    return OAuthError(401, "invalid_client", description)


def _invalid_proof(description: str) -> OAuthError:
    return OAuthError(400, "invalid_dpop_proof", description)


@dataclasses.dataclass(frozen=True)
class AccessToken:
    """An issued token; ``jkt`` binds it to a DPoP key."""

    client_id: str
    scopes: frozenset[str]
    expires_at: float
    jkt: str | None


class TokenService:
    """Issues and checks access tokens; remembers used ``jti``s and the DPoP nonce."""

    def __init__(self, ctx: OrgContext) -> None:
        self.ctx = ctx
        self._lock = threading.Lock()
        self._tokens: dict[str, AccessToken] = {}
        self._used_jtis: dict[str, float] = {}
        self.dpop_nonce = secrets.token_urlsafe(24)
        self._signing_key: rsa.RSAPrivateKey | None = None
        self._signing_kid = uuid.uuid4().hex
        # Where the keys of an app with a jwks_uri come from (the server trusts its own CA in it under --tls).
        self.jwks_fetcher = JwksUriFetcher()

    def register(self, router: Router) -> None:
        """``POST /oauth2/v1/token`` (no Okta scope; the client authenticates itself)."""
        router.add("POST", "/oauth2/v1/token", self.token, None, authenticated=False)

    def forget_tokens(self) -> None:
        """Invalidate every token (on reset)."""
        with self._lock:
            self._tokens.clear()
            self._used_jtis.clear()

    def _consume_jti(self, jti: str, until: float, reuse_error: OAuthError) -> None:
        now = self.ctx.settings.now()
        with self._lock:
            self._used_jtis = {key: expiry for key, expiry in self._used_jtis.items() if expiry > now}
            if jti in self._used_jtis:
                raise reuse_error
            self._used_jtis[jti] = max(until, now + MAX_PROOF_AGE)

    # The token endpoint.

    def token(self, request: Request) -> Response:
        """Client credentials with a signed client assertion; DPoP when the app demands it or the client offers it."""
        form = request.form()

        def single(name: str) -> str | None:
            values = form.get(name)
            if values and len(values) > 1:
                raise OAuthError(400, "invalid_request", "The request contained multiple parameters with the same name.")
            return values[0] if values else None

        if request.header("authorization") or single("client_secret"):
            raise _invalid_client("Client Credentials requests to the Org Authorization Server must use the private_key_jwt "
                                  "token_endpoint_auth_method.")
        if single("grant_type") != "client_credentials":
            raise OAuthError(400, "unsupported_grant_type", "The authorization grant type is not supported by the authorization server.")
        assertion = single("client_assertion")
        if not assertion:
            raise _invalid_client("No client credentials found.")
        if single("client_assertion_type") != JWT_BEARER:
            raise OAuthError(400, "invalid_request", "The client_assertion_type is invalid.")
        app = self._verify_assertion(request, assertion, single("client_id"))
        jkt = self._token_request_dpop(request, app)
        scopes = self._requested_scopes(app, single("scope"))
        token = self._issue(app, scopes, jkt)
        self._record_grant(app, scopes, jkt)
        body = {"token_type": "DPoP" if jkt else "Bearer", "expires_in": TOKEN_LIFETIME, "access_token": token,
                "scope": " ".join(sorted(scopes))}
        return Response(200, body, list(_NO_STORE))

    def _verify_assertion(self, request: Request, assertion: str, client_id: str | None) -> App:
        try:
            header = jwt.get_unverified_header(assertion)
            claims = jwt.decode(assertion, options={"verify_signature": False})
        except jwt.PyJWTError:
            raise _invalid_client("The parsing of the client_assertion failed.") from None
        issuer = claims.get("iss")
        app = self.ctx.state.app_by_client_id(issuer) if isinstance(issuer, str) else None
        if app is None:
            raise _invalid_client("The issuer claim for client_assertion is not a valid client_id.")
        if claims.get("sub") != issuer:
            raise _invalid_client("The subject claim for client_assertion is not a valid client_id.")
        if (client_id is not None and client_id != issuer) or app.status != "ACTIVE":
            raise _invalid_client("Invalid value for 'client_id' parameter.")
        if not app.is_service():
            raise _invalid_client("Only clients with 'application_type' of 'service' may use the client_credentials "
                                  "'grant_type' with the Org Authorization Server.")
        if app.oauth_credentials.get("token_endpoint_auth_method") != "private_key_jwt":
            raise _invalid_client("Client Credentials requests to the Org Authorization Server must use the private_key_jwt "
                                  "token_endpoint_auth_method.")
        self._verify_signature(app, header, assertion)
        self._check_assertion_claims(request, claims)
        return app

    def _verify_signature(self, app: App, header: dict[str, Any], assertion: str) -> None:
        algorithm = header.get("alg")
        if algorithm not in SIGNING_ALGORITHMS:
            raise _invalid_client("The client_assertion JWT signature algorithm is invalid.")
        key_type = "RSA" if algorithm.startswith("RS") else "EC"
        candidates = [material for material in self._signing_keys(app) if material.get("kty") == key_type]
        if header.get("kid") is not None:
            candidates = [material for material in candidates if material.get("kid") == header["kid"]]
            if not candidates:
                raise _invalid_client("The client_assertion JWT kid is invalid.")
        for material in candidates:
            try:
                verifier = public_key(material)
            except ValueError:
                # A malformed key a jwks_uri publishes verifies nothing (saved keys were checked when registered).
                continue
            try:
                jwt.decode(assertion, key=verifier, algorithms=[algorithm], options=_DECODE_OPTIONS)
                return
            except jwt.InvalidSignatureError:
                continue
            except jwt.PyJWTError:
                raise _invalid_client("The parsing of the client_assertion failed.") from None
        raise _invalid_client("The client_assertion signature is invalid.")

    def _signing_keys(self, app: App) -> list[dict[str, Any]]:
        """The public keys a client assertion may be signed with: the ACTIVE saved keys, or those the app's jwks_uri
        publishes, fetched now (an app holds one or the other: apps.check_jwks_uri)."""
        uri = app.oauth_settings.get("jwks_uri")
        if uri:
            try:
                return self.jwks_fetcher.keys(str(uri))
            except JwksUriError:
                raise _invalid_client("Error retrieving the client JWKSet from jwks_uri.") from None
        if not app.keys:
            raise _invalid_client("The client does not have a JWKSet configured, but the client_assertion requires one.")
        return [key.material for key in app.keys if key.status == "ACTIVE"]

    def _check_assertion_claims(self, request: Request, claims: dict[str, Any]) -> None:
        now = self.ctx.settings.now()
        endpoints = {self.ctx.urls.org("/oauth2/v1/token"), request.request_base_url + "/oauth2/v1/token"}
        audience = claims.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if not audiences or not all(item in endpoints for item in audiences):
            raise _invalid_client("The audience claim for client_assertion must be the endpoint invoked for the request.")
        expiry = claims.get("exp")
        if not isinstance(expiry, (int, float)) or isinstance(expiry, bool):
            raise _invalid_client("The client_assertion must contain the 'exp' claim as seconds since epoch.")
        if expiry <= now:
            raise _invalid_client("The client_assertion token is expired.")
        if expiry > now + MAX_ASSERTION_LIFETIME:
            raise _invalid_client("The client_assertion token has an expiration too far into the future.")
        issued_at = claims.get("iat")
        if isinstance(issued_at, (int, float)) and issued_at > now:
            raise _invalid_client("The client_assertion token must be issued before the current time.")
        if claims.get("jti") is not None:
            # Consumed now, before DPoP: a use_dpop_nonce retry needs a new assertion (PY oauth.py).
            self._consume_jti("assertion:" + str(claims["jti"]), float(expiry),
                              _invalid_client("The client_assertion token has already been used."))

    def _token_request_dpop(self, request: Request, app: App) -> str | None:
        proofs = request.header_lists.get("dpop", [])
        if len(proofs) > 1:
            raise _invalid_proof("Multiple DPoP proof JWT headers are not allowed.")
        if not proofs:
            if app.oauth_settings.get("dpop_bound_access_tokens"):
                raise _invalid_proof("The DPoP proof JWT header is missing.")
            return None
        endpoints = {self.ctx.urls.org("/oauth2/v1/token"), request.request_base_url + "/oauth2/v1/token"}
        jwk, claims = self.verify_proof(proofs[0], "POST", endpoints, None)
        if claims.get("nonce") != self.dpop_nonce:
            raise OAuthError(400, "use_dpop_nonce", "Authorization server requires nonce in DPoP proof.",
                             {"dpop-nonce": self.dpop_nonce})
        return thumbprint(jwk)

    def _requested_scopes(self, app: App, scope: str | None) -> frozenset[str]:
        """The scopes the token carries (DD-ERR ``oauth2-error-codes.json``, NOTES 2.1): a scope Okta does not know
        refuses the request (``invalid_scope``), so does a request of which no scope is granted (``consent_required``,
        internal code ``no_org_scopes_granted``); otherwise the granted ones, which may be fewer than requested."""
        requested = frozenset((scope or "").split())
        if not requested:
            raise OAuthError(400, "invalid_scope", "No scopes were requested.")
        if not requested <= OKTA_API_SCOPES:
            raise OAuthError(400, "invalid_scope", "The requested scope is invalid, unknown, malformed, or exceeds the scope "
                                                   "granted by the resource owner.")
        granted = requested & {grant.scope_id for grant in self.ctx.state.grants.values() if grant.app_id == app.id}
        if not granted:
            raise OAuthError(400, "consent_required", "You are not allowed any of the requested scopes.")
        return granted

    def _issue(self, app: App, scopes: frozenset[str], jkt: str | None) -> str:
        """A signed JWT access token (as Okta's org authorization server issues), also stored for lookup."""
        now = self.ctx.settings.now()
        claims: dict[str, Any] = {"ver": 1, "jti": "AT." + secrets.token_urlsafe(32), "iss": self.ctx.urls.org_url,
                                  "aud": self.ctx.urls.org_url, "iat": int(now), "exp": int(now) + TOKEN_LIFETIME,
                                  "cid": app.client_id, "scp": sorted(scopes), "sub": app.client_id}
        if jkt:
            claims["cnf"] = {"jkt": jkt}
        with self._lock:
            if self._signing_key is None:
                self._signing_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            token = jwt.encode(claims, self._signing_key, algorithm="RS256", headers={"kid": self._signing_kid})
            self._tokens[token] = AccessToken(str(app.client_id), scopes, now + TOKEN_LIFETIME, jkt)
        return token

    def _record_grant(self, app: App, scopes: frozenset[str], jkt: str | None) -> None:
        """The System Log event of the issued token, so a client's last token can be looked up as in Okta."""
        client_id = str(app.client_id)
        client = {"id": client_id, "type": "PublicClientApp", "alternateId": client_id, "displayName": app.label,
                  "detailEntry": None}
        target = {"id": client_id, "type": "AppInstance", "alternateId": app.label, "displayName": app.label, "detailEntry": None}
        self.ctx.state.record_event(TOKEN_GRANT_EVENT, "OIDC access token is granted", client, target, self.ctx.settings.now(),
                                    debug_data={"grantType": "client_credentials", "grantedScopes": " ".join(sorted(scopes)),
                                                "dpop": "true" if jkt else "false"})

    # DPoP proofs.

    def verify_proof(self, proof: str, method: str, urls: set[str], access_token: str | None) -> tuple[dict[str, Any], dict[str, Any]]:
        """Check a DPoP proof (RFC 9449 as Okta applies it); its public JWK and claims, else ``invalid_dpop_proof``."""
        try:
            header = jwt.get_unverified_header(proof)
        except jwt.PyJWTError:
            raise _invalid_proof("The DPoP proof JWT cannot be parsed.") from None
        if header.get("typ") != "dpop+jwt":
            raise _invalid_proof("'typ' must be 'dpop+jwt' in the DPoP proof JWT.")
        algorithm = header.get("alg")
        jwk = header.get("jwk")
        if algorithm not in SIGNING_ALGORITHMS or not isinstance(jwk, dict) or set(jwk) & PRIVATE_MEMBERS:
            raise _invalid_proof("The DPoP proof JWT signature algorithm is invalid.")
        try:
            claims = jwt.decode(proof, key=public_key(jwk), algorithms=[algorithm], options=_DECODE_OPTIONS)
        except jwt.InvalidSignatureError:
            raise _invalid_proof("The DPoP proof JWT signature is invalid.") from None
        except (jwt.PyJWTError, ValueError):
            raise _invalid_proof("The DPoP proof JWT cannot be parsed.") from None
        self._check_proof_claims(claims, method, urls, access_token)
        return jwk, claims

    def _check_proof_claims(self, claims: dict[str, Any], method: str, urls: set[str], access_token: str | None) -> None:
        now = self.ctx.settings.now()
        if claims.get("htm") != method:
            raise _invalid_proof("'htm' claim in the DPoP proof JWT is invalid.")
        if claims.get("htu") not in urls:
            # Also what a query string in htu gets (okta-sdk-nodejs#453): Okta compares without query and fragment.
            raise _invalid_proof("'htu' claim in the DPoP proof JWT is invalid.")
        issued_at = claims.get("iat")
        if not isinstance(issued_at, (int, float)) or isinstance(issued_at, bool):
            raise _invalid_proof("'iat' claim in the DPoP proof JWT is invalid.")
        if issued_at > now:
            raise _invalid_proof("The DPoP proof JWT is issued in the future.")
        if issued_at < now - MAX_PROOF_AGE:
            raise _invalid_proof("The DPoP proof JWT is issued more than five minutes in the past.")
        expiry = claims.get("exp")
        if isinstance(expiry, (int, float)) and expiry < now:
            raise _invalid_proof("The DPoP proof JWT is expired.")
        if not isinstance(claims.get("jti"), str) or not claims["jti"]:
            raise _invalid_proof("'jti' claim in the DPoP proof JWT is invalid.")
        if access_token is not None and claims.get("ath") != access_token_hash(access_token):
            raise _invalid_proof("'ath' claim in the DPoP proof does not match the presented access_token.")
        self._consume_jti("proof:" + claims["jti"], now + MAX_PROOF_AGE, _invalid_proof("The DPoP proof JWT has already been used."))

    # Management calls with an access token.

    def client_of(self, token: str) -> str | None:
        """The client an access token was issued to, without checking it (for rate-limit accounting)."""
        with self._lock:
            record = self._tokens.get(token)
        return record.client_id if record is not None else None

    def principal(self, request: Request, scheme: str, token: str) -> Principal:
        """The client behind ``Authorization: Bearer|DPoP <token>``, after the token and (for DPoP) proof checks."""
        now = self.ctx.settings.now()
        with self._lock:
            record = self._tokens.get(token)
        challenge = self._challenge(scheme)
        if record is None or record.expires_at <= now:
            description = "The token has expired." if record is not None else "The token is invalid."
            raise invalid_token({"WWW-Authenticate": challenge + ', error="invalid_token", error_description="%s"' % description})
        app = self.ctx.state.app_by_client_id(record.client_id)
        if app is None or app.status != "ACTIVE":
            raise invalid_token({"WWW-Authenticate": challenge + ', error="invalid_token", error_description="The token is invalid."'})
        if record.jkt is None:
            if scheme == "DPoP":
                raise self._resource_error(OAuthError(401, "invalid_token", "The presented access_token is not DPoP bound."))
            return Principal("client", record.client_id, record.scopes)
        if scheme != "DPoP":
            raise self._resource_error(OAuthError(
                400, "invalid_request", "The resource request must use the DPoP authentication scheme when using a DPoP bound token."))
        proofs = request.header_lists.get("dpop", [])
        if len(proofs) != 1:
            raise self._resource_error(OAuthError(400, "invalid_request", "The resource request requires a DPoP proof."))
        path = htu_path(request.path)
        urls = {self.ctx.urls.org(path), request.request_base_url + path}
        try:
            jwk, claims = self.verify_proof(proofs[0], request.method, urls, token)
        except OAuthError as error:
            raise self._resource_error(error) from None
        if thumbprint(jwk) != record.jkt:
            raise self._resource_error(_invalid_proof("The access_token is not bound to the provided DPoP proof."))
        resource_nonce = self.ctx.settings.resource_dpop_nonce
        if resource_nonce and claims.get("nonce") != resource_nonce:
            # RFC 9449 section 9: a resource server's own nonce, unrelated to the token endpoint's.
            raise self._resource_error(OAuthError(401, "use_dpop_nonce", "Resource server requires nonce in DPoP proof.",
                                                  {"DPoP-Nonce": resource_nonce}))
        return Principal("client", record.client_id, record.scopes, dpop_jkt=record.jkt)

    def _challenge(self, scheme: str) -> str:
        if scheme == "DPoP":
            return 'DPoP algs="%s", realm="%s"' % (" ".join(SIGNING_ALGORITHMS), self.ctx.urls.org_url)
        return 'Bearer authorization_uri="%s", realm="%s"' % (self.ctx.urls.org("/oauth2/v1/authorize"), self.ctx.urls.org_url)

    def _resource_error(self, error: OAuthError) -> OAuthError:
        """DPoP failures on resource calls also describe themselves in ``WWW-Authenticate`` (okta-sdk-nodejs#453)."""
        challenge = self._challenge("DPoP")
        error.headers["WWW-Authenticate"] = '%s, error="%s", error_description="%s"' % (challenge, error.error, error.description)
        return error
