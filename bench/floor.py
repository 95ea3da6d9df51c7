# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The floor model of make bench: the fewest Okta calls that converge an org, or prove it converged, step by step,
and how each call in an emulator's request log maps onto those steps."""

from __future__ import annotations

import math
import os
import re
import sys
from collections import Counter, defaultdict
from typing import Any

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# bench/run.sh links this checkout as the collection there.
sys.path.insert(0, os.path.join(ROOT, "collections"))
from ansible_collections.saasops.okta_m2m.plugins.module_utils.zluri_access import ZLURI_SCOPES  # noqa: E402  pylint: disable=wrong-import-position

# What the floor is computed for: the role's defaults (roles/zluri_okta/defaults/main.yml), whose scopes are Zluri's.
with open(os.path.join(ROOT, "roles", "zluri_okta", "defaults", "main.yml"), encoding="utf-8") as _defaults:
    STANDARD_ROLES = list(yaml.safe_load(_defaults)["zluri_okta_standard_roles"])
SCOPES = list(ZLURI_SCOPES)
RESOURCES_ALL_GROUPS = 4  # all groups, all users, all apps, IAM
# One read per scope, as Zluri's own calls would prove it (plugins/module_utils/m2m_check.py SCOPE_PROBES).
SCOPE_PROBE = {
    "okta.users.read": "GET /api/v1/users",
    "okta.groups.read": "GET /api/v1/groups",
    "okta.apps.read": "GET /api/v1/apps",
    "okta.logs.read": "GET /api/v1/logs",
    "okta.roles.read": "GET /oauth2/v1/clients/{id}/roles",
    "okta.domains.read": "GET /api/v1/domains",
}

STEP_OF_ACTION = {
    "okta_preflight": "pre-flight",
    "okta_app_jwk": "key pair",
    "okta_service_app": "API Services app",
    "okta_admin_role": "custom admin role",
    "okta_resource_set": "resource set",
    "okta_scope_grant": "scope grants",
    "okta_role_assignment": "role assignments",
    "zluri_connection": "credential check + hand-off",
    # The okta_service_connection role proves the credentials with the same calls, without Zluri's hand-off.
    "okta_m2m_check": "credential check + hand-off",
}
STEPS = list(dict.fromkeys(STEP_OF_ACTION.values()))
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
_ID = re.compile(r"^(0oa|cr0|iam|ire|irb|oag|pks|00u|00g|00o)[A-Za-z0-9]{8,}$")


# --------------------------------------------------------------------------------------------------- the floors

# What Okta can tell before the first write (docs/okta-api.md 10): who the API token is and its roles, whether the org
# has API Access Management (a role to assign needs it), and "Public client app admins" (the job grants scopes).
PREFLIGHT_FLOOR = [
    ("pre-flight", "GET /api/v1/users/me", 1, "the admin the API token acts for"),
    ("pre-flight", "GET /api/v1/users/{id}/roles", 1, "a Super Administrator, or the job stops half-done"),
    ("pre-flight", "GET /api/v1/authorizationServers", 1, "API Access Management, which API_ACCESS_MANAGEMENT_ADMIN needs"),
    ("pre-flight", "GET /api/v1/org/settings/clientPrivilegesSetting", 1,
     "\"Public client app admins\": Okta would make the app a Super Administrator at its first grant"),
]


def first_converge_floor(scopes: int = len(SCOPES), roles: int = len(STANDARD_ROLES) + 1) -> list[dict[str, Any]]:
    """The fewest calls that converge an org where nothing exists yet, step by step (docs/okta-api.md).

    A correct tool knows nothing beforehand except what earlier calls of the same run told it, and keeps no memory
    outside Okta.
    """
    floor = PREFLIGHT_FLOOR + [
        ("key pair", "-", 0, "generated locally; Okta is not called"),
        ("API Services app", "GET /api/v1/apps", 1,
         "search by label before creating: labels are not unique and q= is a prefix search (trap 9)"),
        ("API Services app", "GET /api/v1/iam/resource-sets/{label}/bindings/{label}/members", 1,
         "an app Okta's list does not show yet (it lags behind a create) is found through its role assignment, read "
         "consistently: with no memory outside Okta, the one way a retried run makes no second app"),
        ("API Services app", "POST /api/v1/apps", 1,
         "create with the public JWK embedded; the answer holds id, client_id and the app's ORN (partition + org id)"),
        ("custom admin role", "GET /api/v1/iam/roles/{label}", 1, "look up by label (404)"),
        ("custom admin role", "POST /api/v1/iam/roles", 1, "create with every permission in the body"),
        ("resource set", "GET /api/v1/iam/resource-sets/{label}", 1, "look up by label (404)"),
        ("resource set", "POST /api/v1/iam/resource-sets", 1,
         "create with every resource; the IAM ORN's partition and org id come from the app's ORN"),
        ("scope grants", "POST /api/v1/apps/{id}/grants", scopes,
         "one POST per scope (trap 6); the app was created by this run, so there is no grant to read"),
        ("role assignments", "GET /oauth2/v1/clients/{id}/roles", 1,
         "the SUPER_ADMIN guard: Okta may add SUPER_ADMIN after the first grant (trap 7)"),
        ("role assignments", "POST /oauth2/v1/clients/{id}/roles", roles,
         "one POST per role; custom role and resource set ids are known from their steps"),
        ("credential check + hand-off", "POST /oauth2/v1/token", 1, "one token with private_key_jwt, as Zluri will ask"),
    ]
    rows = [{"step": s, "endpoint": e, "calls": c, "why": w} for s, e, c, w in floor]
    for scope in SCOPES[:scopes]:
        rows.append({"step": "credential check + hand-off", "endpoint": SCOPE_PROBE[scope], "calls": 1, "why": "one read for %s" % scope})
    return rows


