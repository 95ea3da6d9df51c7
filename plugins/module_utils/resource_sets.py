# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource sets (/api/v1/iam/resource-sets) and their resources, as a reconcile Kind.

Resources are compared by a partition- and org-free key derived from their ORN (docs/okta-api.md 4.1, 4.2,
trap 3): 'directory:users', 'directory:groups:00g1', 'idp:apps:*:0oa1', 'iam:contained_resources'. They are
sent as REST URLs where Okta has one, so the partition matters only for ORN-only resources such as IAM.

Private to the collection (not a public API): it may change in any release.
"""

from __future__ import annotations

import re
from typing import Any, Hashable, Iterable
from urllib.parse import parse_qs, quote, urlsplit

from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_client import OktaClient, OktaConfigError
from ansible_collections.saasops.okta_m2m.plugins.module_utils.reconcile import Kind, Member, find_by_label

RESOURCE_SETS_PATH = "/api/v1/iam/resource-sets"
MAX_RESOURCES = 1000
RESOURCE_TYPES = ("all_users", "all_groups", "all_apps", "iam", "group", "group_users", "app", "apps_of_type", "orn", "url")
# A resource as the modules take it (okta_resource_set, okta_preflight), and the one field each type needs.
RESOURCE_OPTIONS: dict[str, dict[str, Any]] = {
    "type": {"type": "str", "required": True, "choices": list(RESOURCE_TYPES)},
    "name": {"type": "str"},
    "id": {"type": "str"},
    "value": {"type": "str"},
}
RESOURCE_NEEDS = {"group": ("name", "id"), "group_users": ("name", "id"), "app": ("name", "id"), "apps_of_type": ("name",), "orn": ("value",),
                  "url": ("value",)}


def check_resource_entries(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each entry names its resource with exactly the field its type needs, and an ORN or URL is one this collection
    compares, before any call."""
    for index, entry in enumerate(entries):
        given = [name for name in ("name", "id", "value") if entry.get(name)]
        allowed = RESOURCE_NEEDS.get(entry["type"], ())
        if len([name for name in given if name in allowed]) != (1 if allowed else 0) or set(given) - set(allowed):
            need = " or ".join("O(resources)[%d].%s" % (index, name) for name in allowed) or "nothing else"
            raise OktaConfigError("O(resources)[%d] of type %s needs %s (got %s)" % (index, entry["type"], need, ", ".join(given) or "none"))
        if entry["type"] == "orn":
            orn_key(entry["value"])
        elif entry["type"] == "url":
            url_key(entry["value"])
    return entries


# Enough names per search to keep 1,000 groups well under 60 lookups, short enough for any URL limit.
GROUP_NAMES_PER_SEARCH = 50

_FIXED_KEYS = {"all_users": "directory:users", "all_groups": "directory:groups", "all_apps": "idp:apps", "iam": "iam:contained_resources"}
_FIXED_PATHS = {"directory:users": "/api/v1/users", "directory:groups": "/api/v1/groups", "idp:apps": "/api/v1/apps"}


def orn_key(orn: str) -> str:
    """The comparison key of an ORN: service and object path, without partition and org id.

    A specific app's ORN carries the app name ('idp:apps:oidc_client:0oa1'); the key keeps only its id, so an
    app named by id compares equal without looking up its name.
    """
    parts = orn.split(":")
    if len(parts) < 5 or parts[0] != "orn" or not all(parts):
        raise OktaConfigError("%r is not an ORN (orn:{partition}:{service}:{orgId}:{objectType}...)" % orn)
    rest = parts[4:]
    if parts[2] == "idp" and rest[0] == "apps" and len(rest) == 3:
        rest[1] = "*"
    return ":".join([parts[2]] + rest)


_URL_PATTERNS = (
    (re.compile(r"^/api/v1/users$"), lambda m: "directory:users"),
    (re.compile(r"^/api/v1/groups$"), lambda m: "directory:groups"),
    (re.compile(r"^/api/v1/groups/([^/]+)$"), lambda m: "directory:groups:" + m.group(1)),
    (re.compile(r"^/api/v1/groups/([^/]+)/users$"), lambda m: "directory:groups:%s:contained_resources" % m.group(1)),
    (re.compile(r"^/api/v1/apps/([^/]+)$"), lambda m: "idp:apps:*:" + m.group(1)),
    (re.compile(r"^/api/v1/authorizationServers$"), lambda m: "idp:authorization_servers"),
    (re.compile(r"^/api/v1/authorizationServers/([^/]+)$"), lambda m: "idp:authorization_servers:" + m.group(1)),
)
_APP_NAME_FILTER = re.compile(r'^\s*name\s+eq\s+"([^"]+)"\s*$')


def url_key(url: str) -> str:
    """The comparison key of a resource REST URL (any host: org, custom domain or '-admin')."""
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    if path == "/api/v1/apps":
        app_filter = parse_qs(parts.query).get("filter")
        if not app_filter:
            return "idp:apps"
        match = _APP_NAME_FILTER.match(app_filter[0])
        if match:
            return "idp:apps:" + match.group(1)
    for pattern, key in _URL_PATTERNS:
        match = pattern.match(path)
        if match:
            return key(match)
    raise OktaConfigError("resource URL %r is not one this module can compare; give the resource as an ORN instead" % url)


