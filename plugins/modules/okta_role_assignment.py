#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: okta_role_assignment
short_description: Assign Okta admin roles to an Okta API Services app
version_added: 1.0.0
description:
  - Assigns admin roles to the OAuth client of an API Services app, as the console's "Admin roles" tab of the app
    does. Standard roles such as V(READ_ONLY_ADMIN) and custom admin roles bound to a resource set are supported.
  - The app's current assignments are read first; only missing ones are assigned, one call each. A standard
    role is matched by its type, a custom role by the pair (custom role, resource set).
  - Custom roles and resource sets are named by label (or id) and resolved to ids before any write; a name that
    does not exist is an error naming it.
  - Okta assigns V(SUPER_ADMIN) to a service app by itself when the org setting C(Public client app admins) is on
    and the app is granted Okta API scopes. If the app holds V(SUPER_ADMIN) and O(roles) does not list it, the
    module fails before any write, unless O(remove_super_admin=true).
author:
  - saasops.okta_m2m developers (@saasops)
extends_documentation_fragment:
  - saasops.okta_m2m.okta
  - saasops.okta_m2m.okta.app
  - saasops.okta_m2m.okta.attributes
options:
  roles:
    description:
      - The admin role assignments, at least one.
      - A standard role is its type, one of V(SUPER_ADMIN), V(ORG_ADMIN), V(APP_ADMIN), V(USER_ADMIN),
        V(HELP_DESK_ADMIN), V(GROUP_MEMBERSHIP_ADMIN), V(READ_ONLY_ADMIN), V(REPORT_ADMIN),
        V(API_ACCESS_MANAGEMENT_ADMIN), V(ACCESS_CERTIFICATIONS_ADMIN), V(ACCESS_REQUESTS_ADMIN), V(WORKFLOWS_ADMIN).
        Standard roles are assigned without targets (they apply to the whole org).
      - A custom role is a dict with C(role), the custom admin role's label or id, and C(resource_set), the label or
        id of the resource set it is bound to; or, to skip the look-ups, with C(role_id) and C(resource_set_id), the
        ids M(saasops.okta_m2m.okta_admin_role) and M(saasops.okta_m2m.okta_resource_set) return.
      - V(API_ACCESS_MANAGEMENT_ADMIN) can be assigned only in orgs with the API Access Management feature.
      - In check mode, a custom role or resource set that does not exist yet (an earlier task of the run would
        create it) is planned under its label.
    type: list
    elements: raw
    required: true
  purge_roles:
    description:
      - With V(true) and O(state=present), remove the app's assignments that O(roles) does not list.
      - With V(false), other assignments are kept.
      - Either way, an unlisted V(SUPER_ADMIN) is removed only with O(remove_super_admin=true).
    type: bool
    default: false
  remove_super_admin:
    description:
      - Remove V(SUPER_ADMIN) from the app when O(roles) does not list it, in the same run.
      - With V(false) and O(state=present), an app holding an unlisted V(SUPER_ADMIN) makes the module fail before
        any write. With O(state=absent) it is kept, with a warning.
      - Turn off the org setting C(Public client app admins) too, or Okta assigns V(SUPER_ADMIN) again at the next
        scope grant.
    type: bool
    default: false
  state:
    description:
      - V(present) assigns the roles in O(roles); V(absent) removes those assignments.
      - With V(absent), an app, custom role or resource set that does not exist has no assignment to remove and
        the task reports no change for it.
    type: str
    choices: [present, absent]
    default: present
notes:
  - Remove assignments of a custom role before deleting the role or its resource set.
seealso:
  - module: saasops.okta_m2m.okta_service_app
  - module: saasops.okta_m2m.okta_scope_grant
  - module: saasops.okta_m2m.okta_admin_role
  - module: saasops.okta_m2m.okta_resource_set
"""

EXAMPLES = r"""
- name: Admin roles Zluri needs
  saasops.okta_m2m.okta_role_assignment:
    org_url: https://example.okta.com
    api_token: "{{ okta_api_token }}"
    app: Zluri
    roles:
      - READ_ONLY_ADMIN
      - API_ACCESS_MANAGEMENT_ADMIN
      - role: Zluri Custom Role
        resource_set: Zluri Resource Set

- name: Exactly this custom role, and take away the SUPER_ADMIN that Okta added
  saasops.okta_m2m.okta_role_assignment:
    app_client_id: 0oa1abcdEFGH
    roles:
      - role: Zluri Custom Role
        resource_set: Zluri Resource Set
    purge_roles: true
    remove_super_admin: true

