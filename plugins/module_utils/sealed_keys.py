# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a sealed key is, for every part that must tell one from a key in use (standard library only).

A sealed key is a public key registered only so that Okta creates a private_key_jwt app (it requires a key) before the
vendor who will hold the app's key has shown it, because the vendor asks for the app's client id first. Its private key
is never kept, so nobody can sign for it; the vendor's key or JWKS URL replaces it. Its kid tells admins in the console
what it is.

Private to the collection (not a public API): it may change in any release.
"""

from __future__ import annotations

from typing import Any

SEALED_KID = "okta-m2m-no-private-key"


def is_sealed(key: dict[str, Any]) -> bool:
    return key.get("kid") == SEALED_KID


def awaits_vendor_key(jwks_uri: str | None, keys: list[dict[str, Any]]) -> bool:
    """Whether nobody can sign for an app: no JWKS URL, and its ACTIVE keys are sealed keys only."""
    active = [key for key in keys if (key.get("status") or "ACTIVE") == "ACTIVE"]
    return not jwks_uri and bool(active) and all(is_sealed(key) for key in active)
