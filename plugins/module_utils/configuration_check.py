# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What can be proven about an M2M app without its private key: the check of an app whose key a vendor holds.

The vendor signs its client assertions with a private key that never leaves it, so no token can be minted here. What the
app must be for the vendor's first token to work is read instead, item by item, with the admin's credentials: the app is
ACTIVE, authenticates with private_key_jwt, holds the vendor's key (saved in Okta, ACTIVE) or fetches its keys from the
vendor's URL, requires DPoP only if the vendor sends it, is granted the Okta API scopes and holds admin roles. The rest -
that the vendor signs with that key, its clock, each call its scopes allow - only the vendor's first token proves.

Private to the collection (not a public API): it may change in any release.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

from ansible_collections.saasops.okta_m2m.plugins.module_utils.app_report import ServiceAppReporter, TOKEN_GRANT_EVENT
from ansible_collections.saasops.okta_m2m.plugins.module_utils.apps import PRIVATE_KEY_JWT, client_id_of, jwks_uri_of, public_jwk_for_okta, saved_keys
from ansible_collections.saasops.okta_m2m.plugins.module_utils.grants import GrantMember
from ansible_collections.saasops.okta_m2m.plugins.module_utils.jwks import describe_held, held_thumbprint, key_view
from ansible_collections.saasops.okta_m2m.plugins.module_utils.keys import jwk_thumbprint
from ansible_collections.saasops.okta_m2m.plugins.module_utils.m2m_check import not_granted_reason
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_client import OktaClient
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_scopes import KNOWN_OKTA_SCOPES, unknown_scopes
from ansible_collections.saasops.okta_m2m.plugins.module_utils.role_assignments import CUSTOM, parse_roles
from ansible_collections.saasops.okta_m2m.plugins.module_utils.sealed_keys import SEALED_KID, awaits_vendor_key

CONFIGURATION = "configuration"
# What the check cannot prove, and where the proof shows up once the vendor connects.
FIRST_TOKEN = (
    "Without the vendor's private key this check proves the app's configuration only: the vendor's first token proves the "
    "rest (that it signs with the registered key, its client id and clock, and every call its scopes allow). See that token "
    "with saasops.okta_m2m.okta_service_app_info last_token=true, or in the System Log: event %s, actor the client id %s."
)


@dataclass
class CheckedItem:
    """One thing the vendor's first token depends on: what was found, and the problem when it will not do."""

    item: str
    ok: bool
    found: str
    problem: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"item": self.item, "ok": self.ok, "found": self.found, "problem": self.problem}


def checked(item: str, found: str, problem: str = "") -> CheckedItem:
    """An item that is fine unless a problem is named."""
    return CheckedItem(item, not problem, found, problem)


@dataclass
class ConfigurationReport:
    client_id: str
    label: str
    jwks_uri: str
    items: list[CheckedItem] = field(default_factory=list)
    keys: list[dict[str, Any]] = field(default_factory=list)
    scopes: list[dict[str, Any]] = field(default_factory=list)
    roles: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(item.ok for item in self.items)

    def problems(self) -> list[str]:
        return ["%s: %s" % (item.item, item.problem) for item in self.items if not item.ok]

    @property
    def first_token(self) -> str:
        return FIRST_TOKEN % (TOKEN_GRANT_EVENT, self.client_id)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "check": CONFIGURATION,
            "client_id": self.client_id,
            "label": self.label,
            "key_source": "jwks_uri" if self.jwks_uri else "saved",
            "jwks_uri": self.jwks_uri or None,
            "saved_keys": self.keys,
            "checks": [item.as_dict() for item in self.items],
            "scopes": self.scopes,
            "roles": self.roles,
            "problems": self.problems(),
            "first_token": self.first_token,
        }


@dataclass
class Expected:
    """What the caller expects of the app: the vendor's public JWK or its kid, or the vendor's URL; DPoP; admin roles."""

    public_jwk: dict[str, Any] | None = None
    kid: str | None = None
    jwks_uri: str | None = None
    dpop: str = "auto"
    roles: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def from_options(cls, public_jwk: dict[str, Any] | None, kid: str | None, jwks_uri: str | None, dpop: str,
                     roles: Sequence[Any] | None) -> Expected:
        """Checked before any call: a public JWK as okta_service_app registers it, roles as okta_role_assignment takes them."""
        if public_jwk is not None:
            public_jwk_for_okta(public_jwk)
        return cls(public_jwk, kid, jwks_uri, dpop, parse_roles(roles, "expected_roles") if roles else [])


def check_configuration(client: OktaClient, app: dict[str, Any], scopes: list[str], expected: Expected) -> ConfigurationReport:
    """Every item of the app the vendor's first token depends on: the app as read (its keys come with it), its grants, its
    roles (and the labels of their resource sets)."""
    oauth = (app.get("settings") or {}).get("oauthClient") or {}
    credentials = (app.get("credentials") or {}).get("oauthClient") or {}
    report = ConfigurationReport(client_id_of(app), str(app.get("label")), jwks_uri_of(app))
    report.keys = [key_view(key) for key in saved_keys(app)]
    status = app.get("status")
    report.items.append(checked("app", "%s, %s" % (report.label, status),
                                "" if status == "ACTIVE" else
                                "the app is %s: Okta issues no token to it; activate it (okta_service_app enabled=true)" % status))
    report.items.append(_client_authentication(credentials.get("token_endpoint_auth_method"), oauth.get("grant_types") or []))
    report.items.append(_url_key(report.jwks_uri, expected) if report.jwks_uri else _saved_key(saved_keys(app), expected))
    report.items.append(_dpop(bool(oauth.get("dpop_bound_access_tokens")), expected.dpop))
    granted = {grant["scopeId"] for grant in GrantMember(client.org_url).current(client, app)}
    report.scopes = [{"scope": scope, "granted": scope in granted, "reason": "" if scope in granted else _scope_reason(scope)} for scope in scopes]
    report.items.append(checked("scopes", " ".join(sorted(granted)) or "none granted",
                                "; ".join("%s: %s" % (entry["scope"], entry["reason"]) for entry in report.scopes if not entry["granted"])))
    report.roles = ServiceAppReporter(client).roles(app)
    report.items.append(_roles(report.roles, expected.roles))
    return report


