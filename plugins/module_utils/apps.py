# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""API Services apps (OAuth service apps with client_credentials and private_key_jwt), as a reconcile Kind.

App labels are not unique and q= is a starts-with search over name and label, so an app is found by exact
label among OIDC apps and then addressed by id (docs/okta-api.md 6.2, trap 9).

Private to the collection (not a public API): it may change in any release.
"""

from __future__ import annotations

import base64
import copy
from dataclasses import dataclass
from typing import Any, Iterator
from urllib.parse import quote

from ansible_collections.saasops.okta_m2m.plugins.module_utils.jwks import JwkMember, describe_held, sealed_public_jwk
from ansible_collections.saasops.okta_m2m.plugins.module_utils.keys import MIN_RSA_BITS
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_client import OktaClient, OktaConfigError
from ansible_collections.saasops.okta_m2m.plugins.module_utils.reconcile import Kind, single_match
from ansible_collections.saasops.okta_m2m.plugins.module_utils.sealed_keys import SEALED_KID, in_use, is_active

APPS_PATH = "/api/v1/apps"
OIDC_APP_NAME = "oidc_client"
SERVICE_APP_TYPE = "service"
# How a binding member names an OAuth client (docs/okta-api.md 5.2).
CLIENT_PATH = "/oauth2/v1/clients/"
# Characters Okta's web container cannot take in a path segment (see reconcile.find_by_label).
LABEL_UNSAFE_IN_PATH = (";", "\\")
# Besides letters and digits, what a client_id may hold (ApplicationCredentialsOAuthClient.client_id in Okta's spec).
CLIENT_ID_SPECIAL_CHARACTERS = "$-_.+!*'(),"


def is_service_app(app: dict[str, Any]) -> bool:
    oauth = (app.get("settings") or {}).get("oauthClient") or {}
    return app.get("name") == OIDC_APP_NAME and oauth.get("application_type") == SERVICE_APP_TYPE


def saved_keys(app: dict[str, Any]) -> list[dict[str, Any]]:
    """The keys saved in Okta, as the app embeds them (with kid and status, TF-VCR AppOauth_serviceWithJWKS)."""
    return list((((app.get("settings") or {}).get("oauthClient") or {}).get("jwks") or {}).get("keys") or [])


def jwks_uri_of(app: dict[str, Any]) -> str:
    """The URL Okta fetches the app's keys from (settings.oauthClient.jwks_uri); empty when its keys are saved in Okta."""
    return str(((app.get("settings") or {}).get("oauthClient") or {}).get("jwks_uri") or "")


def client_id_of(app: dict[str, Any]) -> str:
    """The OAuth client id: the app id unless a custom client_id was given at create (6 to 100 characters)."""
    return ((app.get("credentials") or {}).get("oauthClient") or {}).get("client_id") or app["id"]


def orn_partition_and_org_id(orn: str) -> tuple[str, str]:
    """The partition and org id an app's ORN, orn:{partition}:idp:{orgId}:apps:..., tells ('' and '' without one)."""
    parts = orn.split(":")
    return (parts[1], parts[3]) if len(parts) > 3 and parts[0] == "orn" else ("", "")


def path_segment(value: str) -> str:
    """An id or client id as one path segment; the characters Okta allows in a client id are kept as they are."""
    return quote(value, safe=CLIENT_ID_SPECIAL_CHARACTERS)


def find_app(client: OktaClient, label: str | None = None, client_id: str | None = None, app_id: str | None = None) -> dict[str, Any] | None:
    """The service app named by app_id, client_id or exact label; None if there is none.

    An app that exists under that name but is not an API Services app is an error, not a match: the modules
    would otherwise grant scopes or admin roles to a user-facing app.
    """
    if app_id:
        app = client.get_optional("%s/%s" % (APPS_PATH, path_segment(app_id)))
        if app is not None and client_id and client_id_of(app) != client_id:
            raise OktaConfigError("app_id %s has the client id %s, not app_client_id %s" % (app_id, client_id_of(app), client_id))
        _require_service_app(app, "app_id %s" % app_id)
        return app
    if client_id:
        app = app_by_client_id(client, client_id)
        _require_service_app(app, "app_client_id %s" % client_id)
        return app
    if not label:
        raise OktaConfigError("name the app with app (its label), app_id or app_client_id")
    return single_match(service_apps_labelled(client, label), "API Services app label", repr(label), "address the app by app_id or app_client_id")


