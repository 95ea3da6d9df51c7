# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one Okta Management API client: transport, retries, rate limits, pagination and errors.

Authentication lives in okta_auth; this module only asks an authenticator for headers.

Private to the collection (not a public API): it may change in any release.
"""

from __future__ import annotations

import email.utils
import json
import random
import re
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Mapping, Protocol
from urllib.parse import urlencode, urlsplit

from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_config import OktaConfigError

REQUESTS_IMPORT_ERROR: str | None
try:
    import requests
except ImportError:
    REQUESTS_IMPORT_ERROR = traceback.format_exc()
else:
    REQUESTS_IMPORT_ERROR = None

COLLECTION_NAME = "saasops.okta_m2m"
COLLECTION_VERSION = "1.0.0-dev0"

IDEMPOTENT_METHODS = frozenset(("GET", "HEAD", "PUT", "DELETE", "OPTIONS"))
WRITE_METHODS = frozenset(("POST", "PUT", "PATCH", "DELETE"))
RETRYABLE_SERVER_STATUSES = frozenset((500, 502, 503, 504))
# Okta refuses concurrent role-assignment edits with this code; the request was not applied.
ROLE_ASSIGNMENT_BUSY_CODE = "E0000268"

# Buckets follow Okta's own rate-limit configuration as mirrored by the Terraform provider
# (docs/okta-api.md section 2.3): most specific template wins.
_BUCKETS: tuple[tuple[str | None, re.Pattern[str], str], ...] = tuple(
    (method, re.compile(pattern), bucket)
    for method, pattern, bucket in (
        (None, r"^/api/v1/iam(/|$)", "/api/v1/iam"),
        (None, r"^/oauth2/v1/clients(/|$)", "/oauth2/v1/clients"),
        (None, r"^/oauth2/v1/token$", "/oauth2/v1/token"),
        ("GET", r"^/api/v1/apps/[^/]+$", "/api/v1/apps/{id}"),
        ("PUT", r"^/api/v1/apps/[^/]+$", "/api/v1/apps/{id}"),
        ("DELETE", r"^/api/v1/apps/[^/]+$", "/api/v1/apps/{id}"),
        (None, r"^/api/v1/apps(/|$)", "/api/v1/apps"),
        (None, r"^/api/v1/users(/|$)", "/api/v1/users"),
        (None, r"^/api/v1/groups(/|$)", "/api/v1/groups"),
        (None, r"^/api/v1/logs(/|$)", "/api/v1/logs"),
        (None, r"^/api/v1/domains(/|$)", "/api/v1/domains"),
    )
)


def rate_limit_bucket(method: str, path: str) -> str:
    """Name the Okta rate-limit bucket a call is counted against."""
    for bucket_method, pattern, bucket in _BUCKETS:
        if (bucket_method is None or bucket_method == method) and pattern.search(path):
            return bucket
    return path


# E0000015 (401, and 400 in older answers): the org lacks the feature (an Okta SKU) the call needs, whoever calls (DD-ERR);
# not a bad credential.
FEATURE_NOT_ENABLED = "E0000015"
FEATURE_HINT = ("This org lacks the Okta feature this call needs (a product Okta sells separately), whatever the credential: "
                "assigning API_ACCESS_MANAGEMENT_ADMIN needs API Access Management; leave that role out of O(roles)")
# 403 with WWW-Authenticate: Bearer error="insufficient_scope" is an OAuth token without the call's scope; any other 403
# E0000006 is an admin without the permission (docs/okta-api.md 10).
SCOPE_HINT = ("The admin app's access token lacks the Okta API scope this call needs: grant it to the admin app and list "
              "it in O(scopes), or leave O(scopes) empty so that each module asks for what it needs")
SUPER_ADMIN_HINT = ("Only a Super Administrator may grant Okta API scopes, manage custom admin roles and resource sets, and "
                    "change the keys of an app that holds Okta API scope grants (developer.okta.com, \"Implement OAuth for "
                    "Okta with a service app\"); use a Super Administrator's API token (O(api_token)) or an admin app "
                    "holding SUPER_ADMIN (O(client_id))")


class OktaApiError(Exception):
    """A failed Okta call, with everything Okta said about it."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        method: str | None = None,
        path: str | None = None,
        error_code: str | None = None,
        error_summary: str | None = None,
        error_causes: list[str] | None = None,
        request_id: str | None = None,
        oauth_error: str | None = None,
        oauth_error_description: str | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.method = method
        self.path = path
        self.error_code = error_code
        self.error_summary = error_summary
        self.error_causes = error_causes or []
        self.request_id = request_id
        self.oauth_error = oauth_error
        self.oauth_error_description = oauth_error_description
        self.body = body
        self.headers = dict(headers or {})

    @classmethod
    def from_response(cls, method: str, path: str, status: int, headers: Mapping[str, str], body: Any) -> OktaApiError:
        error_code = error_summary = oauth_error = oauth_description = None
        causes: list[str] = []
        if isinstance(body, dict):
            error_code = body.get("errorCode")
            error_summary = body.get("errorSummary")
            causes = _error_causes(body.get("errorCauses"))
            oauth_error = body.get("error")
            oauth_description = body.get("error_description")
        request_id = _header(headers, "X-Okta-Request-Id")
        detail = " ".join(
            part for part in (
                error_code,
                error_summary,
                "(%s)" % "; ".join(causes) if causes else None,
                oauth_error,
                oauth_description,
                "[request id %s]" % request_id if request_id else None,
            ) if part
        )
        message = "Okta API %s %s returned HTTP %d%s" % (method, path, status, ": " + detail if detail else "")
        return cls(
            message,
            status=status,
            method=method,
            path=path,
            error_code=error_code,
            error_summary=error_summary,
            error_causes=causes,
            request_id=request_id,
            oauth_error=oauth_error,
            oauth_error_description=oauth_description,
            body=body,
            headers=headers,
        )

    def add_hint(self, hint: str) -> OktaApiError:
        """Append a sentence that says what the error usually means here."""
        self.args = ("%s. %s" % (self.args[0], hint),)
        return self

    def details(self) -> dict[str, Any]:
        """The non-secret facts for fail_json."""
        facts = {
            "status": self.status,
            "method": self.method,
            "path": self.path,
            "error_code": self.error_code,
            "error_summary": self.error_summary,
            "error_causes": self.error_causes,
            "request_id": self.request_id,
            "error": self.oauth_error,
            "error_description": self.oauth_error_description,
        }
        return {key: value for key, value in facts.items() if value not in (None, [])}


