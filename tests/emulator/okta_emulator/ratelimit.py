# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Per-bucket rate limits with Okta's ``X-Rate-Limit-*`` headers (docs/okta-api.md section 2.3).

Buckets follow the terraform-provider-okta map of Okta's own configuration: every ``/api/v1/iam/**`` call shares
``/api/v1/iam``; ``GET``/``POST /api/v1/apps`` and every app sub-resource (grants, credentials, lifecycle) share
``/api/v1/apps``; ``GET/PUT/DELETE /api/v1/apps/{id}`` is ``/api/v1/apps/{id}``; the token endpoint has its own.
The ``developer`` preset uses the sizes recorded on a developer org (PY-VCR): IAM 100/min, the apps bucket 10/min,
``/api/v1/apps/{id}`` 50/min; other buckets, not recorded, get 100/min. Windows last 60 s from their first call.

Each API token and OAuth 2.0 app may use only a share of a bucket, 50% by default (Okta's "Token and OAuth 2.0 app
rate limits" reference, developer.okta.com/docs/reference/rl2-token-oauth: "each API token or OAuth 2.0 app can use up
to 50% of a bucket's total rate limit"; support article "API Token Rate Limit Violation"): a principal is refused once
it used its share, even while the org's bucket has room. The recordings show what answers carry while calls are
allowed: the org's bucket (``X-Rate-Limit-Limit: 10`` with ``-Remaining`` counting down to 1 from one SDK test token on
a developer org, whose token evidently had a larger share), so allowed answers report the org's bucket. No recording
shows a refusal by a principal's share; its 429 names the refusing ceiling ("the rate limit ceiling that is applicable
for the current request", Okta's rate limit best practices) and when that window resets.
"""
from __future__ import annotations

import dataclasses
import math
import re
import threading

WINDOW_SECONDS = 60
UNLIMITED = 1_000_000

_BUCKET_RULES: tuple[tuple[frozenset[str] | None, re.Pattern[str], str], ...] = (
    (None, re.compile(r"^/api/v1/iam(/|$)"), "/api/v1/iam"),
    (None, re.compile(r"^/oauth2/v1/clients/"), "/oauth2/v1/clients"),
    (None, re.compile(r"^/oauth2/v1/token$"), "/oauth2/v1/token"),
    (frozenset({"GET", "PUT", "DELETE"}), re.compile(r"^/api/v1/apps/[^/]+$"), "/api/v1/apps/{id}"),
    (None, re.compile(r"^/api/v1/apps(/|$)"), "/api/v1/apps"),
    (None, re.compile(r"^/api/v1/users(/|$)"), "/api/v1/users"),
    (None, re.compile(r"^/api/v1/groups(/|$)"), "/api/v1/groups"),
    (None, re.compile(r"^/api/v1/logs(/|$)"), "/api/v1/logs"),
    (None, re.compile(r"^/api/v1/domains(/|$)"), "/api/v1/domains"),
    (None, re.compile(r"^/api/v1/org(/|$)"), "/api/v1/org"),
    (None, re.compile(r"^/\.well-known/"), "/.well-known"),
)
DEFAULT_BUCKET = "/api/v1"

PRESET_LIMITS: dict[str, dict[str, int]] = {
    "default": {},
    "developer": {"/api/v1/iam": 100, "/api/v1/apps": 10, "/api/v1/apps/{id}": 50},
    "off": {},
}
PRESET_FALLBACK = {"default": 600, "developer": 100, "off": UNLIMITED}


def bucket_for(method: str, path: str) -> str:
    """The bucket a call counts against: most specific rule first."""
    for methods, pattern, bucket in _BUCKET_RULES:
        if (methods is None or method in methods) and pattern.match(path):
            return bucket
    return DEFAULT_BUCKET


def limit_for(preset: str, bucket: str) -> int:
    """Requests per minute of a bucket under a preset."""
    return PRESET_LIMITS[preset].get(bucket, PRESET_FALLBACK[preset])


def principal_limit(limit: int, share_percent: int) -> int:
    """A principal's ceiling in a bucket: its share of the org's limit, at least one call."""
    return max(1, limit * share_percent // 100)


@dataclasses.dataclass(frozen=True)
class RateDecision:
    """The outcome for one call: allowed or not, and the header values to send."""

    allowed: bool
    limit: int
    remaining: int
    reset: int

    def headers(self) -> dict[str, str]:
        """``X-Rate-Limit-Limit``, ``-Remaining``, ``-Reset`` (epoch seconds)."""
        return {"X-Rate-Limit-Limit": str(self.limit), "X-Rate-Limit-Remaining": str(self.remaining),
                "X-Rate-Limit-Reset": str(self.reset)}


class RateLimiter:
    """Fixed 60 s windows per bucket and per principal in a bucket, each started by its first call."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._windows: dict[tuple[str, str | None], tuple[int, int]] = {}

    def _window(self, key: tuple[str, str | None], now: float) -> tuple[int, int]:
        reset, used = self._windows.get(key, (0, 0))
        return (math.ceil(now) + WINDOW_SECONDS, 0) if now >= reset else (reset, used)

    def consume(self, bucket: str, preset: str, now: float, principal: str | None = None, share_percent: int = 100) -> RateDecision:
        """Count one call against the bucket and, when a principal makes it, against that principal's share."""
        limit = limit_for(preset, bucket)
        with self._lock:
            ceilings = [((bucket, None), limit)]
            if principal is not None:
                ceilings.append(((bucket, principal), principal_limit(limit, share_percent)))
            windows = [(key, ceiling) + self._window(key, now) for key, ceiling in ceilings]
            refused = [(ceiling, reset) for _key, ceiling, reset, used in windows if used >= ceiling]
            if refused:
                ceiling, reset = max(refused, key=lambda refusal: refusal[1])
                return RateDecision(False, ceiling, 0, reset)
            for key, _ceiling, reset, used in windows:
                self._windows[key] = (reset, used + 1)
            _key, ceiling, reset, used = windows[0]
            return RateDecision(True, ceiling, ceiling - used - 1, reset)

    def clear(self) -> None:
        """Forget all windows (on reset or when the preset changes)."""
        with self._lock:
            self._windows.clear()
