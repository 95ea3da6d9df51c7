#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: okta_service_app_info
short_description: Report Okta API Services apps with their keys, scopes and admin roles
version_added: 1.0.0
description:
  - Lists the org's API Services apps (OAuth service apps) and, per app, what the console shows only across several
    tabs - ids, status, client authentication method, DPoP, keys with their age, granted Okta API scopes and admin
    roles - and, when asked, the last time Okta issued the app an access token.
  - An app whose keys a vendor holds at a JWKS URL is reported with that URL (RV(apps[].jwks_uri)) instead of keys, whose
    age Okta does not know.
  - Apps of other kinds (web, SPA, SAML, ...) are never listed.
  - Reads only; never changes anything in Okta.
author:
  - saasops.okta_m2m developers (@saasops)
extends_documentation_fragment:
  - saasops.okta_m2m.okta
  - saasops.okta_m2m.okta.read_only_attributes
options:
  label:
    description:
      - Only apps with exactly this label (app labels are not unique, so several may match).
    type: str
  app_client_id:
    description:
      - Only the app with this OAuth client id (the app id unless a custom client id was given at create).
      - Named so because O(client_id) is the connection's own OAuth client.
    type: str
  has_admin_roles:
    description:
      - V(true) lists only apps that hold at least one admin role, V(false) only apps that hold none. Unset, both.
      - Every app's roles are read to decide; the keys and scopes only of the apps listed.
    type: bool
  last_token:
    description:
      - Also look up, per listed app, the newest access token Okta issued it within O(lookback_days), from
        the System Log event C(app.oauth2.token.grant.access_token) (the org authorization server's, which mints
        Okta API scopes). One System Log call per listed app, counted in RV(system_log_calls).
      - Needs C(okta.logs.read) (with O(client_id)) and an admin role that may read the System Log.
    type: bool
    default: false
  lookback_days:
    description:
      - How many days back O(last_token) looks, from 1 to 90 (Okta keeps System Log events for 90 days).
    type: int
    default: 30
notes:
  - Key ages are whole days since the key's C(created), by the clock of the machine the module runs on.
seealso:
  - module: saasops.okta_m2m.okta_service_app
  - module: saasops.okta_m2m.okta_admin_role_info
  - module: saasops.okta_m2m.okta_resource_set_info
"""

EXAMPLES = r"""
- name: Every API Services app that holds admin power
  saasops.okta_m2m.okta_service_app_info:
    org_url: https://example.okta.com
    api_token: "{{ okta_api_token }}"
    has_admin_roles: true
  register: powerful_apps

- name: Name each app and the admin roles it holds
  ansible.builtin.debug:
    msg: "{{ item.label }} ({{ item.client_id }}): {{ item.roles | map(attribute='type') | join(', ') }}"
  loop: "{{ powerful_apps.apps }}"
  loop_control:
    label: "{{ item.label }}"

- name: Zluri's app, with the last token Okta issued it in the past week
  saasops.okta_m2m.okta_service_app_info:
    app_client_id: "{{ zluri_client_id }}"
    last_token: true
    lookback_days: 7
  register: zluri_app
