# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The org's objects, their invariants across object types, and JSON persistence.

Everything here is plain data; the API modules render it in Okta's shapes. The server holds one lock around
every handler, which makes it thread-safe.
"""
from __future__ import annotations

import dataclasses
import json
import os
import tempfile
import uuid
from collections.abc import Callable
from typing import Any

from .common import new_id, okta_timestamp

# The one standard resource set every org lists (TF-VCR DataSourceOktaResourceSets_read).
WORKFLOWS_RESOURCE_SET_ID = "WORKFLOWS_IAM_POLICY"


@dataclasses.dataclass
class User:
    """A directory user."""

    id: str
    status: str
    created: str
    last_updated: str
    profile: dict[str, Any]
    activated: str | None = None
    status_changed: str | None = None
    created_epoch: float = 0.0


@dataclasses.dataclass
class Group:
    """A directory group with its members."""

    id: str
    type: str
    created: str
    last_updated: str
    last_membership_updated: str
    profile: dict[str, Any]
    member_ids: list[str] = dataclasses.field(default_factory=list)
    created_epoch: float = 0.0


@dataclasses.dataclass
class JsonWebKey:
    """One public key of an OAuth client; ``material`` holds the JWK members as registered."""

    id: str
    status: str
    created: str
    last_updated: str
    material: dict[str, Any]

    @property
    def kid(self) -> str | None:
        """The key's ``kid`` (optional in Okta)."""
        return self.material.get("kid")


@dataclasses.dataclass
class App:
    """An app instance. ``document`` holds the rest of the Application object as Okta returns it."""

    id: str
    name: str
    label: str
    status: str
    sign_on_mode: str
    created: str
    last_updated: str
    document: dict[str, Any]
    keys: list[JsonWebKey] = dataclasses.field(default_factory=list)
    client_secret: str | None = None
    created_epoch: float = 0.0

    @property
    def oauth_settings(self) -> dict[str, Any]:
        """``settings.oauthClient`` (empty for non-OIDC apps)."""
        return self.document.get("settings", {}).get("oauthClient") or {}

    @property
    def oauth_credentials(self) -> dict[str, Any]:
        """``credentials.oauthClient`` (empty for non-OIDC apps)."""
        return self.document.get("credentials", {}).get("oauthClient") or {}

    @property
    def client_id(self) -> str | None:
        """The OAuth client id (= app id unless set explicitly); None for non-OIDC apps."""
        return self.oauth_credentials.get("client_id") if self.sign_on_mode == "OPENID_CONNECT" else None

    def is_service(self) -> bool:
        """An "API Services" app: OIDC with ``application_type: service``."""
        return self.sign_on_mode == "OPENID_CONNECT" and self.oauth_settings.get("application_type") == "service"


@dataclasses.dataclass
class Permission:
    """A permission of a custom role (``label`` is the permission string)."""

    label: str
    created: str
    last_updated: str
    conditions: dict[str, Any] | None = None


@dataclasses.dataclass
class CustomRole:
    """A custom admin role."""

    id: str
    label: str
    description: str
    created: str
    last_updated: str
    permissions: list[Permission] = dataclasses.field(default_factory=list)
    created_epoch: float = 0.0

    def permission(self, label: str) -> Permission | None:
        """One permission by its string."""
        return next((permission for permission in self.permissions if permission.label == label), None)


@dataclasses.dataclass
class ResourceEntry:
    """A resource inside a resource set, stored by its full ORN."""

    id: str
    orn: str
    created: str
    last_updated: str
    conditions: dict[str, Any] | None = None


@dataclasses.dataclass
class BindingMember:
    """A member of a binding: the path of a user, group or OAuth client URL."""

    id: str
    path: str
    created: str
    last_updated: str


@dataclasses.dataclass
class Binding:
    """A (custom role, resource set) binding and its members."""

    role_id: str
    members: list[BindingMember] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class ResourceSet:
    """A resource set. Standard sets (``WORKFLOWS_IAM_POLICY``) have no timestamps, as recorded."""

    id: str
    label: str
    description: str
    created: str | None
    last_updated: str | None
    resources: list[ResourceEntry] = dataclasses.field(default_factory=list)
    bindings: list[Binding] = dataclasses.field(default_factory=list)
    created_epoch: float = 0.0

    def binding(self, role_id: str) -> Binding | None:
        """The binding of one role, if any."""
        return next((binding for binding in self.bindings if binding.role_id == role_id), None)


