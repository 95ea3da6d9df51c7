# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""SSWS API tokens: ``/api/v1/api-tokens`` and the authentication of ``Authorization: SSWS <token>``.

Operations: SPEC ``listApiTokens``, ``getApiToken``, ``revokeApiToken`` (scopes okta.apiTokens.read / .manage) and
``revokeCurrentApiToken`` (API token only, no OAuth scope). Shape as recorded (TF-VCR ``TestAccDataSourceOktaAPIToken_read``,
terraform-provider-okta ``test/fixtures/vcr/idaas/TestAccDataSourceOktaAPIToken_read/oie-00.yaml`` @85348d6b, 2025-11):
``id`` (``00T``), ``name``, ``userId``, ``clientName: "Okta API"``, ``tokenWindow: "P30D"``, ``network: {"connection":
"ANYWHERE"}``, ``expiresAt``, ``created``, ``lastUpdated``, ``_links`` ``self`` (GET, DELETE) and ``user`` (GET).

Lifetime (DD-TOKEN; help.okta.com "API token management"): a token is valid 30 days from creation or last use, and
only while its user is active. ``lastUpdated`` is the last use: in both examples of the spec (and in the recording, of a
token not used since its creation) ``expiresAt`` is ``lastUpdated`` plus ``tokenWindow``. An expired or revoked token
is answered 401 E0000011 and is no longer listed ("Lists all the metadata of the active API tokens").

Paging: the 2026.06.3 spec declares no parameters; the reference Okta published before (developer.okta.com ApiToken
page) had ``after``, ``limit`` (1..200, default 20) and ``q`` (matches ``name`` or ``clientName``), with the cursor in
the ``Link`` header: the emulator honours them (``q`` as a case-insensitive starts-with, as for apps).

The network condition is kept and answered as given; whether a request comes from an allowed zone is not checked
(the emulator has no network zones).
"""
from __future__ import annotations

import hashlib
import secrets
from typing import Any

from .common import okta_timestamp
from .context import OrgContext, link_headers, page_after, page_limit
from .errors import access_denied, not_found
from .routing import Principal, Request, Response, Router
from .state import ApiToken

TOKEN_WINDOW = "P30D"
TOKEN_WINDOW_SECONDS = 30 * 86400
TOKENS_PAGE = 20
TOKENS_PAGE_MAX = 200
NETWORK_CONNECTIONS = ("ANYWHERE", "ZONE")
DAY_SECONDS = 86400


def secret_digest(secret: str) -> str:
    """How a token's secret is kept: its SHA-256, never the secret."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _network(value: Any) -> dict[str, Any]:
    """A network condition ``{"connection": "ANYWHERE"|"ZONE", "include"?: [zone ids], "exclude"?: [zone ids]}``."""
    if value is None:
        return {"connection": "ANYWHERE"}
    if not isinstance(value, dict) or value.get("connection") not in NETWORK_CONNECTIONS or set(value) - {"connection", "include", "exclude"}:
        raise ValueError("network must be {\"connection\": ANYWHERE|ZONE, \"include\"?: [...], \"exclude\"?: [...]}")
    for name in ("include", "exclude"):
        if name in value and not (isinstance(value[name], list) and all(isinstance(item, str) for item in value[name])):
            raise ValueError("network.%s must be a list of network zone ids" % name)
    return dict(value)


