# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What Okta can tell before the first write: whether the org can take the job (docs/okta-api.md 10).

Each check is a read. A read the admin credential's scopes do not allow is "not checked", naming the scope that would
allow it; it never blocks the job on its own. The other findings say what is missing and how to fix it.

Private to the collection (not a public API): it may change in any release.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from typing import Any, Callable
from urllib.parse import quote

from ansible_collections.saasops.okta_m2m.plugins.module_utils.apps import client_id_of, service_apps_labelled
from ansible_collections.saasops.okta_m2m.plugins.module_utils.grants import GrantMember
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_client import FEATURE_NOT_ENABLED, OktaApiError, OktaClient, OktaConfigError
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_permissions import normalize_permissions
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_scopes import unknown_scopes
from ansible_collections.saasops.okta_m2m.plugins.module_utils.resource_sets import ResourceResolver, check_resource_entries
from ansible_collections.saasops.okta_m2m.plugins.module_utils.role_assignments import API_ACCESS_MANAGEMENT_ADMIN, SUPER_ADMIN

OK = "ok"
PROBLEM = "problem"
NOT_CHECKED = "not checked"

CLIENT_PRIVILEGES_PATH = "/api/v1/org/settings/clientPrivilegesSetting"
AUTHORIZATION_SERVERS_PATH = "/api/v1/authorizationServers"


@dataclass
class Finding:
    """One check: what was checked, ok / problem / not checked, and what it found or what to do."""

    check: str
    status: str
    detail: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def _not_checked(check: str, error: OktaApiError, scope: str) -> Finding | None:
    """A refused read as "not checked" when the credential's token lacks the scope (or the admin the permission) to
    make it; None for any other error."""
    if error.status != 403:
        return None
    return Finding(check, NOT_CHECKED, "the admin credential may not read %s (%s): for this check, grant the admin app the "
                   "scope %s and list it in O(scopes), or use a Super Administrator's API token" % (error.path, error.error_code or 403, scope))