def _error_causes(raw: Any) -> list[str]:
    """errorCauses is an array in most answers and an object in a few (docs/okta-api.md 0.1)."""
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list):
        return []
    causes = []
    for cause in raw:
        if isinstance(cause, dict):
            causes.append(str(cause.get("errorSummary") or json.dumps(cause, sort_keys=True)))
        elif cause:
            causes.append(str(cause))
    return causes


def _header(headers: Mapping[str, str], name: str) -> str | None:
    lowered = name.lower()
    for key, value in headers.items():
        if key.lower() == lowered:
            return value
    return None


@dataclass
class RetryPolicy:
    """How hard to try. Every wait is bounded, and so is the sum of all waits in one run."""

    max_retries: int = 4
    backoff_base: float = 0.5
    backoff_cap: float = 15.0
    max_rate_limit_wait: float = 75.0
    max_total_wait: float = 300.0
    max_api_capacity: int = 100

    def backoff(self, attempt: int) -> float:
        """Full jitter: a random wait up to an exponentially growing cap."""
        return random.uniform(0, min(self.backoff_cap, self.backoff_base * (2 ** attempt)))


@dataclass
class BucketState:
    limit: int
    remaining: int
    reset: float


@dataclass
class Response:
    status: int
    headers: Mapping[str, str]
    body: Any
    url: str

    def header(self, name: str) -> str | None:
        return _header(self.headers, name)


class Authenticator(Protocol):
    """What the client needs from an auth method (see okta_auth)."""

    def headers_for(self, method: str, url: str) -> dict[str, str]:
        """Headers that authorize one request to url."""

    def should_retry(self, response: Response) -> bool:
        """Whether an auth challenge in response was handled so that the request can be sent again."""

    def refusal_hint(self) -> str:
        """What a 401 means for these credentials, naming the option that holds them."""


@dataclass
class RateLimitWait:
    """A call a rate limit refused, and the wait its X-Rate-Limit-Reset asked for."""

    bucket: str
    limit: str | None
    seconds: float

    def explain(self) -> str:
        """Why the run waited, and how a developer org avoids it (docs/reliability.md, "Rate limits")."""
        ceiling = " (%s calls a minute for these credentials)" % self.limit if self.limit else ""
        return ("waited %.0f s because Okta's rate limit on %s%s was used up, until it reset. Each API token and OAuth app may use "
                "50%% of a bucket by default, and a developer org's apps bucket holds 10 calls a minute: raise the share of the "
                "credentials this run uses in the Admin Console (see the collection's docs/reliability.md, \"Rate limits\") so that "
                "no wait is needed" % (self.seconds, self.bucket, ceiling))


