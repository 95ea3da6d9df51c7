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
  - "Without a private key (neither O(app_key_path) nor O(app_key_content)), for a key a vendor holds: a configuration
    check proves, with the connection's admin credentials and reads only, what can be proven without the key - the app
    is ACTIVE, authenticates with C(private_key_jwt) (client credentials), holds an ACTIVE key (the vendor's
    O(app_public_jwk) or O(app_key_id), when given) or fetches its keys from its JWKS URL (O(app_jwks_uri), when given),
    does not require DPoP when O(app_dpop=never), is granted every scope of O(check_scopes) and holds admin roles
    (O(expected_roles), when given). Each item is reported with what was found and, when it will not do, the problem."
  - The result and its message then say that the vendor's first token proves the rest (that it signs with that key, its
    client id and clock, every call its scopes allow), and how to see that token - M(saasops.okta_m2m.okta_service_app_info)
    with O(saasops.okta_m2m.okta_service_app_info#module:last_token=true), or the System Log event
    C(app.oauth2.token.grant.access_token) with the client id as actor.
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
      - Fail the task when any scope is not callable (in the configuration check, when any item will not do). With
        V(false) the report is returned for the caller to judge.
    type: bool
    default: true
  app_public_jwk:
    description:
      - The public JWK the vendor gave for the private key it holds, which the app must hold ACTIVE (matched by its
        public key) under its C(kid) (or O(app_key_id)). Configuration check only (no private key).
    type: dict
    version_added: 1.1.0
  app_jwks_uri:
    description:
      - The URL the app must fetch its keys from (the vendor's JWKS URL). Configuration check only (no private key).
    type: str
    version_added: 1.1.0
  expected_roles:
    description:
      - Admin roles the app must hold, as M(saasops.okta_m2m.okta_role_assignment) takes them - standard role types
        such as V(READ_ONLY_ADMIN), or C(role) and C(resource_set) (labels or ids) of a custom role. Without it, any
        admin role will do (an app without one is refused every call). Configuration check only (no private key).
    type: list
    elements: raw
    version_added: 1.1.0
"""

EXAMPLES = r"""
- name: Prove the Zluri app works exactly as Zluri will call it (no DPoP)
  saasops.okta_m2m.okta_m2m_check:
    org_url: https://example.okta.com
    app_client_id: "{{ zluri_app.client_id }}"
    app_key_path: /etc/okta/zluri/zluri.pem
    app_dpop: never
  register: zluri_check

- name: Check the app's configuration without its private key, as for a key a vendor holds; its first token proves the rest
  saasops.okta_m2m.okta_m2m_check:
    org_url: https://example.okta.com
    api_token: "{{ okta_api_token }}"
    app: Zluri
    app_dpop: never
  register: configuration_check

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
  description: Whether a token was minted and every scope was callable; in the configuration check, whether every item will do.
  returned: always
  type: bool
check:
  description: V(token) when a private key was given and a token minted with it, V(configuration) without one.
  returned: always
  type: str
  sample: configuration
  version_added: 1.1.0
msg:
  description: In the configuration check, what was checked or the problems, and that the vendor's first token proves the
    rest and where to see it.
  returned: when RV(check=configuration)
  type: str
  version_added: 1.1.0
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
      returned: when RV(check=token)
      type: str
    token_requests:
      description: Token requests made.
      returned: when RV(check=token)
      type: int
    token_error:
      description: Why no token was minted, if none was.
      returned: when RV(check=token)
      type: str
    clock_skew_seconds:
      description: This machine's clock minus Okta's (from the Date header).
      returned: when RV(check=token)
      type: float
    scopes:
      description: Per scope, C(granted), C(callable), the probe's HTTP C(status) and the C(reason) when not callable; in the
        configuration check C(granted) and the C(reason) when not (whether a scope is callable only a token proves).
      type: list
      elements: dict
    roles:
      description: The app's admin role assignments (C(type), C(label), C(role), C(resource_set)); in the configuration
        check as M(saasops.okta_m2m.okta_service_app_info) reports them (with C(role_label) and C(resource_set_label)).
      type: list
      elements: dict
    problems:
      description: One sentence per problem found.
      type: list
      elements: str
    label:
      description: The app's label.
      returned: when RV(check=configuration)
      type: str
    key_source:
      description: V(saved) (the keys are saved in Okta) or V(jwks_uri) (Okta fetches them from the vendor's URL).
      returned: when RV(check=configuration)
      type: str
    jwks_uri:
      description: The URL the app's keys are held at by the vendor; null when they are saved in Okta.
      returned: when RV(check=configuration)
      type: str
    saved_keys:
      description: The keys saved on the app (C(kid), C(status), C(thumbprint)), never key material.
      returned: when RV(check=configuration)
      type: list
      elements: dict
    checks:
      description: Per item (C(app), C(client authentication), C(key), C(DPoP), C(scopes), C(admin roles)) whether it
        will do (C(ok)), what was C(found), and the C(problem) when it will not.
      returned: when RV(check=configuration)
      type: list
      elements: dict
    first_token:
      description: What only the vendor's first token proves, and where to see it.
      returned: when RV(check=configuration)
      type: str
api_calls:
  description: Okta API calls this run made, by method and path.
  returned: always
  type: dict
"""

from ansible_collections.saasops.okta_m2m.plugins.module_utils.apps import client_id_of, require_app
from ansible_collections.saasops.okta_m2m.plugins.module_utils.configuration_check import CONFIGURATION, Expected, check_configuration
from ansible_collections.saasops.okta_m2m.plugins.module_utils.jwks import JwkMember, adopt_registered_kid, load_local_key
from ansible_collections.saasops.okta_m2m.plugins.module_utils.m2m_check import M2MCheck, split_check_scopes
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_client import OktaConfigError
from ansible_collections.saasops.okta_m2m.plugins.module_utils.argspec import APP_KEY_OPTIONS, ArgumentSpec, app_credentials
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_config import validate_https_url
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_module import OktaModule, run_module


# Options of the configuration check, which runs without the app's private key.
CONFIGURATION_OPTIONS = ("app_public_jwk", "app_jwks_uri", "expected_roles")
ARGUMENT_SPEC = ArgumentSpec({
    "app_key_passphrase": {"type": "str", "no_log": True},
    "app_dpop": {"type": "str", "choices": ["auto", "always", "never"], "default": "auto"},
    "fail_on_problem": {"type": "bool", "default": True},
    "app_public_jwk": {"type": "dict", "no_log": False},
    "app_jwks_uri": {"type": "str"},
    "expected_roles": {"type": "list", "elements": "raw"},
}, mutually_exclusive=[("app_public_jwk", "app_jwks_uri")] + [(option, key) for option in CONFIGURATION_OPTIONS for key in APP_KEY_OPTIONS],
).merge(app_credentials(required=True, key_optional=True))
OAUTH_SCOPES = ("okta.apps.read",)
# What the configuration check reads besides the app: its grants, and its roles with their resource sets.
CONFIGURATION_SCOPES = ("okta.appGrants.read", "okta.roles.read")


def module_result(module: OktaModule) -> dict:
    params = module.params
    scopes = split_check_scopes(params["check_scopes"])
    if not any(params[option] for option in APP_KEY_OPTIONS):
        return configuration_result(module, scopes)
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
    result = {"changed": False, "ok": report.ok, "check": "token", "report": report.as_dict()}
    if not report.ok and params["fail_on_problem"]:
        result.update(failed=True, msg="the app does not work as a third party will use it: " + "; ".join(report.problems()))
    return result


def configuration_result(module: OktaModule, scopes: list) -> dict:
    """Without the private key (a vendor holds it): the app's configuration, item by item; the vendor's first token proves the rest."""
    params = module.params
    expected_uri = validate_https_url(params["app_jwks_uri"], "O(app_jwks_uri)", "https://vendor.example.com/.well-known/jwks.json") \
        if params["app_jwks_uri"] else None
    expected = Expected.from_options(params["app_public_jwk"], params["app_key_id"], expected_uri, params["app_dpop"], params["expected_roles"])
    module.oauth_scopes.extend(CONFIGURATION_SCOPES)
    app = require_app(module.client, params["app"], params["app_client_id"], params["app_id"])
    report = check_configuration(module.client, app, scopes, expected)
    if report.ok:
        msg = "API Services app %r (client id %s) is configured as the vendor needs it: %s. %s" % (
            report.label, report.client_id, "; ".join("%s: %s" % (item.item, item.found) for item in report.items), report.first_token)
    else:
        msg = "API Services app %r (client id %s) is not configured as the vendor needs it: %s. %s" % (
            report.label, report.client_id, "; ".join(report.problems()), report.first_token)
    result = {"changed": False, "ok": report.ok, "check": CONFIGURATION, "report": report.as_dict(), "msg": msg}
    if not report.ok and params["fail_on_problem"]:
        result["failed"] = True
    return result


def main() -> None:
    run_module(ARGUMENT_SPEC, OAUTH_SCOPES, module_result)


if __name__ == "__main__":
    main()
