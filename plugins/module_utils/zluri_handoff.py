# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What zluri_connection does: derive Zluri's form from the real objects, verify, write, deliver, look for evidence.

Private to the collection (not a public API): it may change in any release.
"""

from __future__ import annotations

import os
from typing import Any

from ansible_collections.saasops.okta_m2m.plugins.module_utils.apps import app_for_members, client_id_of
from ansible_collections.saasops.okta_m2m.plugins.module_utils.jwks import JwkMember, LocalKey, adopt_registered_kid, held_thumbprint, load_local_key
from ansible_collections.saasops.okta_m2m.plugins.module_utils.keys import jwk_thumbprint
from ansible_collections.saasops.okta_m2m.plugins.module_utils.m2m_check import M2MCheck, split_check_scopes
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_client import OktaApiError
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_config import OktaConfigError, validate_base_url
from ansible_collections.saasops.okta_m2m.plugins.module_utils.zluri import (
    MANUAL_STEP,
    REMOVAL_STEP,
    ZluriApiKeyAuth,
    ZluriClient,
    build_bundle,
    read_bundle,
    redact_bundle,
    values_for_zluri,
    write_bundle,
)


class ZluriHandoff:
    def __init__(self, module: Any) -> None:
        self.module = module
        self.params = module.params

    def run(self) -> dict[str, Any]:
        if self.params["state"] == "absent":
            return self.remove()
        # Both endpoints are checked before anything is written.
        delivery_url = validate_base_url(self.params["delivery"]["url"], "delivery.url", "https://gateway.example.com/zluri") \
            if self.params["delivery"] else ""
        zluri_api_url = validate_base_url(self.params["zluri_api_url"], "zluri_api_url", "https://api-ext.zluri.com")
        key = load_local_key(self.params["app_key_path"], self.params["app_key_content"], None, self.params["app_key_id"], options="app_")
        client = self.module.client
        app, app_keys = self.app_and_keys()
        if key is None and not self.module.check_mode:
            raise OktaConfigError("app_key_path %s does not exist" % self.params["app_key_path"])
        if key is None or app is None:
            return self.predicted("the %s does not exist yet" % ("key" if key is None else "app"))
        self.require_registered(app_keys, key)
        client_id = client_id_of(app)
        verification = self.verify(client_id, key) if self.params["verify"] else None
        form = {
            "Client ID": client_id,
            "Private key": self.private_key_field(key),
            "Base URL": client.org_url,
            "Key ID": key.kid,
            "Modulus": key.public_jwk["n"],
            "Exponent": key.public_jwk["e"],
        }
        oauth = (app.get("settings") or {}).get("oauthClient") or {}
        path = self.params["bundle_path"]
        existing = read_bundle(path)
        okta = {"app_id": app["id"], "app_label": app.get("label"), "client_id": client_id,
                "dpop_bound_access_tokens": bool(oauth.get("dpop_bound_access_tokens"))}
        connection = {"name": self.params["connection_name"], "description": self.params["connection_description"]}
        bundle_verification = {name: value for name, value in verification.items() if name != "token_requests"} if verification else None
        bundle = build_bundle(form, self.params["zluri_scopes"], connection, okta, bundle_verification)
        # The bundle reports what Okta holds: writing it where it was missing (a fresh AWX container) changes nothing in
        # Okta or in Zluri. Only new values for Zluri's form, against the values the bundle on disk gave, are a change.
        changed = existing is not None and values_for_zluri(existing) != values_for_zluri(bundle)
        written = existing != bundle
        result: dict[str, Any] = {
            "changed": changed,
            "bundle_written": written,
            "manual_action_required": changed or existing is None,
            "msg": MANUAL_STEP % path,
            "bundle_path": path,
            "form": redact_bundle(bundle)["form"],
            "verification": verification,
        }
        if self.module._diff:
            result["diff"] = {"before": redact_bundle(existing) if existing else {}, "after": redact_bundle(bundle)}
        if verification is not None and not verification["ok"]:
            result.update(failed=True, changed=False,
                          msg="the credentials do not work as Zluri will use them: " + "; ".join(verification["problems"]))
            return result
        # Delivered before the bundle is written: a failed delivery leaves the bundle unwritten, so the next run
        # writes and delivers again.
        if self.params["delivery"] and not written:
            result["delivery"] = {"sent": False, "reason": "bundle unchanged"}
        elif self.params["delivery"] and self.module.check_mode:
            result["delivery"] = {"sent": False, "reason": "check mode"}
        elif self.params["delivery"]:
            result["delivery"] = self.deliver(bundle, delivery_url)
        if written and not self.module.check_mode:
            try:
                write_bundle(path, bundle)
            except OSError as exc:
                raise OktaConfigError("cannot write the hand-off bundle O(bundle_path) %s: %s" % (path, exc.strerror)) from None
        if self.params["zluri_api_key"] and not self.module.check_mode:
            result["evidence"] = self.evidence(zluri_api_url)
        return result

    def predicted(self, reason: str) -> dict[str, Any]:
        """Check mode before earlier tasks have made the key or the app: the bundle would be written."""
        path = self.params["bundle_path"]
        return {"changed": False, "bundle_written": True, "manual_action_required": True, "bundle_path": path,
                "msg": "check mode: %s, so nothing can be verified; a real run writes the bundle %s. %s" % (reason, path, MANUAL_STEP % path)}

    def private_key_field(self, key: LocalKey) -> dict[str, str]:
        """Where Zluri's "Private key" comes from: embedded on request, else the key file, else the user's own store."""
        if self.params["embed_private_key"]:
            return {"pem": key.pem()}
        if self.params["app_key_path"]:
            return {"file": os.path.abspath(self.params["app_key_path"])}
        return {"source": "the private key you supplied as app_key_content (kid %s); paste it from your secret store" % key.kid}

    def app_and_keys(self) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
        """The app and the keys it holds: as okta_service_app converged them earlier in the play (converged_app), which
        are not read again, else read from Okta (None while a check-mode run has not created the app)."""
        converged = self.params["converged_app"]
        if converged:
            if not converged.get("id") or converged["id"] != (self.params["app_id"] or converged["id"]):
                raise OktaConfigError("converged_app must be okta_service_app's app result for app_id %s, with its id" % self.params["app_id"])
            app = {"id": converged["id"], "label": converged.get("label"),
                   "credentials": {"oauthClient": {"client_id": self.params["app_client_id"]}},
                   "settings": {"oauthClient": {"dpop_bound_access_tokens": bool(converged.get("dpop_bound_access_tokens"))}}}
            return app, list(converged.get("jwks") or [])
        client = self.module.client
        app = app_for_members(client, self.params["app"], self.params["app_client_id"], "present", self.module.check_mode, app_id=self.params["app_id"])
        return app, JwkMember().current(client, app) if app is not None else []

    def require_registered(self, app_keys: list[dict[str, Any]], key: LocalKey) -> None:
        """The key Zluri will hold must be the one Okta has, ACTIVE, under the same kid (the app's, unless app_key_id
        names one)."""
        if not self.params["app_key_id"]:
            adopt_registered_kid(key, app_keys)
        registered = [jwk for jwk in app_keys if jwk.get("kid") == key.kid]
        if not registered:
            raise OktaConfigError("the app has no key with kid %s; register the key with okta_app_jwk first" % key.kid)
        if held_thumbprint(registered[0]) != jwk_thumbprint(key.public_jwk):
            raise OktaConfigError("the key in %s does not match the public JWK registered on the app under kid %s"
                                  % (self.params["app_key_path"] or "app_key_content", key.kid))
        if registered[0].get("status") != "ACTIVE":
            raise OktaConfigError("the app's key %s is %s; activate it first" % (key.kid, registered[0].get("status")))

    def verify(self, client_id: str, key: LocalKey) -> dict[str, Any]:
        checker = M2MCheck(self.module.build_transport(), client_id, key.key, key.kid, self.params["app_dpop"])
        try:
            report = checker.run(split_check_scopes(self.params["check_scopes"]))
        finally:
            for auth in checker.auths:
                self.module.track_auth(auth)
        return {"ok": report.ok, "token_type": report.token_type, "token_requests": report.token_requests, "problems": report.problems(),
                "scopes": [{"scope": s.scope, "granted": s.granted, "callable": s.callable} for s in report.scopes]}

    def deliver(self, bundle: dict[str, Any], url: str) -> dict[str, Any]:
        delivery = self.params["delivery"]
        transport = self.module.build_transport(url)
        body = delivery["body"] if delivery["body"] is not None else redact_bundle(bundle) if not self.params["embed_private_key"] else bundle
        response = transport.send(delivery["method"], url, json_body=body, extra_headers=delivery["headers"])
        if not 200 <= response.status < 300:
            raise OktaApiError("delivery to %s returned HTTP %d" % (url, response.status), status=response.status)
        return {"sent": True, "status": response.status}

    def evidence(self, zluri_api_url: str) -> dict[str, Any]:
        auth = ZluriApiKeyAuth(self.params["zluri_api_key"])
        auth.validate()
        self.module.track_auth(auth)
        zluri = ZluriClient(self.module.build_transport(zluri_api_url), auth)
        return zluri.wait_for_okta_users(self.params["evidence_timeout"], self.params["evidence_interval"]).as_dict()

    def remove(self) -> dict[str, Any]:
        path = self.params["bundle_path"]
        existing = read_bundle(path)
        result: dict[str, Any] = {"changed": existing is not None, "manual_action_required": True, "msg": REMOVAL_STEP, "bundle_path": path}
        if self.module._diff:
            result["diff"] = {"before": redact_bundle(existing) if existing else {}, "after": {}}
        if existing is not None and not self.module.check_mode:
            os.unlink(path)
        return result
