# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the modules and the role's filters check before anything is sent: the option errors and the URLs.

Standard library only: the role's filters import it in every Ansible worker that uses one, where requests,
cryptography and PyJWT would cost a tenth of a second each time.

Private to the collection (not a public API): it may change in any release.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import SplitResult, urlsplit


class OktaConfigError(ValueError):
    """Bad input detected before any call is made; the message names the option."""


_LOOPBACK_NAMES = frozenset(("localhost", "localhost.localdomain"))


def is_loopback_host(host: str) -> bool:
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _secure_url_parts(url: str | None, option: str, example: str) -> SplitResult:
    """Parse url, insisting on https (http only for loopback hosts) and no embedded credentials."""
    if not url:
        raise OktaConfigError("%s is required" % option)
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    if parts.scheme not in ("https", "http") or not host:
        raise OktaConfigError("%s must be an absolute https URL such as %s, got %r" % (option, example, url))
    if parts.scheme == "http" and not is_loopback_host(host):
        raise OktaConfigError("%s must use https; plain http is allowed only for loopback hosts, got %r" % (option, url))
    if parts.username or parts.password:
        raise OktaConfigError("%s must not carry credentials" % option)
    return parts


def _origin(parts: SplitResult) -> str:
    host = parts.hostname or ""
    netloc = host if parts.port is None else "%s:%d" % (host if ":" not in host else "[%s]" % host, parts.port)
    return "%s://%s" % (parts.scheme, netloc.lower())


def validate_org_url(org_url: str | None, option: str = "org_url") -> str:
    """Return the canonical org URL (scheme://host[:port], no trailing slash) or raise OktaConfigError."""
    if not org_url:
        raise OktaConfigError("%s is required (or set OKTA_ORG_URL)" % option)
    parts = _secure_url_parts(org_url, option, "https://example.okta.com")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise OktaConfigError("%s must be the org URL without a path, query or fragment, got %r" % (option, org_url))
    host = parts.hostname or ""
    if host.split(".")[0].endswith("-admin"):
        raise OktaConfigError(
            "%s points at the admin console host %r; use the org URL without '-admin' (e.g. https://example.okta.com)" % (option, host)
        )
    return _origin(parts)


def validate_base_url(url: str | None, option: str, example: str) -> str:
    """A service base URL (it may carry a path prefix), canonical and without a trailing slash."""
    parts = _secure_url_parts(url, option, example)
    if parts.query or parts.fragment:
        raise OktaConfigError("%s must not carry a query or fragment, got %r" % (option, url))
    return _origin(parts) + parts.path.rstrip("/")


def validate_https_url(url: str | None, option: str, example: str) -> str:
    """An absolute https URL (http only for loopback hosts) as given, without credentials or a fragment: a URL Okta keeps
    and compares as sent (a JWKS URL), so it is checked, never rewritten."""
    parts = _secure_url_parts(url, option, example)
    if parts.fragment:
        raise OktaConfigError("%s must not carry a fragment, got %r" % (option, url))
    return str(url).strip()


# How module_utils messages refer to an option: O(name), as Ansible's documentation markup does. Every message leaves a
# module through name_options(), which words it for the caller.
OPTION_REFERENCE = re.compile(r"O\(([A-Za-z_][A-Za-z0-9_.]*)\)(=[A-Za-z0-9_]+)?")


def name_options(text: str, option_names: dict[str, str] | None = None) -> str:
    """text with each O(option) (or O(option)=value) named as the caller knows it: by option_names, which may name an
    option with its value ("option=value") when the caller's words for it differ, else by the option's own name."""
    names = option_names or {}

    def named(match: re.Match[str]) -> str:
        option, value = match.group(1), match.group(2) or ""
        if value and names.get(option + value):
            return str(names[option + value])
        return str(names.get(option) or option) + value
    return OPTION_REFERENCE.sub(named, text)
