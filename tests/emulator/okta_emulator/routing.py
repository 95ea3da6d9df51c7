# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Requests, responses and the path-template router shared by the Okta API modules."""
from __future__ import annotations

import dataclasses
import json
import re
import urllib.parse
from collections.abc import Callable, Iterable
from typing import Any

from .errors import OktaApiError, malformed_body, method_not_allowed, path_not_found

SUPER_ADMIN = "SUPER_ADMIN"


@dataclasses.dataclass(frozen=True)
class Principal:
    """Who is calling: an admin user (SSWS token) or an OAuth client (access token).

    ``scopes`` is None for SSWS tokens: they carry the admin's privileges without OAuth scopes. The admin roles of
    both kinds are read from the org on each call, so a role change takes effect at once, as in Okta (an API token
    follows later changes of its admin's privileges, DD-TOKEN). ``api_token_id`` names the SSWS token used.
    """

    kind: str
    id: str
    scopes: frozenset[str] | None = None
    dpop_jkt: str | None = None
    api_token_id: str | None = None

    def describe(self) -> str:
        """For the request log: ``user:00u...`` or ``client:0oa...``."""
        return "%s:%s" % (self.kind, self.id)


@dataclasses.dataclass
class Request:
    """One parsed HTTP request as the API handlers see it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    header_lists: dict[str, list[str]]
    body: bytes
    request_base_url: str
    path_params: dict[str, str] = dataclasses.field(default_factory=dict)
    principal: Principal | None = None
    # Set by the authorizer when a custom admin role covers only part of a collection (e.g. the users
    # of some groups): list handlers keep only what the caller may see. None means everything.
    visible: Callable[[str], bool] | None = None

    def param(self, name: str) -> str:
        """A path parameter, URL-decoded (labels may contain spaces)."""
        return urllib.parse.unquote(self.path_params[name])

    def query_value(self, name: str) -> str | None:
        """The first value of a query parameter, or None."""
        values = self.query.get(name)
        return values[0] if values else None

    def query_flag(self, name: str, default: bool) -> bool:
        """A boolean query parameter (``activate=true``)."""
        value = self.query_value(name)
        return default if value is None else value.lower() == "true"

    def header(self, name: str) -> str | None:
        """A request header, case-insensitive."""
        return self.headers.get(name.lower())

    def json(self) -> Any:
        """The JSON body; an empty body reads as None, bad JSON is Okta's E0000003."""
        if not self.body.strip():
            return None
        try:
            return json.loads(self.body)
        except ValueError:
            raise malformed_body() from None

    def json_object(self) -> dict[str, Any]:
        """The JSON body, which must be an object."""
        body = self.json()
        if body is None:
            return {}
        if not isinstance(body, dict):
            raise malformed_body()
        return body

    def form(self) -> dict[str, list[str]]:
        """An ``application/x-www-form-urlencoded`` body."""
        return urllib.parse.parse_qs(self.body.decode("utf-8", "replace"), keep_blank_values=True)

    def is_read(self) -> bool:
        """GET and HEAD never change state."""
        return self.method in ("GET", "HEAD")


@dataclasses.dataclass
class Response:
    """What a handler answers. ``body`` None means no body (204); headers may repeat (``Link``).

    ``body`` is sent as JSON; with another ``content_type`` it is a str sent as it is (the web container's HTML
    error page, which some malformed paths get from Okta instead of an API error).
    """

    status: int
    body: Any = None
    headers: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    content_type: str = "application/json"

    def payload(self) -> bytes:
        """The body as sent on the wire."""
        if self.body is None:
            return b""
        if self.content_type == "application/json":
            return json.dumps(self.body).encode("utf-8")
        return str(self.body).encode("utf-8")


Handler = Callable[[Request], Response]


@dataclasses.dataclass(frozen=True)
class Route:
    """One operation. ``scope_family`` (e.g. ``okta.apps``) yields the OAuth scope the spec demands:
    ``.read`` for GET, ``.manage`` otherwise; None for operations that need no scope (no auth, token)."""

    method: str
    template: str
    handler: Handler
    scope_family: str | None
    authenticated: bool
    pattern: re.Pattern[str]

    def required_scope(self) -> str | None:
        """The OAuth scope this operation needs (matches the spec's per-operation ``security``)."""
        if self.scope_family is None:
            return None
        if self.scope_family.endswith((".read", ".manage")):
            return self.scope_family
        return self.scope_family + (".read" if self.method == "GET" else ".manage")


def _template_pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[A-Za-z]+\})", template)
    regex = "".join("(?P<%s>[^/]+)" % part[1:-1] if part.startswith("{") else re.escape(part) for part in parts)
    return re.compile("^" + regex + "$")


class Router:
    """Matches ``(method, path)`` against registered templates; literal segments win over parameters."""

    def __init__(self) -> None:
        self._routes: list[Route] = []

    def add(self, method: str, template: str, handler: Handler, scope_family: str | None,
            authenticated: bool = True) -> None:
        """Register one operation."""
        self._routes.append(Route(method, template, handler, scope_family, authenticated, _template_pattern(template)))
        # Templates with fewer parameters first, so ``/api/v1/iam/roles`` beats ``/api/v1/iam/{x}``-like ones.
        self._routes.sort(key=lambda route: route.template.count("{"))

    def routes(self) -> Iterable[Route]:
        """Every registered operation (the spec-consistency test reads them)."""
        return tuple(self._routes)

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]]:
        """The route and its path parameters; E0000008 for an unknown path, E0000022 for a wrong method."""
        path_matched = False
        for route in self._routes:
            found = route.pattern.match(path)
            if found is None:
                continue
            path_matched = True
            if route.method == method:
                return route, found.groupdict()
        if path_matched:
            raise method_not_allowed()
        raise path_not_found()


def require_str(body: dict[str, Any], field: str, error: OktaApiError) -> str:
    """A required non-blank string field of a JSON body."""
    value = body.get(field)
    if not isinstance(value, str) or not value.strip():
        raise error
    return value
