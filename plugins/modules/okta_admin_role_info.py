#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: okta_admin_role_info
short_description: List Okta custom admin roles and their permissions
version_added: 1.0.0
description:
  - Lists the org's custom admin roles (C(/api/v1/iam/roles)) with their permissions, or only the role with a given
    label, for example to notice that someone widened a role by hand.
  - Reads only; never changes anything in Okta.
author:
  - saasops.okta_m2m developers (@saasops)
extends_documentation_fragment:
  - saasops.okta_m2m.okta
  - saasops.okta_m2m.okta.read_only_attributes
options:
  label:
    description:
      - Only the custom role with exactly this label. Without it, every custom role of the org.
      - A label that no role has gives an empty list, not an error.
    type: str
seealso:
  - module: saasops.okta_m2m.okta_admin_role
  - module: saasops.okta_m2m.okta_resource_set_info
"""

EXAMPLES = r"""
- name: Every custom admin role of the org
  saasops.okta_m2m.okta_admin_role_info:
    org_url: https://example.okta.com
    api_token: "{{ okta_api_token }}"
  register: custom_roles

- name: The role Zluri's app holds, to compare with what it should allow
  saasops.okta_m2m.okta_admin_role_info:
    label: Zluri Custom Role
  register: zluri_role

- name: Fail when the role allows more than reading
  ansible.builtin.assert:
    that: zluri_role.roles[0].permissions | difference(minimum_tier) == []
  vars:
    minimum_tier: [okta.users.read, okta.groups.read, okta.iam.read, okta.apps.read, okta.directories.read]
"""

RETURN = r"""
roles:
  description: The custom admin roles, in Okta's order.
  returned: success
  type: list
  elements: dict
  contains:
    id:
      description: The role id.
      type: str
      sample: cr0abc123
    label:
      description: The label.
      type: str
      sample: Zluri Custom Role
    description:
      description: The description.
      type: str
    permissions:
      description: Permission strings, sorted; a permission with conditions is a dict with C(permission) and C(conditions).
      type: list
      elements: raw
      sample: ["okta.groups.read", "okta.users.read"]
    created:
      description: When the role was created.
      type: str
      sample: "2026-03-01T10:00:00.000Z"
    last_updated:
      description: When the role was last changed.
      type: str
      sample: "2026-03-01T10:00:00.000Z"
api_calls:
  description: Okta API calls this run made, by method and path.
  returned: always
  type: dict
  sample: {"total": 2, "writes": 0, "retries": 0, "waited_seconds": 0, "by_endpoint": {"GET /api/v1/iam/roles": 1}}
"""

from ansible_collections.saasops.okta_m2m.plugins.module_utils.admin_roles import roles_report
from ansible_collections.saasops.okta_m2m.plugins.module_utils.argspec import ArgumentSpec
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_module import OktaModule, run_module


ARGUMENT_SPEC = ArgumentSpec({"label": {"type": "str"}})
OAUTH_SCOPES = ("okta.roles.read",)


def module_result(module: OktaModule) -> dict:
    return {"changed": False, "roles": roles_report(module.client, module.params["label"])}


def main() -> None:
    run_module(ARGUMENT_SPEC, OAUTH_SCOPES, module_result)


if __name__ == "__main__":
    main()