@dataclasses.dataclass
class Grant:
    """An Okta API scope granted to an app."""

    id: str
    app_id: str
    scope_id: str
    issuer: str
    created: str
    last_updated: str
    created_by: dict[str, str]


@dataclasses.dataclass
class StandardRoleAssignment:
    """A standard admin role assigned to an OAuth client (custom ones live in the bindings)."""

    client_id: str
    role_type: str
    created: str
    last_updated: str


@dataclasses.dataclass
class UserRoleAssignment:
    """A standard admin role assigned to a user (custom ones live in the bindings)."""

    user_id: str
    role_type: str
    created: str
    last_updated: str


@dataclasses.dataclass
class ApiToken:
    """An SSWS API token of a user. Only the SHA-256 of the secret is kept, so the state never holds a usable token.

    ``last_used_epoch`` moves on every use: Okta's tokens expire 30 days after creation or last use (DD-TOKEN).
    """

    id: str
    name: str
    user_id: str
    secret_digest: str
    created_epoch: float
    last_used_epoch: float
    network: dict[str, Any]
    client_name: str = "Okta API"


@dataclasses.dataclass
class AuthorizationServer:
    """A custom authorization server (API Access Management)."""

    id: str
    name: str
    description: str
    audiences: list[str]
    issuer_path: str
    created: str
    last_updated: str
    signing_kid: str
    default: bool = False
    status: str = "ACTIVE"


def _records(kind: type, items: list[dict[str, Any]]) -> list[Any]:
    return [kind(**item) for item in items]


