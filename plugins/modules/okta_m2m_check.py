#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: okta_m2m_check
short_description: Prove that an Okta machine-to-machine app works as a third party will use it
version_added: 1.0.0
description:
  - Mints an access token at C({org_url}/oauth2/v1/token) with client credentials and C(private_key_jwt), exactly
    as a third party such as Zluri will, then makes one cheap read call per scope (users, groups, apps, logs,
    roles, domains) and reads the app's admin role assignments.
  - Reports per scope whether it is granted and callable, and if not why - scope not granted, admin role lacks
    the permission, DPoP required, key not registered or inactive, clock skew.
  - Never changes anything in Okta. The connection options (O(api_token) and so on) are needed only to find the
    app by O(app) label; the check itself uses the app's own credentials.
author:
  - saasops.okta_m2m developers (@saasops)
extends_documentation_fragment:
  - saasops.okta_m2m.okta
  - saasops.okta_m2m.okta.app_credentials
  - saasops.okta_m2m.okta.read_only_attributes
options:
  app_key_passphrase:
    description:
      - Passphrase of an encrypted app key.
    type: str
  app_dpop:
    description:
      - DPoP for the app's token. V(never) tests the app the way a client without DPoP (such as Zluri's
        connector) calls it, so an app that requires DPoP is reported; V(always) the way a DPoP client does;
        V(auto) uses DPoP only if the app requires it.
    type: str
    choices: [auto, always, never]
    default: auto
  fail_on_problem:
    description:
      - Fail the task when any scope is not callable. With V(false) the report is returned for the caller to judge.
    type: bool
    default: true
"""

EXAMPLES = r"""
- name: Prove the Zluri app works exactly as Zluri will call it (no DPoP)
  saasops.okta_m2m.okta_m2m_check:
    org_url: https://example.okta.com
    app_client_id: "{{ zluri_app.client_id }}"
    app_key_path: /etc/okta/zluri/zluri.pem
    app_dpop: never
  register: zluri_check

- name: Show what does not work yet, without failing
  saasops.okta_m2m.okta_m2m_check:
    org_url: https://example.okta.com
    api_token: "{{ okta_api_token }}"
    app: Zluri
    app_key_path: /etc/okta/zluri/zluri.pem
    fail_on_problem: false
  register: zluri_check
"""

RETURN = r"""
ok:
  description: Whether a token was minted and every scope was callable.
  returned: always
  type: bool
report:
  description: The check in detail.
  returned: always
  type: dict
  contains:
    client_id:
      description: The app's client id.
      type: str
    token_type:
      description: V(Bearer) or V(DPoP); null when no token was minted.
      type: str
    token_requests:
      description: Token requests made.
      type: int
    token_error:
      description: Why no token was minted, if none was.
      type: str
    clock_skew_seconds:
      description: This machine's clock minus Okta's (from the Date header).
      type: float
    scopes:
      description: Per scope, C(granted), C(callable), the probe's HTTP C(status) and the C(reason) when not callable.
      type: list
      elements: dict
    roles:
      description: The app's admin role assignments (C(type), C(label), C(role), C(resource_set)).
      type: list
      elements: dict
    problems:
      description: One sentence per problem found.
      type: list
      elements: str
api_calls:
  description: Okta API calls this run made, by method and path.
  returned: always
  type: dict
"""

from ansible_collections.saasops.okta_m2m.plugins.module_utils.apps import client_id_of, require_app
from ansible_collections.saasops.okta_m2m.plugins.module_utils.jwks import JwkMember, adopt_registered_kid, load_local_key
from ansible_collections.saasops.okta_m2m.plugins.module_utils.m2m_check import M2MCheck, split_check_scopes
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_client import OktaConfigError
from ansible_collections.saasops.okta_m2m.plugins.module_utils.argspec import ArgumentSpec, app_credentials
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_module import OktaModule, run_module


ARGUMENT_SPEC = ArgumentSpec({
    "app_key_passphrase": {"type": "str", "no_log": True},
    "app_dpop": {"type": "str", "choices": ["auto", "always", "never"], "default": "auto"},
    "fail_on_problem": {"type": "bool", "default": True},
}).merge(app_credentials(required=True))
OAUTH_SCOPES = ("okta.apps.read",)


def module_result(module: OktaModule) -> dict:
    params = module.params
    scopes = split_check_scopes(params["check_scopes"])
    key = load_local_key(params["app_key_path"], params["app_key_content"], params["app_key_passphrase"], params["app_key_id"], options="app_")
    if key is None:
        raise OktaConfigError("app_key_path %s does not exist" % params["app_key_path"])
    # The token is asked for as the client id; only a label or an app id needs a read to learn it.
    client_id = params["app_client_id"]
    if not client_id:
        app = require_app(module.client, params["app"], None, params["app_id"])
        client_id = client_id_of(app)
        if not params["app_key_id"]:
            adopt_registered_kid(key, JwkMember().current(module.client, app))
    checker = M2MCheck(module.build_transport(), client_id, key.key, key.kid, params["app_dpop"])
    try:
        report = checker.run(scopes)
    finally:
        for auth in checker.auths:
            module.track_auth(auth)
    result = {"changed": False, "ok": report.ok, "report": report.as_dict()}
    if not report.ok and params["fail_on_problem"]:
        result.update(failed=True, msg="the app does not work as a third party will use it: " + "; ".join(report.problems()))
    return result


def main() -> None:
    run_module(ARGUMENT_SPEC, OAUTH_SCOPES, module_result)


if __name__ == "__main__":
    main()
