# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Custom admin roles (/api/v1/iam/roles) and their permissions, as a reconcile Kind.

Label and description change with PUT; permissions are added and removed one by one, because PUT does not
touch them (docs/okta-api.md 3, trap 1).

Private to the collection (not a public API): it may change in any release.
"""

from __future__ import annotations

from typing import Any, Hashable
from urllib.parse import quote

from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_client import OktaClient
from ansible_collections.saasops.okta_m2m.plugins.module_utils.reconcile import Kind, Member, find_by_label

ROLES_PATH = "/api/v1/iam/roles"


class PermissionMember(Member):
    name = "permissions"
    noun = "permission"

    def key(self, item: dict[str, Any]) -> Hashable:
        return item["label"]

    def same(self, desired: dict[str, Any], current: dict[str, Any]) -> bool:
        return (desired.get("conditions") or None) == (current.get("conditions") or None)

    def view(self, item: dict[str, Any]) -> Any:
        return {"permission": item["label"], "conditions": item["conditions"]} if item.get("conditions") else item["label"]

    def current(self, client: OktaClient, parent: dict[str, Any]) -> list[dict[str, Any]]:
        body = client.get("%s/%s/permissions" % (ROLES_PATH, parent["id"]))
        return [{"label": p["label"], "conditions": p.get("conditions") or None} for p in body.get("permissions", [])]

    def add(self, client: OktaClient, parent: dict[str, Any], items: list[dict[str, Any]]) -> None:
        for item in items:
            body = {"conditions": item["conditions"]} if item.get("conditions") else None
            client.post(self._path(parent, item), body)

    def update(self, client: OktaClient, parent: dict[str, Any], desired: dict[str, Any], current: dict[str, Any]) -> None:
        if desired.get("conditions"):
            client.put(self._path(parent, desired), {"conditions": desired["conditions"]})
        else:
            # Removed and granted again without conditions, because no source shows one call that clears them. Okta's
            # spec (replaceRolePermission) makes the body optional and PermissionConditions nullable, but neither its
            # text nor its examples say what a PUT with "conditions": null, {} or no body does, and the only recorded
            # PUTs (TF-VCR AdminRoleCustom_withConditions) set include or exclude. Terraform never clears them either
            # (okta/terraform-provider-okta 71c063f4, managePermissionConditions PUTs only the conditions configured).
            # DELETE and a body-less POST are both recorded (PY-VCR test_role_permissions_operations).
            client.delete(self._path(parent, desired))
            client.post(self._path(parent, desired))

    def remove(self, client: OktaClient, parent: dict[str, Any], items: list[dict[str, Any]]) -> None:
        for item in items:
            client.delete(self._path(parent, item))

    @staticmethod
    def _path(parent: dict[str, Any], item: dict[str, Any]) -> str:
        return "%s/%s/permissions/%s" % (ROLES_PATH, parent["id"], quote(item["label"], safe=""))


def find_role(client: OktaClient, label: str, allow_id: bool = False) -> dict[str, Any] | None:
    """The custom role labelled label; with allow_id, else the role whose id is label (see find_by_label)."""
    return find_by_label(client, ROLES_PATH, "roles", label, allow_id)


class CustomRoleKind(Kind):
    noun = "custom admin role"
    fields = ("label", "description")
    members = (PermissionMember(),)

    def find(self, client: OktaClient, desired: dict[str, Any]) -> dict[str, Any] | None:
        return find_role(client, desired["label"])

    def create(self, client: OktaClient, desired: dict[str, Any]) -> dict[str, Any]:
        permissions = desired["permissions"]
        role = client.post(ROLES_PATH, {
            "label": desired["label"],
            "description": desired["description"],
            "permissions": [p["label"] for p in permissions],
        })
        conditioned = [p for p in permissions if p.get("conditions")]
        for permission in conditioned:
            PermissionMember().update(client, role, permission, {"label": permission["label"], "conditions": None})
        return role

    def update(self, client: OktaClient, current: dict[str, Any], desired: dict[str, Any]) -> dict[str, Any]:
        return client.put("%s/%s" % (ROLES_PATH, current["id"]), {"label": desired["label"], "description": desired["description"]})

    def delete(self, client: OktaClient, current: dict[str, Any]) -> None:
        client.delete("%s/%s" % (ROLES_PATH, current["id"]))


def roles_report(client: OktaClient, label: str | None = None) -> list[dict[str, Any]]:
    """The custom roles (only the one labelled label, if given) with their permissions, as okta_admin_role_info returns them."""
    if label is not None:
        roles = [role for role in [find_role(client, label)] if role is not None]
    else:
        roles = list(client.paginate(ROLES_PATH, items_key="roles"))
    member = PermissionMember()
    return [{"id": role["id"], "label": role.get("label"), "description": role.get("description"),
             "permissions": sorted((member.view(item) for item in member.current(client, role)), key=str),
             "created": role.get("created"), "last_updated": role.get("lastUpdated")} for role in roles]
