# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runtime settings (changeable through ``POST /_emulator/settings``) and the org's URLs."""
from __future__ import annotations

import dataclasses
import ipaddress
import time
from typing import Any

RATE_LIMIT_PRESETS = ("default", "developer", "off")
_SETTING_TYPES: dict[str, type] = {
    "latency_ms": int, "rate_limits": str, "public_client_app_admins": bool, "consistency_delay": float,
    "api_access_management": bool, "clock_skew_seconds": float, "concurrency_limit": int, "zluri_okta_sync_after_seconds": float,
    "resource_dpop_nonce": str, "principal_rate_limit_percent": int,
}


@dataclasses.dataclass
class Settings:
    """Knobs that tests and benchmarks flip while the emulator runs."""

    latency_ms: int = 0
    rate_limits: str = "default"
    public_client_app_admins: bool = False
    consistency_delay: float = 0.0
    api_access_management: bool = True
    clock_skew_seconds: float = 0.0
    concurrency_limit: int = 75
    # The share of each rate-limit bucket one API token or OAuth app may use (Okta's default: 50%).
    principal_rate_limit_percent: int = 50
    zluri_okta_sync_after_seconds: float = 0.0
    # Empty: management calls take DPoP proofs without a nonce, as Okta does today; else the nonce they demand.
    resource_dpop_nonce: str = ""
    # When the simulated first Zluri sync started; reset whenever the delay above is changed.
    zluri_sync_started: float = dataclasses.field(default_factory=time.time)

    def now(self) -> float:
        """Okta's clock: the real clock plus the simulated skew."""
        return time.time() + self.clock_skew_seconds

    def update(self, changes: dict[str, Any]) -> None:
        """Apply a partial update; ValueError names the first bad key or value (nothing is applied then)."""
        accepted: dict[str, Any] = {}
        for key, value in changes.items():
            kind = _SETTING_TYPES.get(key)
            if kind is None:
                raise ValueError("unknown setting %r; known: %s" % (key, ", ".join(sorted(_SETTING_TYPES))))
            if kind is bool and not isinstance(value, bool):
                raise ValueError("setting %r must be true or false" % key)
            if kind in (int, float) and (isinstance(value, bool) or not isinstance(value, (int, float))):
                raise ValueError("setting %r must be a number" % key)
            if kind is str and not isinstance(value, str):
                raise ValueError("setting %r must be a string" % key)
            if key == "principal_rate_limit_percent" and not 1 <= value <= 100:
                raise ValueError("setting %r must be between 1 and 100" % key)
            if key == "rate_limits" and value not in RATE_LIMIT_PRESETS:
                raise ValueError("setting %r must be one of %s" % (key, ", ".join(RATE_LIMIT_PRESETS)))
            accepted[key] = kind(value)
        for key, value in accepted.items():
            setattr(self, key, value)
        if "zluri_okta_sync_after_seconds" in accepted:
            self.zluri_sync_started = time.time()

    def public_view(self) -> dict[str, Any]:
        """The settings as JSON (for ``GET /_emulator/health`` and the settings endpoint)."""
        return dataclasses.asdict(self)


def is_loopback_host(host: str) -> bool:
    """127.0.0.0/8, ::1 and ``localhost`` only: the emulator never listens elsewhere."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def admin_host(host_and_port: str) -> str:
    """Okta's admin host for IAM role links: ``{first-label}-admin.{rest}`` for DNS names with a dot.

    IP addresses and dotless names (``localhost``) have no admin variant and are kept as they are.
    """
    host, separator, port = host_and_port.rpartition(":") if host_and_port.count(":") == 1 else (host_and_port, "", "")
    try:
        ipaddress.ip_address(host.strip("[]"))
        return host_and_port
    except ValueError:
        pass
    if "." not in host:
        return host_and_port
    first, rest = host.split(".", 1)
    return "%s-admin.%s%s%s" % (first, rest, separator, port)


@dataclasses.dataclass(frozen=True)
class OrgUrls:
    """The org URL (links, issuer, token audience) and the ``-admin`` URL used in IAM role links."""

    org_url: str
    admin_url: str

    @classmethod
    def build(cls, scheme: str, host_and_port: str) -> OrgUrls:
        """From the scheme and the ``host[:port]`` that links should name."""
        return cls("%s://%s" % (scheme, host_and_port), "%s://%s" % (scheme, admin_host(host_and_port)))

    def org(self, path: str) -> str:
        """An absolute URL on the org host."""
        return self.org_url + path

    def admin(self, path: str) -> str:
        """An absolute URL on the admin host."""
        return self.admin_url + path