@dataclass
class CallStats:
    """Counts of calls per 'METHOD /path' (query stripped), read by tests and benchmarks."""

    by_endpoint: Counter = field(default_factory=Counter)
    retries: int = 0
    waited_seconds: float = 0.0
    rate_limit_waits: list[RateLimitWait] = field(default_factory=list)

    def record(self, method: str, path: str) -> None:
        self.by_endpoint["%s %s" % (method, path)] += 1

    @property
    def total(self) -> int:
        return sum(self.by_endpoint.values())

    @property
    def writes(self) -> int:
        """Calls that may change the org: a token request changes nothing there."""
        return sum(count for key, count in self.by_endpoint.items()
                   if key.split(" ", 1)[0] in WRITE_METHODS and not key.endswith(" /oauth2/v1/token"))

    def summary(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "writes": self.writes,
            "retries": self.retries,
            "waited_seconds": round(self.waited_seconds, 3),
            "by_endpoint": dict(sorted(self.by_endpoint.items())),
        }


class _ConnectionFailure(Exception):
    def __init__(self, reason: str, request_sent: bool) -> None:
        super().__init__(reason)
        self.request_sent = request_sent


class Transport:
    """HTTP with timeouts, TLS settings, rate-limit governance and bounded retries.

    Used both for management calls and for the token endpoint, so every call shares one budget.
    """

    def __init__(
        self,
        org_url: str,
        *,
        validate_certs: bool = True,
        ca_path: str | None = None,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        user_agent_extra: str = "",
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        session: Any = None,
    ) -> None:
        if REQUESTS_IMPORT_ERROR:
            raise OktaConfigError("the Python library 'requests' is required")
        self.org_url = org_url
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.stats = CallStats()
        self._sleep = sleep
        self._clock = clock
        self._buckets: dict[str, BucketState] = {}
        self._session = session or requests.Session()
        # Passed with every request too: requests lets REQUESTS_CA_BUNDLE override a session's own setting.
        self._verify: bool | str = (ca_path or True) if validate_certs else False
        self._session.verify = self._verify
        self._session.headers["User-Agent"] = (
            "%s/%s %s" % (COLLECTION_NAME, COLLECTION_VERSION, user_agent_extra)
        ).strip()

    def url_for(self, path_or_url: str, params: Mapping[str, Any] | None = None) -> str:
        """Resolve a path or a link from a response against the org URL.

        Links are followed by path and query only: credentials are never sent to a host named in a
        response body (IAM links name the '-admin' host, and a custom domain may be in play).
        """
        parts = urlsplit(path_or_url)
        url = self.org_url + (parts.path or "/") + ("?" + parts.query if parts.query else "")
        if params:
            url += ("&" if "?" in url else "?") + urlencode({k: v for k, v in params.items() if v is not None}, doseq=True)
        return url

    def send(
        self,
        method: str,
        url: str,
        *,
        auth: Authenticator | None = None,
        json_body: Any = None,
        signed_form: Callable[[], tuple[Mapping[str, str], Mapping[str, str]]] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        retry_unsafe: bool = False,
    ) -> Response:
        """Send one logical request, retrying where it is safe.

        signed_form: builds (form fields, extra headers) afresh for every attempt, for requests that carry
        single-use signatures (a token request's client assertion and DPoP proof).
        retry_unsafe: the caller knows a repeat of this non-idempotent request is harmless.
        """
        path = urlsplit(url).path
        bucket = rate_limit_bucket(method, path)
        may_repeat = method in IDEMPOTENT_METHODS or retry_unsafe
        attempt = 0
        retry_for: str | None = None
        while True:
            self._govern(bucket)
            headers = {"Accept": "application/json"}
            if json_body is not None:
                headers["Content-Type"] = "application/json"
            if auth is not None:
                headers.update(auth.headers_for(method, url))
            headers.update(extra_headers or {})
            form: Mapping[str, str] | None = None
            if signed_form is not None:
                form, signed_headers = signed_form()
                headers.update(signed_headers)
            if attempt:
                headers["X-Okta-Retry-Count"] = str(attempt)
                if retry_for:
                    headers["X-Okta-Retry-For"] = retry_for
            self.stats.record(method, path)
            try:
                response = self._exchange(method, url, headers, json_body, form)
            except _ConnectionFailure as failure:
                if attempt < self.retry.max_retries and (may_repeat or not failure.request_sent):
                    attempt += 1
                    self.pause(self.retry.backoff(attempt), "connection error")
                    continue
                raise OktaApiError(
                    "Okta API %s %s failed: %s" % (method, path, failure), method=method, path=path
                ) from None
            self._observe(bucket, response)
            delay = self._retry_delay(method, response, may_repeat, attempt)
            if delay is None and auth is not None and auth.should_retry(response) and attempt < self.retry.max_retries:
                delay = 0.0
            if delay is None:
                return response
            if response.status == 429 and response.header("X-Rate-Limit-Reset") and response.header("X-Rate-Limit-Limit") != "0":
                self.stats.rate_limit_waits.append(RateLimitWait(bucket, response.header("X-Rate-Limit-Limit"), delay))
            attempt += 1
            retry_for = response.header("X-Okta-Request-Id")
            self.pause(delay, "HTTP %d" % response.status)

    def _exchange(self, method: str, url: str, headers: dict[str, str], json_body: Any, form: Mapping[str, str] | None) -> Response:
        try:
            raw = self._session.request(
                method,
                url,
                headers=headers,
                data=json.dumps(json_body) if json_body is not None else form,
                timeout=self.timeout,
                allow_redirects=False,
                verify=self._verify,
            )
        except requests.exceptions.SSLError as exc:
            raise OktaConfigError(
                "TLS verification of %s failed (%s); trust its CA with ca_path, or set validate_certs=false only for testing"
                % (self.org_url, exc)
            ) from None
        except (requests.exceptions.ConnectTimeout, requests.exceptions.InvalidURL) as exc:
            raise _ConnectionFailure(str(exc), request_sent=False) from None
        except requests.exceptions.ConnectionError as exc:
            raise _ConnectionFailure(str(exc), request_sent=not _is_connect_refusal(exc)) from None
        except requests.exceptions.Timeout as exc:
            raise _ConnectionFailure("timed out after %ss: %s" % (self.timeout, exc), request_sent=True) from None
        body: Any = None
        if raw.content:
            try:
                body = raw.json()
            except ValueError:
                body = raw.text
        return Response(status=raw.status_code, headers=dict(raw.headers), body=body, url=url)

    def _retry_delay(self, method: str, response: Response, may_repeat: bool, attempt: int) -> float | None:
        """Seconds to wait before sending again, or None to hand the response back."""
        if attempt >= self.retry.max_retries:
            return None
        status = response.status
        if status == 429:
            if response.header("X-Rate-Limit-Limit") == "0":
                # A concurrency 429: the reset is only an estimate (docs/okta-api.md 2.3).
                return self.retry.backoff(attempt + 1)
            return self._until_reset(response)
        if status == 409 and isinstance(response.body, dict) and response.body.get("errorCode") == ROLE_ASSIGNMENT_BUSY_CODE:
            return self.retry.backoff(attempt + 1)
        if status in RETRYABLE_SERVER_STATUSES and may_repeat:
            return self.retry.backoff(attempt + 1)
        return None

    def _until_reset(self, response: Response) -> float:
        """X-Rate-Limit-Reset - Date + 1, measured on Okta's clock so local skew does not matter.

        Services that answer with a standard Retry-After (Zluri does) are waited for as they ask.
        """
        reset = _as_float(response.header("X-Rate-Limit-Reset"))
        if reset is None:
            retry_after = _as_float(response.header("Retry-After"))
            return min(retry_after, self.retry.max_rate_limit_wait) if retry_after is not None else self.retry.backoff(1)
        server_now = http_date(response.header("Date")) or self._clock()
        return min(max(reset - server_now, 0.0) + 1.0, self.retry.max_rate_limit_wait)

    def _observe(self, bucket: str, response: Response) -> None:
        limit = _as_float(response.header("X-Rate-Limit-Limit"))
        remaining = _as_float(response.header("X-Rate-Limit-Remaining"))
        reset = _as_float(response.header("X-Rate-Limit-Reset"))
        if limit and remaining is not None and reset is not None:
            server_now = http_date(response.header("Date"))
            local_reset = reset - server_now + self._clock() if server_now else reset
            self._buckets[bucket] = BucketState(int(limit), int(remaining), local_reset)

    def _govern(self, bucket: str) -> None:
        """max_api_capacity: once this run has used that share of a bucket, wait for the window to reset."""
        capacity = self.retry.max_api_capacity
        state = self._buckets.get(bucket)
        if capacity >= 100 or state is None or state.limit <= 0:
            return
        used_percent = 100.0 * (state.limit - state.remaining) / state.limit
        wait = state.reset - self._clock()
        if used_percent >= capacity and wait > 0:
            self.pause(min(wait + 1.0, self.retry.max_rate_limit_wait), "max_api_capacity on %s" % bucket)
            del self._buckets[bucket]

    def pause(self, seconds: float, reason: str) -> None:
        """Wait before trying again; every pause of the run counts against max_retry_wait."""
        if self.stats.waited_seconds + seconds > self.retry.max_total_wait:
            raise OktaApiError(
                "giving up after waiting %.1fs in total (max_retry_wait): next wait of %.1fs for %s would exceed it"
                % (self.stats.waited_seconds, seconds, reason)
            )
        self.stats.retries += 1
        self.stats.waited_seconds += seconds
        if seconds > 0:
            self._sleep(seconds)


