# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Prove an M2M app works the way a third party (Zluri) will use it, and say precisely why when it does not.

Used by okta_m2m_check and zluri_connection. Reads only: one token request (more only to find which scopes a
refused request lacked), then one cheap read per scope.
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
ZLURI_SCOPES = ("okta.users.read", "okta.groups.read", "okta.apps.read", "okta.logs.read", "okta.roles.read", "okta.domains.read")
CLOCK_SKEW_TOLERANCE_SECONDS = 60


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
        problems += ["%s: %s" % (r.scope, r.reason) for r in self.scopes if not r.callable and r.reason and r.reason != self.token_error]
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
    if skew is not None and abs(skew) > CLOCK_SKEW_TOLERANCE_SECONDS and error.oauth_error == "invalid_client":
        return "clock skew: this machine's clock is %+.0f s off Okta's; the client assertion's time claims are refused" % skew
    if error.oauth_error == "invalid_dpop_proof" and "missing" in description:
        return "DPoP required: the app has 'Require DPoP' on, and this client does not send DPoP proofs"
    if error.oauth_error == "invalid_client" and "valid client_id" in description:
        return "unknown client id: no app of this org has this client id (%s)" % error.oauth_error_description
    if error.oauth_error == "invalid_client":
        return "key not registered or inactive: Okta did not accept the client assertion (%s)" % (error.oauth_error_description or "invalid_client")
    if error.oauth_error == "invalid_scope":
        return "scope not granted"
    return str(error)


def _not_granted(error: OktaApiError, scopes: list[str]) -> list[str]:
    description = error.oauth_error_description or ""
    return [scope for scope in scopes if scope in description]


class M2MCheck:
    """One credential check: mint the token as the third party would, then call each scope's probe."""

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
        granted = list(scopes)
        auth = self._auth(granted)
        while True:
            try:
                auth.access_token()
                break
            except OktaApiError as error:
                report.clock_skew_seconds = _skew(error.headers, self.clock)
                missing = _not_granted(error, granted) if error.oauth_error == "invalid_scope" else []
                if not missing and error.oauth_error == "invalid_scope" and len(granted) > 1:
                    missing = self._ungranted_one_by_one(granted)
                if not missing:
                    report.token_error = _token_failure_reason(error, report.clock_skew_seconds)
                    for result in report.scopes:
                        result.reason = report.token_error
                    report.token_requests = sum(a.token_requests for a in self.auths)
                    return report
                granted = [scope for scope in granted if scope not in missing]
                for result in report.scopes:
                    if result.scope in missing:
                        result.reason = "scope not granted: grant %s to the app (Okta API Scopes tab)" % result.scope
                if not granted:
                    report.token_error = "none of the requested scopes is granted to the app"
                    report.token_requests = sum(a.token_requests for a in self.auths)
                    return report
                auth = self._auth(granted)
        report.token_type = auth.token.token_type if auth.token else None
        report.token_requests = sum(a.token_requests for a in self.auths)
        client = OktaClient(self.transport, auth)
        for result in report.scopes:
            result.granted = result.scope in granted
            if result.granted:
                self._probe(client, result, report)
        return report

    def _ungranted_one_by_one(self, scopes: list[str]) -> list[str]:
        """When Okta does not name the refused scopes, ask for each alone (only on this failure path)."""
        missing = []
        for scope in scopes:
            try:
                self._auth([scope]).access_token()
            except OktaApiError as error:
                if error.oauth_error == "invalid_scope":
                    missing.append(scope)
        return missing

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