class Preflight:
    """The reads of a pre-flight, one method per check; each returns a Finding and never writes."""

    def __init__(self, client: OktaClient, admin_client_id: str | None) -> None:
        self.client = client
        self.admin_client_id = admin_client_id

    def _read(self, check: str, scope: str, read: Callable[[], Finding]) -> Finding:
        try:
            return read()
        except OktaApiError as error:
            refused = _not_checked(check, error, scope)
            if refused is None:
                raise
            return refused

    def super_administrator(self) -> Finding:
        """The admin credential holds SUPER_ADMIN: an API token's own user, or an admin app's client roles."""
        check = "admin credential is a Super Administrator"
        if self.admin_client_id:
            return self._read(check, "okta.roles.read", lambda: self._roles_finding(
                check, "The admin app %s" % self.admin_client_id,
                self.client.get("/oauth2/v1/clients/%s/roles" % quote(self.admin_client_id, safe=""))))

        def token_user() -> Finding:
            user = self.client.get("/api/v1/users/me")
            login = (user.get("profile") or {}).get("login") or user.get("id")
            return self._roles_finding(check, "The API token of %s" % login, self.client.get("/api/v1/users/%s/roles" % quote(user["id"], safe="")))
        return self._read(check, "okta.users.read", token_user)

    @staticmethod
    def _roles_finding(check: str, who: str, roles: list[dict[str, Any]]) -> Finding:
        types = sorted({str(role.get("type")) for role in roles or []})
        if SUPER_ADMIN in types:
            return Finding(check, OK, "%s holds SUPER_ADMIN" % who)
        return Finding(check, PROBLEM, (
            "%s holds %s, not Super Administrator. Only a Super Administrator may grant Okta API scopes, manage custom admin "
            "roles and resource sets, and change the keys of an app that holds Okta API scope grants (developer.okta.com, "
            "\"Implement OAuth for Okta with a service app\"), so this job would stop half-done. Use a Super Administrator's "
            "API token (O(api_token)) or an admin app holding SUPER_ADMIN (O(client_id))") % (who, ", ".join(types) or "no admin role"))

    def api_access_management(self, roles: list[str]) -> Finding | None:
        """Whether the org has API Access Management, when a role that needs it is to be assigned. Without the feature
        the authorization server API answers 401 E0000015 whoever asks (DD-ERR; tests/emulator/README.md)."""
        if API_ACCESS_MANAGEMENT_ADMIN not in roles:
            return None
        check = "API Access Management"

        def servers() -> Finding:
            try:
                self.client.get(AUTHORIZATION_SERVERS_PATH, {"limit": 1})
            except OktaApiError as error:
                if error.status == 401 and error.error_code == FEATURE_NOT_ENABLED:
                    return Finding(check, PROBLEM, (
                        "This org does not have API Access Management (Okta answered GET %s with 401 %s), so the role "
                        "%s cannot be assigned. Leave it out of O(roles), or have Okta enable the feature first")
                        % (AUTHORIZATION_SERVERS_PATH, FEATURE_NOT_ENABLED, API_ACCESS_MANAGEMENT_ADMIN))
                raise
            return Finding(check, OK, "the org has API Access Management (%s can be assigned)" % API_ACCESS_MANAGEMENT_ADMIN)
        return self._read(check, "okta.authorizationServers.read", servers)

    def public_client_app_admins(self, app_label: str | None, scopes: list[str], remove_super_admin: bool) -> Finding | None:
        """The org setting that makes a service app a Super Administrator at its first Okta API scope grant: a problem
        when this job will grant scopes (a new app, or one that lacks some) and is not told to remove SUPER_ADMIN."""
        if not app_label or not scopes:
            return None
        check = "Public client app admins"

        def setting() -> Finding:
            enabled = bool((self.client.get(CLIENT_PRIVILEGES_PATH) or {}).get("clientPrivilegesSetting"))
            if not enabled:
                return Finding(check, OK, "off: Okta does not make new service apps Super Administrators")
            if remove_super_admin:
                return Finding(check, OK, "on: Okta makes the app a Super Administrator at its first scope grant, and "
                               "O(remove_super_admin)=true removes that role right after the grants")
            apps = service_apps_labelled(self.client, app_label)
            granted = {grant["scopeId"] for grant in GrantMember(self.client.org_url).current(self.client, apps[0])} if len(apps) == 1 else set()
            if apps and set(scopes) <= granted:
                return Finding(check, OK, "on, but the app '%s' (%s) holds every scope already: no grant will make it a "
                               "Super Administrator" % (app_label, client_id_of(apps[0])))
            return Finding(check, PROBLEM, (
                "The org setting \"Public client app admins\" is on (Settings > Account): Okta makes a service app a Super "
                "Administrator when it is granted Okta API scopes, and this job grants them to the app '%s'. Set "
                "O(remove_super_admin)=true so the run removes SUPER_ADMIN right after the grants, or turn the setting off "
                "first") % app_label)
        return self._read(check, "okta.orgs.read", setting)

    def resources(self, entries: list[dict[str, Any]]) -> Finding | None:
        """Every resource is well formed, and every group and app it names exists exactly once (the resource set's own
        resolver: no call for resources named by kind or by ORN)."""
        if not entries:
            return None
        check = "resources named for the resource set"

        def resolve() -> Finding:
            try:
                resolved = ResourceResolver(self.client).resolve(entries)
            except OktaConfigError as error:
                return Finding(check, PROBLEM, str(error))
            return Finding(check, OK, "%d resources found" % len(resolved))
        return self._read(check, "okta.groups.read", resolve)


def input_findings(permissions: list[Any] | None, app_scopes: list[str], check_scopes: bool, resources: list[dict[str, Any]]) -> list[Finding]:
    """What is wrong with the job's own inputs, found without a call: the custom role's permissions, the Okta API scopes to
    grant and the resources of the set, which Okta would refuse half-way through the job."""
    problems = []
    try:
        check_resource_entries(resources)
    except OktaConfigError as error:
        problems.append(str(error))
    if permissions is not None and not permissions:
        problems.append("O(permissions) must name at least one permission: Okta refuses a custom role without any")
    elif permissions:
        try:
            normalize_permissions(list(permissions))
        except OktaConfigError as error:
            problems.append("O(permissions): %s" % error)
    if check_scopes and not app_scopes:
        problems.append("O(app_scopes) must name at least one Okta API scope")
    unknown = unknown_scopes(scope.strip() for scope in app_scopes)
    if unknown:
        problems.append("O(app_scopes) names scopes Okta does not publish: %s" % ", ".join(unknown))
    return [Finding("inputs", PROBLEM, problem) for problem in problems]


def writable_finding(files: dict[str, str]) -> Finding | None:
    """Whether this machine's user can create or replace each file (by the option that names it): its directory exists
    and is writable, or the nearest existing parent is."""
    if not files:
        return None
    problems = []
    for option, path in sorted(files.items()):
        directory = os.path.dirname(os.path.abspath(path))
        existing = directory
        while not os.path.exists(existing):
            existing = os.path.dirname(existing)
        if not os.path.isdir(existing) or not os.access(existing, os.W_OK | os.X_OK):
            problems.append("O(%s) %s: %s is not a directory this user (uid %d) can write in" % (option, path, existing, os.getuid()))
    if problems:
        return Finding("files to write", PROBLEM, "; ".join(problems) + ": choose a directory this user can write, before anything is written to Okta")
    return Finding("files to write", OK, "%d file(s) can be written" % len(files))
