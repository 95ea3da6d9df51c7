# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An app's signing keys (/api/v1/apps/{id}/credentials/jwks) and the local key pair behind one of them.

Okta's rules (docs/okta-api.md 6.4): at most 50 keys, unique kid, only INACTIVE keys can be deleted, the
last ACTIVE key of a private_key_jwt app cannot be deactivated. Additions run before removals, so rotating
never leaves the app without an active key.

Private to the collection (not a public API): it may change in any release.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Hashable

from ansible_collections.saasops.okta_m2m.plugins.module_utils.keys import (
    KeyMaterialError,
    generate_rsa_key,
    jwk_thumbprint,
    load_private_key,
    private_key_pem,
    promote_private_key_file,
    public_key_fingerprint,
    read_private_key_file,
    rsa_public_jwk,
    same_public_key,
    write_private_key_file,
)
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_client import OktaClient, OktaConfigError
from ansible_collections.saasops.okta_m2m.plugins.module_utils.reconcile import ListDelta, Member, Plan
from ansible_collections.saasops.okta_m2m.plugins.module_utils.sealed_keys import SEALED_KID, in_use, is_sealed
from ansible_collections.saasops.okta_m2m.plugins.module_utils.timestamps import epoch_of

MAX_KEYS_PER_APP = 50


def sealed_public_jwk() -> dict[str, str]:
    """A new public JWK whose private key is dropped here: it exists nowhere once this returns (sealed_keys)."""
    return dict(rsa_public_jwk(generate_rsa_key()), kid=SEALED_KID)


@dataclass
class LocalKey:
    """The key pair on this side: loaded, or generated (in check mode: generated in memory only)."""

    key: Any
    kid: str
    path: str | None
    generated: bool
    warnings: list[str]

    @property
    def public_jwk(self) -> dict[str, str]:
        return dict(rsa_public_jwk(self.key), kid=self.kid, alg="RS256", use="sig")

    @property
    def fingerprint(self) -> str:
        return public_key_fingerprint(self.key)

    def pem(self) -> str:
        return private_key_pem(self.key).decode("ascii")


def load_local_key(path: str | None, pem: str | None, passphrase: str | None, kid: str | None, options: str = "") -> LocalKey | None:
    """The user's key, or the key at path; None when path names no file. Never generates a key.

    options is the prefix of the module's option names (key_path, key_content, key_passphrase) for messages.
    """
    if pem:
        key, warnings = load_private_key(pem, passphrase, option=options + "key_content"), []
    elif path and os.path.lexists(path):
        key, warnings = read_private_key_file(path, passphrase, option=options + "key_path")
    elif path:
        return None
    else:
        raise OktaConfigError("give %skey_path (an existing key, or where to generate one) or %skey_content" % (options, options))
    return LocalKey(key, kid or jwk_thumbprint(rsa_public_jwk(key)), path, False, warnings)


def ensure_local_key(
    path: str | None,
    pem: str | None,
    passphrase: str | None,
    key_size: int,
    kid: str | None,
    check_mode: bool,
    options: str = "",
) -> LocalKey:
    """Load the user's key, or the key at path, or generate one there (0600, atomic, never overwriting)."""
    loaded = load_local_key(path, pem, passphrase, kid, options)
    if loaded is not None:
        return loaded
    if passphrase:
        raise OktaConfigError("%skey_passphrase is for loading an existing encrypted key; %s does not exist" % (options, path))
    key = generate_rsa_key(key_size)
    if not check_mode:
        try:
            write_private_key_file(str(path), private_key_pem(key))
        except FileExistsError:
            # Another run wrote the key first: use that one, never replace it.
            existing = load_local_key(path, None, None, kid, options)
            if existing is None:
                raise
            return existing
        except OSError as exc:
            raise KeyMaterialError("cannot write %skey_path %s: %s" % (options, path, exc.strerror)) from None
    return LocalKey(key, kid or jwk_thumbprint(rsa_public_jwk(key)), path, True, [])


def held_thumbprint(key: dict[str, Any]) -> str:
    """The RFC 7638 thumbprint of a key an app holds, given as Okta's JWK or as its key_view."""
    if "thumbprint" in key:
        return str(key["thumbprint"])
    return jwk_thumbprint(key) if key.get("kty") in ("RSA", "EC") else ""