def app_by_client_id(client: OktaClient, client_id: str) -> dict[str, Any] | None:
    """The OIDC app with this OAuth client id.

    A GET by id finds it in one read when the client id is the app id (the default); a custom client id is no app
    id, so then the OIDC apps are listed and matched on it (the list filter cannot name the client id).
    """
    app = client.get_optional("%s/%s" % (APPS_PATH, path_segment(client_id)))
    if app is not None and client_id_of(app) == client_id:
        return app
    return next((listed for listed in oidc_apps(client) if client_id_of(listed) == client_id), None)


def oidc_apps(client: OktaClient) -> Iterator[dict[str, Any]]:
    """Every OIDC app of the org, API Services apps among them (the list filter cannot name the application type)."""
    return client.paginate(APPS_PATH, {"filter": 'name eq "%s"' % OIDC_APP_NAME, "limit": 200, "includeNonDeleted": "true"})


def service_apps(client: OktaClient, label: str | None = None, client_id: str | None = None) -> list[dict[str, Any]]:
    """The API Services apps with this exact label and client id (each only if given); apps of other kinds are left out.

    Unlike find_app, nothing here is an error: a name that fits no API Services app selects none.
    """
    if client_id:
        found = [app for app in [app_by_client_id(client, client_id)] if app is not None]
    elif label:
        found = apps_labelled(client, label)
    else:
        found = list(oidc_apps(client))
    return [app for app in found if is_service_app(app) and (label is None or app.get("label") == label)]


def assigned_service_app(client: OktaClient, label: str, role: str, resource_set: str) -> dict[str, Any] | None:
    """The API Services app labelled label among the clients the custom role (label) on the resource set (label) is
    assigned to. Okta's app list can lag behind an app's create, while these reads by label and id do not: a run right
    after the run that created and assigned the app finds it here instead of making a second one. One read of the
    binding's members (Okta takes labels in its path, docs/okta-api.md 5.2), then one per client it holds."""
    if any(character in role + resource_set for character in LABEL_UNSAFE_IN_PATH):
        return None
    path = "/api/v1/iam/resource-sets/%s/bindings/%s/members" % (quote(resource_set, safe=""), quote(role, safe=""))
    page = client.get_optional(path) or {}
    client_ids = [href.rsplit("/", 1)[-1] for href in (((member.get("_links") or {}).get("self") or {}).get("href", "")
                                                       for member in page.get("members") or []) if CLIENT_PATH in href]
    apps = [app for app in (app_by_client_id(client, client_id) for client_id in client_ids) if app is not None]
    return single_match([app for app in apps if is_service_app(app) and app.get("label") == label], "API Services app label", repr(label),
                        "address the app by app_client_id")


def _require_service_app(app: dict[str, Any] | None, named: str) -> None:
    if app is not None and not is_service_app(app):
        raise OktaConfigError("%s is a %s app, not an API Services (OAuth service) app" % (named, _describe_type(app)))


def service_apps_labelled(client: OktaClient, label: str) -> list[dict[str, Any]]:
    """Every API Services app with exactly this label (app labels are not unique in Okta)."""
    # No name filter: an app of another kind with this label must be seen, to refuse it rather than add a namesake.
    same_label = apps_labelled(client, label)
    services = [app for app in same_label if is_service_app(app)]
    if same_label and not services:
        raise OktaConfigError("the app labelled %r is a %s app, not an API Services (OAuth service) app" % (label, _describe_type(same_label[0])))
    return services


def apps_labelled(client: OktaClient, label: str) -> list[dict[str, Any]]:
    """Every app of any kind with exactly this label (q= is a starts-with search over name and label)."""
    params = {"q": label, "limit": 200, "includeNonDeleted": "true"}
    return [app for app in client.paginate(APPS_PATH, params) if app.get("label") == label]


def require_app(client: OktaClient, label: str | None, client_id: str | None, app_id: str | None = None) -> dict[str, Any]:
    """Like find_app, for modules that act on an app that must already exist."""
    app = find_app(client, label, client_id, app_id)
    if app is None:
        raise missing_app_error(label, client_id, app_id)
    return app


def missing_app_error(label: str | None, client_id: str | None, app_id: str | None = None) -> OktaConfigError:
    named = "with app_id %s" % app_id if app_id else "with app_client_id %s" % client_id if client_id else "labelled %r" % label
    return OktaConfigError("no API Services app %s exists in Okta" % named)


