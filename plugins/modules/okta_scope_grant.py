#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: okta_scope_grant
short_description: Grant Okta API scopes to an Okta API Services app
version_added: 1.0.0
description:
  - Grants Okta API scopes (such as V(okta.users.read)) to an API Services app, so that the app can ask the org
    authorization server for access tokens with those scopes (the console's "Okta API Scopes" tab).
  - The app's current grants are read first and only missing scopes are granted, one call per scope, because
    Okta refuses to grant a scope twice.
  - Scopes only say which APIs a token may call; the app also needs admin roles
    (M(saasops.okta_m2m.okta_role_assignment)).
author:
  - saasops.okta_m2m developers (@saasops)
extends_documentation_fragment:
  - saasops.okta_m2m.okta
  - saasops.okta_m2m.okta.app
  - saasops.okta_m2m.okta.attributes
options:
  app_scopes:
    description:
      - The Okta API scopes, at least one, each of the form C(okta.<resource>.<action>), for example
        V(okta.users.read).
      - Named so because O(scopes) are the scopes of the connection's own token.
    type: list
    elements: str
    required: true
  issuer:
    description:
      - The issuer of the org authorization server, which mints tokens with Okta API scopes.
      - Defaults to O(org_url). Set it only for an org reached through a custom domain whose issuer is the
        Okta org URL. A custom authorization server (such as C(.../oauth2/default)) is refused.
    type: str
  allow_unknown_scopes:
    description:
      - Scopes are checked against the Okta API scopes Okta publishes (release 2026.06.3) before anything is sent,
        and a typo gets a "did you mean". Set V(true) to grant a scope newer than that list.
    type: bool
    default: false
  purge_app_scopes:
    description:
      - With V(true) and O(state=present), revoke the app's grants of scopes O(app_scopes) does not list.
      - With V(false), other grants are kept.
    type: bool
    default: false
  app_created:
    description:
      - Set V(true) when M(saasops.okta_m2m.okta_service_app) created the app earlier in the same play (its
        RV(saasops.okta_m2m.okta_service_app#module:created)). An app Okta created moments ago holds no grants, so
        they are not listed, which saves one call in Okta's apps rate-limit bucket.
      - Requires O(app_client_id_verified=true).
    type: bool
    default: false
  state:
    description:
      - V(present) grants the scopes in O(app_scopes); V(absent) revokes them.
      - With V(absent), an app that does not exist has nothing to revoke and the task reports no change.
    type: str
    choices: [present, absent]
    default: present
notes:
  - Only a Super Administrator can grant Okta API scopes.
  - If the org setting C(Public client app admins) is on, Okta assigns the Super Administrator role to an app once
    it is granted scopes. M(saasops.okta_m2m.okta_role_assignment) detects and can remove it.
seealso:
  - module: saasops.okta_m2m.okta_service_app
  - module: saasops.okta_m2m.okta_role_assignment
"""

EXAMPLES = r"""
- name: Scopes Zluri reads with
  saasops.okta_m2m.okta_scope_grant:
    org_url: https://example.okta.com
    api_token: "{{ okta_api_token }}"
    app: Zluri
    app_scopes:
      - okta.users.read
      - okta.groups.read
      - okta.apps.read
      - okta.logs.read
      - okta.roles.read
      - okta.domains.read

- name: Exactly these scopes, nothing else, on the app with this client id
  saasops.okta_m2m.okta_scope_grant:
    app_client_id: 0oa1abcdEFGH
    app_scopes: [okta.users.read, okta.groups.read]
    purge_app_scopes: true

- name: Revoke one scope
  saasops.okta_m2m.okta_scope_grant:
    app: Zluri
    app_scopes: [okta.logs.read]
    state: absent
"""

RETURN = r"""
app_id:
  description: The app's id; empty when the app does not exist (O(state=absent), or check mode before the app is created).
  returned: success
  type: str
  sample: 0oa1abcdEFGH
client_id:
  description: The app's OAuth client id; empty when the app does not exist (O(state=absent), or check mode before the app is created).
  returned: success
  type: str
  sample: 0oa1abcdEFGH
scopes:
  description: The scopes granted to the app after the run (in check mode, after the run that would be made).
  returned: success
  type: list
  elements: str
  sample: ["okta.apps.read", "okta.groups.read", "okta.users.read"]
changes:
  description: The writes this run made (or would make in check mode), in order.
  returned: always
  type: list
  elements: str
  sample: ["add scope grants okta.groups.read, okta.users.read"]
api_calls:
  description: Okta API calls this run made, by method and path.
  returned: always
  type: dict
  sample: {"total": 3, "writes": 0, "retries": 0, "waited_seconds": 0, "by_endpoint": {"GET /api/v1/apps": 1}}
"""

from ansible_collections.saasops.okta_m2m.plugins.module_utils.apps import app_for_members, client_id_of
from ansible_collections.saasops.okta_m2m.plugins.module_utils.grants import GrantMember, desired_grants, org_issuer
from ansible_collections.saasops.okta_m2m.plugins.module_utils.argspec import STATE, ArgumentSpec, app_reference
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_module import OktaModule, run_module
from ansible_collections.saasops.okta_m2m.plugins.module_utils.reconcile import ensure_members


ARGUMENT_SPEC = ArgumentSpec(
    {
        "app_scopes": {"type": "list", "elements": "str", "required": True},
        "issuer": {"type": "str"},
        "allow_unknown_scopes": {"type": "bool", "default": False},
        "purge_app_scopes": {"type": "bool", "default": False},
        "app_created": {"type": "bool", "default": False},
    },
    required_if=[("app_created", True, ("app_client_id_verified",))],
).merge(app_reference(required=True), STATE)
OAUTH_SCOPES = ("okta.appGrants.manage", "okta.apps.read")


def module_result(module: OktaModule) -> dict:
    params = module.params
    grants = desired_grants(params["app_scopes"], params["allow_unknown_scopes"])
    issuer = org_issuer(module.client, params["issuer"])
    app = app_for_members(module.client, params["app"], params["app_client_id"], params["state"],
                          module.check_mode, params["app_client_id_verified"], params["app_id"])
    outcome = ensure_members(module.client, GrantMember(issuer), app, grants, params["state"], params["purge_app_scopes"], module.check_mode,
                             known_current=[] if params["app_created"] else None)
    return outcome.result(module._diff, app_id=app["id"] if app else "", client_id=client_id_of(app) if app else "",
                          scopes=outcome.after["scopes"])


def main() -> None:
    run_module(ARGUMENT_SPEC, OAUTH_SCOPES, module_result)


if __name__ == "__main__":
    main()