- name: Unassign the custom role before deleting it
  saasops.okta_m2m.okta_role_assignment:
    app: Zluri
    roles:
      - role: Zluri Custom Role
        resource_set: Zluri Resource Set
    state: absent
"""

RETURN = r"""
app_id:
  description: The app's id; empty when the app does not exist (O(state=absent), or check mode before the app is created).
  returned: success
  type: str
  sample: 0oa1abcdEFGH
client_id:
  description: The app's OAuth client id, the key of its role assignments; empty when the app does not exist
    (O(state=absent), or check mode before the app is created).
  returned: success
  type: str
  sample: 0oa1abcdEFGH
assignments:
  description:
    - The app's role assignments after the run (in check mode, after the run that would be made).
    - In check mode, assignments not yet made have no C(id), and standard ones no C(label).
  returned: success
  type: list
  elements: dict
  contains:
    id:
      description: The assignment id (for a custom role, the id of the resource set binding member).
      type: str
      sample: irb1abcd
    type:
      description: The standard role type, or V(CUSTOM).
      type: str
      sample: CUSTOM
    label:
      description: The role's label as Okta names it.
      type: str
      sample: Zluri Custom Role
    role:
      description: The custom role's id (C(cr0...)), or in check mode the label of one not created yet; null for
        standard roles that are not IAM-based.
      type: str
      sample: cr0abc123
    resource_set:
      description: The resource set's id (C(iam...)), or in check mode the label of one not created yet; null for
        standard roles that are not IAM-based.
      type: str
      sample: iamabc123
super_admin_found:
  description: Whether the app held V(SUPER_ADMIN) before the run.
  returned: success
  type: bool
  sample: false
changes:
  description: The writes this run made (or would make in check mode), in order.
  returned: always
  type: list
  elements: str
  sample: ["add role assignment READ_ONLY_ADMIN"]
api_calls:
  description: Okta API calls this run made, by method and path.
  returned: always
  type: dict
  sample: {"total": 3, "writes": 1, "retries": 0, "waited_seconds": 0, "by_endpoint": {"POST /oauth2/v1/clients/0oa1/roles": 1}}
"""

from ansible_collections.saasops.okta_m2m.plugins.module_utils.apps import app_for_members, client_id_of
from ansible_collections.saasops.okta_m2m.plugins.module_utils.argspec import STATE, ArgumentSpec, app_reference
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_module import OktaModule, run_module
from ansible_collections.saasops.okta_m2m.plugins.module_utils.reconcile import ensure_members
from ansible_collections.saasops.okta_m2m.plugins.module_utils.role_assignments import (
    SUPER_ADMIN,
    SUPER_ADMIN_KEPT,
    RoleAssignmentMember,
    desired_assignments,
    with_super_admin_removal,
)


ARGUMENT_SPEC = ArgumentSpec({
    "roles": {"type": "list", "elements": "raw", "required": True},
    "purge_roles": {"type": "bool", "default": False},
    "remove_super_admin": {"type": "bool", "default": False},
}).merge(app_reference(required=True), STATE)
OAUTH_SCOPES = ("okta.roles.manage", "okta.apps.read")


def module_result(module: OktaModule) -> dict:
    params = module.params
    desired = with_super_admin_removal(desired_assignments(module.client, params["roles"], params["state"], module.check_mode),
                                       params["state"], params["remove_super_admin"])
    app = app_for_members(module.client, params["app"], params["app_client_id"], params["state"],
                          module.check_mode, params["app_client_id_verified"], params["app_id"])
    member = RoleAssignmentMember(desired, params["state"], params["remove_super_admin"])
    outcome = ensure_members(module.client, member, app, desired, params["state"], member.purge(params["purge_roles"]), module.check_mode)
    if params["state"] == "absent" and SUPER_ADMIN in outcome.after["roles"]:
        module.warn(SUPER_ADMIN_KEPT % app["label"])
    return outcome.result(module._diff, app_id=app["id"] if app else "", client_id=client_id_of(app) if app else "",
                          assignments=member.report(outcome.after["roles"]), super_admin_found=SUPER_ADMIN in outcome.before["roles"])


def main() -> None:
    run_module(ARGUMENT_SPEC, OAUTH_SCOPES, module_result)


if __name__ == "__main__":
    main()
