#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: zluri_connection
short_description: Verify Okta M2M credentials and hand them off for Zluri's "Okta (Machine to Machine)" connection
version_added: 1.0.0
description:
  - Zluri publishes no API that creates its "Okta (Machine to Machine)" catalog connection; an admin enters the
    values in Zluri's web app. This module makes that last step short and safe, and says so plainly in every
    result (RV(manual_action_required)).
  - Derives every field of Zluri's form from the real objects - the client id and the app's registered public
    JWK from Okta, C(kid), C(n) and C(e) from the private key - and fails if the key and the registered JWK differ.
  - Verifies the credentials exactly as Zluri will use them (the same check as M(saasops.okta_m2m.okta_m2m_check)).
  - Writes a hand-off bundle (JSON, mode C(0600), in a C(0700) directory) with the form values, the Zluri scopes
    to tick and the ordered UI steps. The bundle names the private-key file; it embeds the key only with
    O(embed_private_key=true).
  - The bundle is an output, a report of what Okta holds, never the memory of an earlier run. Writing it where it is
    missing (a fresh AWX container) is not a change (RV(bundle_written) says it was written); C(changed) means that
    the values Zluri must be given differ from those of the bundle on disk (a new client id or key).
  - Optionally delivers the bundle to an endpoint you name (an internal gateway, a ticketing or secret-management
    system), and optionally checks with a Zluri API key whether users from source okta have appeared in Zluri.
author:
  - saasops.okta_m2m developers (@saasops)
extends_documentation_fragment:
  - saasops.okta_m2m.okta
  - saasops.okta_m2m.okta.app_credentials
