# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Apps, their JSON Web Keys and their Okta API scope grants.

Shapes follow TF-VCR ``AppOauth_serviceWithJWKS``, ``AppOAuthRoleAssignment``, ``AppOAuthApplication_apiScope``
and the PY-VCR bookmark apps; rules follow docs/okta-api.md section 6 and the spec's error examples
(``ErrorClientJsonWebKey*``, ``ErrorClientSecretWithPrivateKeyJWT``, ``ErrorDeactivateTheOnlyKey...``).
Grants answer 200 (not the spec's 201); apps are listed with a ``Link`` header, labels are not unique.
Once an app holds Okta API scope grants, only a Super Administrator may change its keys or its client authentication
(DD-SVCAPP: "After the service app has Okta-scoped grants, only an admin with Super Admin role permissions can rotate
the keys"): any other admin gets 403 E0000006, with the body of every E0000006 (SPEC ``ErrorAccessDenied``).
"""
from __future__ import annotations

import copy
import re
import secrets
import time
from typing import Any

from .authz import is_super_admin
from .common import random_text
from .context import OrgContext, link_headers, page_after, page_limit, record_event
from .errors import OktaApiError, access_denied, not_found, validation_failed
from .filters import dotted_lookup, parse
from .jwk import public_key, rsa_bits
from .routing import Request, Response, Router, require_str
from .scopes import OKTA_API_SCOPES
from .state import App, Grant, JsonWebKey, StandardRoleAssignment

MAX_KEYS = 50
MIN_RSA_BITS = 2048
APPS_PAGE = 20
APPS_PAGE_MAX = 200
APP_FILTER_ATTRIBUTES = frozenset({"id", "status", "name", "credentials.signing.kid", "settings.slo.enabled"})
SIGN_ON_MODES = {"oidc_client": "OPENID_CONNECT", "bookmark": "BOOKMARK", "template_swa": "BROWSER_PLUGIN"}
SECRET_METHODS = ("client_secret_basic", "client_secret_post", "client_secret_jwt")
SERVICE_GRANT_TYPES = frozenset({"client_credentials", "urn:ietf:params:oauth:grant-type:token-exchange"})
# SPEC ApplicationCredentialsOAuthClient.client_id: 6 to 100 characters, alphanumeric or $-_.+!*'(), and not ALL_CLIENTS.
CLIENT_ID_PATTERN = re.compile(r"^[A-Za-z0-9$\-_.+!*'(),]{6,100}$")
RESERVED_CLIENT_ID = "ALL_CLIENTS"
JWKS_AND_JWKS_URI = "jwks_uri: 'jwks' and 'jwks_uri' can't both be set; an app's keys are saved in Okta or fetched from its jwks_uri."


def _key_error(cause: str) -> OktaApiError:
    return validation_failed("JsonWebKey", cause)


def validate_key(material: Any) -> dict[str, Any]:
    """One public JWK as a client may register it; the stored members (private members are refused)."""
    if not isinstance(material, dict):
        raise _key_error("The JSON Web Key is not a JSON object.")
    if set(material) & {"d", "p", "q", "dp", "dq", "qi"}:
        raise _key_error("Only public keys can be registered in the 'jwks'.")
    kty = material.get("kty")
    if kty == "RSA":
        try:
            bits = rsa_bits(material)
        except ValueError:
            bits = 0
        # A key without a modulus is reported the same way (PY-VCR test_sso_public_keys_lifecycle).
        if bits < MIN_RSA_BITS:
            raise _key_error("RSA key length in the 'jwks' is less than '2,048' bits for the given key.")
    elif kty != "EC":
        raise _key_error("The 'kty' of a key in the 'jwks' must be 'RSA' or 'EC'.")
    try:
        public_key(material)
    except ValueError:
        raise _key_error("The key in the 'jwks' is not a valid %s public key." % kty) from None
    if material.get("status", "ACTIVE") not in ("ACTIVE", "INACTIVE"):
        raise _key_error("The 'status' of a key must be 'ACTIVE' or 'INACTIVE'.")
    return {key: value for key, value in material.items() if key not in ("id", "created", "lastUpdated", "_links")}


def check_jwks_uri(uri: Any, materials: list[Any]) -> None:
    """A client's keys are saved in Okta or published at its ``jwks_uri``, never both: "The jwks_uri and jwks parameters
    MUST NOT both be present in the same request or response" (RFC 7591 section 2), and the console offers one or the
    other (okta-developer-docs ``guides/client-secret-rotation-key``). The spec types the URL as a string; the cause texts
    are not recorded anywhere (README, "Uncertain")."""
    if uri is None:
        return
    if not isinstance(uri, str) or not uri.startswith(("https://", "http://")):
        raise validation_failed("jwks_uri", "jwks_uri: The jwks_uri must be an absolute URL.")
    if materials:
        raise validation_failed("jwks_uri", JWKS_AND_JWKS_URI)


def check_key_set(materials: list[dict[str, Any]]) -> None:
    """Rules for the whole list: at most 50 keys; unique ``kid``s; every key has a ``kid`` once there are several."""
    if len(materials) > MAX_KEYS:
        raise _key_error("You can't create a new key. You have reached the maximum number of keys allowed (50). "
                         "To add another key, you must first delete an existing one.")
    kids = [material.get("kid") for material in materials]
    if len(materials) > 1 and None in kids:
        raise _key_error("Each key should have a unique kid when adding multiple keys. Use the Apps API to update the JWKS "
                         "to add a kid for the existing key, or delete the existing key and re-add the key with a kid using "
                         "the JWKS APIs.")
    if len(set(kids)) != len(kids):
        raise _key_error("All keys in the 'jwks' must have a unique `kid`.")


class AppsApi:
    """``/api/v1/apps`` with lifecycle, ``/credentials/jwks`` and ``/grants``."""

    def __init__(self, ctx: OrgContext) -> None:
        self.ctx = ctx

    def register(self, router: Router) -> None:
        """Scopes per the spec: okta.apps.* for apps and keys, okta.appGrants.* for grants."""
        app, jwks, grants = "/api/v1/apps/{appId}", "/api/v1/apps/{appId}/credentials/jwks", "/api/v1/apps/{appId}/grants"
        for method, template, handler, scope in (
            ("GET", "/api/v1/apps", self.list_apps, "okta.apps"), ("POST", "/api/v1/apps", self.create_app, "okta.apps"),
            ("GET", app, self.get_app, "okta.apps"), ("PUT", app, self.replace_app, "okta.apps"),
            ("DELETE", app, self.delete_app, "okta.apps"),
            ("POST", app + "/lifecycle/activate", self.activate_app, "okta.apps"),
            ("POST", app + "/lifecycle/deactivate", self.deactivate_app, "okta.apps"),
            ("GET", jwks, self.list_keys, "okta.apps"), ("POST", jwks, self.add_key, "okta.apps"),
            ("GET", jwks + "/{keyId}", self.get_key, "okta.apps"), ("DELETE", jwks + "/{keyId}", self.delete_key, "okta.apps"),
            ("POST", jwks + "/{keyId}/lifecycle/activate", self.activate_key, "okta.apps"),
            ("POST", jwks + "/{keyId}/lifecycle/deactivate", self.deactivate_key, "okta.apps"),
            ("GET", grants, self.list_grants, "okta.appGrants"), ("POST", grants, self.grant_scope, "okta.appGrants"),
            ("GET", grants + "/{grantId}", self.get_grant, "okta.appGrants"),
            ("DELETE", grants + "/{grantId}", self.revoke_grant, "okta.appGrants"),
        ):
            router.add(method, template, handler, scope)

    # Rendering.

    def render_app(self, app: App, include_secret: bool = False) -> dict[str, Any]:
        """The Application object; the client secret only in the create answer (as recorded)."""
        document = copy.deepcopy(app.document)
        orn = "orn:%s:idp:%s:apps:%s:%s" % (self.ctx.state.partition, self.ctx.state.org_id, app.name, app.id)
        rendered: dict[str, Any] = {"id": app.id, "orn": orn, "name": app.name, "label": app.label, "status": app.status,
                                    "lastUpdated": app.last_updated, "created": app.created, **document,
                                    "signOnMode": app.sign_on_mode}
        oauth_client = rendered.get("settings", {}).get("oauthClient")
        if oauth_client is not None and app.keys:
            oauth_client["jwks"] = {"keys": [self.render_embedded_key(key) for key in app.keys]}
        if include_secret and app.client_secret:
            rendered["credentials"]["oauthClient"]["client_secret"] = app.client_secret
        rendered["_links"] = self._app_links(app)
        return rendered

    def _app_links(self, app: App) -> dict[str, Any]:
        base = self.ctx.urls.org("/api/v1/apps/" + app.id)
        link_name = next(iter(app.document.get("visibility", {}).get("appLinks", {"login": True})))
        links: dict[str, Any] = {
            "uploadLogo": {"href": base + "/logo", "hints": {"allow": ["POST"]}},
            "appLinks": [{"name": link_name, "href": self.ctx.urls.org("/home/%s/%s/aln%s" % (app.name, app.id, app.id[3:])),
                          "type": "text/html"}],
            "profileEnrollment": {"href": self.ctx.urls.org("/api/v1/policies/rst%s" % self.ctx.state.org_id[3:])},
            "policies": {"href": base + "/policies", "hints": {"allow": ["PUT"]}},
            "groups": {"href": base + "/groups"},
            "logo": [{"name": "medium", "href": self.ctx.urls.org("/assets/img/logos/default.png"), "type": "image/png"}],
        }
        if app.sign_on_mode == "OPENID_CONNECT":
            kind = "secrets" if app.oauth_credentials.get("token_endpoint_auth_method") in SECRET_METHODS else "jwks"
            links["clientCredentials"] = [{"name": kind, "href": base + "/credentials/" + kind}]
        # Every app has its access policy (PY-VCR bookmark apps, TF-VCR SWA and OIDC apps).
        links["accessPolicy"] = {"href": self.ctx.urls.org("/api/v1/policies/rst" + app.id[3:])}
        links["users"] = {"href": base + "/users"}
        action = "deactivate" if app.status == "ACTIVE" else "activate"
        links[action] = {"href": base + "/lifecycle/" + action}
        return links

    @staticmethod
    def render_embedded_key(key: JsonWebKey) -> dict[str, Any]:
        """A key inside ``settings.oauthClient.jwks``: ``id``, ``status``, ``use: null`` when not sent, EC ``crv: null``."""
        material = key.material
        rendered: dict[str, Any] = {"kty": material["kty"], "id": key.id, "status": key.status, "kid": material.get("kid"),
                                    "use": material.get("use")}
        if "alg" in material:
            rendered["alg"] = material["alg"]
        if material["kty"] == "RSA":
            rendered.update(e=material["e"], n=material["n"])
        else:
            rendered.update(x=material["x"], y=material["y"], crv=material.get("crv"))
        return rendered

    def render_key(self, app: App, key: JsonWebKey) -> dict[str, Any]:
        """A key as ``/credentials/jwks`` answers (SPEC ``oAuthClientJsonWebKey``)."""
        url = self.ctx.urls.org("/api/v1/apps/%s/credentials/jwks/%s" % (app.id, key.id))
        rendered = {"id": key.id, **{name: value for name, value in self.render_embedded_key(key).items() if name != "id"},
                    "status": key.status, "created": key.created, "lastUpdated": key.last_updated}
        if key.status == "ACTIVE":
            rendered["_links"] = {"deactivate": {"href": url + "/lifecycle/deactivate", "hints": {"allow": ["POST"]}}}
        else:
            rendered["_links"] = {"activate": {"href": url + "/lifecycle/activate", "hints": {"allow": ["POST"]}},
                                  "delete": {"href": url, "hints": {"allow": ["DELETE"]}}}
        return rendered

    def render_grant(self, grant: Grant, embed_scope: bool) -> dict[str, Any]:
        """A grant as recorded; ``_embedded.scope`` on POST and with ``expand=scope``."""
        app = self.ctx.state.apps[grant.app_id]
        rendered: dict[str, Any] = {"id": grant.id, "status": "ACTIVE", "created": grant.created, "createdBy": grant.created_by,
                                    "lastUpdated": grant.last_updated, "issuer": grant.issuer, "clientId": app.client_id,
                                    "scopeId": grant.scope_id, "source": "ADMIN"}
        if embed_scope:
            rendered["_embedded"] = {"scope": {"id": grant.scope_id}}
        app_url = self.ctx.urls.org("/api/v1/apps/" + app.id)
        rendered["_links"] = {"app": {"href": app_url, "title": app.label},
                              "self": {"href": app_url + "/grants/" + grant.id, "hints": {"allow": ["GET", "DELETE"]}},
                              "client": {"href": self.ctx.urls.org("/oauth2/v1/clients/%s" % app.client_id), "title": app.label}}
        return rendered

    # Building and validating apps.

    def _build(self, body: dict[str, Any], app: App) -> None:
        """Fill ``app`` from a create or replace body, validating as Okta does."""
        app.label = require_str(body, "label", validation_failed("label", "label: Label must be specified"))
        document: dict[str, Any] = {
            "accessibility": {"selfService": False, "errorRedirectUrl": None, "loginRedirectUrl": None, **body.get("accessibility", {})},
            "visibility": {"autoLaunch": False, "autoSubmitToolbar": False, "hide": {"iOS": False, "web": False},
                           **body.get("visibility", {})},
            "features": body.get("features", []),
            "credentials": self._credentials(body.get("credentials") or {}, app.sign_on_mode),
            "universalLogout": None,
        }
        settings = body.get("settings") or {}
        app_settings = dict(settings.get("app") or {})
        if app.sign_on_mode == "BROWSER_PLUGIN":
            # SWA apps answer with every template field, null when not set (TF-VCR TestAccOktaAdminRoleCustomAssignments).
            app_settings = {"loginUrlRegex": None, "redirectUrl": None, "checkbox": None, **app_settings}
        document["settings"] = {
            "app": app_settings, "notifications": {"vpn": {"network": {"connection": "DISABLED"}, "message": None, "helpUrl": None}},
            "manualProvisioning": False, "implicitAssignment": settings.get("implicitAssignment", False),
            "notes": {"admin": None, "enduser": None, **(settings.get("notes") or {})},
            **{key: value for key, value in settings.items() if key not in ("app", "notes", "oauthClient", "implicitAssignment")},
        }
        if app.sign_on_mode == "OPENID_CONNECT":
            self._build_oauth(body, settings.get("oauthClient"), app, document)
            # As in the newest recording of a service app (TF-VCR serviceWithJWKS, 2026); older ones had null.
            document["universalLogout"] = {"status": "DISABLED", "supportType": "FULL", "identityStack": "NOT_SHARED",
                                           "protocol": "GLOBAL_TOKEN_REVOCATION"}
        document["visibility"]["appLinks"] = {("oidc_client_link" if app.name == "oidc_client" else "login"): True}
        app.document = document

    @staticmethod
    def _credentials(credentials: dict[str, Any], sign_on_mode: str) -> dict[str, Any]:
        """``credentials`` as answered: the user name template and signing; SWA apps add ``scheme`` and
        ``revealPassword``; shared user names and passwords sent with the app are never echoed (TF-VCR, PY-VCR)."""
        rendered: dict[str, Any] = {}
        if sign_on_mode == "BROWSER_PLUGIN":
            rendered["scheme"] = credentials.get("scheme") or "EDIT_USERNAME_AND_PASSWORD"
        rendered["userNameTemplate"] = credentials.get("userNameTemplate") or {"template": "${source.login}", "type": "BUILT_IN"}
        if sign_on_mode == "BROWSER_PLUGIN":
            rendered["revealPassword"] = bool(credentials.get("revealPassword", False))
        rendered["signing"] = {}
        return rendered

    def _build_oauth(self, body: dict[str, Any], oauth_settings: Any, app: App, document: dict[str, Any]) -> None:
        credentials = (body.get("credentials") or {}).get("oauthClient") or {}
        if not isinstance(oauth_settings, dict) or not isinstance(oauth_settings.get("grant_types"), list):
            raise validation_failed("settings.oauthClient.grant_types", "grant_types: The grant types must be specified.")
        application_type = oauth_settings.get("application_type", "web")
        if application_type not in ("web", "native", "browser", "service"):
            raise validation_failed("application_type", "application_type: Invalid application type %s." % application_type)
        grant_types = oauth_settings["grant_types"]
        if application_type == "service" and not set(grant_types) <= SERVICE_GRANT_TYPES:
            raise validation_failed("grant_types", "grant_types: A service client may only use the client_credentials grant type.")
        method = credentials.get("token_endpoint_auth_method", "client_secret_basic")
        jwks = oauth_settings.get("jwks")
        materials = jwks.get("keys", []) if isinstance(jwks, dict) else []
        check_jwks_uri(oauth_settings.get("jwks_uri"), materials)
        if method == "private_key_jwt":
            if credentials.get("client_secret"):
                raise validation_failed("client_secret", "'client_secret' can't be used when 'token_endpoint_auth_method' is 'private_key_jwt'.")
            if not materials and not oauth_settings.get("jwks_uri"):
                raise validation_failed("jwks", "jwks: 'jwks' or 'jwks_uri' is required when 'token_endpoint_auth_method' is 'private_key_jwt'.")
        keys = [validate_key(material) for material in materials]
        check_key_set(keys)
        app.keys = self._reuse_key_ids(app, keys)
        if method in SECRET_METHODS:
            app.client_secret = app.client_secret or credentials.get("client_secret") or secrets.token_urlsafe(48)
        else:
            app.client_secret = None
        signing_kid = app.document.get("credentials", {}).get("signing", {}).get("kid")
        document["credentials"]["signing"] = {"kid": signing_kid or random_text(43)}
        document["credentials"]["oauthClient"] = {
            "autoKeyRotation": credentials.get("autoKeyRotation", True), "client_id": self._client_id(credentials.get("client_id"), app),
            "token_endpoint_auth_method": method,
            "pkce_required": credentials.get("pkce_required", application_type in ("browser", "native")),
        }
        document["settings"]["emOptInStatus"] = "NONE"
        document["settings"]["oauthClient"] = {
            "client_uri": None, "logo_uri": None, "redirect_uris": [],
            "response_types": ["token"] if application_type == "service" else ["code"],
            **{key: value for key, value in oauth_settings.items() if key != "jwks"},
            "application_type": application_type, "consent_method": oauth_settings.get("consent_method", "TRUSTED"),
            "issuer_mode": oauth_settings.get("issuer_mode", "ORG_URL"),
            "idp_initiated_login": oauth_settings.get("idp_initiated_login", {"mode": "DISABLED", "default_scope": []}),
            "wildcard_redirect": oauth_settings.get("wildcard_redirect", "DISABLED"),
            "dpop_bound_access_tokens": bool(oauth_settings.get("dpop_bound_access_tokens", False)),
            "participate_slo": oauth_settings.get("participate_slo", False),
        }

    @staticmethod
    def _client_id(requested: Any, app: App) -> str:
        """The app id unless one is given at create; immutable after that (SPEC), so a replace keeps it."""
        if app.client_id:
            return app.client_id
        if requested in (None, ""):
            return app.id
        if not isinstance(requested, str) or not CLIENT_ID_PATTERN.match(requested) or requested == RESERVED_CLIENT_ID:
            raise validation_failed("client_id", "client_id: The client_id must be 6 to 100 characters, letters, digits or $-_.+!*'(),.")
        return requested

    def _reuse_key_ids(self, app: App, materials: list[dict[str, Any]]) -> list[JsonWebKey]:
        """A full replace keeps the ``pks`` id (and timestamps) of keys that did not change."""
        now = self.ctx.timestamp()
        kept = {(key.kid, key.material.get("n"), key.material.get("x")): key for key in app.keys}
        keys = []
        for material in materials:
            existing = kept.get((material.get("kid"), material.get("n"), material.get("x")))
            status = material.pop("status", "ACTIVE")
            if existing is not None:
                existing.status, existing.material = status, material
                keys.append(existing)
            else:
                keys.append(JsonWebKey(self.ctx.state.new_id("pks"), status, now, now, material))
        return keys

    def _app(self, request: Request) -> App:
        app = self.ctx.state.apps.get(request.param("appId"))
        if app is None:
            raise not_found(request.param("appId"), "AppInstance")
        return app

    def _require_key_admin(self, request: Request, app: App) -> None:
        """After an app holds Okta API scope grants, only a Super Administrator may change its keys (DD-SVCAPP)."""
        if self.ctx.state.app_has_grants(app.id) and not is_super_admin(self.ctx.state, request.principal):
            raise access_denied()

    @staticmethod
    def _key_configuration(app: App) -> tuple[Any, ...]:
        """What a key change changes: the client authentication method, the JWKS URL and each key with its status."""
        keys = sorted((key.status, *(str(key.material.get(name)) for name in ("kid", "kty", "n", "e", "x", "y", "crv"))) for key in app.keys)
        return app.oauth_credentials.get("token_endpoint_auth_method"), app.oauth_settings.get("jwks_uri"), tuple(keys)

    # Apps.

    def list_apps(self, request: Request) -> Response:
        """``q`` (starts-with on name or label), ``filter``, ``limit`` (default 20, max 200), ``after``; Link paging."""
        state = self.ctx.state
        prefix = (request.query_value("q") or "").lower()
        expression = parse(request.query_value("filter") or "", APP_FILTER_ATTRIBUTES) if request.query_value("filter") else None
        visible = request.visible or (lambda _id: True)

        def accept(app_id: str) -> bool:
            app = state.apps[app_id]
            if not self.ctx.listed(app.created_epoch) or not visible(app_id):
                return False
            if prefix and not (app.name.lower().startswith(prefix) or app.label.lower().startswith(prefix)):
                return False
            view = {"id": app.id, "status": app.status, "name": app.name, "credentials": app.document.get("credentials", {}),
                    "settings": app.document.get("settings", {})}
            return expression is None or expression.matches(dotted_lookup(view))

        page, more = page_after(sorted(state.apps), request.query_value("after"), page_limit(request, APPS_PAGE, APPS_PAGE_MAX), accept)
        return Response(200, [self.render_app(state.apps[app_id]) for app_id in page],
                        link_headers(self.ctx.urls.org_url, request, page[-1] if more else None))

    def create_app(self, request: Request) -> Response:
        """200 with the app, ACTIVE unless ``activate=false``; the client id is the app id unless given (unique)."""
        body = request.json_object()
        name = require_str(body, "name", validation_failed("name", "name: Name must be specified"))
        sign_on_mode = SIGN_ON_MODES.get(name) or body.get("signOnMode") or "AUTO_LOGIN"
        now = self.ctx.timestamp()
        app = App(self.ctx.state.new_id("0oa"), name, "", "ACTIVE" if request.query_flag("activate", True) else "INACTIVE",
                  sign_on_mode, now, now, {}, created_epoch=time.time())
        self._build(body, app)
        client_id = app.client_id
        if client_id and client_id != app.id and self.ctx.state.app_by_client_id(client_id) is not None:
            raise validation_failed("client_id", "client_id: An object with this field already exists in the current organization")
        self.ctx.state.apps[app.id] = app
        record_event(self.ctx, request, "application.lifecycle.create", "Create application", "AppInstance", app.id, app.label)
        return Response(200, self.render_app(app, include_secret=True))

    def get_app(self, request: Request) -> Response:
        """By id (works at once, even while the app is not yet listed)."""
        return Response(200, self.render_app(self._app(request)))

    def replace_app(self, request: Request) -> Response:
        """Full replace; ``id``, ``name``, ``status`` and ``created`` are kept. Nothing changes if validation fails, or if
        the replace changes the keys or the authentication method of an app with grants and the caller is no Super Admin."""
        current = self._app(request)
        candidate = copy.deepcopy(current)
        self._build(request.json_object(), candidate)
        if self._key_configuration(candidate) != self._key_configuration(current):
            self._require_key_admin(request, current)
        candidate.last_updated = self.ctx.timestamp()
        self.ctx.state.apps[candidate.id] = candidate
        return Response(200, self.render_app(candidate))

    def _set_status(self, request: Request, status: str) -> Response:
        app = self._app(request)
        if app.status != status:
            app.status, app.last_updated = status, self.ctx.timestamp()
            verb = "activate" if status == "ACTIVE" else "deactivate"
            record_event(self.ctx, request, "application.lifecycle." + verb, verb.capitalize() + " application", "AppInstance", app.id, app.label)
        return Response(200, {})

    def activate_app(self, request: Request) -> Response:
        """200 ``{}``."""
        return self._set_status(request, "ACTIVE")

    def deactivate_app(self, request: Request) -> Response:
        """200 ``{}``."""
        return self._set_status(request, "INACTIVE")

    def delete_app(self, request: Request) -> Response:
        """204 for an INACTIVE app; an ACTIVE one is 403 E0000056 (deactivate first)."""
        app = self._app(request)
        if app.status == "ACTIVE":
            raise OktaApiError(403, "E0000056", "Delete application forbidden.")
        self.ctx.state.delete_app(app.id)
        record_event(self.ctx, request, "application.lifecycle.delete", "Delete application", "AppInstance", app.id, app.label)
        return Response(204)

    # JSON Web Keys.

    def _oidc_app(self, request: Request) -> App:
        app = self._app(request)
        if app.sign_on_mode != "OPENID_CONNECT":
            raise validation_failed("JsonWebKey", "Only OAuth 2.0 client applications have JSON Web Keys.")
        return app

    def _key(self, app: App, request: Request) -> JsonWebKey:
        wanted = request.param("keyId")
        key = next((key for key in app.keys if key.id == wanted), None)
        if key is None:
            raise not_found(wanted, "OAuth2ClientJsonWebKey")
        return key

    def list_keys(self, request: Request) -> Response:
        """The array form (the spec's schema; its example wraps it in ``{"jwks":{"keys":...}}``)."""
        app = self._oidc_app(request)
        return Response(200, [self.render_key(app, key) for key in app.keys])

    def add_key(self, request: Request) -> Response:
        """201 with the key; the app-level key rules apply to the new list. An app whose keys come from its ``jwks_uri``
        saves none (check_jwks_uri)."""
        app = self._oidc_app(request)
        self._require_key_admin(request, app)
        if app.oauth_settings.get("jwks_uri"):
            raise validation_failed("jwks_uri", JWKS_AND_JWKS_URI)
        material = validate_key(request.json_object())
        check_key_set([key.material for key in app.keys] + [material])
        now = self.ctx.timestamp()
        key = JsonWebKey(self.ctx.state.new_id("pks"), material.pop("status", "ACTIVE"), now, now, material)
        app.keys.append(key)
        app.last_updated = now
        return Response(201, self.render_key(app, key))

    def get_key(self, request: Request) -> Response:
        """By ``pks`` id (not ``kid``)."""
        app = self._oidc_app(request)
        return Response(200, self.render_key(app, self._key(app, request)))

    def activate_key(self, request: Request) -> Response:
        """200 with the key."""
        app = self._oidc_app(request)
        key = self._key(app, request)
        self._require_key_admin(request, app)
        key.status, key.last_updated = "ACTIVE", self.ctx.timestamp()
        return Response(200, self.render_key(app, key))

    def deactivate_key(self, request: Request) -> Response:
        """200 with the key; not the last ACTIVE key of a ``private_key_jwt`` client."""
        app = self._oidc_app(request)
        key = self._key(app, request)
        self._require_key_admin(request, app)
        active = [item for item in app.keys if item.status == "ACTIVE"]
        if active == [key] and app.oauth_credentials.get("token_endpoint_auth_method") == "private_key_jwt":
            raise _key_error("Can't deactivate the only active JSON Web Key when the value for `token_endpoint_auth_method` is `private_key_jwt`.")
        key.status, key.last_updated = "INACTIVE", self.ctx.timestamp()
        return Response(200, self.render_key(app, key))

    def delete_key(self, request: Request) -> Response:
        """204 for an INACTIVE key."""
        app = self._oidc_app(request)
        key = self._key(app, request)
        self._require_key_admin(request, app)
        if key.status == "ACTIVE":
            raise _key_error("You can't delete an active JSON Web Key. Deactivate the key before deleting it.")
        app.keys.remove(key)
        return Response(204)

    # Grants.

    def _grant(self, app: App, request: Request) -> Grant:
        grant = self.ctx.state.grants.get(request.param("grantId"))
        if grant is None or grant.app_id != app.id:
            raise not_found(request.param("grantId"), "OAuth2ScopeConsentGrant")
        return grant

    def list_grants(self, request: Request) -> Response:
        """A plain array; ``expand=scope`` embeds the scope."""
        app = self._app(request)
        embed = request.query_value("expand") == "scope"
        return Response(200, [self.render_grant(grant, embed) for grant in self.ctx.state.grants.values() if grant.app_id == app.id])

    def grant_scope(self, request: Request) -> Response:
        """One scope per call: ``{"issuer": org URL, "scopeId"}``; 200 (not 201); a granted scope can't be granted again."""
        app = self._app(request)
        if app.sign_on_mode != "OPENID_CONNECT":
            raise validation_failed("scopeId", "scopeId: Okta API scopes can only be granted to OAuth 2.0 clients.")
        body = request.json_object()
        issuer = str(body.get("issuer", "")).rstrip("/")
        if issuer not in (self.ctx.urls.org_url, request.request_base_url):
            raise validation_failed("issuer", "issuer: The issuer must be the org authorization server '%s'." % self.ctx.urls.org_url)
        scope_id = body.get("scopeId")
        if scope_id not in OKTA_API_SCOPES:
            raise validation_failed("scopeId", "scopeId: Invalid scope: %s" % scope_id)
        if any(grant.app_id == app.id and grant.scope_id == scope_id for grant in self.ctx.state.grants.values()):
            raise validation_failed("scopeId", "scopeId: The scope %s is already granted to the client." % scope_id)
        principal = request.principal
        created_by = {"id": principal.id, "type": "User" if principal.kind == "user" else "Client"} if principal else {}
        now = self.ctx.timestamp()
        grant = Grant(self.ctx.state.new_id("oag"), app.id, str(scope_id), issuer, now, now, created_by)
        self.ctx.state.grants[grant.id] = grant
        self._public_client_app_admins(app)
        record_event(self.ctx, request, "app.oauth2.as.consent.grant", "Grant scope to application", "AppInstance", app.id, str(scope_id))
        return Response(200, self.render_grant(grant, embed_scope=True))

    def _public_client_app_admins(self, app: App) -> None:
        """Org setting "Public client app admins": an okta.* grant makes a service app SUPER_ADMIN (DD-SVCAPP)."""
        state = self.ctx.state
        client_id = str(app.client_id)
        if self.ctx.settings.public_client_app_admins and app.is_service() and not any(
                item.client_id == client_id and item.role_type == "SUPER_ADMIN" for item in state.client_roles):
            now = self.ctx.timestamp()
            state.client_roles.append(StandardRoleAssignment(client_id, "SUPER_ADMIN", now, now))

    def get_grant(self, request: Request) -> Response:
        """One grant by ``oag`` id."""
        app = self._app(request)
        return Response(200, self.render_grant(self._grant(app, request), request.query_value("expand") == "scope"))

    def revoke_grant(self, request: Request) -> Response:
        """204."""
        app = self._app(request)
        grant = self._grant(app, request)
        del self.ctx.state.grants[grant.id]
        return Response(204)
