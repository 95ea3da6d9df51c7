# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A stub of Zluri's external API under ``/zluri`` (clients use ``{emulator}/zluri`` as base URL).

Only what ZLURI-NOTES.md documents: ``POST /v2/users`` with an ``api-key`` header, a ``filter_by`` array whose
``source_array`` filter takes ``keyword`` values (e.g. ``okta``), ``page``/``page_size`` paging, 100 requests per
minute per key (429 with ``retry-after``). Users with source ``okta`` (the org's directory users) appear only once
the simulated first sync is done: ``zluri_okta_sync_after_seconds`` after that setting was last changed.
"""
from __future__ import annotations

import math
import threading
import time
from typing import Any

from .context import OrgContext
from .routing import Request, Response

ZLURI_PREFIX = "/zluri"
REQUESTS_PER_MINUTE = 100
DEFAULT_PAGE_SIZE = 50
OKTA_INTEGRATION_ID = "okta-m2m-emulator"


def _error(status: int, code: str, message: str, headers: list[tuple[str, str]] | None = None) -> Response:
    return Response(status, {"errors": [{"msg": message}], "code": code}, headers or [])


class ZluriStub:
    """The Zluri side: API-key auth, a per-key rate limit, and the user list."""

    def __init__(self, ctx: OrgContext, api_keys: tuple[str, ...]) -> None:
        self.ctx = ctx
        self.api_keys = api_keys
        self._lock = threading.Lock()
        self._windows: dict[str, tuple[float, int]] = {}

    def handle(self, request: Request) -> Response:
        """Route a request whose path starts with ``/zluri``."""
        if request.path != ZLURI_PREFIX + "/v2/users":
            return Response(404, {"message": "Route %s %s not found" % (request.method, request.path), "code": "NOT_FOUND"})
        if request.method != "POST":
            return Response(405, {"message": "Method not allowed", "code": "METHOD_NOT_ALLOWED"})
        key = request.header("api-key")
        if key not in self.api_keys:
            return _error(401, "UNAUTHORIZED", "Invalid or missing api-key")
        retry_after = self._throttle(str(key))
        if retry_after is not None:
            return _error(429, "RATE_LIMIT_EXCEEDED", "Too many requests, please retry after %d seconds." % retry_after,
                          [("retry-after", str(retry_after))])
        try:
            return self._list_users(request)
        except ValueError as error:
            return _error(400, "BAD_REQUEST", str(error))

    def _throttle(self, key: str) -> int | None:
        """Seconds to wait if the key has used its 100 requests this minute, else None (and count the request)."""
        now = time.time()
        with self._lock:
            started, used = self._windows.get(key, (now, 0))
            if now - started >= 60:
                started, used = now, 0
            if used >= REQUESTS_PER_MINUTE:
                return max(1, math.ceil(started + 60 - now))
            self._windows[key] = (started, used + 1)
        return None

    def _list_users(self, request: Request) -> Response:
        body = request.json() or {}
        if not isinstance(body, dict):
            raise ValueError("The request body must be a JSON object.")
        page = int(request.query_value("page") or body.get("page") or 1)
        page_size = int(request.query_value("page_size") or body.get("page_size") or DEFAULT_PAGE_SIZE)
        if page < 1 or not 1 <= page_size <= 1000:
            raise ValueError("page must be >= 1 and page_size between 1 and 1000.")
        matching = [user for user in self._all_users() if self._matches(user, body.get("filter_by") or [])]
        items = matching[(page - 1) * page_size:page * page_size]
        return Response(200, {"count": len(matching), "page": page, "page_size": page_size, "items": items})

    def _all_users(self) -> list[dict[str, Any]]:
        settings = self.ctx.settings
        users = list(self.ctx.state.zluri_users)
        if time.time() - settings.zluri_sync_started >= settings.zluri_okta_sync_after_seconds:
            for user in self.ctx.state.users.values():
                profile = user.profile
                users.append({"user_id": "zl-" + user.id.lower(), "user_name": "%s %s" % (profile.get("firstName"), profile.get("lastName")),
                              "user_email": profile.get("email"), "user_status": "active" if user.status == "ACTIVE" else "inactive",
                              "source_array": ["okta"], "org_integration_id": OKTA_INTEGRATION_ID})
        return users

    @staticmethod
    def _matches(user: dict[str, Any], filters: Any) -> bool:
        if not isinstance(filters, list):
            raise ValueError("filter_by must be an array.")
        for item in filters:
            if not isinstance(item, dict) or item.get("field_id") != "source_array":
                raise ValueError("Unsupported filter: only field_id 'source_array' is supported.")
            found = False
            for value in item.get("field_values") or []:
                wanted = {str(entry).lower() for entry in value.get("value") or []}
                if value.get("key") == "keyword":
                    found = found or bool(wanted & {source.lower() for source in user.get("source_array", [])})
                elif value.get("key") == "org_integration_id":
                    found = found or str(user.get("org_integration_id", "")).lower() in wanted
                else:
                    raise ValueError("Unsupported source_array key %r; use 'keyword' or 'org_integration_id'." % value.get("key"))
            if found == bool(item.get("negative")):
                return False
        return True
