#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: okta_api_token_info
short_description: List the Okta org's API tokens with their owners
version_added: 1.0.0
description:
  - Lists the org's active API tokens (SSWS tokens, Security > API > Tokens in the Admin Console) with what Okta
    tells about each - name, owner, client, when it was created, last updated and expires, its expiry window and
    network restriction - and, per owner, its login and admin roles, so that tokens that carry Super Administrator
    power stand out.
  - An API token acts for the user who created it, with that user's admin roles, until it goes unused for its expiry
    window (30 days); Okta recommends OAuth service apps for services instead. To revoke a token, see
    M(saasops.okta_m2m.okta_api_token).
  - Revoked and expired tokens are not listed (Okta lists only active ones). Token secrets are never shown; Okta
    shows a secret only once, when the token is created.
  - Reads only; never changes anything in Okta.
author:
  - saasops.okta_m2m developers (@saasops)
extends_documentation_fragment:
  - saasops.okta_m2m.okta
  - saasops.okta_m2m.okta.read_only_attributes
options:
  name:
    description:
      - Only tokens named exactly this (token names are not unique, so several may match). Without it, every token.
    type: str
notes:
  - Calls C(GET /api/v1/api-tokens) (one call per 200 tokens), then per owner, once however many tokens it owns,
    C(GET /api/v1/users/{id}) and C(GET /api/v1/users/{id}/roles).
  - With O(client_id), the admin app needs the scopes C(okta.apiTokens.read), C(okta.users.read) and
    C(okta.roles.read). A read refused for want of one fails with a message that names it.
  - RV(api_tokens[].idle_days) is counted by the clock of the machine the module runs on.
seealso:
  - module: saasops.okta_m2m.okta_api_token
  - module: saasops.okta_m2m.okta_service_app_info
"""

EXAMPLES = r"""
- name: Every API token of the org
  saasops.okta_m2m.okta_api_token_info:
    org_url: https://example.okta.com
    api_token: "{{ okta_api_token }}"
  register: tokens

- name: Name the tokens that act with Super Administrator power
  ansible.builtin.debug:
    msg: "{{ item.name }} ({{ item.id }}) of {{ item.owner.login }}, last used {{ item.last_updated }}"
  loop: "{{ tokens.api_tokens | selectattr('owner.super_admin') }}"
  loop_control:
    label: "{{ item.id }}"

- name: The token a vendor was given, to move it to a service app
  saasops.okta_m2m.okta_api_token_info:
    name: Torii
  register: torii_token
"""

RETURN = r"""
api_tokens:
  description: The active API tokens that pass the filter, in Okta's order.
  returned: success
  type: list
  elements: dict
  contains:
    id:
      description: The token's id, which M(saasops.okta_m2m.okta_api_token) revokes by.
      type: str
      sample: 00T1abcdEFGH2ijkL3m4
    name:
      description: The name given when the token was created.
      type: str
      sample: Torii
    client_name:
      description: What created the token; V(Okta API) for a token made in the Admin Console.
      type: str
      sample: Okta API
    owner:
      description: The user the token acts for, with the admin roles it acts with.
      type: dict
      contains:
        id:
          description: The user's id (the token's C(userId)).
          type: str
          sample: 00u1abcdEFGH2ijkL3m4
        login:
          description: The user's login; null when Okta no longer has the user.
          type: str
          sample: svc-torii@example.com
        admin_roles:
          description: The admin role types Okta lists for the user (C(GET /api/v1/users/{id}/roles)), sorted;
            V(CUSTOM) for a custom role.
          type: list
          elements: str
          sample: ["SUPER_ADMIN"]
        super_admin:
          description: Whether the user holds Super Administrator, so the token acts with it.
          type: bool
    created:
      description: When the token was created.
      type: str
      sample: "2025-09-01T10:00:00.000Z"
    last_updated:
      description:
        - Okta's C(lastUpdated) of the token. Okta's reference does not define it; in its examples RV(api_tokens[].expires_at)
          is C(lastUpdated) plus RV(api_tokens[].token_window), and a token is renewed each time it is used, so it is when
          the current expiry window began - the token's last use, or its creation if it was never used.
      type: str
      sample: "2026-03-01T10:00:00.000Z"
    expires_at:
      description: When the token expires unless it is used before (RV(api_tokens[].last_updated) plus
        RV(api_tokens[].token_window)).
      type: str
      sample: "2026-03-31T10:00:00.000Z"
    token_window:
      description: How long the token lives without use, as an ISO 8601 duration.
      type: str
      sample: P30D
    idle_days:
      description: Whole days since RV(api_tokens[].last_updated), that is since the token was last used.
      type: int
      sample: 12
    network:
      description: Where calls with the token may come from.
      type: dict
      contains:
        connection:
          description: V(ANYWHERE), or V(ZONE) for the network zones below.
          type: str
          sample: ANYWHERE
        include:
          description: Ids of the network zones calls may come from.
          type: list
          elements: str
        exclude:
          description: Ids of the network zones calls may not come from.
          type: list
          elements: str
api_calls:
  description: Okta API calls this run made, by method and path.
  returned: always
  type: dict
  sample: {"total": 3, "writes": 0, "retries": 0, "waited_seconds": 0, "by_endpoint": {"GET /api/v1/api-tokens": 1}}
"""

from ansible_collections.saasops.okta_m2m.plugins.module_utils.api_tokens import api_tokens_report
from ansible_collections.saasops.okta_m2m.plugins.module_utils.argspec import ArgumentSpec
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_module import OktaModule, run_module


ARGUMENT_SPEC = ArgumentSpec({"name": {"type": "str"}})
OAUTH_SCOPES = ("okta.apiTokens.read", "okta.users.read", "okta.roles.read")


def module_result(module: OktaModule) -> dict:
    return {"changed": False, "api_tokens": api_tokens_report(module.client, module.params["name"])}


def main() -> None:
    run_module(ARGUMENT_SPEC, OAUTH_SCOPES, module_result)


if __name__ == "__main__":
    main()
