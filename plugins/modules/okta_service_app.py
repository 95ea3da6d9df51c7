#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: okta_service_app
short_description: Manage an Okta API Services app for machine-to-machine OAuth
version_added: 1.0.0
description:
  - Creates, updates or deletes an Okta "API Services" app (an OAuth service app) that authenticates with
    client credentials and C(private_key_jwt), the kind of app Zluri's "Okta (Machine to Machine)" connection uses.
  - The app is found by its exact O(label) among API Services apps, or addressed by O(app_client_id). App labels
    are not unique in Okta; several API Services apps with the label is an error, never a guess.
  - Okta cannot create an app only if none has the label, so two runs that start at the same moment may both
    create one. Right after its create, the module looks for such a namesake; every run keeps the oldest app and
    the run that made a newer one deletes it.
  - Updates read the whole app, change only the settings this module manages and write it back, so other
    settings are never reset.
  - The app is created with the public keys in O(public_keys); on an existing app the listed keys are added or
    kept, and with O(purge_public_keys=true) the others are retired (deactivated and kept, so Okta remembers them).
  - An existing app is converged to client credentials with C(private_key_jwt) (grant types
    V(client_credentials) only). An app made in the console may authenticate with a client secret; Okta accepts
    the switch only on an app that carries a key and without the secret, so it is made in one update that embeds
    the app's keys and those of O(public_keys) and drops the secret. Okta then deletes every client secret of the
    app - the diff (C(okta_consequences)), the change, a warning and RV(client_secrets_deleted) say so, in check mode too.
  - A key of O(public_keys) is added to an app that already holds ACTIVE keys only with O(add_beside_active_keys=true),
    because whoever made those keys may be using them. Two ACTIVE keys mean a key rotation is in progress.
  - Okta allows at most 50 keys per app. When a key must be added to a full app, the oldest retired (INACTIVE) keys
    are deleted first, as many as needed, and the result says which.
  - "A key the vendor holds: a vendor that signs with its own private key gives its public JWK (O(public_keys)) or the
    URL where it publishes its keys (O(jwks_uri)). Neither path ever needs, reads or makes a private key: the private key
    exists only at the vendor, and M(saasops.okta_m2m.okta_m2m_check) without a private key checks such an app."
  - An app holds either keys saved in Okta or a JWKS URL. Switching between them is one update, and Okta takes the other
    away by itself - every saved key (retired ones too) when the app switches to a URL, the URL when its keys are saved
    again. The diff (C(okta_consequences)), the change, a warning and RV(saved_keys_deleted) or RV(jwks_uri_dropped) say so,
    in check mode too. A switch that would cut off keys in use (ACTIVE saved keys, or the URL of an app that authenticates
    with it) is refused before any write unless O(switch_key_source=true).
  - "A vendor that shows its key only once it has the app's client id (Vanta asks for the client id, then shows its JWKS
    URL): with O(await_vendor_key=true) the app is created with a sealed key, a public key whose private key is dropped
    as soon as it is made (C(kid) V(okta-m2m-no-private-key)), because Okta creates a C(private_key_jwt) app only with a
    key. Nobody can get a token for the app until a later run registers the vendor's key: O(jwks_uri) replaces the sealed
    key without O(switch_key_source), and O(public_keys) retires it (a sealed key is in nobody's use, so keys are added
    beside it)."
author:
  - saasops.okta_m2m developers (@saasops)
extends_documentation_fragment:
  - saasops.okta_m2m.okta
  - saasops.okta_m2m.okta.attributes