@dataclasses.dataclass
class OrgState:
    """All objects of the org. Mutations that span object types are methods here."""

    org_id: str
    id_suffix: str
    partition: str = "okta"
    # The directory users behind the SSWS tokens of the command line (Super Admin, Read-only Admin, Org Admin).
    super_admin_id: str = ""
    read_only_admin_id: str = ""
    org_admin_id: str = ""
    users: dict[str, User] = dataclasses.field(default_factory=dict)
    groups: dict[str, Group] = dataclasses.field(default_factory=dict)
    apps: dict[str, App] = dataclasses.field(default_factory=dict)
    roles: dict[str, CustomRole] = dataclasses.field(default_factory=dict)
    resource_sets: dict[str, ResourceSet] = dataclasses.field(default_factory=dict)
    grants: dict[str, Grant] = dataclasses.field(default_factory=dict)
    client_roles: list[StandardRoleAssignment] = dataclasses.field(default_factory=list)
    user_roles: list[UserRoleAssignment] = dataclasses.field(default_factory=list)
    api_tokens: dict[str, ApiToken] = dataclasses.field(default_factory=dict)
    # Digests of revoked tokens of the command line: a state file reloaded with the same options keeps them revoked.
    revoked_token_digests: list[str] = dataclasses.field(default_factory=list)
    authorization_servers: dict[str, AuthorizationServer] = dataclasses.field(default_factory=dict)
    log_events: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    domains: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    zluri_users: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    # Labels of deleted resource sets and when they were deleted: Okta keeps them reserved for a while
    # (terraform-provider-okta#1739); the emulator does so for ``consistency_delay`` seconds.
    deleted_set_labels: dict[str, float] = dataclasses.field(default_factory=dict)

    def __post_init__(self) -> None:
        self._group_names: dict[str, list[str]] = {}
        self._sorted_group_ids: list[str] | None = None
        self.reindex_groups()

    def new_id(self, prefix: str) -> str:
        """A fresh id with this org's cell suffix."""
        return new_id(prefix, self.id_suffix)

    # Groups: a name index and a cached id order keep 50,000-group orgs fast.

    def reindex_groups(self) -> None:
        """Rebuild the group name index (after loading or bulk seeding)."""
        self._group_names = {}
        for group in self.groups.values():
            self._group_names.setdefault(group.profile["name"].lower(), []).append(group.id)
        self._sorted_group_ids = None

    def add_group(self, group: Group) -> None:
        """Insert a group and index it."""
        self.groups[group.id] = group
        self._group_names.setdefault(group.profile["name"].lower(), []).append(group.id)
        self._sorted_group_ids = None

    def rename_group(self, group: Group, profile: dict[str, Any]) -> None:
        """Replace a group's profile, keeping the name index right."""
        self._group_names.get(group.profile["name"].lower(), []).remove(group.id)
        group.profile = profile
        self._group_names.setdefault(profile["name"].lower(), []).append(group.id)

    def groups_named(self, name: str) -> list[str]:
        """Ids of the groups with this name (case-insensitive)."""
        return list(self._group_names.get(name.lower(), ()))

    def sorted_group_ids(self) -> list[str]:
        """Group ids in id (= creation) order, cached until groups are added or deleted."""
        if self._sorted_group_ids is None:
            self._sorted_group_ids = sorted(self.groups)
        return self._sorted_group_ids

    def delete_group(self, group_id: str) -> None:
        """Delete a group; it vanishes from every resource set and binding (TF-VCR readWithResources)."""
        group = self.groups.pop(group_id)
        self._group_names.get(group.profile["name"].lower(), []).remove(group_id)
        self._sorted_group_ids = None
        # orn:{partition}:directory:{orgId}:groups:{groupId}[:contained_resources]
        self._forget_resources(lambda orn: orn.split(":")[4:6] == ["groups", group_id])
        self._forget_members("/api/v1/groups/" + group_id)

    def delete_user(self, user_id: str) -> None:
        """Delete a user, its memberships, admin roles and API tokens, and its binding memberships."""
        del self.users[user_id]
        for group in self.groups.values():
            if user_id in group.member_ids:
                group.member_ids.remove(user_id)
        self.user_roles = [assignment for assignment in self.user_roles if assignment.user_id != user_id]
        self.api_tokens = {token_id: token for token_id, token in self.api_tokens.items() if token.user_id != user_id}
        self._forget_members("/api/v1/users/" + user_id)

    def delete_app(self, app_id: str) -> None:
        """Delete an app with its grants and admin roles; it vanishes from every resource set."""
        app = self.apps.pop(app_id)
        self.grants = {grant_id: grant for grant_id, grant in self.grants.items() if grant.app_id != app_id}
        self._forget_resources(lambda orn: orn.endswith(":apps:%s:%s" % (app.name, app_id)))
        if app.client_id:
            self.client_roles = [assignment for assignment in self.client_roles if assignment.client_id != app.client_id]
            self._forget_members("/oauth2/v1/clients/" + app.client_id)

    def delete_role(self, role_id: str) -> None:
        """Delete a custom role and its bindings in every resource set."""
        del self.roles[role_id]
        for resource_set in self.resource_sets.values():
            resource_set.bindings = [binding for binding in resource_set.bindings if binding.role_id != role_id]

    def _forget_resources(self, matches: Callable[[str], bool]) -> None:
        for resource_set in self.resource_sets.values():
            resource_set.resources = [entry for entry in resource_set.resources if not matches(entry.orn)]

    def _forget_members(self, path: str) -> None:
        for resource_set in self.resource_sets.values():
            for binding in resource_set.bindings:
                binding.members = [member for member in binding.members if member.path != path]

    # Lookups by id or label (IAM paths accept either).

    def find_role(self, id_or_label: str) -> CustomRole | None:
        """A custom role by id, else by label."""
        role = self.roles.get(id_or_label)
        return role or next((role for role in self.roles.values() if role.label == id_or_label), None)

    def find_resource_set(self, id_or_label: str) -> ResourceSet | None:
        """A resource set by id, else by label."""
        found = self.resource_sets.get(id_or_label)
        return found or next((item for item in self.resource_sets.values() if item.label == id_or_label), None)

    def find_user(self, id_or_login: str) -> User | None:
        """A user by id, else by login (case-insensitive), as ``/api/v1/users/{id}`` accepts."""
        user = self.users.get(id_or_login)
        wanted = id_or_login.lower()
        return user or next((user for user in self.users.values() if user.profile.get("login", "").lower() == wanted), None)

    def app_by_client_id(self, client_id: str) -> App | None:
        """The OIDC app with this client id."""
        app = self.apps.get(client_id)
        if app is not None and app.client_id == client_id:
            return app
        return next((app for app in self.apps.values() if app.client_id == client_id), None)

    def custom_assignments_of(self, member_path: str) -> list[tuple[ResourceSet, Binding, BindingMember]]:
        """Every binding membership of one member path (``/oauth2/v1/clients/{id}``, ``/api/v1/users/{id}``, a group)."""
        found: list[tuple[ResourceSet, Binding, BindingMember]] = []
        for resource_set in self.resource_sets.values():
            for binding in resource_set.bindings:
                found.extend((resource_set, binding, member) for member in binding.members if member.path == member_path)
        return found

    def app_has_grants(self, app_id: str) -> bool:
        """Whether an app holds any Okta API scope grant."""
        return any(grant.app_id == app_id for grant in self.grants.values())

    def groups_of_user(self, user_id: str) -> list[Group]:
        """The groups a user belongs to."""
        return [group for group in self.groups.values() if user_id in group.member_ids]

    def record_event(self, event_type: str, display_message: str, actor: dict[str, Any], target: dict[str, Any],
                     epoch: float, debug_data: dict[str, str] | None = None) -> None:
        """Append a System Log event, so the demo org's log reflects what the collection did."""
        # The shape of the spec's own ListLogs example: null exactly where that example has null; what the example
        # fills but the emulator can't know (legacyEventType, externalSessionId, geographicalContext of a loopback
        # address) is left out rather than null (the LogEvent schema declares none of them nullable).
        self.log_events.append({
            "uuid": str(uuid.uuid4()),
            "published": okta_timestamp(epoch).replace(".000Z", ".%03dZ" % int(epoch * 1000 % 1000)),
            "eventType": event_type,
            "version": "0",
            "severity": "INFO",
            "displayMessage": display_message,
            "actor": actor,
            "client": {"userAgent": {"rawUserAgent": "okta-emulator", "os": "Unknown", "browser": "UNKNOWN"},
                       "zone": "null", "device": "Unknown", "id": None, "ipAddress": "127.0.0.1"},
            "outcome": {"result": "SUCCESS", "reason": None},
            "target": [target],
            "transaction": {"type": "WEB", "id": uuid.uuid4().hex, "detail": {}},
            "debugContext": {"debugData": debug_data or {}},
            "authenticationContext": {"authenticationProvider": None, "credentialProvider": None,
                                      "credentialType": None, "issuer": None, "interface": None,
                                      "authenticationStep": 0},
            "securityContext": {"asNumber": None, "asOrg": None, "isp": None, "domain": None, "isProxy": None},
            "request": {"ipChain": [{"ip": "127.0.0.1", "version": "V4", "source": None}]},
        })

    # Persistence.

    def to_json(self) -> dict[str, Any]:
        """Everything, as JSON-able data (also what ``GET /_emulator/state`` returns)."""
        return {field.name: _plain(getattr(self, field.name)) for field in dataclasses.fields(self)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> OrgState:
        """Inverse of :meth:`to_json`."""
        def app(item: dict[str, Any]) -> App:
            return App(**{**item, "keys": _records(JsonWebKey, item["keys"])})

        def role(item: dict[str, Any]) -> CustomRole:
            return CustomRole(**{**item, "permissions": _records(Permission, item["permissions"])})

        def resource_set(item: dict[str, Any]) -> ResourceSet:
            bindings = [Binding(binding["role_id"], _records(BindingMember, binding["members"])) for binding in item["bindings"]]
            return ResourceSet(**{**item, "resources": _records(ResourceEntry, item["resources"]), "bindings": bindings})

        # Members added later default to empty, so a state file written by an older emulator still loads.
        return cls(
            org_id=data["org_id"], id_suffix=data["id_suffix"], partition=data["partition"],
            super_admin_id=data["super_admin_id"], read_only_admin_id=data["read_only_admin_id"],
            org_admin_id=data.get("org_admin_id", ""),
            users={key: User(**value) for key, value in data["users"].items()},
            groups={key: Group(**value) for key, value in data["groups"].items()},
            apps={key: app(value) for key, value in data["apps"].items()},
            roles={key: role(value) for key, value in data["roles"].items()},
            resource_sets={key: resource_set(value) for key, value in data["resource_sets"].items()},
            grants={key: Grant(**value) for key, value in data["grants"].items()},
            client_roles=_records(StandardRoleAssignment, data["client_roles"]),
            user_roles=_records(UserRoleAssignment, data.get("user_roles", [])),
            api_tokens={key: ApiToken(**value) for key, value in data.get("api_tokens", {}).items()},
            revoked_token_digests=data.get("revoked_token_digests", []),
            authorization_servers={key: AuthorizationServer(**value) for key, value in data.get("authorization_servers", {}).items()},
            log_events=data["log_events"], domains=data["domains"], zluri_users=data["zluri_users"],
            deleted_set_labels=data["deleted_set_labels"],
        )

    def save(self, path: str) -> None:
        """Write atomically: a temp file in the same directory, then rename over the target."""
        directory = os.path.dirname(os.path.abspath(path))
        handle, temp_path = tempfile.mkstemp(prefix=".okta-emulator-state-", dir=directory)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(self.to_json(), stream)
            os.replace(temp_path, path)
        except BaseException:
            os.unlink(temp_path)
            raise

    @classmethod
    def load(cls, path: str) -> OrgState:
        """Read a state file written by :meth:`save`."""
        with open(path, encoding="utf-8") as stream:
            return cls.from_json(json.load(stream))


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: _plain(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value