def app_for_members(client: OktaClient, label: str | None, client_id: str | None, state: str, check_mode: bool,
                    verified: bool = False, app_id: str | None = None) -> dict[str, Any] | None:
    """The app whose keys, grants or role assignments a module manages.

    A missing app is None when nothing can be on it (state=absent, e.g. after a teardown) or when an earlier
    task of the same check-mode run would create it; otherwise it is an error naming the app. An app the caller
    vouches for (verified: app_id and client_id as okta_service_app returned them) is not read again; its
    /api/v1/apps paths take the app id and its /oauth2/v1/clients paths the client id.
    """
    if verified and app_id and client_id:
        return {"id": app_id, "label": label or app_id, "credentials": {"oauthClient": {"client_id": client_id}}}
    app = find_app(client, label, client_id, app_id)
    if app is None and state == "present" and not check_mode:
        raise missing_app_error(label, client_id, app_id)
    return app


def _describe_type(app: dict[str, Any]) -> str:
    oauth = (app.get("settings") or {}).get("oauthClient") or {}
    return "%s%s" % (app.get("name") or app.get("signOnMode") or "non-OIDC", "/" + oauth["application_type"] if oauth.get("application_type") else "")


def public_jwk_for_okta(jwk: dict[str, Any]) -> dict[str, Any]:
    """A public signing JWK as Okta stores it on an app."""
    if not all(jwk.get(name) for name in ("kid", "kty", "n", "e")) or jwk.get("kty") != "RSA":
        raise OktaConfigError("public keys must be RSA JWKs with kid, kty, n and e (as okta_app_jwk returns them)")
    if any(name in jwk for name in ("d", "p", "q", "dp", "dq", "qi")):
        raise OktaConfigError("public keys must not contain private key members (d, p, q, ...)")
    modulus_bits = len(base64.urlsafe_b64decode(jwk["n"] + "=" * (-len(jwk["n"]) % 4)).lstrip(b"\0")) * 8
    if modulus_bits < MIN_RSA_BITS:
        raise OktaConfigError("public key %s has a %d-bit modulus; Okta requires at least %d bits" % (jwk["kid"], modulus_bits, MIN_RSA_BITS))
    return {"kty": "RSA", "kid": jwk["kid"], "e": jwk["e"], "n": jwk["n"], "alg": "RS256", "use": "sig", "status": "ACTIVE"}


# Members of an OpenIdConnectApplication a PUT leaves out, by path: the read-only ones (readOnly in Okta's spec), and
# settings.app and settings.manualProvisioning, which Okta returns on every OIDC app (always {} and false for a service
# app, which has no app-specific settings and no provisioning) but which the PUT schema does not name.
_APP_MEMBERS_LEFT_OUT_OF_PUT = (("id",), ("status",), ("created",), ("lastUpdated",), ("orn",), ("features",), ("universalLogout",), ("_links",),
                                ("_embedded",), ("settings", "emOptInStatus"), ("settings", "app"), ("settings", "manualProvisioning"),
                                ("credentials", "signing", "lastRotated"), ("credentials", "signing", "nextRotation"))
_READ_ONLY_KEY_MEMBERS = ("id", "created", "lastUpdated", "_links")


def writable_app(app: dict[str, Any]) -> dict[str, Any]:
    """The app as a full PUT takes it: every setting kept; read-only and undeclared members and nulls (which the spec forbids) left out."""
    body = _without_nulls(copy.deepcopy(app))
    for path in _APP_MEMBERS_LEFT_OUT_OF_PUT:
        parent = body
        for name in path[:-1]:
            parent = parent.get(name) if isinstance(parent, dict) else None
        if isinstance(parent, dict):
            parent.pop(path[-1], None)
    for key in ((body.get("settings") or {}).get("oauthClient") or {}).get("jwks", {}).get("keys", []):
        for name in _READ_ONLY_KEY_MEMBERS:
            key.pop(name, None)
    return body