options:
  label:
    description:
      - The app's label (its display name). Required unless O(app_client_id) is given.
      - With O(app_client_id), the app's label is changed to this value.
    type: str
  app_client_id:
    description:
      - The OAuth client id of an existing app, to address it without its label. It equals the app id unless a
        custom C(client_id) was given when the app was created; such an app is found among the OIDC apps by it.
    type: str
  find_by_assignment:
    description:
      - The custom admin role and the resource set (labels) the app is assigned to. When no app with O(label) is
        listed, the app is looked for among the clients that assignment holds (one read, and one per client).
      - Okta's app list lags behind an app's create for a while; reads by label and id do not. A run right after the run
        that created and assigned the app (a retried job) then finds the app instead of making a second one, with no
        memory outside Okta.
      - With OAuth client credentials and no O(scopes), the module asks for C(okta.apps.manage) and C(okta.roles.manage);
        the latter reads this assignment.
    type: dict
    suboptions:
      role:
        description: The custom admin role's label.
        type: str
        required: true
      resource_set:
        description: The resource set's label.
        type: str
        required: true
  dpop_bound_access_tokens:
    description:
      - Require DPoP (the console's "Require Demonstrating Proof of Possession (DPoP) header in token requests").
      - Okta's console turns it on for new API Services apps. Zluri's form takes no DPoP material, so the
        C(saasops.okta_m2m.zluri_okta) role sets V(false) for the Zluri app.
    type: bool
    default: true
  public_keys:
    description:
      - Public RSA JWKs (C(kid), C(kty), C(n), C(e)) the app must hold ACTIVE, for example the C(public_jwk) that
        M(saasops.okta_m2m.okta_app_jwk) returns, or the public JWK a vendor gives for the private key it holds (other
        members such as C(alg), C(use) or C(x5c) are left out; private members are refused). Required when the app must
        be created, unless O(jwks_uri) is given.
      - A key is matched by its public key, whatever C(kid) it is registered under (a key saved in the console has
        a kid of the console user's choosing). The kid V(okta-m2m-no-private-key) is kept for the sealed key
        (O(await_vendor_key)) and refused here.
      - Okta is the record of retired keys. A key this collection retires stays on the app, INACTIVE. A listed key
        that the app holds INACTIVE is refused before any write, naming it and when it was retired, unless
        O(reactivate_retired_keys=true).
    type: list
    elements: dict
  jwks_uri:
    description:
      - The URL where a vendor publishes the public keys of the private keys it holds (a JWKS document); Okta fetches the
        keys from it to verify the vendor's client assertions, so the vendor rotates its keys without anyone changing the app.
      - An absolute C(https) URL (C(http) only for a loopback host), without credentials or a fragment; it is sent and
        compared as given.
      - The app is created with it, or an existing app is switched to it (Okta then deletes its saved keys; see
        O(switch_key_source)).
      - Mutually exclusive with O(public_keys).
    type: str
    version_added: 1.1.0
  switch_key_source:
    description:
      - Switch the app between keys saved in Okta and a JWKS URL although it would lose keys in use. Okta deletes every
        saved key of an app it switches to O(jwks_uri), and drops the URL of an app whose keys are saved again
        (O(public_keys)).
      - With V(false), a switch away from ACTIVE saved keys, or away from the URL of an app that authenticates with
        C(private_key_jwt), fails before any write, naming what would be lost.
    type: bool
    default: false
    version_added: 1.1.0
  await_vendor_key:
    description:
      - Create the app although neither O(public_keys) nor O(jwks_uri) is given yet, with a sealed key (its private key
        is never kept, so nobody can sign for it) in their place; for a vendor that shows its key after it has the app's
        client id. The keys of an existing app are left as they are; an existing app that authenticates with a client
        secret is switched to C(private_key_jwt) with the sealed key (Okta deletes its client secrets, as on every such
        switch). RV(awaiting_vendor_key) says whether the app still holds only the sealed key.
      - Mutually exclusive with O(public_keys) and O(jwks_uri). Needs the Python library C(cryptography) to make the key.
    type: bool
    default: false
    version_added: 1.1.0
  purge_public_keys:
    description:
      - Retire the app's ACTIVE keys that O(public_keys) does not list. Each is deactivated and stays on the app,
        INACTIVE, as the record that it must never sign again (this finishes a key rotation). Retired keys are
        never purged.
      - Refused before any write when a key to be retired is newer (Okta's C(created)) than every key kept, because the newest
        key may be the one a rotation has just handed over, so it is retired only by naming it
        (M(saasops.okta_m2m.okta_app_jwk) with O(saasops.okta_m2m.okta_app_jwk#module:state=absent) and its C(kid)).
    type: bool
    default: false
  add_beside_active_keys:
    description:
      - Whether a key of O(public_keys) that is not on the app may be added while the app holds other ACTIVE keys
        (this starts a key rotation, in which the old and the new key both work until the rotation is finished).
      - With V(false), such a run fails before any write, naming the keys the app holds. A key pair that is lost
        (a fresh AWX container, a key made in the console) then never silently becomes a second key.
    type: bool
    default: false
  reactivate_retired_keys:
    description:
      - Make a key of O(public_keys) ACTIVE again although the app holds it INACTIVE (retired). Only on purpose, since a
        key is usually retired because it was replaced, and sometimes because it leaked.
    type: bool
    default: false
  enabled:
    description:
      - Whether the app is ACTIVE. An app left INACTIVE by an interrupted teardown is activated again.
    type: bool
    default: true
  state:
    description:
      - V(present) creates or updates the app; V(absent) deactivates and deletes it.
    type: str
    choices: [present, absent]
    default: present
seealso:
  - module: saasops.okta_m2m.okta_app_jwk
  - module: saasops.okta_m2m.okta_scope_grant
  - module: saasops.okta_m2m.okta_role_assignment
"""

EXAMPLES = r"""
- name: Make a key pair for Zluri
  saasops.okta_m2m.okta_app_jwk:
    key_path: /etc/okta/zluri/zluri.pem
  register: zluri_key

- name: The API Services app Zluri connects with
  saasops.okta_m2m.okta_service_app:
    org_url: https://example.okta.com
    api_token: "{{ okta_api_token }}"
    label: Zluri
    dpop_bound_access_tokens: false
    public_keys:
      - "{{ zluri_key.public_jwk }}"
  register: zluri_app

- name: The app of a vendor that holds its own key and publishes it at a URL (no private key here)
  saasops.okta_m2m.okta_service_app:
    org_url: https://example.okta.com
    api_token: "{{ okta_api_token }}"
    label: Vendor
    dpop_bound_access_tokens: false
    jwks_uri: https://vendor.example.com/.well-known/jwks.json
  register: vendor_app

- name: Remove it
  saasops.okta_m2m.okta_service_app:
    label: Zluri
    state: absent
"""

RETURN = r"""
app:
  description: The app's managed settings and ids; empty when O(state=absent).
  returned: success
  type: dict
  contains:
    id:
      description: The app id; not known in check mode before the app exists.
      type: str
      sample: 0oa1abcdEFGH
    label:
      description: The label.
      type: str
    dpop_bound_access_tokens:
      description: Whether DPoP is required.
      type: bool
    status:
      description: V(ACTIVE) or V(INACTIVE).
      type: str
    token_endpoint_auth_method:
      description: The client authentication method, V(private_key_jwt) once converged.
      type: str
    grant_types:
      description: The grant types, V([client_credentials]) once converged.
      type: list
      elements: str
    jwks:
      description: The app's keys (C(kid), C(status), C(thumbprint)), when O(public_keys) is given.
      type: list
      elements: dict
    jwks_uri:
      description: The URL Okta fetches the app's keys from; empty when its keys are saved in Okta.
      type: str
      sample: https://vendor.example.com/.well-known/jwks.json
      version_added: 1.1.0
created:
  description: Whether this run created the app. False in check mode, and when another run created a namesake at the
    same moment and its older app was kept instead. A just-created app holds no grants yet (see
    O(saasops.okta_m2m.okta_scope_grant#module:app_created)).
  returned: always
  type: bool
client_id:
  description: The OAuth client id of the app (its id, unless a custom C(client_id) was given at create); empty in
    check mode before the app exists.
  returned: O(state=present)
  type: str
  sample: 0oa1abcdEFGH
orn:
  description: The app's ORN, C(orn:{partition}:idp:{orgId}:apps:oidc_client:{appId}); it tells the org's ORN
    partition and org id (M(saasops.okta_m2m.okta_resource_set) can take both from it). Empty in check mode before
    the app exists.
  returned: O(state=present)
  type: str
  sample: orn:okta:idp:00o1abcd:apps:oidc_client:0oa1abcdEFGH
orn_partition:
  description: The org's ORN partition (for example V(okta) or V(oktapreview)), read from the app's ORN; empty in check
    mode before the app exists.
  returned: O(state=present)
  type: str
  sample: okta
org_id:
  description: The org's id, read from the app's ORN; empty in check mode before the app exists.
  returned: O(state=present)
  type: str
  sample: 00o1abcd
public_keys:
  description:
    - The app's keys as Okta holds them after the run, with when each was registered and its age (one read of the
      app's key list; none for an app this run created, whose keys are as old as the app); empty in check mode before
      the app exists, and for an app whose keys are held by the vendor at its O(jwks_uri). Never key material.
    - The C(saasops.okta_m2m.zluri_okta) role warns from it when the key in use is older than its limit, and tells the
      phase of a key rotation from it (two ACTIVE keys mean started, not finished).
  returned: O(state=present)
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
      description: V(ACTIVE), or V(INACTIVE) for a retired key.
      type: str
    retired:
      description: For an INACTIVE key, when it was retired (the key's C(lastUpdated)).
      type: str
    created:
      description: When Okta registered the key.
      type: str
      sample: "2026-03-01T10:00:00.000Z"
    age_days:
      description: Whole days since RV(public_keys[].created), by the clock of the machine the module runs on.
      type: int
      sample: 42
    thumbprint:
      description: The key's RFC 7638 SHA-256 thumbprint (the default C(kid) of a key made by M(saasops.okta_m2m.okta_app_jwk)).
      type: str
client_secrets_deleted:
  description: Whether this run switched the app from a client secret to C(private_key_jwt), on which Okta deletes the
    app's client secrets (would switch, in check mode; a warning says so too).
  returned: always
  type: bool
saved_keys_deleted:
  description: The C(kid)s of the saved keys Okta deleted when this run switched the app to O(jwks_uri) (would delete,
    in check mode; a warning says so too).
  returned: always
  type: list
  elements: str
  version_added: 1.1.0
jwks_uri_dropped:
  description: The JWKS URL Okta dropped when this run saved the app's keys in Okta again (would drop, in check mode; a
    warning says so too); empty when none.
  returned: always
  type: str
  version_added: 1.1.0
awaiting_vendor_key:
  description: Whether the app authenticates with nothing but a sealed key (C(kid) V(okta-m2m-no-private-key)) and no
    JWKS URL, so that nobody can get a token for it until the vendor's key is registered (would, in check mode).
  returned: O(state=present)
  type: bool
  version_added: 1.1.0
keys_added:
  description: The C(kid)s of the keys this run made ACTIVE on the app (would make, in check mode), all of them for an
    app it created; a sealed key is not listed (RV(awaiting_vendor_key) says when the app holds one). Zluri (or whoever
    signs with the app's key) must be given a new key's values.
  returned: O(state=present)
  type: list
  elements: str
keys_retired:
  description: The C(kid)s of the keys this run retired (deactivated and kept INACTIVE; would retire, in check mode).
  returned: O(state=present)
  type: list
  elements: str
changes:
  description: The writes this run made (or would make in check mode), in order.
  returned: always
  type: list
  elements: str
api_calls:
  description: Okta API calls this run made, by method and path.
  returned: always
  type: dict
"""

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.saasops.okta_m2m.plugins.module_utils.app_report import key_changes, key_reports_after
from ansible_collections.saasops.okta_m2m.plugins.module_utils.apps import (
    CLIENT_SECRETS_DELETED,
    PRIVATE_KEY_JWT,
    SERVICE_GRANT_TYPES,
    ServiceAppKind,
    client_id_of,
    orn_partition_and_org_id,
    public_jwk_for_okta,
)
from ansible_collections.saasops.okta_m2m.plugins.module_utils.argspec import STATE, ArgumentSpec
from ansible_collections.saasops.okta_m2m.plugins.module_utils.jwks import JwkMember
from ansible_collections.saasops.okta_m2m.plugins.module_utils.keys import CRYPTOGRAPHY_IMPORT_ERROR
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_client import OktaConfigError
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_config import validate_https_url
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_module import OktaModule, run_module
from ansible_collections.saasops.okta_m2m.plugins.module_utils.reconcile import Outcome, ensure_object
from ansible_collections.saasops.okta_m2m.plugins.module_utils.sealed_keys import SEALED_KID, awaits_vendor_key, refuse_sealed_kid


ARGUMENT_SPEC = ArgumentSpec(
    {
        "label": {"type": "str"},
        "app_client_id": {"type": "str"},
        "dpop_bound_access_tokens": {"type": "bool", "default": True},
        "public_keys": {"type": "list", "elements": "dict", "no_log": False},
        "jwks_uri": {"type": "str"},
        "switch_key_source": {"type": "bool", "default": False},
        "await_vendor_key": {"type": "bool", "default": False},
        "find_by_assignment": {"type": "dict", "options": {"role": {"type": "str", "required": True},
                                                           "resource_set": {"type": "str", "required": True}}},
        "purge_public_keys": {"type": "bool", "default": False},
        "add_beside_active_keys": {"type": "bool", "default": False},
        "reactivate_retired_keys": {"type": "bool", "default": False},
        "enabled": {"type": "bool", "default": True},
    },
    required_one_of=[("label", "app_client_id")],
    mutually_exclusive=[("public_keys", "jwks_uri")],
).merge(STATE)
# okta.roles.manage also reads the role assignment find_by_assignment names (an admin app for the zluri_okta role holds it).
OAUTH_SCOPES = ("okta.apps.manage", "okta.roles.manage")


def module_result(module: OktaModule) -> dict:
    params = module.params
    desired = {
        "label": params["label"],
        "dpop_bound_access_tokens": params["dpop_bound_access_tokens"],
        "status": "ACTIVE" if params["enabled"] else "INACTIVE",
        "token_endpoint_auth_method": PRIVATE_KEY_JWT,
        "grant_types": SERVICE_GRANT_TYPES,
        "jwks": [public_jwk_for_okta(jwk) for jwk in params["public_keys"]] if params["public_keys"] else None,
        "jwks_uri": desired_jwks_uri(params),
    }
    refuse_sealed_kid(params["public_keys"] or [], "public_keys")
    if params["await_vendor_key"]:
        if params["public_keys"] or params["jwks_uri"]:
            raise OktaConfigError("await_vendor_key is for an app whose vendor has not shown its key yet: give it without public_keys and jwks_uri")
        if CRYPTOGRAPHY_IMPORT_ERROR:
            module.fail_json(msg=missing_required_lib("cryptography"), exception=CRYPTOGRAPHY_IMPORT_ERROR)
    kind = ServiceAppKind(params["app_client_id"], params["add_beside_active_keys"], params["reactivate_retired_keys"], params["find_by_assignment"],
                          params["switch_key_source"], params["await_vendor_key"])
    outcome = ensure_object(module.client, kind, desired, params["state"], module.check_mode,
                            purge={"jwks": JwkMember.purge_active if params["purge_public_keys"] else JwkMember.purge_sealed})
    switch = kind.key_source_switch
    extra = {"app": outcome.view(), "created": outcome.created,
             "client_secrets_deleted": CLIENT_SECRETS_DELETED in (outcome.after or {}).get("okta_consequences", []),
             "saved_keys_deleted": [str(key.get("kid")) for key in switch.deleted_keys] if switch else [],
             "jwks_uri_dropped": switch.dropped_uri if switch else ""}
    warn_about_consequences(module, outcome.before or {}, extra, desired["jwks_uri"])
    if params["state"] == "present":
        extra["client_id"] = client_id_of(outcome.obj) if outcome.obj else ""
        extra["orn"] = (outcome.obj or {}).get("orn", "")
        extra["orn_partition"], extra["org_id"] = orn_partition_and_org_id(extra["orn"])
        # Keys the vendor publishes at a JWKS URL are not Okta's to list: no read for them.
        extra["public_keys"] = [] if (outcome.after or {}).get("jwks_uri") else key_reports_after(module.client, outcome)
        extra["keys_added"], extra["keys_retired"] = key_changes(outcome)
        extra["awaiting_vendor_key"] = awaiting_vendor_key(outcome, extra["public_keys"], params["await_vendor_key"])
    return outcome.result(module._diff, **extra)


def awaiting_vendor_key(outcome: Outcome, key_reports: list, await_vendor_key: bool) -> bool:
    """Whether nobody can sign for the app after this run (would, in check mode): a sealed key is all it holds. The keys
    are the reconcile's view after its changes when it managed them, else those read from Okta; an app with no ACTIVE
    key gets a sealed key when the vendor's key is awaited (created, or switched from a client secret)."""
    after = outcome.after or {}
    keys = after[JwkMember.name] if after.get(JwkMember.name) else key_reports
    return awaits_vendor_key(after.get("jwks_uri"), keys, sealing=await_vendor_key)


def desired_jwks_uri(params: dict) -> str | None:
    """The URL the app's keys come from; "" (none: the keys are saved in Okta) with public_keys; None leaves it as it is."""
    if params["jwks_uri"]:
        return validate_https_url(params["jwks_uri"], "O(jwks_uri)", "https://vendor.example.com/.well-known/jwks.json")
    return "" if params["public_keys"] else None


def warn_about_consequences(module: OktaModule, before: dict, extra: dict, jwks_uri: str | None) -> None:
    """What Okta deletes by itself on this run's switches, said as a warning (would delete, in check mode)."""
    would = module.check_mode
    label = before.get("label")
    if extra["client_secrets_deleted"]:
        module.warn("%s API Services app '%s' to private_key_jwt %s its client secrets (Okta deletes them on that switch): anything "
                    "that still authenticates to it with a client secret %s" % (
                        ("switching", label, "would delete", "would stop working") if would else ("switched", label, "deleted", "no longer can")))
    # A sealed key's loss cuts nobody off: nobody signs with it.
    signing_keys = [kid for kid in extra["saved_keys_deleted"] if kid != SEALED_KID]
    if signing_keys:
        module.warn("switching API Services app '%s' to the JWKS URL %s %s its saved keys %s (Okta deletes them on that switch): anything "
                    "that still signs with them %s" % (label, jwks_uri, "would delete" if would else "deleted", ", ".join(signing_keys),
                                                       "would no longer authenticate" if would else "no longer can"))
    if extra["jwks_uri_dropped"]:
        module.warn("switching API Services app '%s' to keys saved in Okta %s its JWKS URL %s (Okta drops it on that switch): keys "
                    "published there %s" % (label, "would drop" if would else "dropped", extra["jwks_uri_dropped"],
                                            "would no longer authenticate" if would else "no longer authenticate"))


def main() -> None:
    run_module(ARGUMENT_SPEC, OAUTH_SCOPES, module_result)


if __name__ == "__main__":
    main()
