# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Admin roles assigned to a service app's OAuth client (/oauth2/v1/clients/{clientId}/roles), as a reconcile Member.

Assignments are matched on their natural key: the role type for standard roles, (custom role id, resource set
id) for custom roles (docs/okta-api.md 5.1, trap 6). The list is a plain array; each addition is one POST and
each removal one DELETE by assignment id.

Private to the collection (not a public API): it may change in any release.
"""

from __future__ import annotations

import difflib
from typing import Any, Callable, Hashable, Sequence

from ansible_collections.saasops.okta_m2m.plugins.module_utils.admin_roles import find_role
from ansible_collections.saasops.okta_m2m.plugins.module_utils.apps import client_id_of, path_segment
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_client import OktaClient, OktaConfigError
from ansible_collections.saasops.okta_m2m.plugins.module_utils.reconcile import ListDelta, Member
from ansible_collections.saasops.okta_m2m.plugins.module_utils.resource_sets import find_resource_set

CLIENT_ROLES_PATH = "/oauth2/v1/clients/%s/roles"
CUSTOM = "CUSTOM"
SUPER_ADMIN = "SUPER_ADMIN"
API_ACCESS_MANAGEMENT_ADMIN = "API_ACCESS_MANAGEMENT_ADMIN"
# The standard role types Okta assigns to clients (docs/okta-api.md 5.1).
STANDARD_ROLE_TYPES = (
    "SUPER_ADMIN", "ORG_ADMIN", "APP_ADMIN", "USER_ADMIN", "HELP_DESK_ADMIN", "GROUP_MEMBERSHIP_ADMIN", "READ_ONLY_ADMIN",
    "REPORT_ADMIN", "API_ACCESS_MANAGEMENT_ADMIN", "ACCESS_CERTIFICATIONS_ADMIN", "ACCESS_REQUESTS_ADMIN", "WORKFLOWS_ADMIN",
)
CUSTOM_ENTRY_KEYS = frozenset(("role", "resource_set"))
# Ids a caller already holds (e.g. from okta_admin_role and okta_resource_set results) are used without a lookup.
CUSTOM_ID_KEYS = frozenset(("role_id", "resource_set_id"))
REPORTED_FIELDS = ("id", "type", "label", "role", "resource_set")

SUPER_ADMIN_NOT_LISTED = (
    "the app %s holds the SUPER_ADMIN role, which O(roles) does not list. Okta gives a service app SUPER_ADMIN by itself "
    "when the org setting 'Public client app admins' (Settings > Account) is on and the app is granted Okta API scopes. "
    "No role assignment was changed. To remove SUPER_ADMIN in this run, set O(remove_super_admin)=true (and turn that org "
    "setting off, or Okta assigns it again at the next scope grant); to keep it on purpose, list SUPER_ADMIN in O(roles)."
)
SUPER_ADMIN_KEPT = (
    "the app %r still holds the SUPER_ADMIN role (the org setting 'Public client app admins' assigns it after scope "
    "grants); set O(remove_super_admin)=true to remove it"
)


def assignment_key(role_type: str, role: str | None = None, resource_set: str | None = None) -> Hashable:
    return (CUSTOM, role, resource_set) if role_type == CUSTOM else role_type


def parse_roles(roles: Sequence[Any] | None, option: str = "roles") -> list[dict[str, Any]]:
    """Check the user's entries without calling Okta: standard role type strings or {role, resource_set} dicts."""
    if not roles:
        raise OktaConfigError("%s must list at least one admin role" % option)
    entries: list[dict[str, Any]] = []
    for index, entry in enumerate(roles):
        where = "%s[%d]" % (option, index)
        if isinstance(entry, str):
            entries.append({"type": _standard_role_type(entry, where)})
        elif isinstance(entry, dict):
            if set(entry) not in (CUSTOM_ENTRY_KEYS, CUSTOM_ID_KEYS) or not all(isinstance(value, str) and value.strip() for value in entry.values()):
                raise OktaConfigError(
                    "%s must be a standard role type or a dict with exactly 'role' (custom role label or id) and 'resource_set' "
                    "(resource set label or id), or exactly 'role_id' and 'resource_set_id', got %r" % (where, entry)
                )
            if set(entry) == CUSTOM_ID_KEYS:
                entries.append({"type": CUSTOM, "role_id": entry["role_id"].strip(), "resource_set_id": entry["resource_set_id"].strip()})
            else:
                entries.append({"type": CUSTOM, "role_name": entry["role"].strip(), "resource_set_name": entry["resource_set"].strip()})
        else:
            raise OktaConfigError("%s must be a string or a dict, got %s" % (where, type(entry).__name__))
    return entries