def _client_authentication(method: str | None, grant_types: list[str]) -> CheckedItem:
    found = "%s, grant types %s" % (method, ", ".join(grant_types) or "none")
    if method != PRIVATE_KEY_JWT:
        return checked("client authentication", found, "the app authenticates with %s, not private_key_jwt: set it to 'Public key / "
                       "Private key' (okta_service_app converges it)" % method)
    if "client_credentials" not in grant_types:
        return checked("client authentication", found, "the app does not allow the client_credentials grant")
    return checked("client authentication", found)


def _saved_key(keys: list[dict[str, Any]], expected: Expected) -> CheckedItem:
    active = [key for key in keys if key.get("status", "ACTIVE") == "ACTIVE"]
    found = "saved keys: %s" % (", ".join("%s %s" % (key.get("kid"), key.get("status", "ACTIVE")) for key in keys) or "none")
    if expected.jwks_uri:
        return checked("key", found, "the app's keys are saved in Okta, not fetched from %s (okta_service_app jwks_uri)" % expected.jwks_uri)
    kid = expected.kid or (expected.public_jwk or {}).get("kid")
    if expected.public_jwk is not None:
        thumbprint = jwk_thumbprint(expected.public_jwk)
        holding = [key for key in keys if held_thumbprint(key) == thumbprint]
        if not holding:
            return checked("key", found, "the vendor's public key %s is not registered on the app; register it (okta_service_app "
                           "public_keys)" % kid)
        active = [key for key in holding if key.get("status", "ACTIVE") == "ACTIVE"]
        if not active:
            return checked("key", found, "the vendor's public key is registered INACTIVE (%s): Okta refuses what it signs"
                           % ", ".join(describe_held(key) for key in holding))
    if not active:
        return checked("key", found, "no ACTIVE key is registered on the app: Okta can verify no client assertion")
    if awaits_vendor_key(None, active):
        return checked("key", found, "the app holds only the sealed key %s, registered so that Okta would create the app before the "
                       "vendor showed its key; nobody can sign for it. Register the vendor's key (okta_service_app jwks_uri or "
                       "public_keys)" % SEALED_KID)
    if kid and not any(key.get("kid") == kid for key in active):
        return checked("key", found, "no ACTIVE key is registered under the kid %s, which the vendor sends: Okta refuses its assertions "
                       "(the kid must match)" % kid)
    return checked("key", found)


def _url_key(jwks_uri: str, expected: Expected) -> CheckedItem:
    found = "keys held by the vendor at %s" % jwks_uri
    if expected.jwks_uri and expected.jwks_uri != jwks_uri:
        return checked("key", found, "the app fetches its keys from %s, not from %s" % (jwks_uri, expected.jwks_uri))
    if expected.public_jwk is not None:
        return checked("key", found, "the app fetches its keys from %s, and no key is saved in Okta: check the URL (app_jwks_uri) "
                       "instead of a public key" % jwks_uri)
    return checked("key", found)


def _dpop(required: bool, client_dpop: str) -> CheckedItem:
    found = "required" if required else "not required"
    if required and client_dpop == "never":
        return checked("DPoP", found, "the app has 'Require DPoP' on, and the vendor's client sends no DPoP proofs (app_dpop=never): "
                       "turn it off (okta_service_app dpop_bound_access_tokens=false)")
    return checked("DPoP", found)


def _scope_reason(scope: str) -> str:
    if scope not in KNOWN_OKTA_SCOPES:
        return "unknown scope: Okta does not know %s" % unknown_scopes([scope])[0]
    return not_granted_reason(scope)


def _roles(roles: list[dict[str, Any]], expected: list[dict[str, Any]]) -> CheckedItem:
    found = ", ".join(_role_name(role) for role in roles) or "none"
    if not roles:
        return checked("admin roles", found, "the app holds no admin role, so Okta refuses every call its scopes allow (403); assign "
                       "one (okta_role_assignment)")
    missing = [entry for entry in expected if not any(_matches(role, entry) for role in roles)]
    return checked("admin roles", found, "not assigned: %s" % ", ".join(map(_expected_name, missing)) if missing else "")


def _role_name(role: dict[str, Any]) -> str:
    if role["type"] != CUSTOM:
        return str(role["type"])
    return "%s on %s" % (role.get("role_label") or role.get("role"), role.get("resource_set_label") or role.get("resource_set"))


def _expected_name(entry: dict[str, Any]) -> str:
    if entry["type"] != CUSTOM:
        return str(entry["type"])
    return "%s on %s" % (entry.get("role_name") or entry.get("role_id"), entry.get("resource_set_name") or entry.get("resource_set_id"))


def _matches(role: dict[str, Any], entry: dict[str, Any]) -> bool:
    """A standard role by type; a custom one by its role and resource set, each named by label or id."""
    if role["type"] != entry["type"]:
        return False
    if entry["type"] != CUSTOM:
        return True
    wanted_role = entry.get("role_name") or entry.get("role_id")
    wanted_set = entry.get("resource_set_name") or entry.get("resource_set_id")
    return wanted_role in (role.get("role"), role.get("role_label")) and wanted_set in (role.get("resource_set"), role.get("resource_set_label"))
