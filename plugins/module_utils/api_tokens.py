# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The org's SSWS API tokens (/api/v1/api-tokens): listed with their owners, and revoked by id as a reconcile Member.

What Okta tells about a token (SPEC ApiToken; its examples; help.okta.com "Manage Okta API tokens"): a token acts for
the user who created it (userId) with that user's admin roles, stops working when the user is deactivated, and
expires after its tokenWindow (P30D) without use. Okta's reference does not define lastUpdated; in both examples of
the spec expiresAt is lastUpdated plus tokenWindow (P30D and PT5M), and the help says a token is renewed each time it
is used, so lastUpdated is when the current window began: the token's last use, or its creation if it was never used.

Okta does not say which token a call was made with: GET /api/v1/users/me names the user, not the token. A token of
the user this module's own API token acts for may therefore be the module's own (revoking it ends this run's access).

Private to the collection (not a public API): it may change in any release.
"""

from __future__ import annotations

import time
from typing import Any, Callable, Hashable, Iterator, Sequence
from urllib.parse import quote

from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_client import OktaApiError, OktaClient, OktaConfigError
from ansible_collections.saasops.okta_m2m.plugins.module_utils.reconcile import ListDelta, Member, ensure_members
from ansible_collections.saasops.okta_m2m.plugins.module_utils.role_assignments import SUPER_ADMIN
from ansible_collections.saasops.okta_m2m.plugins.module_utils.timestamps import age_in_days

API_TOKENS_PATH = "/api/v1/api-tokens"
USERS_PATH = "/api/v1/users"
# The largest page Okta serves (the ApiToken reference: limit 1..200, default 20): fewest calls for a long list.
API_TOKENS_PAGE = 200
# DELETE /api/v1/api-tokens/current revokes the caller's token; as an id it would name no token but that one.
CURRENT_TOKEN_PATH_NAME = "current"

READ_TOKENS_SCOPE = "okta.apiTokens.read"
MANAGE_TOKENS_SCOPE = "okta.apiTokens.manage"
READ_USERS_SCOPE = "okta.users.read"
READ_ROLES_SCOPE = "okta.roles.read"


def _www_authenticate(error: OktaApiError) -> str:
    return next((value for name, value in error.headers.items() if name.lower() == "www-authenticate"), "")


def refusal_naming_scope(error: OktaApiError, scope: str, action: str) -> OktaApiError:
    """A 403 as a message that names the Okta API scope the call needs (action: what it was for, "list API tokens"),
    and, when the token had the scope, the admin role; any other error as it was."""
    if error.status != 403:
        return error
    refused = OktaApiError.from_response(error.method or "", error.path or "", 403, error.headers, error.body)
    if "insufficient_scope" in _www_authenticate(error):
        return refused.add_hint(
            "The admin app's access token lacks the Okta API scope %s, which it needs to %s: grant the scope to the admin app "
            "and list it in O(scopes), or leave O(scopes) empty so that each module asks for what it needs" % (scope, action))
    return refused.add_hint(
        "The admin this credential acts for may not %s (with OAuth, the scope is %s): use the credential of a Super "
        "Administrator, or of an admin whose role allows it" % (action, scope))


def reading(scope: str, action: str, read: Callable[[], Any]) -> Any:
    """read(), with a refusal worded by refusal_naming_scope()."""
    try:
        return read()
    except OktaApiError as error:
        raise refusal_naming_scope(error, scope, action) from None


def api_token_user(client: OktaClient) -> str:
    """The id of the user an API token acts for (SPEC getUser with id ``me``: "the user linked to the API token")."""
    return str(client.get("%s/me" % USERS_PATH)["id"])


def check_token_ids(ids: Sequence[str] | None, option: str = "revoke") -> list[str]:
    """The token ids to revoke, without repeats, in the order given (none: nothing to revoke, as when a play passes on
    what okta_api_token_info found and it found nothing); refused before any call when one is not an id."""
    checked: list[str] = []
    for index, raw in enumerate(ids or []):
        token_id = (raw or "").strip()
        if not token_id or "/" in token_id or token_id.lower() == CURRENT_TOKEN_PATH_NAME:
            raise OktaConfigError(
                "O(%s)[%d] %r is not an API token id: give the id Okta lists for the token (00T..., see "
                "okta_api_token_info), never 'current' or a path" % (option, index, raw))
        if token_id not in checked:
            checked.append(token_id)
    return checked


class TokenOwners:
    """The user behind each token, read once per user however many tokens it owns: the login, and on request the
    admin roles Okta lists for the user (GET /api/v1/users/{id}/roles)."""

    def __init__(self, client: OktaClient) -> None:
        self.client = client
        self._users: dict[str, dict[str, Any] | None] = {}
        self._roles: dict[str, list[str]] = {}

    def login(self, user_id: str) -> str | None:
        """The owner's login; None for a user Okta no longer has."""
        if user_id not in self._users:
            self._users[user_id] = reading(READ_USERS_SCOPE, "read the users who own API tokens", lambda: self.client.get_optional(
                "%s/%s" % (USERS_PATH, quote(user_id, safe=""))))
        user = self._users[user_id]
        return (user.get("profile") or {}).get("login") if user else None

    def admin_roles(self, user_id: str) -> list[str]:
        """The owner's admin role types, sorted (CUSTOM for a custom role)."""
        if user_id not in self._roles:
            roles = reading(READ_ROLES_SCOPE, "read the admin roles of the users who own API tokens", lambda: self.client.get(
                "%s/%s/roles" % (USERS_PATH, quote(user_id, safe=""))))
            self._roles[user_id] = sorted({str(role.get("type")) for role in roles or []})
        return self._roles[user_id]

    def describe(self, user_id: str, with_roles: bool = True) -> dict[str, Any]:
        owner: dict[str, Any] = {"id": user_id, "login": self.login(user_id)}
        if with_roles:
            owner["admin_roles"] = self.admin_roles(user_id)
            owner["super_admin"] = SUPER_ADMIN in owner["admin_roles"]
        return owner


def list_api_tokens(client: OktaClient, name: str | None = None) -> Iterator[dict[str, Any]]:
    """The org's active tokens in Okta's order, every page; only those named exactly name when it is given (Okta's q
    also matches the start of a name or of the client name, so it narrows the list and the name decides)."""
    params = {"limit": API_TOKENS_PAGE, "q": name or None}
    tokens = reading(READ_TOKENS_SCOPE, "list API tokens", lambda: list(client.paginate(API_TOKENS_PATH, params)))
    return (token for token in tokens if name is None or token.get("name") == name)


def token_report(token: dict[str, Any], owner: dict[str, Any], now: float) -> dict[str, Any]:
    """A token as okta_api_token_info returns it: never a secret (Okta shows none after creation)."""
    network = token.get("network") or {}
    return {
        "id": token.get("id"),
        "name": token.get("name"),
        "client_name": token.get("clientName"),
        "owner": owner,
        "created": token.get("created"),
        "last_updated": token.get("lastUpdated"),
        "expires_at": token.get("expiresAt"),
        "token_window": token.get("tokenWindow"),
        "idle_days": age_in_days(token.get("lastUpdated"), now),
        "network": {"connection": network.get("connection"), "include": list(network.get("include") or []),
                    "exclude": list(network.get("exclude") or [])},
    }


def api_tokens_report(client: OktaClient, name: str | None = None, clock: Callable[[], float] = time.time) -> list[dict[str, Any]]:
    """Every active token (or those named name) with its owner's login and admin roles."""
    owners = TokenOwners(client)
    now = clock()
    return [token_report(token, owners.describe(token["userId"]), now) for token in list_api_tokens(client, name)]


class ApiTokenMember(Member):
    """The tokens named by id, as items of the org: revoked when listed, never added. Each is read by id (a token that
    is no longer active, revoked or expired, is answered 404 and holds nothing to revoke).

    caller_user_id: reads the user the module's own API token acts for (None with OAuth, which uses no API token),
    once and only when a token is to be revoked: the tokens of that user are refused unless allow_own_tokens, since
    one of them may be the module's own.
    """

    name = "api_tokens"
    noun = "API token"

    def __init__(self, ids: list[str], owners: TokenOwners, caller_user_id: Callable[[], str | None], allow_own_tokens: bool) -> None:
        self.ids = ids
        self.owners = owners
        self.caller_user_id = caller_user_id
        self.allow_own_tokens = allow_own_tokens
        self._caller: list[str | None] = []
        self.found: list[dict[str, Any]] = []

    def key(self, item: dict[str, Any]) -> Hashable:
        return item["id"]

    def view(self, item: dict[str, Any]) -> dict[str, Any]:
        return {"id": item["id"], "name": item.get("name"), "owner": item.get("owner")}

    def describe(self, action: str, items: Sequence[dict[str, Any]]) -> str:
        """A removal is a revocation: "revoke API token 00T... 'Torii' of svc-torii@example.com"."""
        return "%s %s %s" % ("revoke" if action == "remove" else action, self.noun if len(items) == 1 else self.noun + "s", ", ".join(
            "%s %r of %s" % (item["id"], item.get("name"), item.get("owner")) for item in items))

    def current(self, client: OktaClient, parent: Any) -> list[dict[str, Any]]:
        found = []
        for token_id in self.ids:
            token = reading(MANAGE_TOKENS_SCOPE, "read the API tokens it revokes", lambda token_id=token_id: client.get_optional(
                "%s/%s" % (API_TOKENS_PATH, quote(token_id, safe=""))))
            if token is not None:
                user_id = token.get("userId") or ""
                found.append({"id": token["id"], "name": token.get("name"), "user_id": user_id,
                              "owner": self.owners.login(user_id) or user_id, "created": token.get("created"),
                              "last_updated": token.get("lastUpdated")})
        self.found = found
        return found

    def own(self, items: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        """The items owned by the user the module's API token acts for."""
        if not items:
            return []
        if not self._caller:
            self._caller.append(self.caller_user_id())
        return [item for item in items if self._caller[0] and item["user_id"] == self._caller[0]]

    def check_delta(self, parent: Any, delta: ListDelta[dict[str, Any]], current: list[dict[str, Any]]) -> None:
        own = self.own(delta.to_remove)
        if own and not self.allow_own_tokens:
            raise OktaConfigError(
                "nothing was revoked: %s belong%s to %s, the admin whose API token this module authenticates with (O(api_token)). "
                "Okta does not say which of a user's tokens a call uses, so %s may be this module's own token, and revoking it "
                "ends this run's access and every other use of it. Revoke %s with another credential (an admin OAuth app, "
                "O(client_id), or another admin's API token), or set O(allow_own_tokens)=true" % (
                    ", ".join("%s %r" % (item["id"], item.get("name")) for item in own), "s" if len(own) == 1 else "",
                    own[0]["owner"], "it" if len(own) == 1 else "each", "it" if len(own) == 1 else "them"))

    def remove(self, client: OktaClient, parent: Any, items: list[dict[str, Any]]) -> None:
        """One DELETE per token, the tokens the module may be using last: after its own token is revoked, Okta answers
        every further call 401."""
        own = self.own(items)
        ordered = [item for item in items if item not in own] + own
        for index, item in enumerate(ordered):
            try:
                reading(MANAGE_TOKENS_SCOPE, "revoke API tokens",
                        lambda item=item: client.delete("%s/%s" % (API_TOKENS_PATH, quote(item["id"], safe=""))))
            except OktaApiError as error:
                revoked_own = [done["id"] for done in ordered[:index] if done in own]
                if error.status == 401 and revoked_own:
                    raise OktaConfigError(
                        "revoked %s; then Okta refused this module's API token: it was %s, revoked by this run. Not revoked: %s. "
                        "Revoke those with another credential" % (", ".join(done["id"] for done in ordered[:index]),
                                                                  " or ".join(revoked_own), ", ".join(rest["id"] for rest in ordered[index:]))
                    ) from None
                raise


def revoke_api_tokens(client: OktaClient, ids: Sequence[str] | None, uses_api_token: bool, allow_own_tokens: bool,
                      check_mode: bool, diff_wanted: bool) -> dict[str, Any]:
    """okta_api_token's result: the listed tokens that exist revoked (planned, in check mode), the others named.

    uses_api_token: the module authenticates with an API token, whose user's tokens are guarded (see ApiTokenMember).
    """
    wanted = check_token_ids(ids)
    member = ApiTokenMember(wanted, TokenOwners(client), lambda: api_token_user(client) if uses_api_token else None, allow_own_tokens)
    outcome = ensure_members(client, member, client.org_url, [{"id": token_id} for token_id in wanted], "absent", False, check_mode)
    revoked = [{"id": item["id"], "name": item.get("name"), "owner": item.get("owner"), "owner_id": item.get("user_id"),
                "created": item.get("created"), "last_updated": item.get("last_updated")} for item in member.found]
    not_found = [token_id for token_id in wanted if token_id not in {item["id"] for item in member.found}]
    sentences = []
    if revoked:
        sentences.append("%s %d API token%s: %s" % ("would revoke" if check_mode else "revoked", len(revoked), "" if len(revoked) == 1 else "s",
                                                    ", ".join("%s %r of %s" % (item["id"], item["name"], item["owner"]) for item in revoked)))
    if not_found:
        sentences.append("no active API token has the id%s %s (revoked before, expired, or not an id of this org): nothing to revoke"
                         % ("" if len(not_found) == 1 else "s", ", ".join(not_found)))
    return outcome.result(diff_wanted, revoked=revoked, not_found=not_found, msg="; ".join(sentences) or "O(revoke) lists no token: nothing to revoke")
