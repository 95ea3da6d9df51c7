# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The okta_service_connection role's vendor presets resolved into one connection, and what a converge of it left.

A preset is data (the role's vars/main/presets.yml): what a vendor's own set-up page asks of an Okta org. Resolving
applies the user's overrides and the one rule a preset cannot waive on its own: Super Administrator only on an explicit
yes. Standard library only: the role's filters import it in every worker that templates one.

Private to the collection (not a public API): it may change in any release.
"""

from __future__ import annotations

import json
from typing import Any

from ansible_collections.saasops.okta_m2m.plugins.module_utils.sealed_keys import is_active
from ansible_collections.saasops.okta_m2m.plugins.plugin_utils.connection_report import run_changes, step_result, teardown_changes

CUSTOM_PRESET = "custom"
KEY_HOLDERS = ("customer", "vendor_jwk", "vendor_jwks_uri")
KEY_SOURCES = {"customer": "generated here, handed to the vendor", "vendor_jwk": "the vendor's public JWK",
               "vendor_jwks_uri": "fetched from the vendor's JWKS URL"}
# The values a vendor's form can ask for, by the name a preset's form uses.
FORM_VALUES = ("org_url", "client_id", "key_id", "modulus", "exponent", "private_key", "public_jwk", "jwks_uri", "scopes")
SPEC_KEYS = ("vendor", "source", "source_read", "app_label", "app_scopes", "standard_roles", "custom_role", "require_dpop",
             "key_holder", "form", "super_admin_reason", "least_privilege")
REQUIRED_KEYS = ("vendor", "app_label", "app_scopes", "key_holder", "form")
SUPER_ADMIN = "SUPER_ADMIN"
PREFIX = "okta_service_connection_"


class ServiceConnectionError(ValueError):
    """A preset or an override the role cannot use; the message names the variable to change."""


def _custom_role(preset: dict[str, Any], tier: str, vendor: str) -> dict[str, Any] | None:
    role = preset.get("custom_role")
    if not role:
        return None
    if not isinstance(role, dict):
        raise ServiceConnectionError("%scustom_role must be a dict (label, permissions, resource_set_label, resources)" % PREFIX)
    resolved = dict(role)
    tiers = resolved.pop("tiers", None)
    if tiers:
        if tier not in tiers:
            raise ServiceConnectionError("%stier must be one of %s for %s, not %r" % (PREFIX, ", ".join(sorted(tiers)), vendor, tier))
        resolved["permissions"] = list(tiers[tier])
        resolved["tier"] = tier
    missing = [key for key in ("label", "permissions", "resource_set_label", "resources") if not resolved.get(key)]
    if missing:
        raise ServiceConnectionError("the custom role of %s needs %s (%scustom_role)" % (vendor, ", ".join(missing), PREFIX))
    resolved.setdefault("description", "Access for %s (managed by saasops.okta_m2m)" % vendor)
    resolved.setdefault("resource_set_description", "Resources %s may access (managed by saasops.okta_m2m)" % vendor)
    return resolved


def as_bool(value: Any, name: str) -> bool:
    """A yes or no as YAML or the command line (-e name=false) gives it."""
    if isinstance(value, bool) or value is None:
        return bool(value)
    if str(value).strip().lower() in ("true", "yes", "on", "1"):
        return True
    if str(value).strip().lower() in ("false", "no", "off", "0"):
        return False
    raise ServiceConnectionError("%s must be true or false, not %r" % (name, value))


def super_admin_refusal(spec: dict[str, Any]) -> str:
    least = spec.get("least_privilege") or {}
    alternative = ""
    if least.get("standard_roles"):
        custom = least.get("custom_role") or {}
        alternative = " The least-privilege alternative: %sstandard_roles: %s%s (%s)" % (
            PREFIX, list(least["standard_roles"]),
            " and %scustom_role: %s with %s on %s" % (PREFIX, custom.get("label"), custom.get("permissions"), custom.get("resources"))
            if custom else "", str(least.get("note") or "it reads what the scopes reach").strip())
    reason = spec.get("super_admin_reason")
    return ("The preset %s asks for the Super Administrator role on the app%s (%s, read %s). Nothing was written. Super "
            "Administrator can change everything in the org, including every admin and every app's keys. To grant it as the "
            "vendor asks, set %sallow_super_admin: true.%s"
            % (spec["vendor"], ": %s" % reason if reason else "", spec.get("source") or "your own preset",
               spec.get("source_read") or "-", PREFIX, alternative))


def resolve_preset(presets: Any, name: Any, overrides: Any, allow_super_admin: bool = False, tier: str = "minimum") -> dict[str, Any]:
    """The connection to converge: the preset NAME (or the user's own with name "custom"), with every non-empty override."""
    if not isinstance(presets, dict) or not isinstance(overrides, dict):
        raise ServiceConnectionError("expects the presets and the overrides as dicts")
    if name == CUSTOM_PRESET:
        preset: dict[str, Any] = {"vendor": overrides.get("vendor") or "custom", "source": "", "source_read": ""}
    elif name in presets:
        preset = dict(presets[name])
    else:
        raise ServiceConnectionError("%spreset must be one of %s, or %s with your own %s* variables; not %r"
                                     % (PREFIX, ", ".join(sorted(presets)), CUSTOM_PRESET, PREFIX, name))
    for key, value in overrides.items():
        if key not in SPEC_KEYS:
            raise ServiceConnectionError("unknown override %s%s" % (PREFIX, key))
        if value not in ("", None, [], {}):
            preset[key] = value
    missing = [PREFIX + key for key in REQUIRED_KEYS if preset.get(key) in ("", None, [])]
    if missing:
        raise ServiceConnectionError("the preset %s needs %s" % (preset.get("vendor"), ", ".join(missing)))
    if preset["key_holder"] not in KEY_HOLDERS:
        raise ServiceConnectionError("%skey_holder must be one of %s, not %r" % (PREFIX, ", ".join(KEY_HOLDERS), preset["key_holder"]))
    unknown = [item for item in preset["form"]
               if not isinstance(item, dict) or not item.get("field") or ("literal" not in item and item.get("value") not in FORM_VALUES)]
    if unknown:
        raise ServiceConnectionError("each of %sform is a field with a value among %s, or with a literal; not %s"
                                     % (PREFIX, ", ".join(FORM_VALUES), unknown))
    spec = {key: preset.get(key) for key in SPEC_KEYS}
    spec["standard_roles"] = list(spec["standard_roles"] or [])
    spec["require_dpop"] = as_bool(spec["require_dpop"], PREFIX + "require_dpop")
    spec["custom_role"] = _custom_role(preset, tier, spec["vendor"])
    if SUPER_ADMIN in spec["standard_roles"] and not allow_super_admin:
        raise ServiceConnectionError(super_admin_refusal(spec))
    return spec


def form_values(spec: dict[str, Any], app: dict[str, Any], key: dict[str, Any], settings: dict[str, Any]) -> dict[str, Any]:
    """The vendor's form, field by field in its words; the private key by where it is, never its content."""
    kept = [item for item in app.get("public_keys") or [] if item.get("status") == "ACTIVE"]
    newest = max(kept, key=lambda item: str(item.get("created") or ""), default={})
    public_jwk = key.get("public_jwk") or settings.get("vendor_public_jwk")
    known = {
        "org_url": settings.get("org_url", ""),
        "client_id": app.get("client_id", ""),
        "key_id": key.get("kid") or newest.get("kid", ""),
        "modulus": key.get("n", ""),
        "exponent": key.get("e", ""),
        "private_key": settings.get("private_key_source", ""),
        "public_jwk": json.dumps(public_jwk, sort_keys=True) if public_jwk else "",
        "jwks_uri": settings.get("jwks_uri", ""),
        "scopes": " ".join(spec["app_scopes"]),
    }
    return {str(item["field"]): item["literal"] if "literal" in item else known[item["value"]] for item in spec["form"]}


def service_report(results: Any, spec: Any, settings: Any) -> dict[str, Any]:
    """The converge's summary (for set_stats: no secret) and its lines (for the output).

    results: the registered results by step (key, app, role, resource_set, grants, roles, check); spec: the resolved preset;
    settings: org_url, private_key_source, jwks_uri, vendor_public_jwk, check_mode.
    """
    if not isinstance(results, dict) or not isinstance(spec, dict) or not isinstance(settings, dict):
        raise ServiceConnectionError("expects the registered results by step, the resolved preset and the settings, all dicts")
    app, key, check = step_result(results, "app"), step_result(results, "key"), step_result(results, "check")
    check_mode = bool(settings.get("check_mode"))
    form = form_values(spec, app, key, settings)
    changes = run_changes(results)
    vendor = spec["vendor"]
    vendor_holds_key = spec["key_holder"] != "customer"
    proven = check.get("ok") is True
    awaiting = bool(app.get("awaiting_vendor_key"))
    if awaiting:
        step = awaiting_step(spec, bool(app.get("client_id")))
    elif not app.get("client_id"):
        step = "Check mode: the app does not exist yet, so there is nothing to enter in %s's form." % vendor
    elif changes or app.get("created"):
        step = "Enter the values above in %s's form (%s)%s." % (
            vendor, spec.get("source") or "the vendor's set-up page",
            "; its first token proves the key it holds" if vendor_holds_key else "")
    else:
        step = "Nothing to do in %s: the org is as the preset leaves it." % vendor
    summary = {
        "vendor": vendor,
        "preset_source": spec.get("source") or "",
        "org_url": settings.get("org_url", ""),
        "app_label": spec["app_label"],
        "client_id": app.get("client_id", ""),
        "key_holder": spec["key_holder"],
        "scopes": list(spec["app_scopes"]),
        "standard_roles": list(spec["standard_roles"]),
        "custom_role": (spec.get("custom_role") or {}).get("label", ""),
        "dpop_required": spec["require_dpop"],
        "form": form,
        "verified": proven,
        "changes": changes,
        "check_mode": check_mode,
        "awaiting_vendor_key": awaiting,
        "manual_action_required": bool(app.get("client_id")) and bool(awaiting or changes or app.get("created")),
        "next_step": step,
    }
    if changes:
        first = ("Would change: " if check_mode else "Changed: ") + "; ".join(changes)
    else:
        first = "%s nothing: the org was already as the preset leaves it." % ("Would change" if check_mode else "Changed")
    proof = ("configured as %s needs them (the vendor's first token proves its key)" % vendor if vendor_holds_key
             else "proven with a token, as %s will use them" % vendor)
    roles = list(spec["standard_roles"]) + (["custom role '%s' on resource set '%s'" % (
        spec["custom_role"]["label"], spec["custom_role"]["resource_set_label"])] if spec.get("custom_role") else [])
    lines = [
        first,
        "Okta org %s: API Services app '%s' for %s (client id %s)" % (
            summary["org_url"], spec["app_label"], vendor, summary["client_id"] or "not created: check mode"),
        "Admin roles: %s" % (", ".join(roles) or "none"),
        "Scopes granted: %s" % " ".join(spec["app_scopes"]),
        "Key: %s; DPoP %s" % (sealed_key_line(vendor, app) if awaiting else KEY_SOURCES[spec["key_holder"]],
                              "required" if spec["require_dpop"] else "off"),
        "Credentials %s" % (proof if proven else "not proven in this run"),
        "%s's form: %s" % (vendor, "; ".join("%s: %s" % (field, value or "-") for field, value in form.items())),
        "Next: " + step,
    ]
    return {"summary": summary, "lines": lines}


def sealed_key_line(vendor: str, app: dict[str, Any]) -> str:
    kids = [str(key.get("kid")) for key in app.get("public_keys") or [] if is_active(key)]
    return "awaiting %s's key: the app holds a sealed key%s that nobody can sign for" % (vendor, " (%s)" % ", ".join(kids) if kids else "")


def awaiting_step(spec: dict[str, Any], app_exists: bool) -> str:
    """What to do while the vendor's key is awaited: give the vendor the app's client id, then run again with its key."""
    vendor = spec["vendor"]
    given, variable = (("the URL of its keys (JWKS URL)", PREFIX + "vendor_jwks_uri") if spec["key_holder"] == "vendor_jwks_uri"
                       else ("its public key (a JWK)", PREFIX + "vendor_public_jwk"))
    return "%s %s's form (%s); %s then shows %s: run again with -e %s=<what %s shows>. Until then nobody can get a token for the app." % (
        "Enter the values above in" if app_exists else "Check mode: once the app exists, enter its values in", vendor,
        spec.get("source") or "the vendor's set-up page", vendor, given, variable, vendor)


def service_teardown_lines(results: Any, vendor: str, check_mode: bool) -> list[str]:
    """What a teardown removed (would remove, in check mode), and the step left at the vendor."""
    if not isinstance(results, dict):
        raise ServiceConnectionError("expects the registered results by step, a dict")
    changes = teardown_changes(results)
    if check_mode:
        return [("Would remove: " + "; ".join(changes)) if changes else "Would remove nothing: the %s connection is not in this org." % vendor,
                "Disconnect Okta in %s first, if it is still connected: once the app is gone its syncs fail." % vendor]
    return [("Removed: " + "; ".join(changes)) if changes else "Removed nothing: the %s connection was not in this org." % vendor,
            "In %s, disconnect Okta if it is still connected: it can no longer sync." % vendor]