def key_path(key: str) -> str | None:
    """The REST path Okta accepts for a key, or None for ORN-only resources (IAM and others)."""
    if key in _FIXED_PATHS:
        return _FIXED_PATHS[key]
    parts = key.split(":")
    if parts[:2] == ["directory", "groups"] and len(parts) == 3:
        return "/api/v1/groups/" + parts[2]
    if parts[:2] == ["directory", "groups"] and len(parts) == 4 and parts[3] == "contained_resources":
        return "/api/v1/groups/%s/users" % parts[2]
    if parts[:2] == ["idp", "apps"] and len(parts) == 3:
        return '/api/v1/apps?filter=name+eq+%22' + quote(parts[2], safe="") + "%22"
    if parts[:2] == ["idp", "apps"] and len(parts) == 4:
        return "/api/v1/apps/" + parts[3]
    return None


def _search_literal(name: str) -> str:
    return '"%s"' % name.replace("\\", "\\\\").replace('"', '\\"')


class ResourceResolver:
    """Turns the resources a user names into keys, with batched searches; knows the org's ORN prefix."""

    def __init__(self, client: OktaClient, partition: str | None = None, org_id: str | None = None) -> None:
        self.client = client
        self._partition = partition
        self._org_id = org_id

    def resolve(self, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Desired resource items ({'key', 'orn'?}) for the user's entries, in order; all lookups batched."""
        group_names = [e["name"] for e in entries if e["type"] in ("group", "group_users") and not e.get("id")]
        group_ids = self.group_ids_by_name(group_names)
        items: list[dict[str, Any]] = []
        for index, entry in enumerate(entries):
            kind = entry["type"]
            if kind in _FIXED_KEYS:
                key = _FIXED_KEYS[kind]
            elif kind in ("group", "group_users"):
                group_id = entry.get("id") or group_ids[entry["name"]]
                key = "directory:groups:" + group_id + (":contained_resources" if kind == "group_users" else "")
            elif kind == "app":
                key = "idp:apps:*:" + (entry.get("id") or self.app_id_by_label(entry["name"]))
            elif kind == "apps_of_type":
                key = "idp:apps:" + entry["name"]
            elif kind == "orn":
                key = orn_key(entry["value"])
                self.learn_from([entry["value"]])
                items.append({"key": key, "orn": entry["value"]})
                continue
            else:
                key = url_key(entry["value"])
            items.append({"key": key})
        unique = list({item["key"]: item for item in items}.values())
        if len(unique) > MAX_RESOURCES:
            raise OktaConfigError("resources name %d resources; a resource set holds at most %d" % (len(unique), MAX_RESOURCES))
        return unique

    def group_ids_by_name(self, names: list[str]) -> dict[str, str]:
        """Exact-name group lookups, many names per search call; unknown or ambiguous names are one error."""
        wanted = list(dict.fromkeys(names))
        found: dict[str, list[dict[str, Any]]] = {name: [] for name in wanted}
        for start in range(0, len(wanted), GROUP_NAMES_PER_SEARCH):
            batch = wanted[start:start + GROUP_NAMES_PER_SEARCH]
            expression = " or ".join("profile.name eq %s" % _search_literal(name) for name in batch)
            by_lower = {name.lower(): name for name in batch}
            for group in self.client.paginate("/api/v1/groups", {"search": expression, "limit": 200}):
                group_name = (group.get("profile") or {}).get("name", "")
                if group_name in found:
                    found[group_name].append(group)
                elif group_name.lower() in by_lower:
                    # Okta's eq is case-insensitive; an exact-case match, if any, is preferred below.
                    found[by_lower[group_name.lower()]].append(group)
        unknown = [name for name, groups in found.items() if not groups]
        if unknown:
            raise OktaConfigError("resources name groups that do not exist in Okta: %s" % ", ".join(unknown))
        ids = {}
        for name, groups in found.items():
            exact = [g for g in groups if g["profile"]["name"] == name] or groups
            if len(exact) > 1:
                raise OktaConfigError("group name %r is ambiguous: groups %s share it; name the group by id instead"
                                      % (name, ", ".join(g["id"] for g in exact)))
            ids[name] = exact[0]["id"]
        return ids

    def app_id_by_label(self, label: str) -> str:
        """App labels are not unique and q= is a starts-with search: keep exact matches only (trap 9)."""
        found = list(self.client.paginate("/api/v1/apps", {"q": label, "limit": 200}))
        self.learn_from(app.get("orn") or "" for app in found)
        matches = [app for app in found if app.get("label") == label]
        if not matches:
            raise OktaConfigError("resources name an app labelled %r, but no app has that label" % label)
        if len(matches) > 1:
            raise OktaConfigError("app label %r is ambiguous: apps %s share it; name the app by id instead"
                                  % (label, ", ".join(app["id"] for app in matches)))
        return matches[0]["id"]

    def learn_from(self, orns: Iterable[str]) -> None:
        """Take the partition from an ORN Okta returned: the host does not tell it (two orgs on one domain answered
        orn:okta: and orn:oktapreview:, docs/okta-api.md 4.2)."""
        for orn in orns:
            parts = orn.split(":")
            if self._partition is None and len(parts) > 3 and parts[0] == "orn":
                self._partition = parts[1]

    def send_form(self, item: dict[str, Any]) -> str:
        """What Okta is sent for an item: the user's ORN, else the REST URL, else an ORN built for this org."""
        if item.get("orn"):
            return item["orn"]
        path = key_path(item["key"])
        if path is not None:
            return self.client.org_url + path
        service, rest = item["key"].split(":", 1)
        return "orn:%s:%s:%s:%s" % (self.partition(), service, self.org_id(), rest)

    def org_id(self) -> str:
        if self._org_id is None:
            self._org_id = self.client.get("/.well-known/okta-organization")["id"]
        return self._org_id

    def partition(self) -> str:
        """The partition the user gave or an ORN of this run showed; else one read of an app, whose orn tells it."""
        if self._partition is None:
            self.learn_from(app.get("orn") or "" for app in self.client.get("/api/v1/apps", {"limit": 1}))
        if self._partition is None:
            raise OktaConfigError("Okta returned no ORN to tell this org's ORN partition (okta or oktapreview); set orn_partition")
        return self._partition


class ResourceMember(Member):
    name = "resources"
    noun = "resource"

    def __init__(self, resolver: ResourceResolver) -> None:
        self.resolver = resolver

    def key(self, item: dict[str, Any]) -> Hashable:
        return item["key"]

    def view(self, item: dict[str, Any]) -> Any:
        return item["key"]

    def current(self, client: OktaClient, parent: dict[str, Any]) -> list[dict[str, Any]]:
        items = []
        for resource in client.paginate("%s/%s/resources" % (RESOURCE_SETS_PATH, parent["id"]), {"limit": 200}, items_key="resources"):
            orn = resource.get("orn")
            if orn:
                self.resolver.learn_from([orn])
                key = orn_key(orn)
            else:
                key = url_key(((resource.get("_links") or {}).get("self") or {}).get("href", ""))
            items.append({"key": key, "id": resource["id"]})
        return items

    def check_delta(self, parent: Any, delta: Any, current: list[dict[str, Any]]) -> None:
        if len(current) + len(delta.to_add) - len(delta.to_remove) > MAX_RESOURCES:
            raise OktaConfigError("a resource set holds at most %d resources" % MAX_RESOURCES)

    def add(self, client: OktaClient, parent: dict[str, Any], items: list[dict[str, Any]]) -> None:
        client.patch("%s/%s/resources" % (RESOURCE_SETS_PATH, parent["id"]), {"additions": [self.resolver.send_form(i) for i in items]})

    def remove(self, client: OktaClient, parent: dict[str, Any], items: list[dict[str, Any]]) -> None:
        for item in items:
            client.delete("%s/%s/resources/%s" % (RESOURCE_SETS_PATH, parent["id"], item["id"]))


def find_resource_set(client: OktaClient, label: str, allow_id: bool = False) -> dict[str, Any] | None:
    """The resource set labelled label; with allow_id, else the set whose id is label (see find_by_label)."""
    return find_by_label(client, RESOURCE_SETS_PATH, "resource-sets", label, allow_id)


class ResourceSetKind(Kind):
    noun = "resource set"
    fields = ("label", "description")

    def __init__(self, resolver: ResourceResolver) -> None:
        self.resolver = resolver
        self.members = (ResourceMember(resolver),)

    def find(self, client: OktaClient, desired: dict[str, Any]) -> dict[str, Any] | None:
        return find_resource_set(client, desired["label"])

    def create(self, client: OktaClient, desired: dict[str, Any]) -> dict[str, Any]:
        return client.post(RESOURCE_SETS_PATH, {
            "label": desired["label"],
            "description": desired["description"],
            "resources": [self.resolver.send_form(item) for item in desired["resources"]],
        })

    def update(self, client: OktaClient, current: dict[str, Any], desired: dict[str, Any]) -> dict[str, Any]:
        return client.put("%s/%s" % (RESOURCE_SETS_PATH, current["id"]), {"label": desired["label"], "description": desired["description"]})

    def delete(self, client: OktaClient, current: dict[str, Any]) -> None:
        client.delete("%s/%s" % (RESOURCE_SETS_PATH, current["id"]))


def resource_sets_report(client: OktaClient, label: str | None = None) -> list[dict[str, Any]]:
    """The resource sets (only the one labelled label, if given) with their resources as comparison keys, as
    okta_resource_set_info returns them."""
    if label is not None:
        resource_sets = [found for found in [find_resource_set(client, label)] if found is not None]
    else:
        resource_sets = list(client.paginate(RESOURCE_SETS_PATH, items_key="resource-sets"))
    member = ResourceMember(ResourceResolver(client))
    return [{"id": found["id"], "label": found.get("label"), "description": found.get("description"),
             "resources": sorted(member.view(item) for item in member.current(client, found)),
             "created": found.get("created"), "last_updated": found.get("lastUpdated")} for found in resource_sets]
