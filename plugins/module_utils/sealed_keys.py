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

from typing import Any, Iterable

from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_config import OktaConfigError

SEALED_KID = "okta-m2m-no-private-key"


def is_sealed(key: dict[str, Any]) -> bool:
    return key.get("kid") == SEALED_KID


def is_active(key: dict[str, Any]) -> bool:
    """ACTIVE, also a key embedded in a create's answer, which carries no status."""
    return (key.get("status") or "ACTIVE") == "ACTIVE"


def in_use(key: dict[str, Any]) -> bool:
    """An ACTIVE key someone may sign with: a sealed key never is."""
    return is_active(key) and not is_sealed(key)


def awaits_vendor_key(jwks_uri: str | None, keys: Iterable[dict[str, Any]], sealing: bool = False) -> bool:
    """Whether nobody can sign for an app: no JWKS URL, and its ACTIVE keys are sealed keys only, or it has none and
    sealing says a sealed key is being registered (an app created, or switched from a client secret, awaiting its vendor)."""
    active = [key for key in keys if is_active(key)]
    return not jwks_uri and (all(is_sealed(key) for key in active) if active else sealing)


def refuse_sealed_kid(keys: Iterable[dict[str, Any]], option: str) -> None:
    """A key of the user's under the sealed key's kid would be taken for one nobody signs with, and replaced as such."""
    if any(is_sealed(key) for key in keys):
        raise OktaConfigError("the kid %s is kept for the sealed key of an app awaiting its vendor's key (nobody can sign with it); "
                              "give the key in %s another kid" % (SEALED_KID, option))
