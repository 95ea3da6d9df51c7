#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: okta_resource_set_info
short_description: List Okta resource sets and their resources
version_added: 1.0.0
description:
  - Lists the org's resource sets (C(/api/v1/iam/resource-sets)) with their resources, or only the set with a given
    label, for example to notice a group added to the set Zluri's custom role applies to.
  - Resources are given as the comparison keys M(saasops.okta_m2m.okta_resource_set) returns (the ORN without
    partition and org id), so the two modules' answers compare directly.
  - Reads only; never changes anything in Okta.
author:
  - saasops.okta_m2m developers (@saasops)
extends_documentation_fragment:
  - saasops.okta_m2m.okta
  - saasops.okta_m2m.okta.read_only_attributes
options:
  label:
    description:
      - Only the resource set with exactly this label. Without it, every resource set of the org, Okta's own
        standard sets (such as the Workflows Resource Set) included.
      - A label that no set has gives an empty list, not an error.
    type: str
seealso:
  - module: saasops.okta_m2m.okta_resource_set
  - module: saasops.okta_m2m.okta_admin_role_info
"""

EXAMPLES = r"""
- name: Every resource set of the org
  saasops.okta_m2m.okta_resource_set_info:
    org_url: https://example.okta.com
    api_token: "{{ okta_api_token }}"
  register: resource_sets

- name: The set Zluri's custom role applies to
  saasops.okta_m2m.okta_resource_set_info:
    label: Zluri Resource Set
  register: zluri_set

- name: Fail when the set covers more than it should
  ansible.builtin.assert:
    that: zluri_set.resource_sets[0].resources | sort == ['directory:groups', 'directory:users', 'iam:contained_resources', 'idp:apps']
"""

RETURN = r"""
resource_sets:
  description: The resource sets, in Okta's order.
  returned: success
  type: list
  elements: dict
  contains:
    id:
      description: The resource set id.
      type: str
      sample: iamabc123
    label:
      description: The label.
      type: str
      sample: Zluri Resource Set
    description:
      description: The description.
      type: str
    resources:
      description: The resources as comparison keys (ORN without partition and org id), sorted.
      type: list
      elements: str
      sample: ["directory:groups", "directory:users", "iam:contained_resources", "idp:apps"]
    created:
      description: When the set was created; null for Okta's standard sets.
      type: str
      sample: "2026-03-01T10:00:00.000Z"
    last_updated:
      description: When the set was last changed; null for Okta's standard sets.
      type: str
      sample: "2026-03-01T10:00:00.000Z"
api_calls:
  description: Okta API calls this run made, by method and path.
  returned: always
  type: dict
  sample: {"total": 2, "writes": 0, "retries": 0, "waited_seconds": 0, "by_endpoint": {"GET /api/v1/iam/resource-sets": 1}}
"""

from ansible_collections.saasops.okta_m2m.plugins.module_utils.argspec import ArgumentSpec
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_module import OktaModule, run_module
from ansible_collections.saasops.okta_m2m.plugins.module_utils.resource_sets import resource_sets_report


ARGUMENT_SPEC = ArgumentSpec({"label": {"type": "str"}})
OAUTH_SCOPES = ("okta.roles.read",)


def module_result(module: OktaModule) -> dict:
    return {"changed": False, "resource_sets": resource_sets_report(module.client, module.params["label"])}


def main() -> None:
    run_module(ARGUMENT_SPEC, OAUTH_SCOPES, module_result)


if __name__ == "__main__":
    main()
