# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A client's JWK Set fetched from its ``jwks_uri``, as Okta's token endpoint verifies a client assertion with it.

Okta "dynamically fetches the latest public key for the app" from the URL (okta-developer-docs
``guides/client-secret-rotation-key``, "Use a URL to fetch keys dynamically"). The emulator fetches only from loopback
hosts: it must never reach out of the machine it tests on (a test could otherwise make it call any host, and a CI run
has no network), so a URL elsewhere fails as an unreachable one would. Redirects are not followed (one could lead off
loopback) and no proxy is used; the document is read fresh on every token request (Okta's caching is not documented).
"""
from __future__ import annotations

import http.client
import json
import ssl
import urllib.parse
from typing import Any

from .config import is_loopback_host

FETCH_TIMEOUT_SECONDS = 5.0
MAX_DOCUMENT_BYTES = 1 << 20


class JwksUriError(ValueError):
    """The URL gave no usable JWK Set (the reason is for the emulator's own tests; Okta's answer names none)."""


class JwksUriFetcher:
    """Reads ``{"keys": [...]}`` from a loopback URL; ``trusted_ca_pem`` is the emulator's own CA under ``--tls``, so a
    JWK Set it serves itself (``/_emulator/jwks/...``) is trusted."""

    def __init__(self, trusted_ca_pem: bytes | None = None, timeout: float = FETCH_TIMEOUT_SECONDS) -> None:
        self.timeout = timeout
        self._tls = ssl.create_default_context()
        if trusted_ca_pem:
            self._tls.load_verify_locations(cadata=trusted_ca_pem.decode("ascii"))

    def keys(self, url: str) -> list[dict[str, Any]]:
        """The signing keys the URL publishes (keys marked ``use: enc`` are not for signatures)."""
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname or ""
        if parts.scheme not in ("http", "https") or not is_loopback_host(host):
            raise JwksUriError("the emulator fetches JWK Sets from loopback http(s) URLs only, not %r" % url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        connection: http.client.HTTPConnection
        if parts.scheme == "https":
            connection = http.client.HTTPSConnection(host, port, timeout=self.timeout, context=self._tls)
        else:
            connection = http.client.HTTPConnection(host, port, timeout=self.timeout)
        try:
            connection.request("GET", (parts.path or "/") + ("?" + parts.query if parts.query else ""), headers={"Accept": "application/json"})
            response = connection.getresponse()
            body = response.read(MAX_DOCUMENT_BYTES + 1)
        except (OSError, http.client.HTTPException) as error:
            raise JwksUriError("fetching %s failed: %s" % (url, error)) from None
        finally:
            connection.close()
        if response.status != 200 or len(body) > MAX_DOCUMENT_BYTES:
            raise JwksUriError("%s answered HTTP %d (%d bytes)" % (url, response.status, len(body)))
        try:
            document = json.loads(body)
        except ValueError:
            raise JwksUriError("%s is not JSON" % url) from None
        keys = document.get("keys") if isinstance(document, dict) else None
        if not isinstance(keys, list):
            raise JwksUriError("%s is not a JWK Set (no keys array)" % url)
        return [key for key in keys if isinstance(key, dict) and key.get("use", "sig") == "sig"]
