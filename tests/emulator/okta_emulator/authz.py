# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Authorization of management calls: the access token's scopes, then the caller's admin roles.

Scopes say which APIs a token may call, admin roles which objects and actions (docs/okta-api.md 1.2); both must
allow the call, else 403 E0000006 (for a missing scope with ``WWW-Authenticate: ... error="insufficient_scope"``).
Custom roles act only on the resources of their resource set (notes 3.1): a permission such as
``okta.users.read`` applies to all users or to the users of the groups in the set; ``manage`` implies ``read``.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable

from .config import OrgUrls
from .errors import access_denied
from .jwk import SIGNING_ALGORITHMS
from .orn import ResourceRef, parse_stored_orn
from .routing import SUPER_ADMIN, Principal, Route
from .state import OrgState

Visibility = Callable[[str], bool]


@dataclasses.dataclass(frozen=True)
class AccessNeed:
    """What a call needs: the area it acts on, the custom-role permission that allows it (None: no custom role
    can), the object it touches (None: the collection), whether only a Super Admin may do it at all, and whether
    any admin may do it to itself (revoke the API token it calls with)."""

    area: str
    permission: str | None
    target: str | None
    super_admin_only: bool = False
    self_service: bool = False


def access_need(route: Route, params: dict[str, str]) -> AccessNeed:
    """Map an operation to its need."""
    template, method = route.template, route.method
    read = method == "GET"
    if template.startswith(("/api/v1/iam/", "/oauth2/v1/clients/", "/api/v1/users/{userId}/roles")):
        # Only Super Admins manage roles and assignments (DEVSITE roles guide); okta.iam.read lets custom roles look.
        return AccessNeed("iam", "okta.iam.read" if read else None, None, super_admin_only=not read)
    if template == "/api/v1/api-tokens/current":
        # SPEC revokeCurrentApiToken: any caller with an API token may revoke that token (security: apiToken only).
        return AccessNeed("api-tokens", None, None, self_service=True)
    if template.startswith("/api/v1/api-tokens"):
        # Custom roles: okta.users.apitokens.read / .manage (DD-ROLES, DD-CONCEPT), on the users who own the tokens.
        return AccessNeed("api-tokens", "okta.users.apitokens.read" if read else "okta.users.apitokens.manage", None)
    if template == "/api/v1/org/settings/clientPrivilegesSetting":
        # The setting hands out the Super Administrator role, which only a Super Administrator may assign (DEVSITE roles guide).
        return AccessNeed("org", None, None, super_admin_only=not read)
    if template.startswith("/api/v1/apps"):
        # Only a Super Admin can grant Okta API scopes (DD-SVCAPP).
        grant_write = "/grants" in template and not read
        return AccessNeed("apps", "okta.apps.read" if read else "okta.apps.manage", params.get("appId"), grant_write)
    if template.startswith("/api/v1/users"):
        if template == "/api/v1/users" and method == "POST":
            return AccessNeed("groups", "okta.users.create", None)
        permission = {"GET": "okta.users.read", "DELETE": "okta.users.lifecycle.delete"}.get(method)
        if template.endswith("/lifecycle/activate"):
            permission = "okta.users.lifecycle.activate"
        elif template.endswith("/lifecycle/deactivate"):
            permission = "okta.users.lifecycle.deactivate"
        return AccessNeed("users", permission, params.get("userId"))
    if template.startswith("/api/v1/groups"):
        if read:
            permission = "okta.groups.read"
        elif template == "/api/v1/groups":
            permission = "okta.groups.create"
        else:
            permission = "okta.groups.members.manage" if template.endswith("/users/{userId}") else "okta.groups.manage"
        return AccessNeed("groups", permission, params.get("groupId"))
    return AccessNeed(template.split("/")[3], None, None)


def implies(held: str, needed: str) -> bool:
    """A held permission allows a needed one: equal; a ``.manage`` covers its subtree (``okta.users.manage`` covers
    ``okta.users.lifecycle.delete``); and any permission of a family covers its ``read`` (``okta.apps.manage`` ->
    ``okta.apps.read``), as Okta's console adds the view permission to every other one."""
    if held == needed:
        return True
    if held.endswith(".manage") and needed.startswith(held[:-len("manage")]):
        return True
    family = ".".join(needed.split(".")[:2])
    return needed == family + ".read" and held.startswith(family + ".")


ALL_AREAS = frozenset({"users", "groups", "apps", "iam", "logs", "domains", "org", "api-tokens", "authorizationServers"})
# Areas a standard role may read and write, and areas it may only read (coarse, per the role descriptions in DD-ROLES).
STANDARD_ROLE_AREAS: dict[str, frozenset[str]] = {
    "ORG_ADMIN": ALL_AREAS,
    "APP_ADMIN": frozenset({"apps"}),
    "API_ACCESS_MANAGEMENT_ADMIN": frozenset({"apps", "authorizationServers"}),
    "USER_ADMIN": frozenset({"users", "groups"}),
}
STANDARD_ROLE_READ_AREAS: dict[str, frozenset[str]] = {
    "READ_ONLY_ADMIN": ALL_AREAS,
    "HELP_DESK_ADMIN": frozenset({"users", "groups"}),
    "GROUP_MEMBERSHIP_ADMIN": frozenset({"users", "groups"}),
    "REPORT_ADMIN": frozenset({"logs"}),
}


