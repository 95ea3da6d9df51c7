# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource-set resources: ORNs and REST URLs, both accepted, stored as ORNs (docs/okta-api.md section 4.1).

| resource                | ORN (after ``orn:{partition}:``)                          | REST path                          |
| all users               | ``directory:{orgId}:users``                               | ``/api/v1/users``                  |
| users of a group        | ``directory:{orgId}:groups:{groupId}:contained_resources`` | ``/api/v1/groups/{groupId}/users`` |
| all groups / a group    | ``directory:{orgId}:groups[:{groupId}]``                  | ``/api/v1/groups[/{groupId}]``     |
| all apps / apps of type | ``idp:{orgId}:apps[:{appName}]``                          | ``/api/v1/apps[?filter=name eq ..]``|
| an app                  | ``idp:{orgId}:apps:{appName}:{appId}``                    | ``/api/v1/apps/{appId}``           |
| IAM                     | ``iam:{orgId}:contained_resources``                       | (none)                             |
"""
from __future__ import annotations

import dataclasses
import re
import urllib.parse

from .errors import OktaApiError, validation_failed
from .state import OrgState

KNOWN_SERVICES = frozenset({"directory", "idp", "iam", "workflow", "governance"})


@dataclasses.dataclass(frozen=True)
class ResourceRef:
    """An ORN without partition and org id: the service and the object path."""

    service: str
    parts: tuple[str, ...]

    def orn(self, state: OrgState) -> str:
        """The full ORN in this org."""
        return ":".join(("orn", state.partition, self.service, state.org_id) + self.parts)

    def rest_path(self) -> str | None:
        """The REST path Okta puts in ``_links.self`` (None where there is none, e.g. IAM)."""
        service, parts = self.service, self.parts
        if service == "directory":
            if parts in (("users",), ("groups",), ("devices",), ("realms",)):
                return "/api/v1/" + parts[0]
            if parts[0] == "groups" and len(parts) == 2:
                return "/api/v1/groups/" + parts[1]
            if parts[0] == "groups" and parts[2:] == ("contained_resources",):
                return "/api/v1/groups/%s/users" % parts[1]
            if parts[0] == "realms" and len(parts) == 2:
                return "/api/v1/realms/" + parts[1]
        if service == "idp":
            if parts == ("apps",):
                return "/api/v1/apps"
            if parts[0] == "apps" and len(parts) == 2:
                return "/api/v1/apps?filter=" + urllib.parse.quote_plus('name eq "%s"' % parts[1])
            if parts[0] == "apps" and len(parts) == 3:
                return "/api/v1/apps/" + parts[2]
            if parts[0] == "authorization_servers":
                return "/api/v1/authorizationServers" + ("/" + parts[1] if len(parts) == 2 else "")
        return None

    def collection_link(self) -> tuple[str, str] | None:
        """All-users and all-groups entries also carry ``_links.users`` / ``_links.groups`` (TF-VCR 2025)."""
        if self.service == "directory" and self.parts in (("users",), ("groups",)):
            return self.parts[0], "/api/v1/" + self.parts[0]
        return None


def parse_stored_orn(orn: str) -> ResourceRef:
    """A ResourceRef from an ORN already validated and stored."""
    pieces = orn.split(":")
    return ResourceRef(pieces[2], tuple(pieces[4:]))


def _invalid(value: str) -> OktaApiError:
    return validation_failed("resources", "resources: The resource '%s' is not a valid ORN or resource URL." % value)


def _missing(value: str) -> OktaApiError:
    return validation_failed("resources", "resources: The resource '%s' does not exist." % value)


_REST_PATHS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^/api/v1/users$"), "directory:users"),
    (re.compile(r"^/api/v1/groups$"), "directory:groups"),
    (re.compile(r"^/api/v1/groups/(?P<id>[^/]+)$"), "directory:groups:{id}"),
    (re.compile(r"^/api/v1/groups/(?P<id>[^/]+)/users$"), "directory:groups:{id}:contained_resources"),
    (re.compile(r"^/api/v1/apps$"), "idp:apps"),
    (re.compile(r"^/api/v1/apps/(?P<id>[^/]+)$"), "idp:apps:{name}:{id}"),
    (re.compile(r"^/api/v1/devices$"), "directory:devices"),
    (re.compile(r"^/api/v1/realms$"), "directory:realms"),
    (re.compile(r"^/api/v1/realms/(?P<id>[^/]+)$"), "directory:realms:{id}"),
    (re.compile(r"^/api/v1/authorizationServers$"), "idp:authorization_servers"),
    (re.compile(r"^/api/v1/authorizationServers/(?P<id>[^/]+)$"), "idp:authorization_servers:{id}"),
)
_APPS_OF_TYPE = re.compile(r'^name eq "(?P<name>[^"]+)"$')


def _from_url(value: str, state: OrgState) -> ResourceRef:
    url = urllib.parse.urlsplit(value)
    if url.scheme not in ("http", "https") or not url.netloc:
        raise _invalid(value)
    path = url.path.rstrip("/")
    if path == "/api/v1/apps" and url.query:
        apps_filter = urllib.parse.parse_qs(url.query).get("filter", [""])[0]
        found = _APPS_OF_TYPE.match(apps_filter)
        if found is None:
            raise _invalid(value)
        return ResourceRef("idp", ("apps", found.group("name")))
    if url.query:
        raise _invalid(value)
    for pattern, shape in _REST_PATHS:
        found = pattern.match(path)
        if found is None:
            continue
        object_id = found.groupdict().get("id", "")
        name = ""
        if shape.startswith("idp:apps:"):
            app = state.apps.get(object_id)
            if app is None:
                raise _missing(value)
            name = app.name
        service, *parts = shape.format(id=object_id, name=name).split(":")
        return ResourceRef(service, tuple(parts))
    raise _invalid(value)


def _from_orn(value: str, state: OrgState) -> ResourceRef:
    pieces = value.split(":")
    if len(pieces) < 5 or pieces[0] != "orn" or not all(pieces):
        raise _invalid(value)
    if pieces[1] != state.partition or pieces[3] != state.org_id or pieces[2] not in KNOWN_SERVICES:
        raise _invalid(value)
    return ResourceRef(pieces[2], tuple(pieces[4:]))


def parse_resource(value: object, state: OrgState) -> ResourceRef:
    """Validate an ORN or REST URL given by a client; 400 E0000001 if malformed or naming a missing object."""
    if not isinstance(value, str) or not value.strip():
        raise _invalid(str(value))
    ref = _from_orn(value, state) if value.startswith("orn:") else _from_url(value, state)
    _check_exists(ref, value, state)
    return ref


def _check_exists(ref: ResourceRef, value: str, state: OrgState) -> None:
    parts = ref.parts
    if ref.service == "directory" and parts[0] == "groups" and len(parts) > 1:
        if parts[1] not in state.groups or parts[2:] not in ((), ("contained_resources",)):
            raise _missing(value)
    elif ref.service == "directory" and parts[0] == "users" and len(parts) > 1:
        # Individual users are not a resource type: "specific users" means users of a group.
        raise _invalid(value)
    elif ref.service == "idp" and parts[0] == "apps" and len(parts) == 3:
        app = state.apps.get(parts[2])
        if app is None or app.name != parts[1]:
            raise _missing(value)
    elif ref.service == "idp" and parts[0] == "apps" and len(parts) > 3:
        raise _invalid(value)
    elif ref.service == "iam" and parts != ("contained_resources",):
        raise _invalid(value)
