#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: okta_preflight
short_description: Check that an Okta org can take a machine-to-machine set-up before anything is written
version_added: 1.0.0
description:
  - Reads what Okta can tell before the first write of a job that sets up a service app (the C(saasops.okta_m2m.zluri_okta)
    role runs it first, in check mode too), and fails naming each problem and how to fix it, so that a job never stops
    half-done on an org that cannot take it.
  - "The checks, each only when its option asks for it: the admin credential is a Super Administrator (an API token's
    own user, C(GET /api/v1/users/me) and its roles; an admin app's roles, C(GET /oauth2/v1/clients/{clientId}/roles));
    the org has API Access Management when O(roles) holds V(API_ACCESS_MANAGEMENT_ADMIN) (C(GET /api/v1/authorizationServers),
    which Okta answers C(401 E0000015) without the feature); the org setting \"Public client app admins\"
    (C(GET /api/v1/org/settings/clientPrivilegesSetting)) when the job grants Okta API scopes without
    O(remove_super_admin=true); every group and app O(resources) names; and that this machine can write O(files)."
  - A read the admin credential is refused (its access token lacks the scope, or its admin the permission) is reported
    C(not checked), naming the scope that would allow it; it never fails the run on its own. An admin app that should
    make every check needs C(okta.users.read), C(okta.roles.read), C(okta.orgs.read) and C(okta.authorizationServers.read)
    besides the scopes of the job, listed in O(scopes).
author:
  - saasops.okta_m2m developers (@saasops)
extends_documentation_fragment:
  - saasops.okta_m2m.okta
  - saasops.okta_m2m.okta.attributes
