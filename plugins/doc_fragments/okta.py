# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:

    # Connection and authentication options shared by every okta_* module.
    DOCUMENTATION = r"""
options:
  org_url:
    description:
      - The Okta org URL, for example V(https://example.okta.com). Not the admin console host (V(-admin)).
      - Must use V(https); V(http) is accepted only for loopback hosts (a local emulator).
      - If not set, the environment variable E(OKTA_ORG_URL) is used (read on the host the module runs on,
        which is the controller with C(connection=local)).
    type: str
  api_token:
    description:
      - An Okta API token (sent as C(Authorization=SSWS ...)). It carries the privileges of the admin who
        created it; the whole Zluri procedure needs a Super Administrator.
      - If not set, the environment variable E(OKTA_API_TOKEN) is used.
      - Mutually exclusive with O(client_id).
    type: str
  client_id:
    description:
      - Client ID of an Okta API Services app used to call the Management API with OAuth 2.0 client
        credentials and C(private_key_jwt) instead of an API token.
      - If not set, the environment variable E(OKTA_CLIENT_ID) is used.
    type: str
  private_key:
    description:
      - PEM content of the RSA private key whose public JWK is registered on the O(client_id) app.
      - If not set, the environment variable E(OKTA_PRIVATE_KEY) is used.
      - Mutually exclusive with O(private_key_path).
    type: str
  private_key_path:
    description:
      - Path to a PEM file with the private key for O(client_id); the file should be mode C(0600).
      - If not set, the environment variable E(OKTA_PRIVATE_KEY_PATH) is used.
    type: path
  key_id:
    description:
      - The C(kid) of the registered public JWK, sent in the client assertion header.
      - If not set, the environment variable E(OKTA_PRIVATE_KEY_ID) is used.
    type: str
  scopes:
    description:
      - Okta API scopes to request with O(client_id), for example V(okta.roles.manage).
      - If not set, the environment variable E(OKTA_SCOPES) (space- or comma-separated) is used; if that is
        not set either, the module asks for exactly the scopes it needs.
    type: list
    elements: str
  dpop:
    description:
      - DPoP (RFC 9449) for the O(client_id) token. V(auto) starts without a proof and switches to DPoP when
        Okta answers that the app requires it; V(always) sends a proof from the first token request (one
        call fewer for apps that require DPoP); V(never) never sends one.
      - The DPoP key is an ephemeral P-256 key made per run, never the client key.
    type: str
    choices: [auto, always, never]
    default: auto
  dpop_nonce:
    description:
      - A DPoP nonce that Okta's token endpoint gave an earlier task. With it, the first token request carries a
        DPoP proof with that nonce, so an app that requires DPoP costs one token request instead of two (V(always))
        or three (V(auto)). A stale nonce costs only the retry Okta asks for. Ignored with O(dpop=never) and with
        O(api_token).
      - Each module that got a DPoP-bound token with O(client_id) sets the host fact C(okta_m2m_dpop_nonce); the
        nonce is not a secret, Okta hands it to any client that asks. Pass it on by setting O(dpop_nonce) from
        that fact in C(module_defaults), omitted while the fact is undefined, as the C(saasops.okta_m2m.zluri_okta)
        role does.
    type: str
  validate_certs:
    description:
      - Verify the TLS certificate of O(org_url). Set to V(false) only for testing.
    type: bool
    default: true
  ca_path:
    description:
      - A PEM file of CA certificates to trust for O(org_url) instead of the system store.
    type: path
  timeout:
    description:
      - Seconds to wait for each HTTP response.
    type: float
    default: 30
  max_retries:
    description:
      - How many times one call is sent again after a rate limit (HTTP 429), a concurrent role-assignment
        conflict (E0000268), or, for calls that are safe to repeat, a server error or a lost connection.
      - Requests that are not idempotent are not repeated after they may have reached Okta.
    type: int
    default: 4
  max_retry_wait:
    description:
      - Upper bound, in seconds, on the total time one module run spends waiting for rate-limit resets and
        back-offs. When the next wait would exceed it, the module fails instead of waiting.
    type: float
    default: 300
  max_api_capacity:
    description:
      - Use at most this percentage of each Okta rate-limit bucket, then wait for the bucket to reset before
        the next call. V(100) turns the governor off. Lower values leave room for other API clients of the
        org (Okta gives each token or app 50% of a bucket by default).
    type: int
    default: 100
  option_names:
    description:
      - "How failures, warnings and hints name this module's options, for a role or playbook that sets options from
        variables of its own. Maps an option to the words that tell the user what to change, for example
        V({remove_super_admin: zluri_okta_remove_super_admin}). Options it does not map are named as they are."
      - The C(saasops.okta_m2m.zluri_okta) role sets it, so that its messages name C(zluri_okta_*) variables.
    type: dict
    default: {}
requirements:
  - requests >= 2.28
  - cryptography >= 41.0 (for O(client_id) authentication and keys)
  - PyJWT >= 2.8 (for O(client_id) authentication)
notes:
  - Run these modules on the controller (C(connection=local) or C(delegate_to=localhost)); each Okta org
    can be an inventory host.
  - Use C(module_defaults) with the module's action group (C(group/saasops.okta_m2m.okta) for the C(okta_*) modules,
    C(group/saasops.okta_m2m.zluri) for M(saasops.okta_m2m.zluri_connection)) to give every module the connection once.
"""

    # How a module names the API Services app it works on (shared by the modules that act on an app).
    APP = r"""
options:
  app:
    description:
      - The label of the API Services app. App labels are not unique in Okta; if several API Services apps
        carry it, the module fails and the app must be named by O(app_id) or O(app_client_id).
      - In check mode, an app that does not exist yet (an earlier task of the run would create it) is taken to
        have nothing yet.
      - Mutually exclusive with O(app_id) and O(app_client_id).
    type: str
  app_id:
    description:
      - The app id of the API Services app (C(0oa...)), as M(saasops.okta_m2m.okta_service_app) returns it in
        C(app.id). Okta's C(/api/v1/apps/{id}) calls (the app, its keys, its scope grants) take this id.
      - With O(app_client_id) as well, the app found by this id must have that client id.
    type: str
  app_client_id:
    description:
      - The OAuth client id of the API Services app. It equals the app id unless a custom C(client_id) was given
        when the app was created; Okta's C(/oauth2/v1/clients/{clientId}/roles) calls take this id.
      - An app is found by client id with a read by id, and when that finds none (a custom client id), by listing
        the OIDC apps and matching their client id.
      - Named so because O(client_id) is the connection's own OAuth client.
    type: str
  app_client_id_verified:
    description:
      - Set V(true) when O(app_id) and O(app_client_id) are the ids M(saasops.okta_m2m.okta_service_app) returned
        earlier in the same play (C(app.id) and C(client_id)), so the app is known to be an API Services app with
        these ids. It is then not read again; the module reads the app's keys, grants or roles directly, and a 404
        there still means the app is gone.
      - Requires O(app_id) and O(app_client_id).
    type: bool
    default: false
"""

    # The credentials of an M2M app under test (okta_m2m_check and zluri_connection mint its token as the third
    # party will).
    APP_CREDENTIALS = r"""
options:
  app:
    description:
      - The label of the API Services app (looked up with the connection's admin credentials). Or give
        O(app_id) or O(app_client_id).
    type: str
  app_id:
    description:
      - The app id of the API Services app (C(0oa...)), as M(saasops.okta_m2m.okta_service_app) returns it in
        C(app.id); the app is read by this id. With O(app_client_id) as well, the app must have that client id.
    type: str
  app_client_id:
    description:
      - The OAuth client id of the API Services app; the token is requested as this client. It equals the app id
        unless a custom C(client_id) was given when the app was created.
    type: str
  app_key_path:
    description:
      - The app's private key file (PEM), whose public JWK is registered on the app.
    type: path
  app_key_content:
    description:
      - The app's private key as PEM content, instead of O(app_key_path).
    type: str
  app_key_id:
    description:
      - The C(kid) the app's public JWK is registered with. Defaults to the kid under which the app holds this
        public key when the app is read (by O(app) or O(app_id)), so a key registered in the console under a kid of
        its own is found; else to the key's RFC 7638 thumbprint, as M(saasops.okta_m2m.okta_app_jwk) registers it.
    type: str
  check_scopes:
    description:
      - The Okta API scopes to request and prove, one cheap read each; by default the six scopes Zluri uses.
    type: list
    elements: str
    default: [okta.users.read, okta.groups.read, okta.apps.read, okta.logs.read, okta.roles.read, okta.domains.read]
"""

    ATTRIBUTES = r"""
options: {}
attributes:
  check_mode:
    description: Can run in check mode and return the changed status a real run would report, without writing.
    support: full
  diff_mode:
    description: Returns the before and after state of the compared fields (never secrets or key material).
    support: full
  action_group:
    description: Use C(group/saasops.okta_m2m.okta) in C(module_defaults) to set the connection options.
    support: full
    membership:
      - saasops.okta_m2m.okta
"""

    READ_ONLY_ATTRIBUTES = r"""
options: {}
attributes:
  check_mode:
    description: Reads only; runs the same in check mode.
    support: full
  diff_mode:
    description: Reads only; nothing to diff.
    support: none
  action_group:
    description: Use C(group/saasops.okta_m2m.okta) in C(module_defaults) to set the connection options.
    support: full
    membership:
      - saasops.okta_m2m.okta
"""
