#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: okta_app_jwk
short_description: Manage the RSA key pair of an Okta API Services app
version_added: 1.0.0
description:
  - Ensures a local RSA key pair and, when an app is named, that its public JWK is registered and ACTIVE on the
    app's "Public keys" (C(private_key_jwt) client authentication).
  - A key is generated locally into O(key_path) when that file does not exist, with mode C(0600), in a C(0700)
    directory if the module creates it, through a temp file and an atomic link. An existing key file is never
    overwritten; it is loaded and used.
  - The key id (C(kid)) defaults to the key's RFC 7638 thumbprint, so re-runs never rotate the key.
  - Without O(app), O(app_id) and O(app_client_id) only the local key is ensured, so a playbook can make the key first and
    create the app with it (M(saasops.okta_m2m.okta_service_app)).
  - Results and diffs show kids, statuses and fingerprints, never private key material.
author:
  - saasops.okta_m2m developers (@saasops)
extends_documentation_fragment:
  - saasops.okta_m2m.okta
  - saasops.okta_m2m.okta.app
  - saasops.okta_m2m.okta.attributes
options:
  key_path:
    description:
      - Path of the app's private key file (PEM). Loaded if it exists, generated there otherwise.
      - Named apart from the connection options O(private_key) and O(private_key_path), which are the
        credentials the module itself authenticates with.
      - Mutually exclusive with O(key_content).
    type: path
  key_content:
    description:
      - The app's private key as PEM content, for example from a vault or an AWX credential, instead of a file.
    type: str
  key_passphrase:
    description:
      - Passphrase of an encrypted existing key.
    type: str
  key_size:
    description:
      - Size in bits of a generated key.
    type: int
    choices: [2048, 3072, 4096]
    default: 2048
  kid:
    description:
      - The key id to register. Defaults to the RFC 7638 thumbprint of the public key. V(okta-m2m-no-private-key) is kept
        for the sealed key of an app awaiting its vendor's key (see M(saasops.okta_m2m.okta_service_app)) and refused.
      - With O(state=absent) and no key material, the key with this kid is removed from the app; removing the last key
        in use beside a sealed key is refused, as removing the last ACTIVE key is.
    type: str
  retire_other_keys:
    description:
      - Once this key is registered and ACTIVE, retire the app's other ACTIVE keys. Each is deactivated and stays on the
        app, INACTIVE, as Okta's record that it must never sign again (this finishes a key rotation). The app is never
        left without an ACTIVE key.
      - Refused before any write when a key to be retired is not older (Okta's C(created)) than this key, because the newest key may
        be the one a rotation has just handed over, so it is retired only by naming it (O(state=absent) with its O(kid)).
    type: bool
    default: false
  reactivate_retired_keys:
    description:
      - Make this key ACTIVE again although the app holds it INACTIVE (retired). Only on purpose, since a key is usually
        retired because it was replaced, and sometimes because it leaked. Without it such a run fails before any write.
    type: bool
    default: false
  promote_to:
    description:
      - Move the key file O(key_path) to this path in one atomic step (mode C(0600)), replacing the file there, for
        example the retired key's file at the end of a key rotation. Jobs that load the key from this path (the
        C(saasops.okta_m2m.zluri_okta) role's C(zluri_okta_key_path)) then use the new key with no change to their
        variables.
      - With an app named, the file moves only once the key is ACTIVE on the app.
      - Nothing moves when O(key_path) is this path already, or when the key is there already (a repeated run).
    type: path
  return_private_key:
    description:
      - Also return the private key PEM as RV(private_key). Only for hand-off to a secret store; use C(no_log) on
        the task.
    type: bool
    default: false
  state:
    description:
      - V(present) ensures the key and its registration; V(absent) removes the key from the app (deactivated,
        then deleted, so Okta forgets it; a key retired by a rotation is kept INACTIVE instead). The local key file
        is never deleted by this module.
    type: str
    choices: [present, absent]
    default: present
seealso:
  - module: saasops.okta_m2m.okta_service_app
"""

EXAMPLES = r"""
- name: Generate (once) the key Zluri will use
  saasops.okta_m2m.okta_app_jwk:
    key_path: /etc/okta/zluri/zluri.pem
  register: zluri_key

- name: Register it on an existing app
  saasops.okta_m2m.okta_app_jwk:
    org_url: https://example.okta.com
    api_token: "{{ okta_api_token }}"
    app: Zluri
    key_path: /etc/okta/zluri/zluri.pem

- name: Finish a rotation - the new key stays, every other key is retired (kept INACTIVE) and the new key file replaces the old one
  saasops.okta_m2m.okta_app_jwk:
    app: Zluri
    key_path: /etc/okta/zluri/zluri-2027.pem
    retire_other_keys: true
    promote_to: /etc/okta/zluri/zluri.pem

- name: Remove one key by kid
  saasops.okta_m2m.okta_app_jwk:
    app: Zluri
    kid: old-key-2025
    state: absent
"""

RETURN = r"""
kid:
  description: The key id.
  returned: when a key is known
  type: str
  sample: NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs
public_jwk:
  description: The public JWK (C(kty), C(kid), C(n), C(e), C(alg), C(use)); in check mode before the key file
    exists, that of a key made in memory for the prediction only.
  returned: when a key is known
  type: dict
n:
  description: The modulus, base64url without padding (Zluri's "Modulus").
  returned: when a key is known
  type: str
e:
  description: The exponent, base64url (Zluri's "Exponent"), normally V(AQAB).
  returned: when a key is known
  type: str
fingerprint:
  description: SHA-256 fingerprint of the public key (SubjectPublicKeyInfo).
  returned: when a key is known
  type: str
  sample: SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU
key_path:
  description: Where the private key is.
  returned: when O(key_path) is set
  type: str
generated:
  description: Whether this run generated the key (in check mode, would generate it).
  returned: always
  type: bool
private_key:
  description: The private key PEM, only with O(return_private_key=true).
  returned: when O(return_private_key=true)
  type: str
app_id:
  description: The app the key was registered on.
  returned: when an app is named
  type: str
jwks:
  description: The app's keys after the run (kid, status, thumbprint, id).
  returned: when an app is named
  type: list
  elements: dict
retired_keys:
  description: The keys this run retired or removed (C(kid), C(thumbprint)), for example those a finished rotation retired.
  returned: when an app is named
  type: list
  elements: dict
changes:
  description: The changes this run made (or would make in check mode), in order.
  returned: always
  type: list
  elements: str
api_calls:
  description: Okta API calls this run made, by method and path.
  returned: always
  type: dict
"""

from ansible_collections.saasops.okta_m2m.plugins.module_utils.apps import app_for_members
from ansible_collections.saasops.okta_m2m.plugins.module_utils.jwks import JwkMember, ensure_local_key, promote_key
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_client import OktaConfigError
from ansible_collections.saasops.okta_m2m.plugins.module_utils.argspec import STATE, ArgumentSpec, app_reference
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_module import OktaModule, run_module
from ansible_collections.saasops.okta_m2m.plugins.module_utils.reconcile import Outcome, ensure_members
from ansible_collections.saasops.okta_m2m.plugins.module_utils.sealed_keys import refuse_sealed_kid


ARGUMENT_SPEC = ArgumentSpec(
    {
        "key_path": {"type": "path"},
        "key_content": {"type": "str", "no_log": True},
        "key_passphrase": {"type": "str", "no_log": True},
        "key_size": {"type": "int", "choices": [2048, 3072, 4096], "default": 2048},
        "kid": {"type": "str"},
        "retire_other_keys": {"type": "bool", "default": False},
        "reactivate_retired_keys": {"type": "bool", "default": False},
        "promote_to": {"type": "path"},
        "return_private_key": {"type": "bool", "default": False},
    },
    mutually_exclusive=[("key_path", "key_content")],
).merge(app_reference(required_when=[("state", "absent"), ("retire_other_keys", True)]), STATE)
OAUTH_SCOPES = ("okta.apps.manage",)


def module_result(module: OktaModule) -> dict:
    params = module.params
    if params["promote_to"] and not params["key_path"]:
        raise OktaConfigError("promote_to moves the key file key_path: it needs key_path")
    has_material = params["key_path"] or params["key_content"]
    local = None
    changes = []
    result = {"generated": False}
    if params["state"] == "present":
        refuse_sealed_kid([{"kid": params["kid"]}], "kid")
    if params["state"] == "present" or has_material:
        local = ensure_local_key(params["key_path"], params["key_content"], params["key_passphrase"],
                                 params["key_size"], params["kid"], module.check_mode)
        for warning in local.warnings:
            module.warn(warning)
        if local.generated:
            changes.append("generate %d-bit RSA key at %s" % (params["key_size"], params["key_path"]))
        result.update(generated=local.generated, kid=local.kid, public_jwk=local.public_jwk, fingerprint=local.fingerprint,
                      n=local.public_jwk["n"], e=local.public_jwk["e"])
        if params["key_path"]:
            result["key_path"] = params["key_path"]
        if params["return_private_key"]:
            result["private_key"] = local.pem()
    elif not params["kid"]:
        raise OktaConfigError("state=absent needs kid, key_path or key_content to know which key to remove")
    outcome = Outcome(bool(changes), changes, {}, {}, None)
    if params["app"] or params["app_id"] or params["app_client_id"]:
        app = app_for_members(module.client, params["app"], params["app_client_id"], params["state"],
                              module.check_mode, params["app_client_id_verified"], params["app_id"])
        wanted = local.public_jwk if local else {"kid": params["kid"]}
        member = JwkMember(reactivate_retired=params["reactivate_retired_keys"], delete=params["state"] == "absent",
                           option_for={"public_keys": "key_path", "purge_public_keys": "retire_other_keys"})
        outcome = ensure_members(module.client, member, app, [wanted], params["state"],
                                 JwkMember.purge_active if params["retire_other_keys"] else False, module.check_mode)
        outcome.changes[:0] = changes
        outcome.changed = bool(outcome.changes)
        after = {view["kid"]: view for view in outcome.after["jwks"]}
        result.update(app_id=app["id"] if app else None, jwks=outcome.after["jwks"],
                      retired_keys=[{"kid": view["kid"], "thumbprint": view["thumbprint"]} for view in outcome.before["jwks"]
                                    if view["status"] == "ACTIVE" and after.get(view["kid"], {}).get("status") != "ACTIVE"])
    if params["promote_to"] and local is not None:
        promoted = promote_key(local, params["promote_to"], module.check_mode)
        if promoted:
            outcome.changes.append(promoted)
            outcome.changed = True
            if not module.check_mode:
                result["key_path"] = params["promote_to"]
    return outcome.result(module._diff, **result)


def main() -> None:
    run_module(ARGUMENT_SPEC, OAUTH_SCOPES, module_result)


if __name__ == "__main__":
    main()