def registered_kid(app_keys: list[dict[str, Any]], jwk: dict[str, Any]) -> str | None:
    """The kid under which the app holds this public key (an ACTIVE registration first), if it holds it; app_keys are
    Okta's JWKs or their key_view."""
    thumbprint = jwk_thumbprint(jwk)
    holding = [key for key in app_keys if key.get("kid") and held_thumbprint(key) == thumbprint]
    holding.sort(key=lambda key: key.get("status", "ACTIVE") != "ACTIVE")
    return holding[0]["kid"] if holding else None


def adopt_registered_kid(local: LocalKey, app_keys: list[dict[str, Any]]) -> None:
    """Name the local key by the kid the app holds it under (a key made in the console has a kid of the console
    user's choosing): Okta matches a client assertion's kid against the app's keys, and Zluri's form asks for it."""
    kid = registered_kid(app_keys, local.public_jwk)
    if kid:
        local.kid = kid


def promote_key(local: LocalKey, target: str, check_mode: bool) -> str | None:
    """Put the local key's file at target, where the retired key's file was; the change made, or None if there is none.

    A key already at target (a repeated run, or one cut off after the move) leaves only the source to remove.
    """
    if not local.path or os.path.abspath(local.path) == os.path.abspath(target):
        return None
    if os.path.lexists(target) and same_public_key(rsa_public_jwk(read_private_key_file(target)[0]), local.public_jwk):
        if not check_mode:
            os.unlink(local.path)
        return "remove %s: the key is at %s already" % (local.path, target)
    if not check_mode:
        try:
            promote_private_key_file(local.path, target)
        except OSError as exc:
            raise KeyMaterialError("cannot move the key file %s to %s: %s" % (local.path, target, exc.strerror)) from None
    return "move the key file %s to %s, replacing the retired key's file" % (local.path, target)


def key_view(jwk: dict[str, Any]) -> dict[str, Any]:
    """A key as diffs and results show it: kid, status and RFC 7638 thumbprint, never key material."""
    view = {"kid": jwk.get("kid"), "status": jwk.get("status", "ACTIVE"), "thumbprint": jwk_thumbprint(jwk)}
    if jwk.get("id"):
        view["id"] = jwk["id"]
    return view


def key_created(key: dict[str, Any]) -> float:
    """When Okta registered the key (its key list's created; the keys embedded in the app carry none), for ordering."""
    return epoch_of(key.get("created")) or 0.0


def describe_held(key: dict[str, Any]) -> str:
    """A key the app holds, as a message names it: kid and when Okta recorded it."""
    dates = [("registered", key.get("created"))]
    if key.get("status") == "INACTIVE":
        dates.append(("retired", key.get("lastUpdated")))
    known = ", ".join("%s %s" % (what, when) for what, when in dates if when)
    return "%s%s" % (key.get("kid"), " (%s)" % known if known else "")


