#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: okta_admin_role
short_description: Manage an Okta custom admin role and its permissions
version_added: 1.0.0
description:
  - Creates, updates or deletes an Okta custom admin role, found by its O(label).
  - The description is changed in place; permissions are added and removed one by one, as Okta requires.
  - Permission strings are passed to Okta as given (Okta keeps adding new ones); a string that looks like a
    typo of a known permission produces a warning.
author:
  - saasops.okta_m2m developers (@saasops)
extends_documentation_fragment:
  - saasops.okta_m2m.okta
  - saasops.okta_m2m.okta.attributes
options:
  label:
    description:
      - The role's label, unique in the org. It is the natural key the role is found by.
    type: str
    required: true
  description:
    description:
      - The role's description. Required with O(state=present).
    type: str
  permissions:
    description:
      - The permissions of the role, for example V(okta.users.read). Required with O(state=present), at least one.
      - An entry may be a dict with C(permission) and C(conditions) (exactly one of C(include) or C(exclude)),
        for the permissions Okta allows conditions on, such as V(okta.users.read).
    type: list
    elements: raw
  purge_permissions:
    description:
      - Remove permissions the role has that O(permissions) does not list.
      - With V(false), listed permissions are added and others are kept.
    type: bool
    default: true
  state:
    description:
      - V(present) creates or updates the role; V(absent) deletes it.
      - Delete role assignments that use the role first (M(saasops.okta_m2m.okta_role_assignment)).
    type: str
    choices: [present, absent]
    default: present
seealso:
  - module: saasops.okta_m2m.okta_resource_set
  - module: saasops.okta_m2m.okta_role_assignment
"""

EXAMPLES = r"""
- name: Least-privilege role for Zluri (minimum tier)
  saasops.okta_m2m.okta_admin_role:
    org_url: https://example.okta.com
    api_token: "{{ okta_api_token }}"
    label: Zluri Custom Role
    description: Read access for Zluri
    permissions:
      - okta.users.read
      - okta.groups.read
      - okta.iam.read
      - okta.apps.read
      - okta.directories.read

- name: Hide two profile attributes from the role
  saasops.okta_m2m.okta_admin_role:
    label: Zluri Custom Role
    description: Read access for Zluri
    permissions:
      - permission: okta.users.read
        conditions:
          exclude:
            "okta:ResourceAttribute/User/Profile": [employeeNumber, costCenter]
      - okta.groups.read

- name: Remove the role
  saasops.okta_m2m.okta_admin_role:
    label: Zluri Custom Role
    state: absent
"""

RETURN = r"""
role:
  description: The role as Okta returned it, and its permissions; empty when O(state=absent).
  returned: success
  type: dict
  contains:
    id:
      description: The role id (C(cr0...)); not known in check mode before the role exists.
      type: str
      sample: cr0abc123
    label:
      description: The label.
      type: str
    description:
      description: The description.
      type: str
    permissions:
      description: Permission strings, or dicts with C(permission) and C(conditions).
      type: list
      elements: raw
changes:
  description: The writes this run made (or would make in check mode), in order.
  returned: always
  type: list
  elements: str
  sample: ["add permission okta.iam.read"]
api_calls:
  description: Okta API calls this run made, by method and path.
  returned: always
  type: dict
  sample: {"total": 2, "writes": 0, "retries": 0, "waited_seconds": 0, "by_endpoint": {"GET /api/v1/iam/roles/Zluri": 1}}
"""

from ansible_collections.saasops.okta_m2m.plugins.module_utils.admin_roles import CustomRoleKind
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_client import OktaConfigError
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_permissions import normalize_permissions
from ansible_collections.saasops.okta_m2m.plugins.module_utils.argspec import STATE, ArgumentSpec
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_module import OktaModule, run_module
from ansible_collections.saasops.okta_m2m.plugins.module_utils.reconcile import ensure_object


ARGUMENT_SPEC = ArgumentSpec(
    {
        "label": {"type": "str", "required": True},
        "description": {"type": "str"},
        "permissions": {"type": "list", "elements": "raw"},
        "purge_permissions": {"type": "bool", "default": True},
    },
    required_if=[("state", "present", ("description", "permissions"))],
).merge(STATE)
OAUTH_SCOPES = ("okta.roles.manage",)


def module_result(module: OktaModule) -> dict:
    params = module.params
    desired = {"label": params["label"], "description": params["description"], "permissions": None}
    if params["state"] == "present":
        desired["permissions"], warnings = normalize_permissions(params["permissions"])
        if not desired["permissions"]:
            raise OktaConfigError("permissions must list at least one permission: Okta refuses a role without any")
        for warning in warnings:
            module.warn(warning)
    outcome = ensure_object(module.client, CustomRoleKind(), desired, params["state"], module.check_mode,
                            purge={"permissions": params["purge_permissions"]})
    return outcome.result(module._diff, role=outcome.view())


def main() -> None:
    run_module(ARGUMENT_SPEC, OAUTH_SCOPES, module_result)


if __name__ == "__main__":
    main()
