#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: okta_api_token
short_description: Revoke Okta API tokens named by id
version_added: 1.0.0
description:
  - Revokes the org's API tokens (SSWS tokens) whose ids O(revoke) lists, and no other; nothing is revoked by
    default, by name or by owner. Find the ids with M(saasops.okta_m2m.okta_api_token_info).
  - Meant for the last step of moving a vendor from an API token to an OAuth service app, once the vendor's first
    access token shows in the System Log (docs/operations.md in the collection). Run it in check mode first, which
    shows each token that would be revoked with its name and owner.
  - A listed id that names no active token (revoked before, expired, or never an id of this org) is reported in
    RV(not_found) and changes nothing, so a second run reports no change.
  - A token revoked here stops working at once; whatever still uses it gets HTTP 401 from Okta.
  - Refuses, before anything is revoked, any token of the admin this module's own API token (O(api_token)) acts for,
    unless O(allow_own_tokens=true), because Okta does not say which of a user's tokens a call uses, so such a token may
    be the module's own.
author:
  - saasops.okta_m2m developers (@saasops)
extends_documentation_fragment:
  - saasops.okta_m2m.okta
  - saasops.okta_m2m.okta.attributes
options:
  revoke:
    description:
      - The ids of the tokens to revoke (C(00T...), RV(saasops.okta_m2m.okta_api_token_info#module:api_tokens[].id)).
      - An empty list revokes nothing and reports no change, so that a play that passes on the ids
        M(saasops.okta_m2m.okta_api_token_info) found can run again once the tokens are gone.
    type: list
    elements: str
    required: true
  allow_own_tokens:
    description:
      - With O(api_token), also revoke tokens of the admin that token acts for. One of them may be the very token the
        module authenticates with; it is then revoked last, and the module's access ends with it.
      - Unneeded with O(client_id), since an admin OAuth app authenticates with no API token.
    type: bool
    default: false
notes:
  - Calls C(GET /api/v1/api-tokens/{id}) per listed id, C(GET /api/v1/users/{id}) once per owner (for the login the
    result and the diff show), with O(api_token) C(GET /api/v1/users/me) once when a token is to be revoked, and
    C(DELETE /api/v1/api-tokens/{id}) per token revoked.
  - With O(client_id), the admin app needs the scopes C(okta.apiTokens.manage) and C(okta.users.read). A call refused
    for want of one fails with a message that names it.
  - Okta's reference sets no exception to C(DELETE /api/v1/api-tokens/{id}) for the token that makes the call
    (C(DELETE /api/v1/api-tokens/current) is its documented way for a token to revoke itself), so the module takes it
    that Okta revokes it, hence O(allow_own_tokens).
seealso:
  - module: saasops.okta_m2m.okta_api_token_info
  - module: saasops.okta_m2m.okta_service_app_info
"""

EXAMPLES = r"""
- name: The vendor's API token
  saasops.okta_m2m.okta_api_token_info:
    org_url: https://example.okta.com
    api_token: "{{ okta_api_token }}"
    name: Torii
  register: torii_token

- name: What would be revoked
  saasops.okta_m2m.okta_api_token:
    org_url: https://example.okta.com
    api_token: "{{ okta_api_token }}"
    revoke: "{{ torii_token.api_tokens | map(attribute='id') }}"
  check_mode: true
  diff: true

- name: Revoke it
  saasops.okta_m2m.okta_api_token:
    org_url: https://example.okta.com
    api_token: "{{ okta_api_token }}"
    revoke: [00T1abcdEFGH2ijkL3m4]
"""

RETURN = r"""
revoked:
  description: The tokens revoked (in check mode, those that would be), each with its O(revoke) id.
  returned: success
  type: list
  elements: dict
  contains:
    id:
      description: The token's id.
      type: str
      sample: 00T1abcdEFGH2ijkL3m4
    name:
      description: The token's name.
      type: str
      sample: Torii
    owner:
      description: The login of the user the token acted for (its user id when Okta no longer has the user).
      type: str
      sample: svc-torii@example.com
    owner_id:
      description: The id of that user.
      type: str
    created:
      description: When the token was created.
      type: str
    last_updated:
      description: Okta's C(lastUpdated) of the token, its last use (see M(saasops.okta_m2m.okta_api_token_info)).
      type: str
not_found:
  description: Ids of O(revoke) that name no active token of the org (revoked before, expired, or never an id here);
    nothing was done for them.
  returned: success
  type: list
  elements: str
  sample: ["00T1abcdEFGH2ijkL3m4"]
msg:
  description: What was revoked (or would be, in check mode) and which ids named no token.
  returned: success
  type: str
  sample: "revoked 1 API token: 00T1abcdEFGH2ijkL3m4 'Torii' of svc-torii@example.com"
changes:
  description: The writes made (in check mode, the writes a real run would make).
  returned: always
  type: list
  elements: str
  sample: ["revoke API token 00T1abcdEFGH2ijkL3m4 'Torii' of svc-torii@example.com"]
api_calls:
  description: Okta API calls this run made, by method and path.
  returned: always
  type: dict
  sample: {"total": 3, "writes": 1, "retries": 0, "waited_seconds": 0, "by_endpoint": {"DELETE /api/v1/api-tokens/00T1abcdEFGH2ijkL3m4": 1}}
"""

from ansible_collections.saasops.okta_m2m.plugins.module_utils.api_tokens import revoke_api_tokens
from ansible_collections.saasops.okta_m2m.plugins.module_utils.argspec import ArgumentSpec
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_module import OktaModule, run_module


ARGUMENT_SPEC = ArgumentSpec({
    "revoke": {"type": "list", "elements": "str", "required": True},
    "allow_own_tokens": {"type": "bool", "default": False},
})
OAUTH_SCOPES = ("okta.apiTokens.manage", "okta.users.read")


def module_result(module: OktaModule) -> dict:
    params = module.params
    return revoke_api_tokens(module.client, params["revoke"], bool(params["api_token"]), params["allow_own_tokens"],
                             module.check_mode, module._diff)


def main() -> None:
    run_module(ARGUMENT_SPEC, OAUTH_SCOPES, module_result)


if __name__ == "__main__":
    main()
