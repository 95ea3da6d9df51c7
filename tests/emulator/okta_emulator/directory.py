# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Users, groups, the System Log, domains, the org, its "Public client app admins" setting and
``/.well-known/okta-organization``.

Shapes follow the recorded users and groups (TF-VCR ``AdminRoleCustomAssignments``, ``ResourceSet_readWithResources``)
and the spec; classic lists page through the ``Link`` header. Group lists stay fast at 50,000 groups: ids sort
by creation, ``profile.name eq`` and ``q`` use a name index, and pages are scanned from the cursor on.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from .common import okta_timestamp, parse_timestamp
from .context import OrgContext, link_headers, page_after, page_limit, record_event
from .errors import OktaApiError, access_denied, invalid_search, malformed_body, not_found, validation_failed
from .filters import Expression, dotted_lookup, equality_values, parse
from .routing import Request, Response, Router
from .state import Group, User

USERS_PAGE = 200
USERS_QUERY_PAGE = 10
GROUPS_PAGE = 10000
GROUPS_QUERY_PAGE = 300
GROUP_USERS_PAGE = 1000
LOGS_PAGE = 100
LOGS_PAGE_MAX = 1000
USER_FILTER_ATTRIBUTES = frozenset({"id", "status", "lastUpdated", "created", "profile.login", "profile.email",
                                    "profile.firstName", "profile.lastName", "type.id"})
GROUP_FILTER_ATTRIBUTES = frozenset({"id", "type", "lastUpdated", "lastMembershipUpdated"})
GROUP_LOGO = "https://ok14static.oktacdn.com/assets/img/logos/groups/odyssey/okta-%s.png"
USER_TYPE_ID = "oty1emulatorusertype"
USER_SCHEMA_ID = "osc1emulatoruserschm"
CLIENT_PRIVILEGES_SETTING = "/api/v1/org/settings/clientPrivilegesSetting"
# Base profile attributes Okta answers even when null (TF-VCR); other null attributes sent on create are dropped.
USER_NULLABLE_ATTRIBUTES = ("firstName", "lastName", "mobilePhone", "secondEmail")


def _duplicate(field: str) -> OktaApiError:
    return validation_failed(field, "%s: An object with this field already exists in the current organization" % field)


