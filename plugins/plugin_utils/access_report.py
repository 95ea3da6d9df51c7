# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The machine-to-machine access report of playbooks/audit.yml: which API Services apps hold admin power or Okta
API scopes, which API tokens the org has, what is risky about each, and the report as JSON-able data and as Markdown.

Input is what okta_service_app_info and okta_api_token_info return per org; nothing here calls Okta.

Private to the collection (not a public API): it may change in any release.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import Any

from ansible_collections.saasops.okta_m2m.plugins.module_utils.sealed_keys import SEALED_KID, awaits_vendor_key, in_use
from ansible_collections.saasops.okta_m2m.plugins.module_utils.timestamps import age_in_days

# A private authentication key's cryptoperiod is one to two years (NIST SP 800-57 Part 1 Rev. 5, 5.3.6, table 1):
# the lower bound, so a key is replaced at least once a year, as yearly access reviews expect.
KEY_MAX_AGE_DAYS = 365
# Okta keeps System Log events for 90 days: "no token for N days" can be told for N up to that.
MAX_IDLE_DAYS = 90

SUPER_ADMIN = "SUPER_ADMIN"
ORG_ADMIN = "ORG_ADMIN"
# The order flags are listed and counted in, most serious first.
FLAGS = ("super_admin", "org_admin", "client_secret", "old_key", "no_dpop", "idle")
TOKEN_FLAGS = ("super_admin", "idle")


class AccessReportError(ValueError):
    """Input the report cannot be built from; the message names it."""


def _flags(app: dict[str, Any], key_max_age_days: int, idle_days: int) -> list[dict[str, str]]:
    flags = []
    role_types = {role.get("type") for role in app.get("roles") or []}
    if SUPER_ADMIN in role_types:
        flags.append({"flag": "super_admin", "why": "holds Super Administrator"})
    if ORG_ADMIN in role_types:
        flags.append({"flag": "org_admin", "why": "holds Org Administrator"})
    method = app.get("token_endpoint_auth_method") or ""
    if method.startswith("client_secret"):
        flags.append({"flag": "client_secret", "why": "authenticates with a client secret (%s)" % method})
    if key_max_age_days > 0:
        old = [key for key in _signing_keys(app) if key.get("age_days") is not None and key["age_days"] > key_max_age_days]
        if old:
            flags.append({"flag": "old_key", "why": "key %s older than %d days" % (
                ", ".join("%s (%d days)" % (key.get("kid"), key["age_days"]) for key in old), key_max_age_days)})
    if not app.get("dpop_bound_access_tokens"):
        flags.append({"flag": "no_dpop", "why": "does not require DPoP"})
    if idle_days > 0 and not app.get("last_token_issued"):
        flags.append({"flag": "idle", "why": "no access token issued in the last %d days" % idle_days})
    return flags


def _signing_keys(app: dict[str, Any]) -> list[dict[str, Any]]:
    """The ACTIVE keys someone may sign with: a sealed key (the vendor's key is awaited) has no signer, so no age to flag."""
    return [key for key in app.get("public_keys") or [] if in_use(key)]


def _row(app: dict[str, Any], key_max_age_days: int, idle_days: int) -> dict[str, Any]:
    ages = [key["age_days"] for key in _signing_keys(app) if key.get("age_days") is not None]
    row = {
        "label": app.get("label"),
        "id": app.get("id"),
        "client_id": app.get("client_id"),
        "status": app.get("status"),
        "token_endpoint_auth_method": app.get("token_endpoint_auth_method"),
        "dpop_bound_access_tokens": bool(app.get("dpop_bound_access_tokens")),
        "roles": [_role_name(role) for role in app.get("roles") or []],
        "scopes": list(app.get("scopes") or []),
        "keys": [{name: key.get(name) for name in ("kid", "status", "created", "age_days")} for key in app.get("public_keys") or []],
        # Keys a vendor holds at a JWKS URL have no age Okta knows: the row names the URL, and no key is flagged old.
        "jwks_uri": app.get("jwks_uri") or None,
        "awaiting_vendor_key": awaits_vendor_key(app.get("jwks_uri"), app.get("public_keys") or []),
        "oldest_active_key_days": max(ages) if ages else None,
        "flags": _flags(app, key_max_age_days, idle_days),
    }
    if idle_days > 0:
        row["last_token_issued"] = app.get("last_token_issued")
    return row


def _role_name(role: dict[str, Any]) -> str:
    if role.get("type") != "CUSTOM":
        return str(role.get("type"))
    return "%s on %s" % (role.get("role_label") or role.get("role"), role.get("resource_set_label") or role.get("resource_set"))


def _check_days(value: Any, name: str, upper: int | None = None) -> int:
    try:
        days = int(value)
    except (TypeError, ValueError):
        raise AccessReportError("%s must be a whole number of days, got %r" % (name, value)) from None
    if days < 0 or (upper is not None and days > upper):
        raise AccessReportError("%s must be between 0 and %s, got %d" % (name, upper if upper is not None else "any", days))
    return days