def _is_connect_refusal(exc: Exception) -> bool:
    """True when the connection was never established, so the request cannot have been processed."""
    text = repr(exc)
    return any(marker in text for marker in ("NewConnectionError", "Connection refused", "Failed to establish", "Name or service not known"))


def _as_float(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def http_date(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None


_LINK_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')


def next_link(response: Response) -> str | None:
    """The next page: the Link header for classic lists, the body's _links.next for /api/v1/iam lists."""
    for value in _all_header_values(response.headers, "Link"):
        match = _LINK_NEXT.search(value)
        if match:
            return match.group(1)
    if isinstance(response.body, dict):
        href = ((response.body.get("_links") or {}).get("next") or {}).get("href")
        if href:
            return href
    return None


def _all_header_values(headers: Mapping[str, str], name: str) -> list[str]:
    value = _header(headers, name)
    if not value:
        return []
    # Several Link headers arrive joined by commas; a comma never occurs inside <...> of Okta's links.
    return re.split(r",\s*(?=<)", value)


class OktaClient:
    """Every Okta call of the collection goes through here."""

    def __init__(self, transport: Transport, auth: Authenticator) -> None:
        self.transport = transport
        self.auth = auth

    @property
    def org_url(self) -> str:
        return self.transport.org_url

    @property
    def stats(self) -> CallStats:
        return self.transport.stats

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        expect: tuple[int, ...] = (),
        retry_unsafe: bool = False,
    ) -> Response:
        """One call; any 2xx (and any status in expect) is returned, anything else raises OktaApiError.

        Okta's success codes differ from its spec (docs/okta-api.md 8.9), so every 2xx counts.
        """
        url = self.transport.url_for(path, params)
        response = self.transport.send(method, url, auth=self.auth, json_body=json_body, retry_unsafe=retry_unsafe)
        if 200 <= response.status < 300 or response.status in expect:
            return response
        error = OktaApiError.from_response(method, urlsplit(url).path, response.status, response.headers, response.body)
        if error.error_code == FEATURE_NOT_ENABLED:
            error.add_hint(FEATURE_HINT)
        elif response.status == 401:
            error.add_hint(self.auth.refusal_hint())
        elif response.status == 403:
            error.add_hint(SCOPE_HINT if "insufficient_scope" in (response.header("WWW-Authenticate") or "") else SUPER_ADMIN_HINT)
        raise error

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        return self.request("GET", path, params=params).body

    def get_optional(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        """The object at path, or None when Okta says 404 (absent, or deleted out of band)."""
        response = self.request("GET", path, params=params, expect=(404,))
        return None if response.status == 404 else response.body

    def post(self, path: str, body: Any = None, params: Mapping[str, Any] | None = None, retry_unsafe: bool = False) -> Any:
        return self.request("POST", path, params=params, json_body=body, retry_unsafe=retry_unsafe).body

    def put(self, path: str, body: Any) -> Any:
        return self.request("PUT", path, json_body=body).body

    def patch(self, path: str, body: Any) -> Any:
        return self.request("PATCH", path, json_body=body).body

    def delete(self, path: str, missing_ok: bool = True) -> bool:
        """Delete; returns False when the object was already gone (404) and missing_ok."""
        response = self.request("DELETE", path, expect=(404,) if missing_ok else ())
        return response.status != 404

    def paginate(self, path: str, params: Mapping[str, Any] | None = None, items_key: str | None = None) -> Iterator[Any]:
        """Yield every item of a list, following both of Okta's pagination styles.

        items_key names the array inside an /api/v1/iam body (e.g. 'roles', 'resource-sets'); classic
        lists are bare arrays.
        """
        response = self.request("GET", path, params=params)
        seen_links: set[str] = set()
        while True:
            body = response.body
            items = body.get(items_key, []) if isinstance(body, dict) and items_key else body
            yield from items or []
            link = next_link(response)
            if not link or link in seen_links:
                return
            seen_links.add(link)
            response = self.request("GET", link)
