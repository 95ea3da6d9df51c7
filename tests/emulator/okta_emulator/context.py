# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every API module needs: the org (replaceable on reset), settings, URLs, and list paging."""
from __future__ import annotations

import bisect
import time
import urllib.parse
from collections.abc import Callable, Sequence
from typing import Any

from .common import okta_timestamp
from .config import OrgUrls, Settings
from .errors import OktaApiError
from .routing import Request
from .state import OrgState


class OrgContext:
    """The live org. ``state`` is swapped by ``POST /_emulator/reset``; handlers read it per request."""

    def __init__(self, state: OrgState, settings: Settings, urls: OrgUrls) -> None:
        self.state = state
        self.settings = settings
        self.urls = urls

    def timestamp(self) -> str:
        """Now, on Okta's (possibly skewed) clock, in Okta's format."""
        return okta_timestamp(self.settings.now())

    def listed(self, created_epoch: float) -> bool:
        """Eventual consistency: a new object shows up in lists and searches only after the delay."""
        return time.time() >= created_epoch + self.settings.consistency_delay


def page_limit(request: Request, default: int, maximum: int) -> int:
    """The ``limit`` query parameter, clamped to the operation's maximum (Okta clamps, it does not fail)."""
    raw = request.query_value("limit")
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise OktaApiError(400, "E0000029", "Invalid paging request.") from None
    return default if value < 0 else max(1, min(value, maximum))


def page_after(ids: Sequence[str], after: str | None, limit: int, accept: Callable[[str], bool]) -> tuple[list[str], bool]:
    """One page of ids sorted ascending (Okta ids sort by creation): those after the cursor that ``accept``
    keeps, and whether more follow. The cursor is the last id of the previous page, so deleting that
    object between pages does not break paging."""
    start = bisect.bisect_right(ids, after) if after else 0
    page: list[str] = []
    for position in range(start, len(ids)):
        if accept(ids[position]):
            if len(page) == limit:
                return page, True
            page.append(ids[position])
    return page, False


def next_url(base_url: str, request: Request, after: str, extra: dict[str, Any] | None = None) -> str:
    """The ``next`` URL: the same query with ``after`` replaced (and ``limit`` kept)."""
    query = {key: values for key, values in request.query.items() if key != "after"}
    query.update({key: [str(value)] for key, value in (extra or {}).items()})
    query["after"] = [after]
    return base_url + request.path + "?" + urllib.parse.urlencode(query, doseq=True)


def link_headers(base_url: str, request: Request, next_cursor: str | None) -> list[tuple[str, str]]:
    """Classic pagination: ``Link: <self>; rel="self"`` and, when more follow, ``rel="next"``."""
    self_url = base_url + request.path + ("?" + urllib.parse.urlencode(request.query, doseq=True) if request.query else "")
    headers = [("Link", '<%s>; rel="self"' % self_url)]
    if next_cursor is not None:
        headers.append(("Link", '<%s>; rel="next"' % next_url(base_url, request, next_cursor)))
    return headers


def record_event(ctx: OrgContext, request: Request, event_type: str, message: str, target_type: str, target_id: str,
                 target_name: str) -> None:
    """Log a write in the org's System Log, with the caller as actor (``/api/v1/logs`` then shows it)."""
    principal = request.principal
    if principal is None:
        actor: dict[str, Any] = {"id": "unknown", "type": "SystemPrincipal", "alternateId": "system", "displayName": "System"}
    elif principal.kind == "user":
        user = ctx.state.users.get(principal.id)
        login = user.profile.get("login") if user else principal.id
        actor = {"id": principal.id, "type": "User", "alternateId": login, "displayName": login, "detailEntry": None}
    else:
        actor = {"id": principal.id, "type": "PublicClientApp", "alternateId": principal.id, "displayName": principal.id,
                 "detailEntry": None}
    target = {"id": target_id, "type": target_type, "alternateId": target_name, "displayName": target_name, "detailEntry": None}
    ctx.state.record_event(event_type, message, actor, target, ctx.settings.now())