options:
  super_admin:
    description:
      - Require the admin credential to be a Super Administrator, as granting Okta API scopes, managing custom admin roles
        and resource sets, and changing the keys of an app with scope grants require.
    type: bool
    default: true
  roles:
    description:
      - The standard admin role types the job assigns; V(API_ACCESS_MANAGEMENT_ADMIN) among them checks API Access
        Management.
    type: list
    elements: str
    default: []
  app_label:
    description:
      - The label of the API Services app the job grants O(app_scopes) to, for the "Public client app admins" check.
    type: str
  app_scopes:
    description:
      - The Okta API scopes the job grants to O(app_label); each must be one Okta publishes, and with O(app_label) there
        must be at least one.
    type: list
    elements: str
    default: []
  remove_super_admin:
    description:
      - Whether the job removes a SUPER_ADMIN role that Okta gives the app at its first scope grant (the setting "Public
        client app admins"); with V(false) and the setting on, a job that grants scopes is refused before any write.
    type: bool
    default: false
  resources:
    description:
      - The resources of the job's resource set, as M(saasops.okta_m2m.okta_resource_set) takes them; each must be well
        formed, and every group and app named must exist exactly once.
    type: list
    elements: dict
    default: []
    suboptions:
      type:
        description: The kind of resource, as in M(saasops.okta_m2m.okta_resource_set).
        type: str
        required: true
        choices: [all_users, all_groups, all_apps, iam, group, group_users, app, apps_of_type, orn, url]
      name:
        description: A group name, an app label, or an app name for V(apps_of_type).
        type: str
      id:
        description: A group or app id.
        type: str
      value:
        description: An ORN or a REST URL.
        type: str
  files:
    description:
      - "Files the job writes, by the option (or variable) that names each, for example
        V({bundle_path: /etc/okta/zluri/handoff.json}). Each must be writable by the user the module runs as."
    type: dict
    default: {}
  permissions:
    description:
      - The permissions of the custom admin role the job makes, as M(saasops.okta_m2m.okta_admin_role) takes them, at
        least one, each a permission Okta knows. Not checked when not given.
    type: list
    elements: raw
  fail_on_problem:
    description:
      - Fail when a check finds a problem. With V(false) the findings are returned and the module succeeds.
    type: bool
    default: true
attributes:
  check_mode:
    description: Makes the same reads in check mode, so that C(--check) fails as the real run would.
    support: full
  diff_mode:
    description: Nothing to show; the module never changes anything.
    support: none
notes:
  - Read-only. The role C(saasops.okta_m2m.zluri_okta) words every problem with its own variables
    (O(option_names)).
seealso:
  - module: saasops.okta_m2m.okta_role_assignment
  - module: saasops.okta_m2m.okta_resource_set
"""

EXAMPLES = r"""
- name: Check the org can take the Zluri connection before anything is written
  saasops.okta_m2m.okta_preflight:
    org_url: https://example.okta.com
    api_token: "{{ okta_api_token }}"
    roles: [API_ACCESS_MANAGEMENT_ADMIN, READ_ONLY_ADMIN]
    app_label: Zluri
    app_scopes: [okta.users.read, okta.groups.read]
    resources:
      - {type: group, name: Engineering}
    files:
      bundle_path: /etc/okta/zluri/handoff/example.okta.com.json
  register: preflight
"""

RETURN = r"""
findings:
  description: One entry per check made, with C(check), C(status) (V(ok), V(problem) or V(not checked)) and C(detail).
  returned: always
  type: list
  elements: dict
  sample: [{"check": "API Access Management", "status": "ok", "detail": "the org has API Access Management"}]
problems:
  description: The details of the checks with status V(problem), worded with what to change.
  returned: always
  type: list
  elements: str
not_checked:
  description: The checks the admin credential may not make, with the scope that would allow each.
  returned: always
  type: list
  elements: str
api_calls:
  description: Okta API calls this run made, by method and path (all reads).
  returned: always
  type: dict
"""

from ansible_collections.saasops.okta_m2m.plugins.module_utils.argspec import ArgumentSpec
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_config import name_options
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_module import OktaModule, run_module
from ansible_collections.saasops.okta_m2m.plugins.module_utils.resource_sets import RESOURCE_OPTIONS
from ansible_collections.saasops.okta_m2m.plugins.module_utils.preflight import (
    NOT_CHECKED,
    PROBLEM,
    Finding,
    Preflight,
    input_findings,
    writable_finding,
)

ARGUMENT_SPEC = ArgumentSpec(
    {
        "super_admin": {"type": "bool", "default": True},
        "roles": {"type": "list", "elements": "str", "default": []},
        "app_label": {"type": "str"},
        "app_scopes": {"type": "list", "elements": "str", "default": []},
        "remove_super_admin": {"type": "bool", "default": False},
        "resources": {"type": "list", "elements": "dict", "options": RESOURCE_OPTIONS, "default": []},
        "files": {"type": "dict", "default": {}},
        "permissions": {"type": "list", "elements": "raw"},
        "fail_on_problem": {"type": "bool", "default": True},
    },
)
# What the job itself asks for (the roles of its modules), so that an admin app set up for the job can run it; the reads
# its scopes do not cover are "not checked".
OAUTH_SCOPES = ("okta.roles.manage", "okta.apps.read", "okta.groups.read")


def module_result(module: OktaModule) -> dict:
    params = module.params
    # Bad input is refused without a read of Okta.
    findings = input_findings(params["permissions"], params["app_scopes"], bool(params["app_label"]), params["resources"])
    if not findings:
        findings = [writable_finding(params["files"])] + org_findings(Preflight(module.client, params["client_id"]), params)
    made = [Finding(finding.check, finding.status, name_options(finding.detail, module.option_names)) for finding in findings if finding is not None]
    problems = [finding.detail for finding in made if finding.status == PROBLEM]
    result = {"changed": False, "findings": [finding.as_dict() for finding in made], "problems": problems,
              "not_checked": ["%s: %s" % (finding.check, finding.detail) for finding in made if finding.status == NOT_CHECKED]}
    for skipped in result["not_checked"]:
        module.warn("pre-flight check not made: " + skipped)
    if problems and params["fail_on_problem"]:
        sentences = " ".join("%s." % problem.rstrip(".") for problem in problems)
        result.update(failed=True, msg="The org cannot take this job; nothing was written. " + sentences)
    return result


def org_findings(preflight: Preflight, params: dict) -> list[Finding | None]:
    """What Okta tells: the admin credential, API Access Management, "Public client app admins", the named resources."""
    return [preflight.super_administrator() if params["super_admin"] else None,
            preflight.api_access_management(params["roles"]),
            preflight.public_client_app_admins(params["app_label"], params["app_scopes"], params["remove_super_admin"]),
            preflight.resources(params["resources"])]


def main() -> None:
    run_module(ARGUMENT_SPEC, OAUTH_SCOPES, module_result)


if __name__ == "__main__":
    main()