def _network(network: dict[str, Any] | None) -> str:
    """A token's network restriction in a few words: "ANYWHERE", "ZONE (include nzo1, nzo2; exclude nzo3)"."""
    network = network or {}
    zones = "; ".join("%s %s" % (name, ", ".join(network[name])) for name in ("include", "exclude") if network.get(name))
    return str(network.get("connection") or "-") + (" (%s)" % zones if zones else "")


def _token_flags(token: dict[str, Any], idle_days: int) -> list[dict[str, str]]:
    flags = []
    owner = token.get("owner") or {}
    if owner.get("super_admin"):
        flags.append({"flag": "super_admin", "why": "its owner %s holds Super Administrator" % (owner.get("login") or owner.get("id"))})
    idle = token.get("idle_days")
    if idle_days > 0 and idle is not None and idle >= idle_days:
        flags.append({"flag": "idle", "why": "not used in the last %d days (last used %s)" % (idle_days, _days(idle) + " ago")})
    return flags


def _token_row(token: dict[str, Any], idle_days: int) -> dict[str, Any]:
    owner = token.get("owner") or {}
    return {
        "name": token.get("name"),
        "id": token.get("id"),
        "owner": owner.get("login") or owner.get("id"),
        "owner_id": owner.get("id"),
        "owner_admin_roles": list(owner.get("admin_roles") or []),
        "client_name": token.get("client_name"),
        "created": token.get("created"),
        "last_updated": token.get("last_updated"),
        "idle_days": token.get("idle_days"),
        "expires_at": token.get("expires_at"),
        "token_window": token.get("token_window"),
        "network": _network(token.get("network")),
        "flags": _token_flags(token, idle_days),
    }


def _flagged_first(rows: list[dict[str, Any]], name: str, tie: str) -> list[dict[str, Any]]:
    """Flagged rows first, the most flags first, then by name (case aside), then by the tie-breaking field."""
    return sorted(rows, key=lambda row: (-len(row["flags"]), str(row[name]).lower(), str(row[tie])))


def _count(rows: list[dict[str, Any]], flags: tuple[str, ...]) -> dict[str, int]:
    counts = {flag: 0 for flag in flags}
    for row in rows:
        for flag in row["flags"]:
            counts[flag["flag"]] += 1
    return counts