class DirectoryApi:
    """``/api/v1/users``, ``/api/v1/groups``, ``/api/v1/logs``, ``/api/v1/domains``, ``/api/v1/org``."""

    def __init__(self, ctx: OrgContext) -> None:
        self.ctx = ctx

    def register(self, router: Router) -> None:
        """Scopes per the spec: okta.users.*, okta.groups.*, okta.logs.read, okta.domains.read, okta.orgs.read."""
        user, group = "/api/v1/users/{userId}", "/api/v1/groups/{groupId}"
        for method, template, handler, scope in (
            ("GET", "/api/v1/users", self.list_users, "okta.users"), ("POST", "/api/v1/users", self.create_user, "okta.users"),
            ("GET", user, self.get_user, "okta.users"), ("DELETE", user, self.delete_user, "okta.users"),
            ("POST", user + "/lifecycle/activate", self.activate_user, "okta.users"),
            ("POST", user + "/lifecycle/deactivate", self.deactivate_user, "okta.users"),
            ("GET", user + "/groups", self.list_user_groups, "okta.users"),
            ("GET", "/api/v1/groups", self.list_groups, "okta.groups"), ("POST", "/api/v1/groups", self.create_group, "okta.groups"),
            ("GET", group, self.get_group, "okta.groups"), ("PUT", group, self.replace_group, "okta.groups"),
            ("DELETE", group, self.delete_group, "okta.groups"),
            ("GET", group + "/users", self.list_group_users, "okta.groups"),
            ("PUT", group + "/users/{userId}", self.add_group_member, "okta.groups"),
            ("DELETE", group + "/users/{userId}", self.remove_group_member, "okta.groups"),
            ("GET", "/api/v1/logs", self.list_logs, "okta.logs.read"),
            ("GET", "/api/v1/domains", self.list_domains, "okta.domains"),
            ("GET", "/api/v1/domains/{domainId}", self.get_domain, "okta.domains"),
            ("GET", "/api/v1/org", self.get_org, "okta.orgs"),
            ("GET", CLIENT_PRIVILEGES_SETTING, self.get_client_privileges_setting, "okta.orgs"),
            ("PUT", CLIENT_PRIVILEGES_SETTING, self.replace_client_privileges_setting, "okta.orgs"),
        ):
            router.add(method, template, handler, scope)
        router.add("GET", "/.well-known/okta-organization", self.well_known, None, authenticated=False)

    # Rendering.

    def render_user(self, user: User) -> dict[str, Any]:
        """A user as recorded (PROVISIONED/ACTIVE/..., ``type``, ``credentials.provider``)."""
        base = self.ctx.urls.org("/api/v1/users/" + user.id)
        return {"id": user.id, "status": user.status, "created": user.created, "activated": user.activated,
                "statusChanged": user.status_changed, "lastLogin": None, "lastUpdated": user.last_updated,
                "passwordChanged": None, "type": {"id": USER_TYPE_ID},
                "profile": {"firstName": None, "lastName": None, "mobilePhone": None, "secondEmail": None, **user.profile},
                "credentials": {"provider": {"type": "OKTA", "name": "OKTA"}},
                "_links": self._user_links(user, base)}

    def _user_links(self, user: User, base: str) -> dict[str, Any]:
        """The lifecycle links of a user as recorded for a PROVISIONED one (TF-VCR TestAccOktaAdminRoleCustomAssignments);
        ``reactivate`` only while PROVISIONED; a DEPROVISIONED user keeps only self, schema and type."""
        links: dict[str, Any] = {}
        lifecycle = user.status != "DEPROVISIONED"
        if lifecycle:
            links["suspend"] = {"href": base + "/lifecycle/suspend", "method": "POST"}
        links["schema"] = {"href": self.ctx.urls.org("/api/v1/meta/schemas/user/" + USER_SCHEMA_ID)}
        if lifecycle:
            links["resetPassword"] = {"href": base + "/lifecycle/reset_password", "method": "POST"}
        if user.status == "PROVISIONED":
            links["reactivate"] = {"href": base + "/lifecycle/reactivate", "method": "POST"}
        links["self"] = {"href": base}
        if lifecycle:
            links["resetFactors"] = {"href": base + "/lifecycle/reset_factors", "method": "POST"}
        links["type"] = {"href": self.ctx.urls.org("/api/v1/meta/types/user/" + USER_TYPE_ID)}
        if lifecycle:
            links["deactivate"] = {"href": base + "/lifecycle/deactivate", "method": "POST"}
        return links

    def render_group(self, group: Group) -> dict[str, Any]:
        """A group as recorded (``objectClass``, logo links, users and apps links)."""
        base = self.ctx.urls.org("/api/v1/groups/" + group.id)
        return {"id": group.id, "created": group.created, "lastUpdated": group.last_updated,
                "lastMembershipUpdated": group.last_membership_updated, "objectClass": ["okta:user_group"],
                "type": group.type, "profile": group.profile,
                "_links": {"logo": [{"name": size, "href": GROUP_LOGO % size, "type": "image/png"} for size in ("medium", "large")],
                           "users": {"href": base + "/users"}, "apps": {"href": base + "/apps"}}}

    # Users.

    def _user(self, request: Request) -> User:
        user = self.ctx.state.find_user(request.param("userId"))
        if user is None:
            raise not_found(request.param("userId"), "User")
        return user

    def list_users(self, request: Request) -> Response:
        """``q`` (starts-with on first name, last name, email), ``search``, ``filter``, ``limit``, ``after``."""
        state = self.ctx.state
        query = (request.query_value("q") or "").lower()
        search, user_filter = request.query_value("search"), request.query_value("filter")
        if search and user_filter:
            raise OktaApiError(400, "E0000033", "Bad request. Can't specify a search query and filter in the same request.")
        expression = parse(search) if search else parse(user_filter, USER_FILTER_ATTRIBUTES) if user_filter else None
        visible = request.visible or (lambda _id: True)

        def accept(user_id: str) -> bool:
            user = state.users[user_id]
            if not visible(user_id) or (expression is None and user.status == "DEPROVISIONED"):
                return False
            if query and not any(str(user.profile.get(field) or "").lower().startswith(query) for field in ("firstName", "lastName", "email")):
                return False
            return expression is None or expression.matches(dotted_lookup(self.render_user(user)))

        limit = page_limit(request, USERS_QUERY_PAGE if query else USERS_PAGE, USERS_PAGE)
        page, more = page_after(sorted(state.users), request.query_value("after"), limit, accept)
        return Response(200, [self.render_user(state.users[user_id]) for user_id in page],
                        link_headers(self.ctx.urls.org_url, request, page[-1] if more else None))

    def create_user(self, request: Request) -> Response:
        """``?activate=true`` (default): ACTIVE with a password, PROVISIONED without; STAGED otherwise."""
        body = request.json_object()
        profile = body.get("profile")
        if not isinstance(profile, dict):
            raise validation_failed("profile", "profile: The field cannot be left blank")
        for field in ("login", "email", "firstName", "lastName"):
            if not isinstance(profile.get(field), str) or not profile[field].strip():
                raise validation_failed(field, "%s: The field cannot be left blank" % field)
        if self.ctx.state.find_user(profile["login"]) is not None:
            raise _duplicate("login")
        group_ids = body.get("groupIds") or []
        if any(group_id not in self.ctx.state.groups for group_id in group_ids):
            raise validation_failed("groupIds", "groupIds: Invalid group ids")
        now = self.ctx.timestamp()
        has_password = bool((body.get("credentials") or {}).get("password", {}).get("value"))
        if request.query_flag("activate", True):
            status, activated = ("ACTIVE" if has_password else "PROVISIONED"), now
        else:
            status, activated = "STAGED", None
        kept = {key: value for key, value in profile.items() if value is not None or key in USER_NULLABLE_ATTRIBUTES}
        user = User(self.ctx.state.new_id("00u"), status, now, now, kept, activated, activated, created_epoch=time.time())
        self.ctx.state.users[user.id] = user
        for group_id in group_ids:
            self._add_member(self.ctx.state.groups[group_id], user.id)
        self._add_member(self._everyone(), user.id)
        record_event(self.ctx, request, "user.lifecycle.create", "Create Okta user", "User", user.id, profile["login"])
        return Response(200, self.render_user(user))

    def get_user(self, request: Request) -> Response:
        """By id or login; ``me`` is "the user linked to the API token that is specified in the Authorization header"
        (SPEC ``getUser``). An OAuth access token of a service app acts for no user, so ``me`` names none for it and is
        answered as any unknown user is (404 E0000007): no source shows Okta's answer in that case."""
        principal = request.principal
        if request.param("userId") == "me" and principal is not None and principal.kind == "user":
            return Response(200, self.render_user(self.ctx.state.users[principal.id]))
        return Response(200, self.render_user(self._user(request)))

    def activate_user(self, request: Request) -> Response:
        """200 ``{}``."""
        user = self._user(request)
        now = self.ctx.timestamp()
        user.status, user.activated, user.status_changed, user.last_updated = "ACTIVE", now, now, now
        return Response(200, {})

    def deactivate_user(self, request: Request) -> Response:
        """200 ``{}``; the user becomes DEPROVISIONED."""
        user = self._user(request)
        now = self.ctx.timestamp()
        user.status, user.status_changed, user.last_updated = "DEPROVISIONED", now, now
        return Response(200, {})

    def delete_user(self, request: Request) -> Response:
        """204; the first call deactivates, the second deletes (as Okta does)."""
        user = self._user(request)
        if user.status != "DEPROVISIONED":
            self.deactivate_user(request)
        else:
            self.ctx.state.delete_user(user.id)
        return Response(204)

    def list_user_groups(self, request: Request) -> Response:
        """The user's groups (a plain array)."""
        user = self._user(request)
        return Response(200, [self.render_group(group) for group in self.ctx.state.groups_of_user(user.id)])

    # Groups.

    def _group(self, request: Request) -> Group:
        group = self.ctx.state.groups.get(request.param("groupId"))
        if group is None:
            raise not_found(request.param("groupId"), "UserGroup")
        return group

    def _everyone(self) -> Group:
        return next(group for group in self.ctx.state.groups.values() if group.type == "BUILT_IN")

    def _group_candidates(self, query: str, expression: Expression | None) -> tuple[list[str], Callable[[Group], bool]]:
        """Ids to scan and a per-group test; name lookups go through the index, not a scan of every group."""
        state = self.ctx.state
        names = equality_values(expression, "profile.name") if expression is not None else None
        if names is not None:
            ids = sorted({group_id for name in names if isinstance(name, str) for group_id in state.groups_named(name)})
            return ids, lambda _group: True
        ids = state.sorted_group_ids()
        prefix = query.lower()
        if expression is None:
            return ids, lambda group: group.profile["name"].lower().startswith(prefix)
        return ids, lambda group: expression.matches(dotted_lookup(self.render_group(group)))

    def list_groups(self, request: Request) -> Response:
        """``q`` (starts-with on the name), ``search`` (SCIM), ``filter``, ``limit`` (default 10000), ``after``."""
        state = self.ctx.state
        query = request.query_value("q") or ""
        search, group_filter = request.query_value("search"), request.query_value("filter")
        if search and group_filter:
            raise OktaApiError(400, "E0000033", "Bad request. Can't specify a search query and filter in the same request.")
        expression = parse(search) if search else parse(group_filter, GROUP_FILTER_ATTRIBUTES) if group_filter else None
        ids, matches = self._group_candidates(query, expression)
        visible = request.visible or (lambda _id: True)

        def accept(group_id: str) -> bool:
            group = state.groups[group_id]
            return self.ctx.listed(group.created_epoch) and visible(group_id) and matches(group)

        limit = page_limit(request, GROUPS_QUERY_PAGE if query else GROUPS_PAGE, GROUPS_PAGE)
        page, more = page_after(ids, request.query_value("after"), limit, accept)
        return Response(200, [self.render_group(state.groups[group_id]) for group_id in page],
                        link_headers(self.ctx.urls.org_url, request, page[-1] if more else None))

    def _profile(self, request: Request) -> dict[str, Any]:
        profile = request.json_object().get("profile")
        if not isinstance(profile, dict) or not isinstance(profile.get("name"), str) or not profile["name"].strip():
            raise validation_failed("name", "name: The field cannot be left blank")
        # A group created without a description has none: the spec's OktaUserGroupProfile.description is a
        # non-nullable string, and no recording shows a null one.
        return {"name": profile["name"], **({"description": profile["description"]} if profile.get("description") is not None else {}),
                **{key: value for key, value in profile.items() if key not in ("name", "description")}}

    def create_group(self, request: Request) -> Response:
        """200 with the group; names are unique."""
        profile = self._profile(request)
        if self.ctx.state.groups_named(profile["name"]):
            raise _duplicate("name")
        now = self.ctx.timestamp()
        group = Group(self.ctx.state.new_id("00g"), "OKTA_GROUP", now, now, now, profile, created_epoch=time.time())
        self.ctx.state.add_group(group)
        record_event(self.ctx, request, "group.lifecycle.create", "Create Okta group", "UserGroup", group.id, profile["name"])
        return Response(200, self.render_group(group))

    def get_group(self, request: Request) -> Response:
        """By id."""
        return Response(200, self.render_group(self._group(request)))

    def replace_group(self, request: Request) -> Response:
        """Replace the profile of an Okta group."""
        group = self._group(request)
        if group.type != "OKTA_GROUP":
            raise access_denied()
        profile = self._profile(request)
        if any(group_id != group.id for group_id in self.ctx.state.groups_named(profile["name"])):
            raise _duplicate("name")
        self.ctx.state.rename_group(group, profile)
        group.last_updated = self.ctx.timestamp()
        return Response(200, self.render_group(group))

    def delete_group(self, request: Request) -> Response:
        """204; the group leaves every resource set and binding. Everyone can't be deleted."""
        group = self._group(request)
        if group.type == "BUILT_IN":
            raise access_denied()
        self.ctx.state.delete_group(group.id)
        record_event(self.ctx, request, "group.lifecycle.delete", "Delete Okta group", "UserGroup", group.id, group.profile["name"])
        return Response(204)

    def list_group_users(self, request: Request) -> Response:
        """Members (``limit`` default 1000, ``after``)."""
        group = self._group(request)
        state = self.ctx.state
        page, more = page_after(sorted(group.member_ids), request.query_value("after"),
                                page_limit(request, GROUP_USERS_PAGE, GROUP_USERS_PAGE), lambda user_id: user_id in state.users)
        return Response(200, [self.render_user(state.users[user_id]) for user_id in page],
                        link_headers(self.ctx.urls.org_url, request, page[-1] if more else None))

    def _add_member(self, group: Group, user_id: str) -> None:
        if user_id not in group.member_ids:
            group.member_ids.append(user_id)
            group.last_membership_updated = self.ctx.timestamp()

    def add_group_member(self, request: Request) -> Response:
        """204."""
        group, user = self._group(request), self._user(request)
        self._add_member(group, user.id)
        return Response(204)

    def remove_group_member(self, request: Request) -> Response:
        """204."""
        group, user = self._group(request), self._user(request)
        if user.id in group.member_ids:
            group.member_ids.remove(user.id)
            group.last_membership_updated = self.ctx.timestamp()
        return Response(204)

    # System Log.

    def list_logs(self, request: Request) -> Response:
        """``since`` (default 7 days back), ``until``, ``filter``, ``q``, ``limit``, ``sortOrder``, ``after``.

        Without ``until`` this is a polling query: like Okta, the answer always carries a ``next`` link, even on
        the last (or an empty) page, so a client must stop on an empty page, not on a missing link.
        """
        now = self.ctx.settings.now()
        try:
            since = parse_timestamp(request.query_value("since") or okta_timestamp(now - 7 * 86400))
            until_text = request.query_value("until")
            until = parse_timestamp(until_text) if until_text else None
        except ValueError:
            raise OktaApiError(400, "E0000030", "Bad request. Invalid date. Dates must be of the form yyyy-MM-dd'T'HH:mm:ss.SSSZZ, "
                               "e.g. 2013-01-01T12:00:00.000-07:00.") from None
        expression = parse(request.query_value("filter") or "") if request.query_value("filter") else None
        keywords = (request.query_value("q") or "").lower().split()
        events = [event for event in self.ctx.state.log_events
                  if since <= parse_timestamp(event["published"]) and (until is None or parse_timestamp(event["published"]) < until)
                  and (expression is None or expression.matches(dotted_lookup(event)))
                  and all(keyword in str(event).lower() for keyword in keywords)]
        if request.query_value("sortOrder") == "DESCENDING":
            events.reverse()
        position = {event["uuid"]: index for index, event in enumerate(events)}
        after = request.query_value("after")
        if after is not None and after not in position:
            raise invalid_search("Invalid paging request.")
        start = position[after] + 1 if after is not None else 0
        limit = page_limit(request, LOGS_PAGE, LOGS_PAGE_MAX)
        page = events[start:start + limit]
        more = start + limit < len(events)
        cursor = page[-1]["uuid"] if page else after
        next_cursor = cursor if (more or (until is None and cursor is not None)) else None
        return Response(200, page, link_headers(self.ctx.urls.org_url, request, next_cursor))

    # Domains, org, well-known.

    def list_domains(self, request: Request) -> Response:
        """``{"domains": [...]}``."""
        del request
        return Response(200, {"domains": self.ctx.state.domains})

    def get_domain(self, request: Request) -> Response:
        """One custom domain."""
        wanted = request.param("domainId")
        domain = next((domain for domain in self.ctx.state.domains if domain["id"] == wanted), None)
        if domain is None:
            raise not_found(wanted, "Domain")
        return Response(200, domain)

    def get_org(self, request: Request) -> Response:
        """The org's settings."""
        del request
        state = self.ctx.state
        return Response(200, {"id": state.org_id, "companyName": "Emulated Org", "subdomain": "emulator", "status": "ACTIVE",
                              "created": okta_timestamp(0), "lastUpdated": okta_timestamp(0),
                              "_links": {"contacts": {"href": self.ctx.urls.org("/api/v1/org/contacts")}}})

    def get_client_privileges_setting(self, request: Request) -> Response:
        """SPEC ``getClientPrivilegesSetting``: whether "Public client app admins" is on (``--public-client-app-admins``)."""
        del request
        return Response(200, {"clientPrivilegesSetting": self.ctx.settings.public_client_app_admins})

    def replace_client_privileges_setting(self, request: Request) -> Response:
        """SPEC ``assignClientPrivilegesSetting``: ``{"clientPrivilegesSetting": true|false}``, answered back."""
        value = request.json_object().get("clientPrivilegesSetting")
        if not isinstance(value, bool):
            raise malformed_body()
        self.ctx.settings.public_client_app_admins = value
        return Response(200, {"clientPrivilegesSetting": value})

    def well_known(self, request: Request) -> Response:
        """No authentication; as recorded (TF-VCR ResourceSet_Issue_1991)."""
        del request
        return Response(200, {"id": self.ctx.state.org_id, "cell": "emu1", "_links": {"organization": {"href": self.ctx.urls.org_url}},
                              "pipeline": "idx", "settings": {"analyticsCollectionEnabled": False, "bugReportingEnabled": False,
                                                              "omEnabled": False, "pssoEnabled": False, "desktopMFAEnabled": False,
                                                              "itpEnabled": False}})
