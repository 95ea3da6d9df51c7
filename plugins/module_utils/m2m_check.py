# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Prove an M2M app works the way a third party (Zluri) will use it, and say precisely why when it does not.

Used by okta_m2m_check and zluri_connection. Reads only: one token request (a second only when Okta does not know a
requested scope, to judge the others without it), then one cheap read per granted scope.

Private to the collection (not a public API): it may change in any release.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable

from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_auth import PrivateKeyJwtAuth, split_scopes
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_client import (
    OktaApiError,
    OktaClient,
    OktaConfigError,
    Response,
    Transport,
    http_date,
)
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_scopes import KNOWN_OKTA_SCOPES, unknown_scopes

# One cheap read per scope; a manage scope is proven with its read call. {client_id} is the app's own client.
SCOPE_PROBES: dict[str, tuple[str, dict[str, Any] | None]] = {
    "okta.users.read": ("/api/v1/users", {"limit": 1}),
    "okta.users.manage": ("/api/v1/users", {"limit": 1}),
    "okta.groups.read": ("/api/v1/groups", {"limit": 1}),
    "okta.groups.manage": ("/api/v1/groups", {"limit": 1}),
    "okta.apps.read": ("/api/v1/apps", {"limit": 1}),
    "okta.apps.manage": ("/api/v1/apps", {"limit": 1}),
    "okta.logs.read": ("/api/v1/logs", {"limit": 1}),
    "okta.roles.read": ("/oauth2/v1/clients/{client_id}/roles", None),
    "okta.roles.manage": ("/oauth2/v1/clients/{client_id}/roles", None),
    "okta.domains.read": ("/api/v1/domains", None),
}
CLOCK_SKEW_TOLERANCE_SECONDS = 60
# The reason of a scope that could not be tried because no token was issued; the token error already says why.
NOT_CHECKED = "not checked: "


def split_check_scopes(values: list[str] | None) -> list[str]:
    scopes = split_scopes(values)
    if not scopes:
        raise OktaConfigError("check_scopes must name at least one scope")
    return scopes


@dataclass
class ScopeResult:
    scope: str
    granted: bool = False
    callable: bool = False
    status: int | None = None
    reason: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"scope": self.scope, "granted": self.granted, "callable": self.callable, "status": self.status, "reason": self.reason}


@dataclass
class CheckReport:
    client_id: str
    scopes: list[ScopeResult]
    token_type: str | None = None
    token_requests: int = 0
    token_error: str = ""
    clock_skew_seconds: float | None = None
    roles: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.token_error and all(result.callable for result in self.scopes)

    def problems(self) -> list[str]:
        problems = [self.token_error] if self.token_error else []
        problems += ["%s: %s" % (r.scope, r.reason) for r in self.scopes if not r.callable and r.reason and not r.reason.startswith(NOT_CHECKED)]
        return problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "client_id": self.client_id,
            "token_type": self.token_type,
            "token_requests": self.token_requests,
            "token_error": self.token_error,
            "clock_skew_seconds": self.clock_skew_seconds,
            "scopes": [result.as_dict() for result in self.scopes],
            "roles": self.roles,
            "problems": self.problems(),
        }


def _skew(headers: dict[str, str] | None, clock: Callable[[], float]) -> float | None:
    server_now = http_date(next((v for k, v in (headers or {}).items() if k.lower() == "date"), None))
    return None if server_now is None else round(clock() - server_now, 1)


def _token_failure_reason(error: OktaApiError, skew: float | None) -> str:
    description = (error.oauth_error_description or "").lower()
    said = "%s: %s" % (error.oauth_error, error.oauth_error_description) if error.oauth_error_description else str(error.oauth_error)
    if skew is not None and abs(skew) > CLOCK_SKEW_TOLERANCE_SECONDS and error.oauth_error == "invalid_client":
        return "clock skew: this machine's clock is %+.0f s off Okta's; the client assertion's time claims are refused" % skew
    if error.oauth_error == "invalid_dpop_proof" and "missing" in description:
        return "DPoP required: the app has 'Require DPoP' on, and this client does not send DPoP proofs"
    if error.oauth_error == "invalid_client" and "valid client_id" in description:
        return "unknown client id: no app of this org has this client id (%s)" % error.oauth_error_description
    if error.oauth_error == "invalid_client" and "token_endpoint_auth_method" in description:
        return ("client authentication refused: the app does not authenticate with private_key_jwt; set its client authentication to "
                "'Public key / Private key' (%s)" % said)
    if error.oauth_error == "invalid_client":
        return ("key not registered or inactive: Okta did not accept the client assertion (%s); check that the key's public JWK is "
                "registered and ACTIVE on the app, that its kid is the key id sent, and that the app authenticates with private_key_jwt" % said)
    if error.oauth_error == "consent_required":
        return "no scope granted: Okta allows the app none of the requested scopes (%s)" % said
    if error.oauth_error == "invalid_scope":
        return "unknown scope: Okta does not know a requested scope (%s); check the scope names" % said
    return str(error)


