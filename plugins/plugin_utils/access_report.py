# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The machine-to-machine access report of playbooks/audit.yml: which API Services apps hold admin power or Okta
API scopes, what is risky about each, and the report as JSON-able data and as Markdown.

Input is what okta_service_app_info returns per org; nothing here calls Okta.

Private to the collection (not a public API): it may change in any release.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import Any

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
        old = [key for key in app.get("public_keys") or []
               if key.get("status") == "ACTIVE" and key.get("age_days") is not None and key["age_days"] > key_max_age_days]
        if old:
            flags.append({"flag": "old_key", "why": "key %s older than %d days" % (
                ", ".join("%s (%d days)" % (key.get("kid"), key["age_days"]) for key in old), key_max_age_days)})
    if not app.get("dpop_bound_access_tokens"):
        flags.append({"flag": "no_dpop", "why": "does not require DPoP"})
    if idle_days > 0 and not app.get("last_token_issued"):
        flags.append({"flag": "idle", "why": "no access token issued in the last %d days" % idle_days})
    return flags


def _row(app: dict[str, Any], key_max_age_days: int, idle_days: int) -> dict[str, Any]:
    active = [key for key in app.get("public_keys") or [] if key.get("status") == "ACTIVE"]
    ages = [key["age_days"] for key in active if key.get("age_days") is not None]
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


def access_report(orgs: dict[str, Any], key_max_age_days: Any = KEY_MAX_AGE_DAYS, idle_days: Any = 0, now: float | None = None) -> dict[str, Any]:
    """The report over orgs, {name: {"org_url", "apps" (okta_service_app_info's apps), "error"}}.

    Only apps that hold an admin role or an Okta API scope are listed; in each org flagged apps come first, the
    most flags first, then by label. key_max_age_days 0 flags no key for its age; idle_days 0 asks nothing about tokens.
    """
    max_age = _check_days(key_max_age_days, "key_max_age_days")
    idle = _check_days(idle_days, "idle_days", MAX_IDLE_DAYS)
    if not isinstance(orgs, dict):
        raise AccessReportError("the orgs must be a dict of org name to {org_url, apps, error}")
    stamp = time.time() if now is None else now
    report_orgs = []
    counts = {flag: 0 for flag in FLAGS}
    for name in sorted(orgs):
        org = orgs[name] or {}
        rows = [_row(app, max_age, idle) for app in org.get("apps") or [] if app.get("roles") or app.get("scopes")]
        rows.sort(key=lambda row: (-len(row["flags"]), str(row["label"]).lower(), str(row["client_id"])))
        for row in rows:
            for flag in row["flags"]:
                counts[flag["flag"]] += 1
        report_orgs.append({"org": name, "org_url": org.get("org_url") or "", "error": org.get("error") or "", "apps": rows,
                            "flagged": sum(1 for row in rows if row["flags"])})
    return {
        "generated": datetime.fromtimestamp(stamp, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "key_max_age_days": max_age,
        "idle_days": idle,
        "orgs": report_orgs,
        "summary": {"orgs": len(report_orgs), "apps": sum(len(org["apps"]) for org in report_orgs),
                    "flagged": sum(org["flagged"] for org in report_orgs), "by_flag": counts,
                    "unreadable_orgs": [org["org"] for org in report_orgs if org["error"]]},
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


def access_report_markdown(report: dict[str, Any]) -> str:
    """The report as Markdown: a summary, then one table per org, flagged apps first."""
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
        "Key age limit: %s. Idle apps: %s." % (
            "%d days" % report["key_max_age_days"] if report.get("key_max_age_days") else "not checked",
            "no token in the last %d days" % idle if idle else "not checked"),
        "",
    ]
    counted = [(flag, count) for flag, count in (summary.get("by_flag") or {}).items() if count]
    if counted:
        lines += ["Flags: " + ", ".join("%s %d" % (flag, count) for flag, count in counted) + ".", ""]
    header = ["flags", "app", "client id", "status", "client authentication", "DPoP", "admin roles", "Okta API scopes", "oldest active key"]
    if idle:
        header.append("last token")
    for org in orgs:
        lines += ["## %s" % org["org"] + (" (%s)" % org["org_url"] if org.get("org_url") else ""), ""]
        if org.get("error"):
            lines += ["**Not read:** %s" % _cell(org["error"]), ""]
            continue
        if not org["apps"]:
            lines += ["No API Services app holds an admin role or an Okta API scope.", ""]
            continue
        lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for row in org["apps"]:
            key_days = row.get("oldest_active_key_days")
            cells = [
                "**" + "; ".join(flag["why"] for flag in row["flags"]) + "**" if row["flags"] else "-",
                row.get("label"), row.get("client_id"), row.get("status"), row.get("token_endpoint_auth_method"),
                "required" if row.get("dpop_bound_access_tokens") else "off",
                ", ".join(row.get("roles") or []) or "-", " ".join(row.get("scopes") or []) or "-",
                _days(key_days) if key_days is not None else "-",
            ]
            if idle:
                cells.append(_last_token(row, now))
            lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
        lines.append("")
    return "\n".join(lines)