def _keys_with(settings: dict[str, Any], wanted: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The app's embedded keys plus the wanted ones it lacks (by kid): a PUT replaces the whole list."""
    keys = list((settings.get("jwks") or {}).get("keys") or [])
    present = {key.get("kid") for key in keys}
    return keys + [key for key in wanted if key["kid"] not in present]


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {name: _without_nulls(member) for name, member in value.items() if member is not None}
    if isinstance(value, list):
        return [_without_nulls(member) for member in value]
    return value


PRIVATE_KEY_JWT = "private_key_jwt"
CLIENT_SECRET_METHODS = frozenset(("client_secret_basic", "client_secret_post", "client_secret_jwt"))
CLIENT_SECRETS_DELETED = "deletes the app's client secrets"
SAVED_KEYS_DELETED = "deletes the app's saved keys"
JWKS_URI_DROPPED = "drops the app's JWKS URL"
SEALED_KEY_REGISTERED = "registers the sealed key %s until the vendor's key replaces it" % SEALED_KID
SERVICE_GRANT_TYPES = ["client_credentials"]
# Settings a full PUT of the app changes; the status has lifecycle calls of its own.
_PUT_FIELDS = frozenset(("label", "dpop_bound_access_tokens", "token_endpoint_auth_method", "grant_types", "jwks_uri"))


@dataclass
class KeySourceSwitch:
    """An app moving between keys saved in Okta and a JWKS URL, and what Okta takes away by itself on the way: every saved
    key when it switches to a URL ("If you switch from saving keys in Okta to using a URL to fetch keys dynamically, any
    saved public keys are deleted", okta-developer-docs guides/client-secret-rotation-key), the URL when its keys are
    saved again (an app carries either, RFC 7591 section 2)."""

    to_uri: str
    deleted_keys: list[dict[str, Any]]
    dropped_uri: str
    authenticates_with_keys: bool

    @classmethod
    def between(cls, current: dict[str, Any], desired: dict[str, Any]) -> KeySourceSwitch | None:
        """The switch from current to desired, or None when the app keeps where its keys come from."""
        wanted, held = desired.get("jwks_uri"), jwks_uri_of(current)
        if wanted is None or wanted == held or (wanted and held):
            return None
        method = ((current.get("credentials") or {}).get("oauthClient") or {}).get("token_endpoint_auth_method")
        return cls(wanted, saved_keys(current) if wanted else [], "" if wanted else held, method == PRIVATE_KEY_JWT)

    def consequences(self) -> list[str]:
        if self.deleted_keys:
            return ["%s %s" % (SAVED_KEYS_DELETED, ", ".join(str(key.get("kid")) for key in self.deleted_keys))]
        return ["%s %s" % (JWKS_URI_DROPPED, self.dropped_uri)] if self.dropped_uri else []

    def refusal(self) -> OktaConfigError | None:
        """Why the switch would cut off whoever signs with the keys in use; None when nothing in use is lost."""
        active = [key for key in self.deleted_keys if in_use(key)]
        if active:
            return OktaConfigError(
                "the app holds the ACTIVE saved key%s %s, and Okta deletes every saved key of an app it switches to O(jwks_uri), "
                "retired keys too: whoever signs with %s could no longer authenticate. Keep the saved keys (O(public_keys)), or "
                "switch to the URL on purpose (O(switch_key_source)=true) once their user signs with a key the URL publishes"
                % ("s" if len(active) > 1 else "", ", ".join(describe_held(key) for key in active), "them" if len(active) > 1 else "it"))
        if self.dropped_uri and self.authenticates_with_keys:
            return OktaConfigError(
                "the app authenticates with the keys published at its JWKS URL %s, and Okta drops that URL when the app's keys are "
                "saved in Okta (O(public_keys)): whoever signs with a key published there could no longer authenticate, unless "
                "it is among O(public_keys). Keep the URL (O(jwks_uri)), or switch to saved keys on purpose (O(switch_key_source)=true)"
                % self.dropped_uri)
        return None


class ServiceAppKind(Kind):
    """The API Services app Zluri uses: client_credentials, private_key_jwt, DPoP as chosen.

    Updates read the whole app, change only the managed settings and PUT it back, so settings this module does
    not manage are never reset. The app is created with its keys, or with the URL of a vendor's keys (jwks_uri), or, for a
    vendor that shows its key only once it has the client id, with a sealed key (await_vendor_key) that the vendor's key
    replaces later; for an existing app, desired keys that are missing are added and others are left to okta_app_jwk.

    An app holds either saved keys or a JWKS URL. Moving between them is one PUT, and Okta takes the other away by
    itself (KeySourceSwitch): the change, its diff and the module say so, and a switch that would cut off keys in use is
    refused before any write unless switch_key_source.

    An app made in the console may authenticate with a client secret. Okta accepts private_key_jwt only on an app
    that carries a key ('jwks' or 'jwks_uri' is required) and refuses a client_secret beside it
    (ErrorClientSecretWithPrivateKeyJWT in Okta's spec), so the switch is one PUT without the secret that embeds the
    app's keys plus the desired ones, as the app's create does.
    """

    noun = "API Services app"
    fields = ("label", "dpop_bound_access_tokens", "status", "token_endpoint_auth_method", "grant_types", "jwks_uri")
    unique_key = False

    def __init__(self, client_id: str | None = None, add_beside_active_keys: bool = True, reactivate_retired_keys: bool = False,
                 assignment: dict[str, str] | None = None, switch_key_source: bool = False, await_vendor_key: bool = False) -> None:
        self.client_id = client_id
        self.assignment = assignment
        self.switch_key_source = switch_key_source
        self.await_vendor_key = await_vendor_key
        # The switch between saved keys and a JWKS URL the checked update makes, for the module to report.
        self.key_source_switch: KeySourceSwitch | None = None
        self.members = (JwkMember(beside_other_keys=add_beside_active_keys, reactivate_retired=reactivate_retired_keys),)

    def find(self, client: OktaClient, desired: dict[str, Any]) -> dict[str, Any] | None:
        """By client id or exact label; an app no list shows yet, through the custom role assignment it holds."""
        found = find_app(client, desired["label"], self.client_id)
        if found is None and not self.client_id and self.assignment:
            return assigned_service_app(client, desired["label"], self.assignment["role"], self.assignment["resource_set"])
        return found

    def namesakes(self, client: OktaClient, desired: dict[str, Any]) -> list[dict[str, Any]]:
        return service_apps_labelled(client, desired["label"])

    def title(self, desired: dict[str, Any]) -> str:
        return "%s %r" % (self.noun, self.client_id or desired["label"])

    def view(self, obj: dict[str, Any]) -> dict[str, Any]:
        oauth = (obj.get("settings") or {}).get("oauthClient") or {}
        credentials = (obj.get("credentials") or {}).get("oauthClient") or {}
        return {"label": obj.get("label"), "dpop_bound_access_tokens": bool(oauth.get("dpop_bound_access_tokens")), "status": obj.get("status"),
                "token_endpoint_auth_method": credentials.get("token_endpoint_auth_method"), "grant_types": sorted(oauth.get("grant_types") or []),
                "jwks_uri": jwks_uri_of(obj)}

    def check_create(self, desired: dict[str, Any]) -> None:
        if self.client_id:
            raise OktaConfigError("no API Services app has app_client_id %s; to create one, give label without app_client_id" % self.client_id)
        if not desired.get("jwks") and not desired.get("jwks_uri") and not self.await_vendor_key:
            raise OktaConfigError("public_keys must hold at least one public JWK, or jwks_uri name the URL of the keys, to create an app "
                                  "that authenticates with private_key_jwt (await_vendor_key=true creates it with a sealed key until the "
                                  "vendor shows its key)")

    def check_update(self, current: dict[str, Any], desired: dict[str, Any], changed_fields: list[str]) -> None:
        self.key_source_switch = KeySourceSwitch.between(current, desired) if "jwks_uri" in changed_fields else None
        refusal = self.key_source_switch.refusal() if self.key_source_switch and not self.switch_key_source else None
        if refusal is not None:
            raise refusal

    def members_added_by_update(self, changed_fields: list[str]) -> tuple[str, ...]:
        return ("jwks",) if {"token_endpoint_auth_method", "jwks_uri"} & set(changed_fields) else ()

    def consequences(self, current: dict[str, Any], desired: dict[str, Any], changed_fields: list[str]) -> list[str]:
        """Okta deletes an app's client secrets when it switches to a key ("When you switch the client authentication
        method to Public key/Private key, any existing client secrets are deleted", DD-SVCAPP), and its saved keys or its
        JWKS URL when it switches between them (KeySourceSwitch)."""
        found = []
        if "token_endpoint_auth_method" in changed_fields and self.view(current)["token_endpoint_auth_method"] in CLIENT_SECRET_METHODS:
            found.append(CLIENT_SECRETS_DELETED)
            if self._sealing(desired, saved_keys(current)):
                found.append(SEALED_KEY_REGISTERED)
        switch = KeySourceSwitch.between(current, desired) if "jwks_uri" in changed_fields else None
        return found + (switch.consequences() if switch else [])

    def create(self, client: OktaClient, desired: dict[str, Any]) -> dict[str, Any]:
        body = {
            "name": OIDC_APP_NAME,
            "label": desired["label"],
            "signOnMode": "OPENID_CONNECT",
            "credentials": {"oauthClient": {"token_endpoint_auth_method": PRIVATE_KEY_JWT, "autoKeyRotation": True, "pkce_required": False}},
            "settings": {"oauthClient": {
                "application_type": SERVICE_APP_TYPE,
                "grant_types": SERVICE_GRANT_TYPES,
                "response_types": ["token"],
                "consent_method": "TRUSTED",
                "issuer_mode": "ORG_URL",
                "dpop_bound_access_tokens": desired["dpop_bound_access_tokens"],
            }},
        }
        if desired.get("jwks_uri"):
            body["settings"]["oauthClient"]["jwks_uri"] = desired["jwks_uri"]
        else:
            body["settings"]["oauthClient"]["jwks"] = {"keys": self._keys_to_register(desired, [])}
        return client.post(APPS_PATH, body, params={"activate": "true" if desired["status"] == "ACTIVE" else "false"})

    def update(self, client: OktaClient, current: dict[str, Any], desired: dict[str, Any]) -> dict[str, Any]:
        app = current
        if _PUT_FIELDS & set(self.differs(current, desired)):
            fresh = client.get("%s/%s" % (APPS_PATH, current["id"]))
            body = writable_app(fresh)
            body["label"] = desired["label"] or fresh["label"]
            settings = body.setdefault("settings", {}).setdefault("oauthClient", {})
            settings["dpop_bound_access_tokens"] = desired["dpop_bound_access_tokens"]
            settings["grant_types"] = desired["grant_types"]
            if desired.get("jwks_uri"):
                settings["jwks_uri"] = desired["jwks_uri"]
                settings.pop("jwks", None)
            elif desired.get("jwks_uri") == "" and settings.get("jwks_uri"):
                del settings["jwks_uri"]
                settings["jwks"] = {"keys": _keys_with(settings, desired.get("jwks") or [])}
            credentials = body.setdefault("credentials", {}).setdefault("oauthClient", {})
            if credentials.get("token_endpoint_auth_method") != desired["token_endpoint_auth_method"]:
                credentials["token_endpoint_auth_method"] = desired["token_endpoint_auth_method"]
                credentials.pop("client_secret", None)
                if not settings.get("jwks_uri"):
                    settings["jwks"] = {"keys": _keys_with(settings, self._keys_to_register(desired, saved_keys(fresh)))}
                    if not settings["jwks"]["keys"]:
                        raise OktaConfigError("the app authenticates with %s; to switch it to private_key_jwt, give public_keys or jwks_uri"
                                              % ((fresh.get("credentials") or {}).get("oauthClient") or {}).get("token_endpoint_auth_method"))
            app = client.put("%s/%s" % (APPS_PATH, current["id"]), body)
        if desired["status"] != current.get("status"):
            action = "activate" if desired["status"] == "ACTIVE" else "deactivate"
            client.post("%s/%s/lifecycle/%s" % (APPS_PATH, current["id"], action), retry_unsafe=True)
            app = dict(app, status=desired["status"])
        return app

    def _sealing(self, desired: dict[str, Any], held: list[dict[str, Any]]) -> bool:
        """Whether a sealed key stands in for the desired keys: the vendor's key is awaited and the app holds no ACTIVE key."""
        return not desired.get("jwks") and self.await_vendor_key and not any(is_active(key) for key in held)

    def _keys_to_register(self, desired: dict[str, Any], held: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The desired keys, or a sealed key in their place (Okta requires a key for private_key_jwt)."""
        return [public_jwk_for_okta(sealed_public_jwk())] if self._sealing(desired, held) else desired.get("jwks") or []

    def delete(self, client: OktaClient, current: dict[str, Any]) -> None:
        """Okta deletes only inactive apps."""
        if current.get("status") == "ACTIVE":
            client.post("%s/%s/lifecycle/deactivate" % (APPS_PATH, current["id"]), retry_unsafe=True)
        client.delete("%s/%s" % (APPS_PATH, current["id"]))
