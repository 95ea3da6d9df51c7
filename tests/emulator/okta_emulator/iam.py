# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Custom admin roles, resource sets, bindings, and the role assignments of OAuth clients and users.

Shapes, codes and quirks follow the recordings (TF-VCR ``AdminRoleCustom*``, ``ResourceSet*``,
``AppOAuthRoleAssignment``; PY-VCR ``TestRoleAPIResource``, ``TestResourceSetAPIResource``) and
docs/okta-api.md sections 3 to 5: creates answer 200, ``POST .../permissions/{p}`` 204, client role
assignments 201; IAM lists page through the body's ``_links.next``; role links use the ``-admin`` host. A user's
role assignments (``/api/v1/users/{userId}/roles``) have the client's shapes with ``assignmentType: USER`` and the
user as assignee, and list the custom roles the user holds through its groups too (``assignmentType: GROUP``): TF-VCR
``TestAccResourceOktaUserAdminRoles_crud`` (terraform-provider-okta ``test/fixtures/vcr/idaas/.../oie-00.yaml`` @17b5c776,
POST 201, GET list), SPEC ``listAssignedRolesForUser`` examples.
"""
from __future__ import annotations

import dataclasses
import re
import time
import urllib.parse
from collections.abc import Callable
from typing import Any

from .common import okta_date_timestamp, parse_timestamp, standard_role_assignment_id
from .context import OrgContext, next_url, page_after, page_limit, record_event
from .errors import OktaApiError, not_found, validation_failed
from .orn import parse_resource, parse_stored_orn
from .routing import Handler, Request, Response, Router
from .state import (App, Binding, BindingMember, CustomRole, Permission, ResourceEntry, ResourceSet, StandardRoleAssignment,
                    UserRoleAssignment)

MAX_CUSTOM_ROLES = 100
MAX_RESOURCES_PER_SET = 1000
IAM_LIST_PAGE = 20
RESOURCES_PAGE = 100
RESOURCES_PAGE_MAX = 200
BINDINGS_PAGE = 100
_PERMISSION_PATTERN = re.compile(r"^okta\.[A-Za-z]+(\.[A-Za-z]+)+$")
_MEMBER_PATH = re.compile(r"^/(?:api/v1/(?P<directory>users|groups)|oauth2/v1/clients)/(?P<id>[^/]+)$")

# Standard roles that can be assigned to a client, with the labels Okta answers with.
STANDARD_ROLE_LABELS = {
    "SUPER_ADMIN": "Super Administrator",
    "ORG_ADMIN": "Organization Administrator",
    "APP_ADMIN": "Application Administrator",
    "USER_ADMIN": "Group Administrator",
    "HELP_DESK_ADMIN": "Help Desk Administrator",
    "GROUP_MEMBERSHIP_ADMIN": "Group Membership Administrator",
    "READ_ONLY_ADMIN": "Read-only Administrator",
    "REPORT_ADMIN": "Report Administrator",
    "API_ACCESS_MANAGEMENT_ADMIN": "API Access Management Administrator",
    "MOBILE_ADMIN": "Mobile Administrator",
}


_ASSIGNEE_PATHS = {"CLIENT": "/oauth2/v1/clients/", "USER": "/api/v1/users/", "GROUP": "/api/v1/groups/"}
# System Log target types of the assignee (the recorded ones: PublicClientApp for clients, User and UserGroup elsewhere).
_EVENT_TARGETS = {"CLIENT": "PublicClientApp", "USER": "User", "GROUP": "UserGroup"}


@dataclasses.dataclass(frozen=True)
class Assignee:
    """Who holds a role assignment: an OAuth client, a user or a group (``assignmentType`` and the principal's id)."""

    assignment_type: str
    id: str

    @property
    def path(self) -> str:
        """The principal's path, as binding members and ``_links.assignee`` name it."""
        return _ASSIGNEE_PATHS[self.assignment_type] + self.id


# Path parameters that name a role or a resource set by id or label.
_ID_OR_LABEL_PARAMS = ("roleIdOrLabel", "resourceSetIdOrLabel")
# Tomcat's own error page, not an Okta error object (okta-sdk-java PR #1526: "400 error: <!doctype html>...").
_BAD_REQUEST_PAGE = ('<!doctype html><html lang="en"><head><title>HTTP Status 400 \u2013 Bad Request</title></head>'
                     '<body><h1>HTTP Status 400 \u2013 Bad Request</h1></body></html>')


def as_the_web_container_reads(handler: Handler) -> Handler:
    """Okta's web container sees a label in the path before the API does (okta-sdk-java PR #1526 tests, NOTES 2.1):
    a backslash, even percent-encoded, gets its HTML 400 page; a ``;`` starts path parameters, which it drops, so
    the API looks up only what precedes it (``prefix;suffix`` answers 404 ``Resource not found: prefix``)."""
    def handle(request: Request) -> Response:
        for name in _ID_OR_LABEL_PARAMS:
            if name not in request.path_params:
                continue
            value = request.param(name)
            if "\\" in value:
                return Response(400, _BAD_REQUEST_PAGE, content_type="text/html;charset=utf-8")
            if ";" in value:
                request.path_params[name] = urllib.parse.quote(value.split(";", 1)[0], safe="")
        return handler(request)
    return handle


def self_link(url: str) -> tuple[str, str]:
    """The ``Link: <url>; rel="self"`` header IAM answers carry."""
    return ("Link", '<%s>; rel="self"' % url)


def _label_and_description(body: dict[str, Any]) -> tuple[str, str]:
    """Both are required by every IAM create and replace (e.g. ``label: Label must be specified``, PY-VCR)."""
    values = []
    for field in ("label", "description"):
        value = body.get(field)
        if not isinstance(value, str) or not value.strip():
            raise validation_failed(field, "%s: %s must be specified" % (field, field.capitalize()))
        values.append(value)
    return values[0], values[1]


class IamApi:
    """``/api/v1/iam/roles``, ``/api/v1/iam/resource-sets`` and ``/oauth2/v1/clients/{clientId}/roles``."""

    def __init__(self, ctx: OrgContext) -> None:
        self.ctx = ctx

    def register(self, router: Router) -> None:
        """Add every operation to the router (scopes per the spec: okta.roles.read / okta.roles.manage)."""
        roles, sets = "/api/v1/iam/roles", "/api/v1/iam/resource-sets"
        role, rs = roles + "/{roleIdOrLabel}", sets + "/{resourceSetIdOrLabel}"
        binding = rs + "/bindings/{roleIdOrLabel}"
        clients, users = "/oauth2/v1/clients/{clientId}/roles", "/api/v1/users/{userId}/roles"
        for method, template, handler in (
            ("GET", roles, self.list_roles), ("POST", roles, self.create_role),
            ("GET", role, self.get_role), ("PUT", role, self.replace_role), ("DELETE", role, self.delete_role),
            ("GET", role + "/permissions", self.list_permissions),
            ("GET", role + "/permissions/{permissionType}", self.get_permission),
            ("POST", role + "/permissions/{permissionType}", self.add_permission),
            ("PUT", role + "/permissions/{permissionType}", self.replace_permission),
            ("DELETE", role + "/permissions/{permissionType}", self.delete_permission),
            ("GET", sets, self.list_resource_sets), ("POST", sets, self.create_resource_set),
            ("GET", rs, self.get_resource_set), ("PUT", rs, self.replace_resource_set),
            ("DELETE", rs, self.delete_resource_set),
            ("GET", rs + "/resources", self.list_resources), ("PATCH", rs + "/resources", self.add_resources),
            ("POST", rs + "/resources", self.add_resource),
            ("GET", rs + "/resources/{resourceId}", self.get_resource),
            ("PUT", rs + "/resources/{resourceId}", self.replace_resource),
            ("DELETE", rs + "/resources/{resourceId}", self.delete_resource),
            ("GET", rs + "/bindings", self.list_bindings), ("POST", rs + "/bindings", self.create_binding),
            ("GET", binding, self.get_binding), ("DELETE", binding, self.delete_binding),
            ("GET", binding + "/members", self.list_members), ("PATCH", binding + "/members", self.add_members),
            ("GET", binding + "/members/{memberId}", self.get_member),
            ("DELETE", binding + "/members/{memberId}", self.delete_member),
            ("GET", clients, self.list_client_roles), ("POST", clients, self.assign_client_role),
            ("GET", clients + "/{roleAssignmentId}", self.get_client_role),
            ("DELETE", clients + "/{roleAssignmentId}", self.delete_client_role),
            ("GET", users, self.list_user_roles), ("POST", users, self.assign_user_role),
            ("GET", users + "/{roleAssignmentId}", self.get_user_role),
            ("DELETE", users + "/{roleAssignmentId}", self.delete_user_role),
        ):
            if any("{%s}" % name in template for name in _ID_OR_LABEL_PARAMS):
                handler = as_the_web_container_reads(handler)
            router.add(method, template, handler, "okta.roles")

    # Rendering.

    def render_role(self, role: CustomRole) -> dict[str, Any]:
        """A custom role as recorded: ``isCloneable``, links on the admin host."""
        url = self.ctx.urls.admin("/api/v1/iam/roles/" + role.id)
        return {"id": role.id, "label": role.label, "isCloneable": False, "description": role.description,
                "created": role.created, "lastUpdated": role.last_updated,
                "_links": {"permissions": {"href": url + "/permissions"}, "self": {"href": url}}}

    def render_permission(self, role: CustomRole, permission: Permission) -> dict[str, Any]:
        """A permission as recorded (``conditions`` null unless set)."""
        url = self.ctx.urls.admin("/api/v1/iam/roles/" + role.id)
        return {"label": permission.label, "created": permission.created, "lastUpdated": permission.last_updated,
                "conditions": permission.conditions,
                "_links": {"role": {"href": url}, "self": {"href": url + "/permissions/" + permission.label}}}

    def render_resource_set(self, resource_set: ResourceSet) -> dict[str, Any]:
        """A resource set; standard sets have no timestamps (TF-VCR)."""
        url = self.ctx.urls.org("/api/v1/iam/resource-sets/" + resource_set.id)
        rendered: dict[str, Any] = {"id": resource_set.id, "label": resource_set.label, "description": resource_set.description}
        if resource_set.created is not None:
            rendered.update(created=resource_set.created, lastUpdated=resource_set.last_updated)
        rendered["_links"] = {"bindings": {"href": url + "/bindings"}, "self": {"href": url},
                              "resources": {"href": url + "/resources"}}
        return rendered

    def render_resource(self, resource_set: ResourceSet, entry: ResourceEntry) -> dict[str, Any]:
        """A resource: ORN plus REST ``self`` link, ``resource`` link, users/groups link for the collections."""
        ref = parse_stored_orn(entry.orn)
        rendered: dict[str, Any] = {"id": entry.id, "orn": entry.orn, "created": entry.created, "lastUpdated": entry.last_updated}
        if entry.conditions is not None:
            rendered["conditions"] = entry.conditions
        links: dict[str, Any] = {}
        rest_path = ref.rest_path()
        if rest_path is not None:
            links["self"] = {"href": self.ctx.urls.org(rest_path)}
        links["resource"] = {"href": self.ctx.urls.org("/api/v1/iam/resource-sets/%s/resources/%s" % (resource_set.id, entry.id))}
        collection = ref.collection_link()
        if collection is not None:
            links[collection[0]] = {"href": self.ctx.urls.org(collection[1])}
        rendered["_links"] = links
        return rendered

    def _binding_url(self, resource_set: ResourceSet, role_id: str) -> str:
        return self.ctx.urls.org("/api/v1/iam/resource-sets/%s/bindings/%s" % (resource_set.id, role_id))

    def render_member(self, member: BindingMember) -> dict[str, Any]:
        """A binding member; Okta reports member timestamps at day precision (TF-VCR assignments)."""
        return {"id": member.id, "created": okta_date_timestamp(parse_timestamp(member.created)),
                "lastUpdated": okta_date_timestamp(parse_timestamp(member.last_updated)),
                "_links": {"self": {"href": self.ctx.urls.org(member.path)}}}

    def render_standard_assignment(self, assignee: Assignee, assignment: StandardRoleAssignment | UserRoleAssignment) -> dict[str, Any]:
        """A standard role assignment as recorded (TF-VCR AppOAuthRoleAssignment for clients, UserAdminRoles for users)."""
        return {"id": standard_role_assignment_id(assignment.role_type), "label": STANDARD_ROLE_LABELS[assignment.role_type],
                "type": assignment.role_type, "status": "ACTIVE", "created": assignment.created,
                "lastUpdated": assignment.last_updated, "assignmentType": assignee.assignment_type,
                "_links": {"assignee": {"href": self.ctx.urls.org(assignee.path)}}}

    def render_custom_assignment(self, assignee: Assignee, resource_set: ResourceSet, member: BindingMember,
                                 role: CustomRole) -> dict[str, Any]:
        """A custom role assignment (SPEC ``CustomRoleResponseClient``, ``StandardAndCustomRolesListResponse``): the id
        is the binding member id."""
        role_url = self.ctx.urls.admin("/api/v1/iam/roles/" + role.id)
        return {"id": member.id, "label": role.label, "type": "CUSTOM", "status": "ACTIVE", "created": member.created,
                "lastUpdated": member.last_updated, "assignmentType": assignee.assignment_type, "resource-set": resource_set.id,
                "role": role.id,
                "_links": {"role": {"href": role_url},
                           "resource-set": {"href": self.ctx.urls.org("/api/v1/iam/resource-sets/" + resource_set.id)},
                           "permissions": {"href": role_url + "/permissions"},
                           "member": {"href": self._binding_url(resource_set, role.id) + "/members/" + member.id},
                           "assignee": {"href": self.ctx.urls.org(assignee.path)}}}

    def _iam_page(self, request: Request, key: str, items: list[Any], default: int, maximum: int,
                  links: dict[str, Any], render: Callable[[Any], dict[str, Any]],
                  id_of: Callable[[Any], str] = lambda item: item.id) -> Response:
        """An IAM list: ``{key: [...], "_links": {..., "next"?}}`` with the cursor in the body, not in Link."""
        by_id = {id_of(item): item for item in items}
        page, more = page_after(sorted(by_id), request.query_value("after"), page_limit(request, default, maximum), lambda _id: True)
        self_url = self.ctx.urls.org(request.path)
        body_links = {"self": {"href": self_url}, **links}
        if more:
            body_links["next"] = {"href": next_url(self.ctx.urls.org_url, request, page[-1])}
        return Response(200, {key: [render(by_id[item_id]) for item_id in page], "_links": body_links}, [self_link(self_url)])

    # Custom roles.

    def _role(self, request: Request) -> CustomRole:
        role = self.ctx.state.find_role(request.param("roleIdOrLabel"))
        if role is None:
            raise not_found(request.param("roleIdOrLabel"), "CustomRole")
        return role

    def _role_response(self, role: CustomRole) -> Response:
        return Response(200, self.render_role(role), [self_link(self.ctx.urls.admin("/api/v1/iam/roles/" + role.id))])

    def _check_role_label(self, label: str, exclude: str | None = None) -> None:
        if any(role.label == label and role.id != exclude for role in self.ctx.state.roles.values()):
            raise validation_failed("label", "label: There is already an admin role with this name.")

    def list_roles(self, request: Request) -> Response:
        """Custom roles only; new ones appear after the consistency delay."""
        listed = [role for role in self.ctx.state.roles.values() if self.ctx.listed(role.created_epoch)]
        return self._iam_page(request, "roles", listed, IAM_LIST_PAGE, 100, {}, self.render_role)

    def create_role(self, request: Request) -> Response:
        """label, description and a non-empty permissions list are all required; labels are unique."""
        body = request.json_object()
        label, description = _label_and_description(body)
        permissions = body.get("permissions")
        if not isinstance(permissions, list) or not permissions:
            raise validation_failed("permissions", "permissions: Permissions must be specified")
        for permission in permissions:
            self._check_permission_name(permission)
        self._check_role_label(label)
        if len(self.ctx.state.roles) >= MAX_CUSTOM_ROLES:
            raise validation_failed("role", "You have reached the maximum number of custom roles (%d)." % MAX_CUSTOM_ROLES)
        now = self.ctx.timestamp()
        role = CustomRole(self.ctx.state.new_id("cr0"), label, description, now, now,
                          [Permission(name, now, now) for name in dict.fromkeys(permissions)], created_epoch=time.time())
        self.ctx.state.roles[role.id] = role
        record_event(self.ctx, request, "iam.role.create", "Create custom role", "CUSTOM_ROLE", role.id, role.label)
        return self._role_response(role)

    def get_role(self, request: Request) -> Response:
        """By id or label."""
        role = self._role(request)
        return self._role_response(role)

    def replace_role(self, request: Request) -> Response:
        """Label and description only (both required); permissions are untouched."""
        role = self._role(request)
        body = request.json_object()
        label, description = _label_and_description(body)
        self._check_role_label(label, exclude=role.id)
        role.label, role.description, role.last_updated = label, description, self.ctx.timestamp()
        return self._role_response(role)

    def delete_role(self, request: Request) -> Response:
        """Delete; its bindings go with it."""
        role = self._role(request)
        self.ctx.state.delete_role(role.id)
        record_event(self.ctx, request, "iam.role.delete", "Delete custom role", "CUSTOM_ROLE", role.id, role.label)
        return Response(204)

    @staticmethod
    def _check_permission_name(permission: object) -> None:
        if not isinstance(permission, str) or not _PERMISSION_PATTERN.match(permission):
            raise validation_failed("permissions", "permissions: Invalid permission: %s" % permission)

    def list_permissions(self, request: Request) -> Response:
        """Newest first, as Okta lists them (TF-VCR crud, 2022 assignments)."""
        role = self._role(request)
        return Response(200, {"permissions": [self.render_permission(role, item) for item in reversed(role.permissions)]})

    def _permission(self, role: CustomRole, request: Request) -> Permission:
        permission = role.permission(request.param("permissionType"))
        if permission is None:
            raise not_found(request.param("permissionType"), "Permission")
        return permission

    def get_permission(self, request: Request) -> Response:
        """One permission."""
        role = self._role(request)
        permission = self._permission(role, request)
        url = self.ctx.urls.admin("/api/v1/iam/roles/%s/permissions/%s" % (role.id, permission.label))
        return Response(200, self.render_permission(role, permission), [self_link(url)])

    def add_permission(self, request: Request) -> Response:
        """204; optional ``{"conditions": ...}``."""
        role = self._role(request)
        name = request.param("permissionType")
        self._check_permission_name(name)
        if role.permission(name) is not None:
            raise validation_failed("permission", "permission: The role already has the permission %s." % name)
        conditions = self._conditions(request.json_object())
        now = self.ctx.timestamp()
        role.permissions.append(Permission(name, now, now, conditions))
        role.last_updated = now
        return Response(204)

    @staticmethod
    def _conditions(body: dict[str, Any]) -> dict[str, Any] | None:
        conditions = body.get("conditions")
        if conditions is None:
            return None
        if not isinstance(conditions, dict) or len(conditions) != 1 or next(iter(conditions)) not in ("include", "exclude"):
            raise validation_failed("conditions", "conditions: Exactly one of include or exclude must be specified.")
        return conditions

    def replace_permission(self, request: Request) -> Response:
        """Replace the conditions; 200 with the permission."""
        role = self._role(request)
        permission = self._permission(role, request)
        permission.conditions = self._conditions(request.json_object())
        url = self.ctx.urls.admin("/api/v1/iam/roles/%s/permissions/%s" % (role.id, permission.label))
        return Response(200, self.render_permission(role, permission), [self_link(url)])

    def delete_permission(self, request: Request) -> Response:
        """204."""
        role = self._role(request)
        role.permissions.remove(self._permission(role, request))
        role.last_updated = self.ctx.timestamp()
        return Response(204)

    # Resource sets.

    def _resource_set(self, request: Request) -> ResourceSet:
        found = self.ctx.state.find_resource_set(request.param("resourceSetIdOrLabel"))
        if found is None:
            raise not_found(request.param("resourceSetIdOrLabel"), "IAMPolicy")
        return found

    def _custom_resource_set(self, request: Request) -> ResourceSet:
        found = self._resource_set(request)
        if found.created is None:
            raise validation_failed("resourceSet", "Standard resource sets can't be changed.")
        return found

    def _check_set_label(self, label: str, exclude: str | None = None) -> None:
        state = self.ctx.state
        reserved_until = state.deleted_set_labels.get(label, 0.0) + self.ctx.settings.consistency_delay
        taken = any(item.label == label and item.id != exclude for item in state.resource_sets.values())
        if taken or time.time() < reserved_until:
            raise validation_failed("label", "label: An IAM Policy with the label '%s' already exists." % label)

    def _new_entries(self, resource_set: ResourceSet, values: Any, now: str) -> list[ResourceEntry]:
        if not isinstance(values, list):
            raise validation_failed("resources", "resources: Resources must be specified")
        known = {entry.orn for entry in resource_set.resources}
        entries: list[ResourceEntry] = []
        for value in values:
            orn = parse_resource(value, self.ctx.state).orn(self.ctx.state)
            if orn not in known:
                known.add(orn)
                entries.append(ResourceEntry(self.ctx.state.new_id("ire"), orn, now, now))
        if len(resource_set.resources) + len(entries) > MAX_RESOURCES_PER_SET:
            raise validation_failed("resources", "resources: A resource set can't have more than %d resources." % MAX_RESOURCES_PER_SET)
        return entries

    def list_resource_sets(self, request: Request) -> Response:
        """Custom and standard sets; new ones appear after the consistency delay."""
        listed = [item for item in self.ctx.state.resource_sets.values() if self.ctx.listed(item.created_epoch)]
        return self._iam_page(request, "resource-sets", listed, IAM_LIST_PAGE, 100, {}, self.render_resource_set)

    def create_resource_set(self, request: Request) -> Response:
        """label, description and 1..1000 resources (ORNs or REST URLs); 200 without the resources."""
        body = request.json_object()
        label, description = _label_and_description(body)
        if not isinstance(body.get("resources"), list) or not body["resources"]:
            raise validation_failed("resources", "resources: Resources must be specified")
        self._check_set_label(label)
        now = self.ctx.timestamp()
        resource_set = ResourceSet(self.ctx.state.new_id("iam"), label, description, now, now, created_epoch=time.time())
        resource_set.resources = self._new_entries(resource_set, body["resources"], now)
        self.ctx.state.resource_sets[resource_set.id] = resource_set
        record_event(self.ctx, request, "iam.resourceset.create", "Create resource set", "RESOURCE_SET", resource_set.id, label)
        return self._resource_set_response(resource_set)

    def _resource_set_response(self, resource_set: ResourceSet) -> Response:
        url = self.ctx.urls.org("/api/v1/iam/resource-sets/" + resource_set.id)
        return Response(200, self.render_resource_set(resource_set), [self_link(url)])

    def get_resource_set(self, request: Request) -> Response:
        """By id or label."""
        return self._resource_set_response(self._resource_set(request))

    def replace_resource_set(self, request: Request) -> Response:
        """Label and description (TF also sends ``id``, which is ignored)."""
        resource_set = self._custom_resource_set(request)
        body = request.json_object()
        label, description = _label_and_description(body)
        self._check_set_label(label, exclude=resource_set.id)
        resource_set.label, resource_set.description, resource_set.last_updated = label, description, self.ctx.timestamp()
        return self._resource_set_response(resource_set)

    def delete_resource_set(self, request: Request) -> Response:
        """Delete with its bindings; the label stays reserved for the consistency delay."""
        resource_set = self._custom_resource_set(request)
        del self.ctx.state.resource_sets[resource_set.id]
        self.ctx.state.deleted_set_labels[resource_set.label] = time.time()
        record_event(self.ctx, request, "iam.resourceset.delete", "Delete resource set", "RESOURCE_SET", resource_set.id, resource_set.label)
        return Response(204)

    def list_resources(self, request: Request) -> Response:
        """``limit`` (default 100, max 200) and ``after``; next page in the body."""
        resource_set = self._resource_set(request)
        links = {"resource-set": {"href": self.ctx.urls.org("/api/v1/iam/resource-sets/" + resource_set.id)}}
        return self._iam_page(request, "resources", resource_set.resources, RESOURCES_PAGE, RESOURCES_PAGE_MAX, links,
                              lambda entry: self.render_resource(resource_set, entry))

    def add_resources(self, request: Request) -> Response:
        """PATCH ``{"additions": [...]}``: 200 with the resource set; already present resources are skipped."""
        resource_set = self._custom_resource_set(request)
        body = request.json_object()
        if not isinstance(body.get("additions"), list) or not body["additions"]:
            raise validation_failed("additions", "additions: Additions must be specified")
        resource_set.resources.extend(self._new_entries(resource_set, body["additions"], self.ctx.timestamp()))
        return self._resource_set_response(resource_set)

    def add_resource(self, request: Request) -> Response:
        """POST one resource with conditions: ``{"resourceOrnOrUrl", "conditions"}``; 200 with the resource."""
        resource_set = self._custom_resource_set(request)
        body = request.json_object()
        entries = self._new_entries(resource_set, [body.get("resourceOrnOrUrl")], self.ctx.timestamp())
        if not entries:
            raise validation_failed("resourceOrnOrUrl", "resourceOrnOrUrl: The resource is already in the resource set.")
        entries[0].conditions = body.get("conditions")
        resource_set.resources.extend(entries)
        return Response(200, self.render_resource(resource_set, entries[0]))

    def _entry(self, resource_set: ResourceSet, request: Request) -> ResourceEntry:
        wanted = request.param("resourceId")
        entry = next((entry for entry in resource_set.resources if entry.id == wanted), None)
        if entry is None:
            raise not_found(wanted, "ResourceSetResource")
        return entry

    def get_resource(self, request: Request) -> Response:
        """One resource by its ``ire`` id."""
        resource_set = self._resource_set(request)
        return Response(200, self.render_resource(resource_set, self._entry(resource_set, request)))

    def replace_resource(self, request: Request) -> Response:
        """Replace a resource's conditions."""
        resource_set = self._custom_resource_set(request)
        entry = self._entry(resource_set, request)
        entry.conditions = request.json_object().get("conditions")
        entry.last_updated = self.ctx.timestamp()
        return Response(200, self.render_resource(resource_set, entry))

    def delete_resource(self, request: Request) -> Response:
        """204."""
        resource_set = self._custom_resource_set(request)
        resource_set.resources.remove(self._entry(resource_set, request))
        return Response(204)

    # Bindings.

    def _binding(self, resource_set: ResourceSet, request: Request) -> tuple[CustomRole, Binding]:
        role = self.ctx.state.find_role(request.param("roleIdOrLabel"))
        if role is None:
            raise not_found(request.param("roleIdOrLabel"), "CustomRole")
        binding = resource_set.binding(role.id)
        if binding is None:
            raise not_found(role.id, "Binding")
        return role, binding

    def _binding_links(self, resource_set: ResourceSet, role_id: str) -> dict[str, Any]:
        set_url = self.ctx.urls.org("/api/v1/iam/resource-sets/" + resource_set.id)
        return {"_links": {"resource-set": {"href": set_url}, "bindings": {"href": set_url + "/bindings"},
                           "self": {"href": self._binding_url(resource_set, role_id)}}}

    def _member_paths(self, values: Any) -> list[str]:
        """Validate member URLs: users, groups, or OAuth clients of service apps; the paths, in order."""
        if not isinstance(values, list) or not values:
            raise validation_failed("members", "members: Members must be specified")
        paths = []
        for value in values:
            found = _MEMBER_PATH.match(urllib.parse.urlsplit(value).path) if isinstance(value, str) else None
            if found is None or not self._member_exists(found):
                raise validation_failed("members", "members: The member '%s' is not a valid user, group or client." % value)
            paths.append(found.group(0))
        return paths

    def _member_exists(self, found: re.Match[str]) -> bool:
        state = self.ctx.state
        if found.group("directory") is None:
            app = state.app_by_client_id(found.group("id"))
            return app is not None and app.is_service()
        return found.group("id") in (state.users if found.group("directory") == "users" else state.groups)

    def _add_members(self, binding: Binding, paths: list[str]) -> list[BindingMember]:
        known = {member.path for member in binding.members}
        now = self.ctx.timestamp()
        added = [BindingMember(self.ctx.state.new_id("irb"), path, now, now) for path in dict.fromkeys(paths) if path not in known]
        binding.members.extend(added)
        return added

    def list_bindings(self, request: Request) -> Response:
        """``{"roles": [{"id", "_links"}], "_links"}``; 100 per page."""
        resource_set = self._resource_set(request)
        links = {"resource-set": {"href": self.ctx.urls.org("/api/v1/iam/resource-sets/" + resource_set.id)}}

        def render(binding: Binding) -> dict[str, Any]:
            return {"id": binding.role_id,
                    "_links": {"self": {"href": self.ctx.urls.admin("/api/v1/iam/roles/" + binding.role_id)},
                               "members": {"href": self._binding_url(resource_set, binding.role_id) + "/members"}}}

        return self._iam_page(request, "roles", resource_set.bindings, BINDINGS_PAGE, BINDINGS_PAGE, links, render,
                              id_of=lambda binding: binding.role_id)

    def create_binding(self, request: Request) -> Response:
        """``{"role", "members"}``; one binding per role per set (add members to an existing one instead)."""
        resource_set = self._custom_resource_set(request)
        body = request.json_object()
        role = self.ctx.state.find_role(str(body.get("role", "")))
        if role is None:
            raise not_found(str(body.get("role")), "CustomRole")
        if resource_set.binding(role.id) is not None:
            raise validation_failed("role", "role: The role is already bound to this resource set; add members instead.")
        paths = self._member_paths(body.get("members"))
        binding = Binding(role.id)
        self._add_members(binding, paths)
        resource_set.bindings.append(binding)
        return Response(200, self._binding_links(resource_set, role.id))

    def get_binding(self, request: Request) -> Response:
        """``{"id": roleId, "_links": {self, members, resource-set}}``."""
        resource_set = self._resource_set(request)
        role, _binding = self._binding(resource_set, request)
        url = self._binding_url(resource_set, role.id)
        return Response(200, {"id": role.id, "_links": {
            "self": {"href": url}, "members": {"href": url + "/members"},
            "resource-set": {"href": self.ctx.urls.org("/api/v1/iam/resource-sets/" + resource_set.id)}}})

    def delete_binding(self, request: Request) -> Response:
        """204; its members (client assignments included) go with it."""
        resource_set = self._resource_set(request)
        _role, binding = self._binding(resource_set, request)
        resource_set.bindings.remove(binding)
        return Response(204)

    def list_members(self, request: Request) -> Response:
        """``{"members": [...], "_links": {self, binding, next?}}``."""
        resource_set = self._resource_set(request)
        role, binding = self._binding(resource_set, request)
        links = {"binding": {"href": self._binding_url(resource_set, role.id)}}
        return self._iam_page(request, "members", binding.members, BINDINGS_PAGE, BINDINGS_PAGE, links, self.render_member)

    def add_members(self, request: Request) -> Response:
        """PATCH ``{"additions": [urls]}``; members already there are skipped."""
        resource_set = self._resource_set(request)
        role, binding = self._binding(resource_set, request)
        self._add_members(binding, self._member_paths(request.json_object().get("additions")))
        return Response(200, self._binding_links(resource_set, role.id))

    def _member(self, binding: Binding, request: Request) -> BindingMember:
        wanted = request.param("memberId")
        member = next((member for member in binding.members if member.id == wanted), None)
        if member is None:
            raise not_found(wanted, "BindingMember")
        return member

    def get_member(self, request: Request) -> Response:
        """One member."""
        resource_set = self._resource_set(request)
        _role, binding = self._binding(resource_set, request)
        return Response(200, self.render_member(self._member(binding, request)))

    def delete_member(self, request: Request) -> Response:
        """204."""
        resource_set = self._resource_set(request)
        _role, binding = self._binding(resource_set, request)
        binding.members.remove(self._member(binding, request))
        return Response(204)

    # Role assignments of clients and users.

    def _client_assignee(self, request: Request) -> tuple[App, Assignee]:
        client_id = request.param("clientId")
        app = self.ctx.state.app_by_client_id(client_id)
        if app is None:
            raise not_found(client_id, "AppInstance")
        return app, Assignee("CLIENT", str(app.client_id))

    def _user_assignee(self, request: Request) -> Assignee:
        user_id = request.param("userId")
        if user_id not in self.ctx.state.users:
            raise not_found(user_id, "User")
        return Assignee("USER", user_id)

    def _standard_roles(self, assignee: Assignee) -> list[StandardRoleAssignment | UserRoleAssignment]:
        state = self.ctx.state
        if assignee.assignment_type == "CLIENT":
            return [item for item in state.client_roles if item.client_id == assignee.id]
        return [item for item in state.user_roles if item.user_id == assignee.id]

    def _assignments(self, assignee: Assignee) -> list[tuple[str, dict[str, Any]]]:
        """(assignment id, answer) of every assignment: standard ones, then custom ones (a user's also through its groups)."""
        state = self.ctx.state
        rendered = [(standard_role_assignment_id(item.role_type), self.render_standard_assignment(assignee, item))
                    for item in self._standard_roles(assignee)]
        holders = [assignee]
        if assignee.assignment_type == "USER":
            holders += [Assignee("GROUP", group.id) for group in state.groups_of_user(assignee.id)]
        for holder in holders:
            for resource_set, binding, member in state.custom_assignments_of(holder.path):
                rendered.append((member.id, self.render_custom_assignment(holder, resource_set, member, state.roles[binding.role_id])))
        return rendered

    def _list_assignments(self, assignee: Assignee) -> Response:
        return Response(200, [body for _id, body in self._assignments(assignee)])

    def _get_assignment(self, request: Request, assignee: Assignee) -> Response:
        wanted = request.param("roleAssignmentId")
        for assignment_id, body in self._assignments(assignee):
            if assignment_id == wanted:
                return Response(200, body)
        raise not_found(wanted, "RoleAssignment")

    def _assign(self, request: Request, assignee: Assignee) -> Response:
        """201 with the assignment (for clients the spec says 200; real traffic says 201 for both)."""
        body = request.json_object()
        role_type = body.get("type")
        if role_type == "CUSTOM":
            return self._assign_custom(request, assignee, body)
        if role_type not in STANDARD_ROLE_LABELS:
            raise validation_failed("type", "type: Invalid role type: %s" % role_type)
        if role_type == "API_ACCESS_MANAGEMENT_ADMIN" and not self.ctx.settings.api_access_management:
            # Orgs without the API Access Management SKU cannot assign this role (DD-ROLES). E0000015 is a 401 in the
            # spec's own components.responses.Error-FF-NotEnabled-Response-401 and in Okta's error catalog.
            raise OktaApiError(401, "E0000015", "You do not have permission to access the feature you are requesting")
        if any(item.role_type == role_type for item in self._standard_roles(assignee)):
            raise OktaApiError(409, "E0000090", "The role specified is already assigned to the user.")
        assignment = self.assign_standard_role(assignee, role_type)
        record_event(self.ctx, request, "iam.role.assignment.create", "Grant admin role to " + assignee.assignment_type.lower(),
                     _EVENT_TARGETS[assignee.assignment_type], assignee.id, role_type)
        return Response(201, self.render_standard_assignment(assignee, assignment))

    def assign_standard_role(self, assignee: Assignee, role_type: str) -> StandardRoleAssignment | UserRoleAssignment:
        """Store a standard role assignment."""
        now = self.ctx.timestamp()
        if assignee.assignment_type == "CLIENT":
            client_assignment = StandardRoleAssignment(assignee.id, role_type, now, now)
            self.ctx.state.client_roles.append(client_assignment)
            return client_assignment
        user_assignment = UserRoleAssignment(assignee.id, role_type, now, now)
        self.ctx.state.user_roles.append(user_assignment)
        return user_assignment

    def _assign_custom(self, request: Request, assignee: Assignee, body: dict[str, Any]) -> Response:
        state = self.ctx.state
        role_key, set_key = body.get("role"), body.get("resource-set")
        if not isinstance(role_key, str) or not isinstance(set_key, str):
            raise validation_failed("role", "A custom role assignment needs both 'role' and 'resource-set'.")
        role = state.find_role(role_key)
        if role is None:
            raise not_found(role_key, "CustomRole")
        resource_set = state.find_resource_set(set_key)
        if resource_set is None:
            raise not_found(set_key, "IAMPolicy")
        binding = resource_set.binding(role.id)
        if binding is None:
            binding = Binding(role.id)
            resource_set.bindings.append(binding)
        added = self._add_members(binding, [assignee.path])
        if not added:
            raise OktaApiError(409, "E0000263", "The role is already assigned to the client with this resource set.")
        record_event(self.ctx, request, "iam.role.assignment.create", "Grant custom admin role to " + assignee.assignment_type.lower(),
                     _EVENT_TARGETS[assignee.assignment_type], assignee.id, role.label)
        return Response(201, self.render_custom_assignment(assignee, resource_set, added[0], role))

    def _unassign(self, request: Request, assignee: Assignee) -> Response:
        """204; deleting a custom assignment removes the binding member."""
        wanted = request.param("roleAssignmentId")
        state = self.ctx.state
        for assignment in self._standard_roles(assignee):
            if standard_role_assignment_id(assignment.role_type) == wanted:
                if isinstance(assignment, StandardRoleAssignment):
                    state.client_roles.remove(assignment)
                else:
                    state.user_roles.remove(assignment)
                return Response(204)
        for _resource_set, binding, member in state.custom_assignments_of(assignee.path):
            if member.id == wanted:
                binding.members.remove(member)
                return Response(204)
        raise not_found(wanted, "RoleAssignment")

    def list_client_roles(self, request: Request) -> Response:
        """Standard and custom assignments as one array (what an admin OAuth app reads of itself, NOTES 10)."""
        return self._list_assignments(self._client_assignee(request)[1])

    def assign_client_role(self, request: Request) -> Response:
        """Only service apps take roles (E0000227)."""
        app, assignee = self._client_assignee(request)
        if not app.is_service():
            raise OktaApiError(400, "E0000227", "Roles can only be granted to service application type")
        return self._assign(request, assignee)

    def get_client_role(self, request: Request) -> Response:
        """By assignment id (base32 role type, or the binding member id for custom roles)."""
        return self._get_assignment(request, self._client_assignee(request)[1])

    def delete_client_role(self, request: Request) -> Response:
        """204."""
        return self._unassign(request, self._client_assignee(request)[1])

    def list_user_roles(self, request: Request) -> Response:
        """SPEC ``listAssignedRolesForUser``: the user's standard and custom roles, and the custom roles of its groups;
        ``expand`` (role targets) is accepted and embeds nothing, as the emulator keeps no role targets."""
        return self._list_assignments(self._user_assignee(request))

    def assign_user_role(self, request: Request) -> Response:
        """SPEC ``assignRoleToUser``: 201 (TF-VCR UserAdminRoles); ``disableNotifications`` is accepted."""
        return self._assign(request, self._user_assignee(request))

    def get_user_role(self, request: Request) -> Response:
        """SPEC ``getUserAssignedRole``."""
        return self._get_assignment(request, self._user_assignee(request))

    def delete_user_role(self, request: Request) -> Response:
        """SPEC ``unassignRoleFromUser``: 204."""
        return self._unassign(request, self._user_assignee(request))