def not_granted_reason(scope: str) -> str:
    return "scope not granted: grant %s to the app (Okta API Scopes tab)" % scope


class M2MCheck:
    """One credential check: mint the token as the third party would, then call each scope's probe.

    What is granted is read from the token Okta issues (its scope member), never from the request: Okta leaves out of
    the token the requested scopes the app is not granted, and refuses the request (consent_required) only when none
    is granted (docs/okta-api.md 2.1).
    """

    def __init__(self, transport: Transport, client_id: str, private_key: Any, key_id: str | None, dpop: str,
                 clock: Callable[[], float] = time.time) -> None:
        self.transport = transport
        self.client_id = client_id
        self.private_key = private_key
        self.key_id = key_id
        self.dpop = dpop
        self.clock = clock
        self.auths: list[PrivateKeyJwtAuth] = []

    def _auth(self, scopes: list[str]) -> PrivateKeyJwtAuth:
        auth = PrivateKeyJwtAuth(self.transport, self.client_id, self.private_key, self.key_id, scopes, dpop=self.dpop, clock=self.clock)
        auth.validate()
        self.auths.append(auth)
        return auth

    def run(self, scopes: list[str]) -> CheckReport:
        report = CheckReport(self.client_id, [ScopeResult(scope) for scope in scopes])
        try:
            auth = self._token(report, scopes)
        finally:
            report.token_requests = sum(a.token_requests for a in self.auths)
        if auth is None or auth.token is None:
            return report
        report.token_type = auth.token.token_type
        client = OktaClient(self.transport, auth)
        for result in report.scopes:
            if result.reason:
                continue
            result.granted = result.scope in auth.token.scopes
            if result.granted:
                self._probe(client, result, report)
            else:
                result.reason = not_granted_reason(result.scope)
        return report

    def _token(self, report: CheckReport, scopes: list[str]) -> PrivateKeyJwtAuth | None:
        """Mint the token; on a refusal fill in the report and answer None.

        invalid_scope means Okta does not know a requested scope: the scopes this collection does not know either are
        named and left out of one more request, so the others are still judged by Okta.
        """
        auth = self._auth(scopes)
        try:
            auth.access_token()
            return auth
        except OktaApiError as error:
            report.clock_skew_seconds = _skew(error.headers, self.clock)
            unknown = [scope for scope in scopes if scope not in KNOWN_OKTA_SCOPES] if error.oauth_error == "invalid_scope" else []
            if not unknown or len(unknown) == len(scopes):
                self._refused(report, error, unknown)
                return None
        self._name_unknown(report, unknown)
        return self._token(report, [scope for scope in scopes if scope not in unknown])

    @staticmethod
    def _name_unknown(report: CheckReport, unknown: list[str]) -> None:
        for result, named in zip([r for r in report.scopes if r.scope in unknown], unknown_scopes(unknown)):
            result.reason = "unknown scope: Okta does not know %s (invalid_scope)" % named

    def _refused(self, report: CheckReport, error: OktaApiError, unknown: list[str]) -> None:
        report.token_error = _token_failure_reason(error, report.clock_skew_seconds)
        self._name_unknown(report, unknown)
        for result in report.scopes:
            if result.reason:
                continue
            if error.oauth_error == "consent_required":
                result.reason = not_granted_reason(result.scope)
            else:
                refusal = error.oauth_error or ("HTTP %d" % error.status if error.status else "no answer")
                result.reason = NOT_CHECKED + "the token request was refused (%s), so the scope could not be tried" % refusal

    def _probe(self, client: OktaClient, result: ScopeResult, report: CheckReport) -> None:
        probe = SCOPE_PROBES.get(result.scope)
        if probe is None:
            result.callable = True
            result.reason = "granted; no read probe is defined for this scope"
            return
        path, params = probe
        response: Response = client.request("GET", path.format(client_id=self.client_id), params=params, expect=(400, 401, 403, 404))
        result.status = response.status
        if report.clock_skew_seconds is None:
            report.clock_skew_seconds = _skew(dict(response.headers), self.clock)
        if 200 <= response.status < 300:
            result.callable = True
            if result.scope.startswith("okta.roles."):
                report.roles = [{"type": role.get("type"), "label": role.get("label"), "role": role.get("role"),
                                 "resource_set": role.get("resource-set")} for role in response.body or []]
            return
        body = response.body if isinstance(response.body, dict) else {}
        if response.status == 403:
            challenge = response.header("WWW-Authenticate") or ""
            if "insufficient_scope" in challenge:
                result.reason = "scope not granted to the token (insufficient_scope)"
            else:
                result.reason = "role lacks permission: the app's admin roles do not allow %s %s (%s)" % (
                    "GET", path.split("?")[0], body.get("errorCode") or "E0000006")
        elif response.status == 401:
            result.reason = "token refused: %s" % (body.get("errorSummary") or body.get("error_description") or response.header("WWW-Authenticate"))
        else:
            result.reason = "HTTP %d: %s" % (response.status, body.get("errorSummary") or body.get("error_description") or "")