def noop_floor(resources: int = RESOURCES_ALL_GROUPS, scopes: int = len(SCOPES)) -> list[dict[str, Any]]:
    """The fewest calls that prove a converged org is converged (and re-verify the credentials)."""
    floor = PREFLIGHT_FLOOR + [
        ("key pair", "-", 0, "the key file exists; Okta is not called"),
        ("API Services app", "GET /api/v1/apps", 1,
         "search by label: the list answer carries label, status, the DPoP setting and the embedded JWKs"),
        ("API Services app", "GET /api/v1/apps/{id}/credentials/jwks", 1,
         "when Okta registered the key, for its age: the keys embedded in the app carry no created"),
        ("custom admin role", "GET /api/v1/iam/roles/{label}", 1, "look up by label"),
        ("custom admin role", "GET /api/v1/iam/roles/{id}/permissions", 1, "compare permissions (not in the role object)"),
        ("resource set", "GET /api/v1/iam/resource-sets/{label}", 1, "look up by label"),
        ("resource set", "GET /api/v1/iam/resource-sets/{id}/resources", math.ceil(resources / 200),
         "compare resources, 200 per page"),
        ("scope grants", "GET /api/v1/apps/{id}/grants", 1, "compare grants; the app id is known from the app step"),
        ("role assignments", "GET /oauth2/v1/clients/{id}/roles", 1, "compare; role and set ids are known from their steps"),
        ("credential check + hand-off", "POST /oauth2/v1/token", 1, "one token with private_key_jwt"),
    ]
    rows = [{"step": s, "endpoint": e, "calls": c, "why": w} for s, e, c, w in floor]
    for scope in SCOPES[:scopes]:
        rows.append({"step": "credential check + hand-off", "endpoint": SCOPE_PROBE[scope], "calls": 1, "why": "one read for %s" % scope})
    return rows


def floor_total(rows: list[dict[str, Any]], without_check: bool = False) -> int:
    return sum(r["calls"] for r in rows if not (without_check and r["step"] == "credential check + hand-off"))


def floor_by(rows: list[dict[str, Any]], key: str) -> Counter:
    counts: Counter = Counter()
    for row in rows:
        if row["calls"]:
            counts[row[key]] += row["calls"]
    return counts


# ---------------------------------------------------------------------------------------------- the request log

def template(method: str, path: str, query: str = "") -> str:
    """'GET /api/v1/apps/0oa123/grants' -> 'GET /api/v1/apps/{id}/grants'; IAM labels become {label}."""
    parts = path.split("/")
    for index, part in enumerate(parts):
        if _ID.match(part):
            parts[index] = "{id}"
        elif index == 5 and parts[3] == "iam" and parts[4] in ("roles", "resource-sets") and part:
            parts[index] = "{label}"
        elif index == 7 and parts[3] == "iam" and parts[6] == "bindings" and part:
            parts[index] = "{label}"
        elif parts[1:4] == ["oauth2", "v1", "clients"] and index == 4:
            parts[index] = "{id}"
    return "%s %s" % (method, "/".join(parts))


def is_write(entry: dict[str, Any]) -> bool:
    return entry["method"] in WRITE_METHODS and entry["path"] != "/oauth2/v1/token" and not entry["path"].startswith("/zluri/")


def okta_calls(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in entries if not e["path"].startswith("/zluri/")]


def attribute(entries: list[dict[str, Any]], tasks: list[dict[str, Any]], host: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """Each logged call -> the task (uuid) that was running on that host when the call arrived."""
    # The shortest span first: a call belongs to the innermost span that holds it.
    spans = sorted((t for t in tasks if (host is None or t["host"] == host) and t.get("start") and t.get("end")), key=lambda t: t["end"] - t["start"])
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entry in entries:
        # Within a span first; only then 50 ms past one's end (the log may stamp a call after its answer left), so
        # that a step of no time does not take the first call of the step after it.
        owner = next((t for t in spans if t["start"] <= entry["ts"] <= t["end"]), None) or next(
            (t for t in spans if t["start"] <= entry["ts"] <= t["end"] + 0.05), None)
        found[owner["uuid"] if owner else "(between tasks)"].append(entry)
    return found


def step_of(task: dict[str, Any]) -> str | None:
    return STEP_OF_ACTION.get(task["action"].split(".")[-1])