options:
  app_dpop:
    description:
      - How the verification asks for its token. Zluri's form takes no DPoP material, so V(never) (the default)
        tests the app as Zluri will call it and reports an app that requires DPoP.
    type: str
    choices: [auto, always, never]
    default: never
  converged_app:
    description:
      - The RV(saasops.okta_m2m.okta_service_app#module:app) result of M(saasops.okta_m2m.okta_service_app) earlier in
        the same play, given with O(app_client_id) (its RV(saasops.okta_m2m.okta_service_app#module:client_id)). The app's
        label, DPoP setting and keys are then taken from it instead of being read again, which saves one call in Okta's
        apps rate-limit bucket.
      - Leave it out when a task between the two changed the app's keys (a finished key rotation retires keys).
    type: dict
  verify:
    description:
      - Verify the credentials before writing the bundle. The bundle records the verification.
    type: bool
    default: true
  bundle_path:
    description:
      - Where the hand-off bundle (JSON) is written. Its directory is created with mode C(0700).
    type: path
    required: true
  embed_private_key:
    description:
      - Put the private key PEM into the bundle instead of naming its file. The bundle is still mode C(0600).
    type: bool
    default: false
  zluri_scopes:
    description:
      - The scopes to tick in Zluri's form (Zluri does not publish their names; use the labels your tenant shows).
    type: list
    elements: str
    default: []
  connection_name:
    description:
      - The name to give the connection in Zluri.
    type: str
    default: Okta
  connection_description:
    description:
      - The description to give the connection in Zluri.
    type: str
    default: Okta org connected over machine-to-machine OAuth
  delivery:
    description:
      - Also send the bundle to an endpoint you name, whenever the bundle is written (RV(bundle_written)), so also in
        every job whose bundle does not outlive it. There is no default endpoint.
    type: dict
    suboptions:
      url:
        description:
          - The endpoint (https; http only for loopback hosts).
        type: str
        required: true
      method:
        description:
          - HTTP method.
        type: str
        choices: [POST, PUT, PATCH]
        default: POST
      headers:
        description:
          - Request headers, for example an authorization header. Never shown in output.
        type: dict
        default: {}
      body:
        description:
          - The JSON body to send; Jinja-template it in the task. By default the bundle itself.
        type: raw
  zluri_api_key:
    description:
      - A Zluri API key (from Zluri support) for the evidence check. If not set, the environment variable
        E(ZLURI_API_KEY) is used; without a key no evidence check is made.
    type: str
  zluri_api_url:
    description:
      - Zluri's external API base URL.
    type: str
    default: https://api-ext.zluri.com
  evidence_timeout:
    description:
      - Seconds to keep polling Zluri for users from source okta. V(0) asks once.
    type: float
    default: 0
  evidence_interval:
    description:
      - Seconds between polls (Zluri allows 100 requests a minute; never less than 0.6).
    type: float
    default: 30
  state:
    description:
      - V(present) verifies and writes the bundle; V(absent) removes the bundle and says what to remove in Zluri.
    type: str
    choices: [present, absent]
    default: present
attributes:
  check_mode:
    description: Verifies but writes, delivers and polls nothing; reports whether the bundle would change.
    support: full
  diff_mode:
    description: Shows the bundle before and after (an embedded private key is never shown).
    support: full
  action_group:
    description: Use C(group/saasops.okta_m2m.zluri) in C(module_defaults).
    support: full
    membership:
      - saasops.okta_m2m.zluri
"""

EXAMPLES = r"""
- name: Verify the Zluri app and write the hand-off bundle
  saasops.okta_m2m.zluri_connection:
    org_url: https://example.okta.com
    api_token: "{{ okta_api_token }}"
    app: Zluri
    app_key_path: /etc/okta/zluri/zluri.pem
    bundle_path: /etc/okta/zluri/handoff/example.okta.com.json
    zluri_scopes: [Users, Groups, Applications, Audit logs]
  register: handoff

- name: Also deliver it to an internal ticketing gateway and wait up to 10 minutes for Zluri's first data
  saasops.okta_m2m.zluri_connection:
    app: Zluri
    app_key_path: /etc/okta/zluri/zluri.pem
    bundle_path: /etc/okta/zluri/handoff/example.okta.com.json
    delivery:
      url: https://tickets.internal.example.com/api/requests
      headers:
        Authorization: "Bearer {{ ticket_token }}"
      body:
        queue: identity
        title: "Connect Okta to Zluri"
    zluri_api_key: "{{ zluri_api_key }}"
    evidence_timeout: 600
"""

RETURN = r"""
manual_action_required:
  description: Whether someone must enter values in Zluri's web app (Zluri's catalog connection is made by hand) - true
    when the values differ from those of the bundle on disk, or when there was none to compare with.
  returned: always
  type: bool
bundle_written:
  description: Whether the bundle file was written (in check mode, would be), because it was missing or its content differed.
  returned: O(state=present)
  type: bool
msg:
  description: One sentence saying what the user must still do.
  returned: always
  type: str
bundle_path:
  description: Where the bundle is.
  returned: always
  type: str
form:
  description: The values for Zluri's form (C(Client ID), C(Private key), C(Base URL), C(Key ID), C(Modulus), C(Exponent)).
    C(Private key) names the key file, or says that the key is embedded; it never shows the key.
  returned: O(state=present)
  type: dict
verification:
  description:
    - The credential check (as M(saasops.okta_m2m.okta_m2m_check) reports it), when O(verify=true).
    - The bundle records the same, except C(token_requests) (how many token requests the check made).
  returned: O(state=present)
  type: dict
delivery:
  description: The delivery's HTTP status, or why none was made.
  returned: when O(delivery) is set
  type: dict
evidence:
  description: Whether Zluri shows users from source okta (C(found), C(users_from_okta), C(polls), C(waited_seconds)).
  returned: when a Zluri API key is given
  type: dict
api_calls:
  description: Okta API calls this run made, by method and path.
  returned: always
  type: dict
"""

from ansible.module_utils.basic import env_fallback

from ansible_collections.saasops.okta_m2m.plugins.module_utils.zluri_handoff import ZluriHandoff
from ansible_collections.saasops.okta_m2m.plugins.module_utils.argspec import STATE, ArgumentSpec, app_credentials
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_module import OktaModule, run_module
from ansible_collections.saasops.okta_m2m.plugins.module_utils.zluri import ZLURI_API_URL


ARGUMENT_SPEC = ArgumentSpec(
    {
        "app_dpop": {"type": "str", "choices": ["auto", "always", "never"], "default": "never"},
        "converged_app": {"type": "dict"},
        "verify": {"type": "bool", "default": True},
        "bundle_path": {"type": "path", "required": True},
        "embed_private_key": {"type": "bool", "default": False},
        "zluri_scopes": {"type": "list", "elements": "str", "default": []},
        "connection_name": {"type": "str", "default": "Okta"},
        "connection_description": {"type": "str", "default": "Okta org connected over machine-to-machine OAuth"},
        "delivery": {"type": "dict", "options": {
            "url": {"type": "str", "required": True},
            "method": {"type": "str", "choices": ["POST", "PUT", "PATCH"], "default": "POST"},
            "headers": {"type": "dict", "default": {}, "no_log": True},
            "body": {"type": "raw"},
        }},
        "zluri_api_key": {"type": "str", "no_log": True, "fallback": (env_fallback, ["ZLURI_API_KEY"])},
        "zluri_api_url": {"type": "str", "default": ZLURI_API_URL},
        "evidence_timeout": {"type": "float", "default": 0},
        "evidence_interval": {"type": "float", "default": 30},
    },
    mutually_exclusive=[("converged_app", "app")],
    required_by={"converged_app": ("app_client_id",)},
).merge(app_credentials(required_when=[("state", "present")]), STATE)
OAUTH_SCOPES = ("okta.apps.read",)


def module_result(module: OktaModule) -> dict:
    return ZluriHandoff(module).run()


def main() -> None:
    run_module(ARGUMENT_SPEC, OAUTH_SCOPES, module_result)


if __name__ == "__main__":
    main()