def _standard_role_type(value: str, where: str) -> str:
    role_type = value.strip()
    if role_type in STANDARD_ROLE_TYPES:
        return role_type
    if role_type == CUSTOM:
        raise OktaConfigError("%s: a custom role is given as a dict with 'role' and 'resource_set', not as %s" % (where, CUSTOM))
    close = difflib.get_close_matches(role_type.upper(), STANDARD_ROLE_TYPES, n=1, cutoff=0.6)
    raise OktaConfigError(
        "%s %r is not a standard Okta admin role type%s; standard types are %s, and custom roles are given as "
        "{role: <label>, resource_set: <label>}"
        % (where, value, " (did you mean %s?)" % close[0] if close else "", ", ".join(STANDARD_ROLE_TYPES))
    )


def desired_assignments(client: OktaClient, roles: Sequence[Any] | None, state: str, check_mode: bool, option: str = "roles") -> list[dict[str, Any]]:
    """The assignments roles asks for, custom roles and resource sets resolved to ids.

    A custom role or resource set that does not exist is an error naming it, except where nothing is lost by
    going on: with state=absent its assignment cannot exist either and is dropped (a repeated teardown); in
    check mode an earlier task of the same run may be about to create it, so the assignment is planned with
    the label standing in for the id.
    """
    entries = parse_roles(roles, option)
    role_names = {entry["role_name"] for entry in entries if "role_name" in entry}
    set_names = {entry["resource_set_name"] for entry in entries if "resource_set_name" in entry}
    custom_roles = {name: find_role(client, name, allow_id=True) for name in sorted(role_names)}
    resource_sets = {name: find_resource_set(client, name, allow_id=True) for name in sorted(set_names)}
    unknown = ["custom admin role %r" % name for name, role in custom_roles.items() if role is None]
    unknown += ["resource set %r" % name for name, found in resource_sets.items() if found is None]
    if unknown and state == "present" and not check_mode:
        raise OktaConfigError("%s names what does not exist in Okta: %s" % (option, ", ".join(unknown)))
    assignments: list[dict[str, Any]] = []
    seen: set[Hashable] = set()
    for index, entry in enumerate(entries):
        if "role_id" in entry:
            item = {"id": None, "type": CUSTOM, "label": None, "role": entry["role_id"], "resource_set": entry["resource_set_id"],
                    "resource_set_label": None}
        elif entry["type"] == CUSTOM:
            role, resource_set = custom_roles[entry["role_name"]], resource_sets[entry["resource_set_name"]]
            if (role is None or resource_set is None) and state == "absent":
                continue
            role = role or {"id": entry["role_name"], "label": entry["role_name"]}
            resource_set = resource_set or {"id": entry["resource_set_name"], "label": entry["resource_set_name"]}
            item = {"id": None, "type": CUSTOM, "label": role["label"], "role": role["id"], "resource_set": resource_set["id"],
                    "resource_set_label": resource_set["label"]}
        else:
            item = {"id": None, "type": entry["type"], "label": None, "role": None, "resource_set": None}
        key = RoleAssignmentMember.key(item)
        if key in seen:
            raise OktaConfigError("%s[%d] repeats an assignment listed before it" % (option, index))
        seen.add(key)
        assignments.append(item)
    return assignments


def with_super_admin_removal(desired: list[dict[str, Any]], state: str, remove_super_admin: bool) -> list[dict[str, Any]]:
    """state=absent removes the listed assignments; remove_super_admin adds SUPER_ADMIN to them."""
    if state == "absent" and remove_super_admin and not any(item["type"] == SUPER_ADMIN for item in desired):
        return desired + [{"id": None, "type": SUPER_ADMIN, "label": None, "role": None, "resource_set": None}]
    return desired


def _from_okta(raw: dict[str, Any]) -> dict[str, Any]:
    return {"id": raw.get("id"), "type": raw.get("type"), "label": raw.get("label"), "role": raw.get("role"),
            "resource_set": raw.get("resource-set")}