"""

RETURN = r"""
apps:
  description: The API Services apps that pass every filter, in Okta's order.
  returned: success
  type: list
  elements: dict
  contains:
    id:
      description: The app id.
      type: str
      sample: 0oa1abcdEFGH
    client_id:
      description: The OAuth client id (equals RV(apps[].id) unless a custom client id was given at create).
      type: str
      sample: 0oa1abcdEFGH
    label:
      description: The label.
      type: str
      sample: Zluri
    status:
      description: V(ACTIVE) or V(INACTIVE).
      type: str
      sample: ACTIVE
    created:
      description: When the app was created.
      type: str
    token_endpoint_auth_method:
      description: How the client authenticates, for example V(private_key_jwt) or V(client_secret_basic).
      type: str
      sample: private_key_jwt
    dpop_bound_access_tokens:
      description: Whether the app requires DPoP-bound access tokens.
      type: bool
    jwks_uri:
      description: The URL where the vendor that holds the app's keys publishes them (Okta fetches them from it); null
        when the app's keys are saved in Okta.
      type: str
      sample: https://vendor.example.com/.well-known/jwks.json
      version_added: 1.1.0
    public_keys:
      description: The app's public keys saved in Okta (never key material); empty for an app whose keys are held by
        the vendor at RV(apps[].jwks_uri).
      type: list
      elements: dict
      contains:
        kid:
          description: The key's C(kid).
          type: str
        id:
          description: Okta's key id (C(pks...)).
          type: str
        status:
          description: V(ACTIVE) or V(INACTIVE).
          type: str
        created:
          description: When the key was registered.
          type: str
          sample: "2026-03-01T10:00:00.000Z"
        age_days:
          description: Whole days since RV(apps[].public_keys[].created).
          type: int
          sample: 42
        thumbprint:
          description: The key's RFC 7638 SHA-256 thumbprint, which names the key whatever its C(kid).
          type: str
    scopes:
      description: The Okta API scopes granted to the app, sorted.
      type: list
      elements: str
      sample: ["okta.groups.read", "okta.users.read"]
    roles:
      description: The admin roles the app's client holds.
      type: list
      elements: dict
      contains:
        type:
          description: The role type, for example V(SUPER_ADMIN), V(READ_ONLY_ADMIN) or V(CUSTOM).
          type: str
        id:
          description: The assignment id.
          type: str
        role:
          description: The custom role's id; null for a standard role.
          type: str
        role_label:
          description: The custom role's label; null for a standard role.
          type: str
        resource_set:
          description: The resource set's id; null for a standard role.
          type: str
        resource_set_label:
          description: The resource set's label; null for a standard role.
          type: str
    last_token_issued:
      description: When Okta last issued the app an access token within the look-back; null when it issued none.
      returned: when O(last_token=true)
      type: str
      sample: "2026-03-01T10:00:00.123Z"
system_log_calls:
  description: System Log calls made for O(last_token) (one per listed app; 0 without it).
  returned: success
  type: int
  sample: 1
api_calls:
  description: Okta API calls this run made, by method and path.
  returned: always
  type: dict
  sample: {"total": 5, "writes": 0, "retries": 0, "waited_seconds": 0, "by_endpoint": {"GET /api/v1/apps": 1}}
"""

from ansible_collections.saasops.okta_m2m.plugins.module_utils.app_report import LastTokenLookup, ServiceAppReporter
from ansible_collections.saasops.okta_m2m.plugins.module_utils.apps import service_apps
from ansible_collections.saasops.okta_m2m.plugins.module_utils.argspec import ArgumentSpec
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_module import OktaModule, run_module


ARGUMENT_SPEC = ArgumentSpec({
    "label": {"type": "str"},
    "app_client_id": {"type": "str"},
    "has_admin_roles": {"type": "bool"},
    "last_token": {"type": "bool", "default": False},
    "lookback_days": {"type": "int", "default": 30},
})
OAUTH_SCOPES = ("okta.apps.read", "okta.appGrants.read", "okta.roles.read")


def module_result(module: OktaModule) -> dict:
    params = module.params
    if params["last_token"]:
        module.oauth_scopes.append("okta.logs.read")
    last_tokens = LastTokenLookup(module.client, params["lookback_days"]) if params["last_token"] else None
    reporter = ServiceAppReporter(module.client, last_tokens)
    apps = []
    for app in service_apps(module.client, params["label"], params["app_client_id"]):
        roles = reporter.roles(app)
        if params["has_admin_roles"] is None or bool(roles) == params["has_admin_roles"]:
            apps.append(reporter.report(app, roles))
    return {"changed": False, "apps": apps, "system_log_calls": last_tokens.calls if last_tokens else 0}


def main() -> None:
    run_module(ARGUMENT_SPEC, OAUTH_SCOPES, module_result)


if __name__ == "__main__":
    main()