class JwkMember(Member):
    """An app's signing keys, where Okta is the memory of every rotation.

    A retired key stays on the app, INACTIVE: Okta's key list is then the record of which keys must never sign again,
    which a run in a fresh AWX container reads as well as a laptop. So "remove" retires a key (deactivates it), except
    with delete=True (an explicit removal, state=absent), and only ACTIVE keys are ever purged.

    Guards, all checked before the first write:
    - a key is not added beside ACTIVE keys unless beside_other_keys (whoever made those may be using them);
    - a desired key the app holds INACTIVE (compared by public key, whatever its kid) is re-activated only with
      reactivate_retired (a retired key may have leaked);
    - a purge never retires an ACTIVE key newer than every key it keeps: the newest key may be the one a rotation
      has just handed over, and is retired only by naming it (state=absent with its kid).
    A sealed key (SEALED_KID) is in nobody's use: keys are added beside it, and a purge_sealed retires it.
    Okta holds at most 50 keys per app: to add one to a full app, the oldest retired keys are deleted first.
    """

    name = "jwks"
    noun = "key"

    def __init__(self, beside_other_keys: bool = True, reactivate_retired: bool = False, delete: bool = False,
                 option_for: dict[str, str] | None = None) -> None:
        self.beside_other_keys = beside_other_keys
        self.reactivate_retired = reactivate_retired
        self.delete = delete
        # The messages name okta_service_app's options; option_for names another module's option for one of them.
        self.option_for = option_for or {}
        self.make_room: list[dict[str, Any]] = []

    def option(self, name: str) -> str:
        return "O(%s)" % self.option_for.get(name, name)

    def key(self, item: dict[str, Any]) -> Hashable:
        return item.get("kid") or item.get("id")

    def same(self, desired: dict[str, Any], current: dict[str, Any]) -> bool:
        return same_public_key(desired, current) and current.get("status") == "ACTIVE"

    def view(self, item: dict[str, Any]) -> Any:
        return key_view(item)

    @staticmethod
    def purge_active(item: dict[str, Any]) -> bool:
        """What a purge of keys takes: ACTIVE keys only; retired keys stay as Okta's record of them."""
        return item.get("status", "ACTIVE") == "ACTIVE"

    @staticmethod
    def purge_sealed(item: dict[str, Any]) -> bool:
        """What every run that registers keys retires without a purge: an ACTIVE sealed key, which nobody signs with."""
        return JwkMember.purge_active(item) and is_sealed(item)

    def after_removal(self, item: dict[str, Any]) -> dict[str, Any] | None:
        return None if self.delete else dict(item, status="INACTIVE")

    def remaining(self, current: list[dict[str, Any]], delta: ListDelta) -> list[dict[str, Any]]:
        deleted = {self.key(key) for key in self.make_room}
        return [key for key in super().remaining(current, delta) if self.key(key) not in deleted]

    def align(self, current: list[dict[str, Any]], desired: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """A desired key the app already holds under another kid goes by that kid: it is the same key, not a new one."""
        aligned = []
        for key in desired:
            kid = registered_kid(current, key) if "n" in key else None
            aligned.append(dict(key, kid=kid) if kid and kid != key.get("kid") and not any(k.get("kid") == key.get("kid") for k in current) else key)
        return aligned

    def describe(self, action: str, items: Any) -> str:
        if action == "remove" and not self.delete:
            action = "retire (deactivate, kept INACTIVE)"
        return "%s %s %s" % (action, self.noun + ("s" if len(items) > 1 else ""), ", ".join(str(self.key(item)) for item in items))

    def current(self, client: OktaClient, parent: dict[str, Any]) -> list[dict[str, Any]]:
        """The app's key list, read from /credentials/jwks: unlike the keys embedded in the app (TF-VCR
        AppOauth_serviceWithJWKS), its keys carry created and lastUpdated (Okta's spec, OAuth2ClientJsonWebKeyResponseBase),
        which say how old a key is, when it was retired and which key is the newest."""
        return self.reread(client, parent)

    def reread(self, client: OktaClient, parent: dict[str, Any]) -> list[dict[str, Any]]:
        body = client.get(self._path(parent))
        # The schema says array, Okta's own example an object: accept both (docs/okta-api.md 0.1).
        if isinstance(body, dict):
            body = (body.get("jwks") or {}).get("keys") or body.get("keys") or []
        return list(body)

    def check_delta(self, parent: Any, delta: ListDelta, current: list[dict[str, Any]]) -> None:
        for desired, existing in delta.to_update:
            if not same_public_key(desired, existing):
                raise OktaConfigError(
                    "kid %s is already registered on the app for a different key; choose another kid or remove that key first" % desired["kid"])
            if existing.get("status") != "ACTIVE" and not self.reactivate_retired:
                raise OktaConfigError(
                    "key %s was retired: the app holds it INACTIVE, and a retired key is never made ACTIVE again by a run (it "
                    "may have been retired because it leaked). Use the key the app holds ACTIVE (%s), or a new key through a "
                    "key rotation; to re-activate this key on purpose, set %s=true"
                    % (describe_held(existing), ", ".join(describe_held(key) for key in current if key.get("status") == "ACTIVE") or "none",
                       self.option("reactivate_retired_keys")))
        active = [key for key in current if key.get("status") == "ACTIVE"]
        signing = [key for key in active if in_use(key)]
        if delta.to_add and signing and not self.beside_other_keys:
            raise OktaConfigError(
                "the app already holds the ACTIVE key%s %s, and key %s is not among them; a key is never added beside keys in use silently. "
                "Give the key in use (%s), or add the new key beside it on purpose to start a key rotation "
                "(%s=true) and retire the old key once its user has the new one"
                % ("s" if len(signing) > 1 else "", ", ".join(describe_held(key) for key in signing),
                   ", ".join(str(key.get("kid")) for key in delta.to_add), self.option("public_keys"), self.option("add_beside_active_keys")))
        self._refuse_retiring_the_newest(delta, current)
        if any(not key.get("kid") for key in current) and delta.to_add:
            raise OktaConfigError("the app has a key without a kid; Okta refuses to add keys until it is removed")
        self.make_room = self._oldest_retired_to_delete(delta, current)
        removed = {self.key(item) for item in delta.to_remove}
        active_after = [key for key in active if self.key(key) not in removed]
        if delta.to_add or delta.to_update:
            return
        if current and not active_after:
            raise OktaConfigError("this would leave the app without an ACTIVE key, and its private_key_jwt clients could no longer authenticate")
        if signing and not any(in_use(key) for key in active_after):
            raise OktaConfigError("this would leave the app with only the sealed key %s, which nobody can sign with, and its private_key_jwt "
                                  "clients could no longer authenticate" % SEALED_KID)

    def _refuse_retiring_the_newest(self, delta: ListDelta, current: list[dict[str, Any]]) -> None:
        retiring = [key for key in delta.to_remove if in_use(key)]
        if not retiring or self.delete or delta.to_add:
            return
        removed = {self.key(key) for key in delta.to_remove}
        kept = [key for key in current if key.get("status") == "ACTIVE" and self.key(key) not in removed]
        kept += [existing for _desired, existing in delta.to_update]
        newest_kept = max((key_created(key) for key in kept), default=0.0)
        # Okta's created has whole seconds: a key of the same second as the newest kept key may be the newer one.
        newer = [key for key in retiring if key_created(key) >= newest_kept]
        if newer:
            raise OktaConfigError(
                "the app's key %s is not older than the key%s this run keeps (%s); it may be the key a key rotation has just handed over, "
                "so it is never retired without being named. Keep it by giving it as the key to keep (%s), or remove "
                "it by its kid on purpose (okta_app_jwk state=absent kid=%s)"
                % (", ".join(describe_held(key) for key in newer), "s" if len(kept) > 1 else "",
                   ", ".join(describe_held(key) for key in kept) or "none", self.option("public_keys"), newer[0].get("kid")))

    def _oldest_retired_to_delete(self, delta: ListDelta, current: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The oldest retired keys that must go for the additions to fit within Okta's 50 keys; an error if they cannot."""
        excess = len(current) + len(delta.to_add) - MAX_KEYS_PER_APP
        if excess <= 0:
            return []
        removed = {self.key(key) for key in delta.to_remove} if self.delete else set()
        retired = sorted((key for key in current if key.get("status") != "ACTIVE" and self.key(key) not in removed), key=key_created)
        excess -= len(removed)
        if excess > len(retired):
            raise OktaConfigError("Okta allows at most %d keys per app, and the app holds %d ACTIVE keys; retire keys first (%s=true)"
                                  % (MAX_KEYS_PER_APP, len(current) - len(retired), self.option("purge_public_keys")))
        return retired[:max(excess, 0)]

    def write(self, plan: Plan, client: OktaClient, parent: Any, delta: ListDelta) -> None:
        if self.make_room:
            plan.write("delete the oldest retired key%s %s to stay within Okta's %d keys per app"
                       % ("s" if len(self.make_room) > 1 else "", ", ".join(describe_held(key) for key in self.make_room), MAX_KEYS_PER_APP),
                       lambda: self._delete(client, parent, self.make_room))
        super().write(plan, client, parent, delta)

    def add(self, client: OktaClient, parent: dict[str, Any], items: list[dict[str, Any]]) -> None:
        for item in items:
            body = {name: item[name] for name in ("kid", "kty", "e", "n")}
            body.update({"alg": "RS256", "use": "sig", "status": "ACTIVE"})
            client.post(self._path(parent), body)

    def update(self, client: OktaClient, parent: dict[str, Any], desired: dict[str, Any], current: dict[str, Any]) -> None:
        client.post("%s/%s/lifecycle/activate" % (self._path(parent), current["id"]), retry_unsafe=True)

    def remove(self, client: OktaClient, parent: dict[str, Any], items: list[dict[str, Any]]) -> None:
        for item in items:
            if item.get("status") == "ACTIVE":
                client.post("%s/%s/lifecycle/deactivate" % (self._path(parent), item["id"]), retry_unsafe=True)
        if self.delete:
            self._delete(client, parent, items)

    def _delete(self, client: OktaClient, parent: dict[str, Any], items: list[dict[str, Any]]) -> None:
        """Okta deletes INACTIVE keys only (docs/okta-api.md 6.4)."""
        for item in items:
            client.delete("%s/%s" % (self._path(parent), item["id"]))

    @staticmethod
    def _path(parent: dict[str, Any]) -> str:
        return "/api/v1/apps/%s/credentials/jwks" % parent["id"]