def _standard_role_allows(role_type: str, read: bool, need: AccessNeed) -> bool:
    if role_type == SUPER_ADMIN:
        return True
    if need.super_admin_only:
        return False
    if need.area in STANDARD_ROLE_AREAS.get(role_type, frozenset()):
        return True
    if role_type == "GROUP_MEMBERSHIP_ADMIN" and need.permission == "okta.groups.members.manage":
        return True
    return read and need.area in STANDARD_ROLE_READ_AREAS.get(role_type, frozenset())


def _covers(state: OrgState, need: AccessNeed, ref: ResourceRef) -> Visibility | None:
    """What one resource of a set covers for the need's area: a test on object ids, or None."""
    parts = ref.parts
    if need.area == "users" and ref.service == "directory":
        if parts == ("users",):
            return lambda _id: True
        if parts[0] == "groups" and parts[2:] == ("contained_resources",):
            group = state.groups.get(parts[1])
            members = frozenset(group.member_ids) if group else frozenset()
            return members.__contains__
    if need.area == "groups" and ref.service == "directory" and parts[0] == "groups" and len(parts) <= 2:
        return (lambda _id: True) if len(parts) == 1 else parts[1].__eq__
    if need.area == "apps" and ref.service == "idp" and parts[0] == "apps":
        if len(parts) == 1:
            return lambda _id: True
        if len(parts) == 2:
            return lambda app_id: app_id in state.apps and state.apps[app_id].name == parts[1]
        return parts[2].__eq__
    if need.area == "iam" and ref.service == "iam" and parts == ("contained_resources",):
        return lambda _id: True
    if need.area == "api-tokens" and ref.service == "directory" and parts == ("users",):
        return lambda _id: True
    return None


def member_paths(state: OrgState, principal: Principal) -> list[str]:
    """The binding member paths a principal's custom roles come through: the client; or the user and its groups."""
    if principal.kind == "client":
        return ["/oauth2/v1/clients/" + principal.id]
    return ["/api/v1/users/" + principal.id] + ["/api/v1/groups/" + group.id for group in state.groups_of_user(principal.id)]


def _custom_role_visibility(state: OrgState, principal: Principal, need: AccessNeed) -> list[tuple[bool, Visibility]]:
    """For each resource covering the need in a set bound (with a fitting permission) to the principal: (covers the
    whole collection, test)."""
    if need.permission is None:
        return []
    found: list[tuple[bool, Visibility]] = []
    assignments = [assignment for path in member_paths(state, principal) for assignment in state.custom_assignments_of(path)]
    for resource_set, binding, _member in assignments:
        role = state.roles.get(binding.role_id)
        if role is None or not any(implies(permission.label, need.permission) for permission in role.permissions):
            continue
        for entry in resource_set.resources:
            ref = parse_stored_orn(entry.orn)
            test = _covers(state, need, ref)
            if test is not None:
                whole = len(ref.parts) == 1 or ref.service == "iam"
                found.append((whole, test))
    return found


def standard_roles(state: OrgState, principal: Principal) -> list[str]:
    """The standard roles of a principal: those assigned to the SSWS token's admin, or to the OAuth client."""
    if principal.kind == "user":
        return [item.role_type for item in state.user_roles if item.user_id == principal.id]
    return [item.role_type for item in state.client_roles if item.client_id == principal.id]


def is_super_admin(state: OrgState, principal: Principal | None) -> bool:
    """Whether the caller holds the Super Administrator role."""
    return principal is not None and SUPER_ADMIN in standard_roles(state, principal)


def insufficient_scope_header(urls: OrgUrls, principal: Principal, scope: str, path: str) -> dict[str, str]:
    """The ``WWW-Authenticate`` challenge Okta sends with a 403 for a missing scope."""
    scheme = 'DPoP algs="%s",' % " ".join(SIGNING_ALGORITHMS) if principal.dpop_jkt else "Bearer"
    return {"WWW-Authenticate": '%s authorization_uri="%s", realm="%s", scope="%s", error="insufficient_scope", '
                                'error_description="The access token provided does not contain the required scopes.", resource="%s"'
                                % (scheme, urls.org("/oauth2/v1/authorize"), urls.org_url, scope, path)}


def authorize(state: OrgState, urls: OrgUrls, principal: Principal, route: Route, params: dict[str, str],
              path: str) -> Visibility | None:
    """Raise 403 unless the call is allowed. Returns a visibility test when a custom role covers only part of a
    collection (list handlers then keep only those objects), else None."""
    scope = route.required_scope()
    if principal.scopes is not None and scope is not None:
        alternatives = {scope, scope[:-len("read")] + "manage"} if scope.endswith(".read") else {scope}
        if not alternatives & principal.scopes:
            raise access_denied(insufficient_scope_header(urls, principal, scope, path))
    need = access_need(route, params)
    read = route.method == "GET"
    if need.self_service:
        return None
    if any(_standard_role_allows(role_type, read, need) for role_type in standard_roles(state, principal)):
        return None
    coverage = _custom_role_visibility(state, principal, need)
    if need.target is not None:
        if any(test(need.target) for _whole, test in coverage):
            return None
    elif coverage:
        if any(whole for whole, _test in coverage):
            return None
        # Creating users needs the permission on some group (the new user is in no collection yet).
        if need.permission == "okta.users.create":
            return None
        if read:
            tests = [test for _whole, test in coverage]
            return lambda object_id: any(test(object_id) for test in tests)
    raise access_denied()