def app_assignments(client: OktaClient, app: dict[str, Any]) -> list[dict[str, Any]]:
    """The admin role assignments of an app's OAuth client (a custom role's label is in label)."""
    return [_from_okta(raw) for raw in client.get(_path(app)) or []]


class RoleAssignmentMember(Member):
    """The admin roles of one app's OAuth client; the parent is the app.

    SUPER_ADMIN that roles does not list is never removed silently nor kept silently: with state=present the run
    is refused before any write unless remove_super_admin is set, in which case its removal joins the plan.
    """

    name = "roles"
    noun = "role assignment"

    def __init__(self, desired: list[dict[str, Any]], state: str, remove_super_admin: bool) -> None:
        self.state = state
        self.remove_super_admin = remove_super_admin
        self.super_admin_listed = any(item["type"] == SUPER_ADMIN for item in desired)
        # The best known form of every assignment, so the result can name ids and labels once they exist.
        self.known: dict[Hashable, dict[str, Any]] = {self.key(item): item for item in desired}

    @staticmethod
    def key(item: dict[str, Any]) -> Hashable:
        return assignment_key(item["type"], item.get("role"), item.get("resource_set"))

    def view(self, item: dict[str, Any]) -> Any:
        if item["type"] == CUSTOM:
            return {"role": item["role"], "resource_set": item["resource_set"]}
        return item["type"]

    def describe(self, action: str, items: Sequence[dict[str, Any]]) -> str:
        return "%s %s %s" % (action, self.noun if len(items) == 1 else self.noun + "s", ", ".join(self._title(item) for item in items))

    @staticmethod
    def _title(item: dict[str, Any]) -> str:
        if item["type"] != CUSTOM:
            return item["type"]
        return "custom role %s on resource set %s" % (_named(item.get("label"), item["role"]), _named(item.get("resource_set_label"), item["resource_set"]))

    def current(self, client: OktaClient, parent: dict[str, Any]) -> list[dict[str, Any]]:
        items = app_assignments(client, parent)
        self.known.update({self.key(item): item for item in items})
        return items

    def check_delta(self, parent: dict[str, Any], delta: ListDelta[dict[str, Any]], current: list[dict[str, Any]]) -> None:
        held = any(item["type"] == SUPER_ADMIN for item in current)
        if held and not self.super_admin_listed and not self.remove_super_admin and self.state == "present":
            raise OktaConfigError(SUPER_ADMIN_NOT_LISTED % _app_title(parent))

    def purge(self, purge_roles: bool) -> Callable[[dict[str, Any]], bool]:
        """Which unlisted assignments go: all with purge_roles, and SUPER_ADMIN when remove_super_admin allows it."""
        return lambda item: purge_roles or (item["type"] == SUPER_ADMIN and self.remove_super_admin)

    def add(self, client: OktaClient, parent: dict[str, Any], items: list[dict[str, Any]]) -> None:
        for item in items:
            body = {"type": CUSTOM, "role": item["role"], "resource-set": item["resource_set"]} if item["type"] == CUSTOM else {"type": item["type"]}
            created = client.post(_path(parent), body)
            if isinstance(created, dict):
                self.known[self.key(item)] = dict(_from_okta(created), resource_set_label=item.get("resource_set_label"))

    def remove(self, client: OktaClient, parent: dict[str, Any], items: list[dict[str, Any]]) -> None:
        for item in items:
            client.delete("%s/%s" % (_path(parent), item["id"]))

    def report(self, views: list[Any]) -> list[dict[str, Any]]:
        """The assignments named by the views of an outcome, with ids and labels where known."""
        reported = []
        for view in views:
            key = assignment_key(CUSTOM, view["role"], view["resource_set"]) if isinstance(view, dict) else view
            item = self.known[key]
            reported.append({name: item.get(name) for name in REPORTED_FIELDS})
        return reported


def _named(label: str | None, object_id: str) -> str:
    """'label' (id), or only one of them where the other is unknown or the same (a check-mode placeholder)."""
    if not label or label == object_id:
        return repr(label) if label else object_id
    return "%r (%s)" % (label, object_id)


def _path(app: dict[str, Any]) -> str:
    """Client roles are addressed by the OAuth client id, which differs from the app id when set at create."""
    return CLIENT_ROLES_PATH % path_segment(client_id_of(app))


def _app_title(app: dict[str, Any]) -> str:
    return "%r (%s)" % (app.get("label"), app.get("id"))
