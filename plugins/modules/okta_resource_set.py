#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: okta_resource_set
short_description: Manage an Okta resource set and its resources
version_added: 1.0.0
description:
  - Creates, updates or deletes an Okta resource set (the resources a custom admin role applies to), found by
    its O(label).
  - Resources are named the way an admin thinks of them (all users, a group by name, an app by label, ...) or
    as raw ORNs and REST URLs. Group names are resolved with batched Okta searches, never by listing the org.
  - Resources are compared by their ORN without partition and org id, so a resource given as a REST URL and the
    same resource returned by Okta as an ORN are equal. Additions are sent in one call; each removal is one call.
author:
  - saasops.okta_m2m developers (@saasops)
extends_documentation_fragment:
  - saasops.okta_m2m.okta
  - saasops.okta_m2m.okta.attributes
options:
  label:
    description:
      - The resource set's label, unique in the org; the natural key it is found by.
    type: str
    required: true
  description:
    description:
      - The description. Required with O(state=present).
    type: str
  resources:
    description:
      - The resources of the set; at least one and at most 1000 with O(state=present).
    type: list
    elements: dict
    suboptions:
      type:
        description:
          - V(all_users), V(all_groups), V(all_apps), V(iam) (Identity and Access Management resources - roles,
            resource sets, admin assignments) need nothing else.
          - V(group) is one group and V(group_users) the users of one group (the console's "users of these
            groups"); give O(resources[].name) or O(resources[].id).
          - V(app) is one app; give its label as O(resources[].name), or O(resources[].id).
          - V(apps_of_type) is every app of one catalog type; give the app name (for example V(workday)) as
            O(resources[].name).
          - V(orn) and V(url) take a raw ORN or REST URL in O(resources[].value).
        type: str
        required: true
        choices: [all_users, all_groups, all_apps, iam, group, group_users, app, apps_of_type, orn, url]
      name:
        description:
          - A group name, an app label, or an app type name, depending on O(resources[].type).
        type: str
      id:
        description:
          - A group id (C(00g...)) or app id (C(0oa...)), instead of O(resources[].name).
        type: str
      value:
        description:
          - The ORN or REST URL, for O(resources[].type=orn) and O(resources[].type=url).
        type: str
  purge_resources:
    description:
      - Remove resources the set holds that O(resources) does not name.
    type: bool
    default: true
  orn_partition:
    description:
      - The ORN partition of the org (V(okta) or V(oktapreview)), needed only for ORN-only resources such as
        V(iam). Give it from an ORN Okta returned, such as the C(orn) of M(saasops.okta_m2m.okta_service_app).
      - By default it is taken from an ORN Okta returns in this run (the set's resources, the apps looked up by
        label), else from one read of an app. It is never guessed from the org URL, which does not tell it.
    type: str
  org_id:
    description:
      - The org's id (C(00o...)), needed only for ORN-only resources such as V(iam). By default it is read from
        C(/.well-known/okta-organization). M(saasops.okta_m2m.okta_service_app) returns an ORN that holds both this
        and O(orn_partition).
    type: str
  state:
    description:
      - V(present) creates or updates the set; V(absent) deletes it (remove role assignments on it first).
    type: str
    choices: [present, absent]
    default: present
seealso:
  - module: saasops.okta_m2m.okta_admin_role
  - module: saasops.okta_m2m.okta_role_assignment
"""

EXAMPLES = r"""
- name: Everything Zluri's guide puts in the set
  saasops.okta_m2m.okta_resource_set:
    org_url: https://example.okta.com
    api_token: "{{ okta_api_token }}"
    label: Zluri Resource Set
    description: Resources Zluri may read
    resources:
      - type: all_users
      - type: all_groups
      - type: all_apps
      - type: iam

- name: Only two departments, their users, and one app
  saasops.okta_m2m.okta_resource_set:
    label: Zluri Resource Set
    description: Resources Zluri may read
    resources:
      - type: group
        name: Engineering
      - type: group_users
        name: Engineering
      - type: group
        name: Finance
      - type: group_users
        name: Finance
      - type: app
        name: Salesforce
      - type: orn
        value: orn:okta:idp:00o1example:apps:workday
"""

RETURN = r"""
resource_set:
  description: The set; empty when O(state=absent).
  returned: success
  type: dict
  contains:
    id:
      description: The set id (C(iam...)); not known in check mode before the set exists.
      type: str
    label:
      description: The label.
      type: str
    description:
      description: The description.
      type: str
    resources:
      description: The resources as comparison keys (ORN without partition and org id).
      type: list
      elements: str
      sample: ["directory:groups", "directory:users", "iam:contained_resources", "idp:apps"]
changes:
  description: The writes this run made (or would make in check mode), in order.
  returned: always
  type: list
  elements: str
api_calls:
  description: Okta API calls this run made, by method and path.
  returned: always
  type: dict
"""

from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_client import OktaConfigError
from ansible_collections.saasops.okta_m2m.plugins.module_utils.argspec import STATE, ArgumentSpec
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_module import OktaModule, run_module
from ansible_collections.saasops.okta_m2m.plugins.module_utils.reconcile import ensure_object
from ansible_collections.saasops.okta_m2m.plugins.module_utils.resource_sets import (
    RESOURCE_OPTIONS,
    ResourceResolver,
    ResourceSetKind,
    check_resource_entries,
)


def validate_resources(module: OktaModule) -> list[dict]:
    entries = module.params["resources"] or []
    if not entries:
        raise OktaConfigError("resources must name at least one resource: Okta refuses an empty resource set")
    return check_resource_entries(entries)


ARGUMENT_SPEC = ArgumentSpec(
    {
        "label": {"type": "str", "required": True},
        "description": {"type": "str"},
        "resources": {"type": "list", "elements": "dict", "options": RESOURCE_OPTIONS},
        "purge_resources": {"type": "bool", "default": True},
        "orn_partition": {"type": "str"},
        "org_id": {"type": "str"},
    },
    required_if=[("state", "present", ("description", "resources"))],
).merge(STATE)
OAUTH_SCOPES = ("okta.roles.manage", "okta.groups.read", "okta.apps.read")


def module_result(module: OktaModule) -> dict:
    params = module.params
    resolver = ResourceResolver(module.client, params["orn_partition"], params["org_id"])
    desired = {"label": params["label"], "description": params["description"], "resources": None}
    if params["state"] == "present":
        desired["resources"] = resolver.resolve(validate_resources(module))
    outcome = ensure_object(module.client, ResourceSetKind(resolver), desired, params["state"], module.check_mode,
                            purge={"resources": params["purge_resources"]})
    return outcome.result(module._diff, resource_set=outcome.view())


def main() -> None:
    run_module(ARGUMENT_SPEC, OAUTH_SCOPES, module_result)


if __name__ == "__main__":
    main()
