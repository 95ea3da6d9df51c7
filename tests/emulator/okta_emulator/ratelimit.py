# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Per-bucket rate limits with Okta's ``X-Rate-Limit-*`` headers (docs/okta-api.md section 2.3).

Buckets follow the terraform-provider-okta map of Okta's own configuration: every ``/api/v1/iam/**`` call shares
``/api/v1/iam``; ``GET``/``POST /api/v1/apps`` and every app sub-resource (grants, credentials, lifecycle) share
``/api/v1/apps``; ``GET/PUT/DELETE /api/v1/apps/{id}`` is ``/api/v1/apps/{id}``; the token endpoint has its own.
The ``developer`` preset uses the sizes recorded on a developer org (PY-VCR): IAM 100/min, the apps bucket 10/min,
``/api/v1/apps/{id}`` 50/min; other buckets, not recorded, get 100/min. Windows last 60 s from their first call.
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
    """Fixed 60 s windows per bucket, started by the window's first call."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._windows: dict[str, tuple[int, int]] = {}

    def consume(self, bucket: str, preset: str, now: float) -> RateDecision:
        """Count one call against the bucket."""
        limit = limit_for(preset, bucket)
        with self._lock:
            reset, used = self._windows.get(bucket, (0, 0))
            if now >= reset:
                reset, used = math.ceil(now) + WINDOW_SECONDS, 0
            if used >= limit:
                return RateDecision(False, limit, 0, reset)
            used += 1
            self._windows[bucket] = (reset, used)
            return RateDecision(True, limit, limit - used, reset)

    def clear(self) -> None:
        """Forget all windows (on reset or when the preset changes)."""
        with self._lock:
            self._windows.clear()