def access_report(orgs: dict[str, Any], key_max_age_days: Any = KEY_MAX_AGE_DAYS, idle_days: Any = 0, now: float | None = None) -> dict[str, Any]:
    """The report over orgs, {name: {"org_url", "apps" (okta_service_app_info's apps), "error", "api_tokens"
    (okta_api_token_info's api_tokens; absent or None: not read), "api_tokens_error"}}.

    Only apps that hold an admin role or an Okta API scope are listed, and every API token; in each org flagged rows
    come first, the most flags first, then by label or name. key_max_age_days 0 flags no key for its age; idle_days 0
    asks nothing about tokens, either kind.
    """
    max_age = _check_days(key_max_age_days, "key_max_age_days")
    idle = _check_days(idle_days, "idle_days", MAX_IDLE_DAYS)
    if not isinstance(orgs, dict):
        raise AccessReportError("the orgs must be a dict of org name to {org_url, apps, error, api_tokens, api_tokens_error}")
    stamp = time.time() if now is None else now
    report_orgs = []
    for name in sorted(orgs):
        org = orgs[name] or {}
        rows = _flagged_first([_row(app, max_age, idle) for app in org.get("apps") or [] if app.get("roles") or app.get("scopes")],
                              "label", "client_id")
        tokens = org.get("api_tokens")
        token_rows = None if tokens is None else _flagged_first([_token_row(token, idle) for token in tokens], "name", "id")
        report_orgs.append({"org": name, "org_url": org.get("org_url") or "", "error": org.get("error") or "", "apps": rows,
                            "flagged": sum(1 for row in rows if row["flags"]),
                            "api_tokens": token_rows, "api_tokens_error": org.get("api_tokens_error") or "",
                            "api_tokens_flagged": sum(1 for row in token_rows or [] if row["flags"])})
    all_rows = [row for org in report_orgs for row in org["apps"]]
    all_tokens = [row for org in report_orgs for row in org["api_tokens"] or []]
    return {
        "generated": datetime.fromtimestamp(stamp, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "key_max_age_days": max_age,
        "idle_days": idle,
        "orgs": report_orgs,
        "summary": {"orgs": len(report_orgs), "apps": len(all_rows),
                    "flagged": sum(org["flagged"] for org in report_orgs), "by_flag": _count(all_rows, FLAGS),
                    "unreadable_orgs": [org["org"] for org in report_orgs if org["error"]],
                    "api_tokens": len(all_tokens), "api_tokens_flagged": sum(org["api_tokens_flagged"] for org in report_orgs),
                    "api_tokens_by_flag": _count(all_tokens, TOKEN_FLAGS),
                    "api_tokens_unread": [org["org"] for org in report_orgs if org["api_tokens"] is None or org["api_tokens_error"]]},
    }


def _cell(value: Any) -> str:
    """A Markdown table cell: pipes escaped, line breaks flattened."""
    return str(value).replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def _days(count: int) -> str:
    return "%d day%s" % (count, "" if count == 1 else "s")


def _last_token(row: dict[str, Any], now: float) -> str:
    issued = row.get("last_token_issued")
    if not issued:
        return "none"
    days = age_in_days(issued, now)
    return "%s (%s ago)" % (issued, _days(days)) if days is not None else str(issued)


def _row_flags(row: dict[str, Any]) -> str:
    return "**" + "; ".join(flag["why"] for flag in row["flags"]) + "**" if row["flags"] else "-"


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + ["| " + " | ".join(_cell(cell) for cell in cells) + " |" for cells in rows]


def _apps_lines(org: dict[str, Any], idle: int, now: float) -> list[str]:
    if org.get("error"):
        return ["**Not read:** %s" % _cell(org["error"]), ""]
    if not org["apps"]:
        return ["No API Services app holds an admin role or an Okta API scope.", ""]
    header = ["flags", "app", "client id", "status", "client authentication", "DPoP", "admin roles", "Okta API scopes", "oldest active key"]
    if idle:
        header.append("last token")
    rows = []
    for row in org["apps"]:
        key_days = row.get("oldest_active_key_days")
        cells = [_row_flags(row), row.get("label"), row.get("client_id"), row.get("status"), row.get("token_endpoint_auth_method"),
                 "required" if row.get("dpop_bound_access_tokens") else "off", ", ".join(row.get("roles") or []) or "-",
                 " ".join(row.get("scopes") or []) or "-", _keys_cell(row)]
        if idle:
            cells.append(_last_token(row, now))
        rows.append(cells)
    return _table(header, rows) + [""]


def _keys_cell(row: dict[str, Any]) -> str:
    """The age of the oldest ACTIVE key saved in Okta; for keys a vendor holds, where it publishes them (their age is not known)."""
    if row.get("jwks_uri"):
        return "keys held by the vendor at %s" % row["jwks_uri"]
    if row.get("awaiting_vendor_key"):
        return "awaiting the vendor's key (sealed key %s only: nobody can sign)" % SEALED_KID
    key_days = row.get("oldest_active_key_days")
    return _days(key_days) if key_days is not None else "-"


def _since(timestamp: Any, now: float) -> str:
    days = age_in_days(timestamp, now)
    return "%s (%s ago)" % (timestamp, _days(days)) if days is not None else str(timestamp or "-")


def _tokens_lines(org: dict[str, Any], now: float) -> list[str]:
    lines = ["### API tokens", ""]
    if org.get("api_tokens_error"):
        return lines + ["**Not read:** %s" % _cell(org["api_tokens_error"]), ""]
    if org.get("api_tokens") is None:
        return lines + ["Not asked for (audit_api_tokens: false).", ""]
    if not org["api_tokens"]:
        return lines + ["No active API token.", ""]
    header = ["flags", "token", "id", "owner (admin roles)", "created", "last used", "expires", "network"]
    rows = [[_row_flags(row), row.get("name"), row.get("id"),
             "%s (%s)" % (row.get("owner"), ", ".join(row.get("owner_admin_roles") or []) or "no admin role"),
             row.get("created"), _since(row.get("last_updated"), now), row.get("expires_at"), row.get("network")]
            for row in org["api_tokens"]]
    return lines + _table(header, rows) + [""]


def access_report_markdown(report: dict[str, Any]) -> str:
    """The report as Markdown: a summary, then per org a table of apps and one of API tokens, flagged rows first."""
    try:
        now = datetime.strptime(report["generated"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).timestamp()
        orgs = report["orgs"]
    except (KeyError, TypeError, ValueError):
        raise AccessReportError("not an access report (it is what okta_access_report returns)") from None
    idle = report.get("idle_days") or 0
    summary = report.get("summary") or {}
    lines = [
        "# Okta machine-to-machine access report",
        "",
        "Generated %s. API Services apps that hold an admin role or an Okta API scope: %d in %d org(s), %d flagged."
        % (report["generated"], summary.get("apps", 0), summary.get("orgs", 0), summary.get("flagged", 0)),
        "API tokens: %d, %d flagged." % (summary.get("api_tokens", 0), summary.get("api_tokens_flagged", 0)),
        "Key age limit: %s. Idle apps: %s. Idle API tokens: %s." % (
            "%d days" % report["key_max_age_days"] if report.get("key_max_age_days") else "not checked",
            "no token in the last %d days" % idle if idle else "not checked",
            "not used in the last %d days (by Okta's lastUpdated)" % idle if idle else "not checked"),
        "",
    ]
    for title, counts in (("Flags", summary.get("by_flag")), ("API token flags", summary.get("api_tokens_by_flag"))):
        counted = [(flag, count) for flag, count in (counts or {}).items() if count]
        if counted:
            lines += ["%s: %s." % (title, ", ".join("%s %d" % (flag, count) for flag, count in counted)), ""]
    for org in orgs:
        lines += ["## %s" % org["org"] + (" (%s)" % org["org_url"] if org.get("org_url") else ""), ""]
        lines += _apps_lines(org, idle, now)
        lines += _tokens_lines(org, now)
    return "\n".join(lines)