def _days(payload: dict[str, Any], name: str, default: float) -> float:
    value = payload.get(name, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ValueError("%s must be a number of days, 0 or more" % name)
    return float(value)


class ApiTokensApi:
    """The org's API tokens: the command line's (one per ``--admin-token`` etc., owned by that admin) and seeded ones."""

    def __init__(self, ctx: OrgContext) -> None:
        self.ctx = ctx

    def register(self, router: Router) -> None:
        """Scopes per the spec; revoking the current token takes an API token and no scope."""
        token = "/api/v1/api-tokens/{apiTokenId}"
        router.add("GET", "/api/v1/api-tokens", self.list_tokens, "okta.apiTokens")
        router.add("GET", token, self.get_token, "okta.apiTokens")
        router.add("DELETE", token, self.revoke_token, "okta.apiTokens")
        router.add("DELETE", "/api/v1/api-tokens/current", self.revoke_current, None)

    # Tokens as credentials.

    def expires_at(self, token: ApiToken) -> float:
        """30 days after creation or the last use, whichever is later."""
        return max(token.created_epoch, token.last_used_epoch) + TOKEN_WINDOW_SECONDS

    def _active(self, token: ApiToken) -> bool:
        owner = self.ctx.state.users.get(token.user_id)
        return owner is not None and owner.status == "ACTIVE" and self.expires_at(token) > self.ctx.settings.now()

    def find(self, secret: str) -> ApiToken | None:
        """The active token with this secret (read only: also called outside the state lock, for rate limits)."""
        digest = secret_digest(secret)
        token = next((token for token in list(self.ctx.state.api_tokens.values()) if token.secret_digest == digest), None)
        return token if token is not None and self._active(token) else None

    def principal(self, secret: str) -> Principal | None:
        """The admin an SSWS token acts for, recording the use; None for an unknown, revoked or expired token."""
        token = self.find(secret)
        if token is None:
            return None
        token.last_used_epoch = self.ctx.settings.now()
        return Principal("user", token.user_id, api_token_id=token.id)

    def issue(self, user_id: str, name: str, secret: str, created_epoch: float, last_used_epoch: float,
              network: dict[str, Any]) -> ApiToken:
        """Store a token of a user (as an admin creating it in the Admin Console would)."""
        token = ApiToken(self.ctx.state.new_id("00T"), name, user_id, secret_digest(secret), created_epoch, last_used_epoch, network)
        self.ctx.state.api_tokens[token.id] = token
        return token

    def install(self, owned: list[tuple[str, str, str]]) -> None:
        """The command line's tokens, as (secret, owner user id, name): added unless the org already has them or they were
        revoked (a state file keeps both)."""
        state = self.ctx.state
        known = {token.secret_digest for token in state.api_tokens.values()} | set(state.revoked_token_digests)
        now = self.ctx.settings.now()
        for secret, user_id, name in owned:
            if secret_digest(secret) not in known and user_id in state.users:
                self.issue(user_id, name, secret, now, now, {"connection": "ANYWHERE"})
                known.add(secret_digest(secret))

    def seed(self, payload: Any) -> dict[str, Any]:
        """``POST /_emulator/api-tokens``: a token of ``owner`` (login or id) made ``created_days_ago`` days ago and last used
        ``last_used_days_ago`` days ago (default: never since created), with an optional ``name``, ``token`` (the secret;
        generated when absent) and ``network``. Answers the token as the API does, plus its secret in ``token``."""
        if not isinstance(payload, dict):
            raise ValueError("the body must be a JSON object")
        unknown = set(payload) - {"owner", "name", "token", "created_days_ago", "last_used_days_ago", "network"}
        if unknown:
            raise ValueError("unknown members: %s" % ", ".join(sorted(unknown)))
        owner = self.ctx.state.find_user(str(payload.get("owner", "")))
        if owner is None:
            raise ValueError("owner must be the login or id of a user of the org")
        created_days = _days(payload, "created_days_ago", 0.0)
        last_used_days = _days(payload, "last_used_days_ago", created_days)
        if last_used_days > created_days:
            raise ValueError("last_used_days_ago can't be more than created_days_ago")
        secret = payload.get("token") or "00" + secrets.token_urlsafe(30)
        name = payload.get("name") or "Seeded token %d" % (len(self.ctx.state.api_tokens) + 1)
        if not isinstance(secret, str) or not isinstance(name, str):
            raise ValueError("token and name must be strings")
        if secret_digest(secret) in {token.secret_digest for token in self.ctx.state.api_tokens.values()}:
            raise ValueError("the org already has a token with this secret")
        now = self.ctx.settings.now()
        token = self.issue(owner.id, name, secret, now - created_days * DAY_SECONDS, now - last_used_days * DAY_SECONDS,
                           _network(payload.get("network")))
        return {**self.render(token), "token": secret}

    # The API.

    def render(self, token: ApiToken) -> dict[str, Any]:
        """An ApiToken as recorded (member order included)."""
        url = self.ctx.urls.org("/api/v1/api-tokens/" + token.id)
        last_update = max(token.created_epoch, token.last_used_epoch)
        return {"id": token.id, "name": token.name, "userId": token.user_id, "clientName": token.client_name,
                "tokenWindow": TOKEN_WINDOW, "network": token.network, "expiresAt": okta_timestamp(self.expires_at(token)),
                "created": okta_timestamp(token.created_epoch), "lastUpdated": okta_timestamp(last_update),
                "_links": {"self": {"href": url, "hints": {"allow": ["GET", "DELETE"]}},
                           "user": {"href": self.ctx.urls.org("/api/v1/users/" + token.user_id), "hints": {"allow": ["GET"]}}}}

    def _token(self, request: Request) -> ApiToken:
        token = self.ctx.state.api_tokens.get(request.param("apiTokenId"))
        if token is None or not self._active(token):
            raise not_found(request.param("apiTokenId"), "ApiToken")
        return token

    def list_tokens(self, request: Request) -> Response:
        """The active tokens in creation order; ``q``, ``limit``, ``after``; ``Link`` paging."""
        state = self.ctx.state
        prefix = (request.query_value("q") or "").lower()

        def accept(token_id: str) -> bool:
            token = state.api_tokens[token_id]
            return self._active(token) and (not prefix or token.name.lower().startswith(prefix)
                                            or token.client_name.lower().startswith(prefix))

        page, more = page_after(sorted(state.api_tokens), request.query_value("after"),
                                page_limit(request, TOKENS_PAGE, TOKENS_PAGE_MAX), accept)
        return Response(200, [self.render(state.api_tokens[token_id]) for token_id in page],
                        link_headers(self.ctx.urls.org_url, request, page[-1] if more else None))

    def get_token(self, request: Request) -> Response:
        """One active token."""
        return Response(200, self.render(self._token(request)))

    def _revoke(self, token: ApiToken) -> None:
        del self.ctx.state.api_tokens[token.id]
        self.ctx.state.revoked_token_digests.append(token.secret_digest)

    def revoke_token(self, request: Request) -> Response:
        """204; the token is refused from now on (401 E0000011)."""
        self._revoke(self._token(request))
        return Response(204)

    def revoke_current(self, request: Request) -> Response:
        """204: the token in the Authorization header is revoked. An OAuth access token has none: 403 E0000006 (the
        operation's security is the API token alone, and its one declared refusal is 403)."""
        principal = request.principal
        token = self.ctx.state.api_tokens.get(principal.api_token_id) if principal and principal.api_token_id else None
        if token is None:
            raise access_denied()
        self._revoke(token)
        return Response(204)
