# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from ansible_collections.saasops.okta_m2m.plugins.module_utils.m2m_check import M2MCheck
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_client import RetryPolicy, Transport
from ansible_collections.saasops.okta_m2m.tests.unit.plugins.module_utils.fake_http import FakeResponse, FakeSession

ORG = "https://example.okta.com"
TOKEN_URL = ORG + "/oauth2/v1/token"
CLIENT_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
ZLURI = ["okta.users.read", "okta.groups.read", "okta.logs.read"]


def token(scope: str) -> FakeResponse:
    return FakeResponse(200, {"token_type": "Bearer", "expires_in": 3600, "access_token": "at-1", "scope": scope})


def refusal(status: int, error: str, description: str) -> FakeResponse:
    return FakeResponse(status, {"error": error, "error_description": description})


def run(script: list[Any], scopes: list[str]) -> tuple[Any, FakeSession]:
    session = FakeSession(script)
    transport = Transport(ORG, session=session, retry=RetryPolicy(), sleep=lambda s: None)
    return M2MCheck(transport, "0oaclient", CLIENT_KEY, "kid-1", "never").run(scopes), session


def by_scope(report: Any) -> dict[str, Any]:
    return {result.scope: result for result in report.scopes}


def test_grants_are_read_from_the_token_scope_member() -> None:
    report, session = run([token("okta.users.read okta.logs.read"), FakeResponse(200, []), FakeResponse(200, [])], ZLURI)
    results = by_scope(report)
    assert [request.url.split("?")[0] for request in session.sent] == [TOKEN_URL, ORG + "/api/v1/users", ORG + "/api/v1/logs"]
    assert results["okta.users.read"].granted and results["okta.users.read"].callable
    assert results["okta.logs.read"].granted and results["okta.logs.read"].callable
    groups = results["okta.groups.read"]
    assert not groups.granted and not groups.callable and groups.status is None
    assert groups.reason == "scope not granted: grant okta.groups.read to the app (Okta API Scopes tab)"
    assert report.token_error == "" and report.token_type == "Bearer" and report.token_requests == 1
    assert report.problems() == ["okta.groups.read: scope not granted: grant okta.groups.read to the app (Okta API Scopes tab)"]
    assert not report.ok


def test_consent_required_means_no_scope_is_granted() -> None:
    report, session = run([refusal(400, "consent_required", "You are not allowed any of the requested scopes.")], ZLURI)
    assert len(session.sent) == 1
    assert report.token_error.startswith("no scope granted: ")
    assert "consent_required: You are not allowed any of the requested scopes." in report.token_error
    assert [(r.granted, r.callable) for r in report.scopes] == [(False, False)] * 3
    assert [r.reason for r in report.scopes] == ["scope not granted: grant %s to the app (Okta API Scopes tab)" % scope for scope in ZLURI]
    assert report.problems()[0] == report.token_error and len(report.problems()) == 4
    assert report.token_type is None and report.token_requests == 1


@pytest.mark.parametrize("description, token_error, fragments", [
    ("The client_assertion signature is invalid.", "key not registered or inactive: ", ("registered and ACTIVE", "kid", "private_key_jwt")),
    ("The client_assertion JWT kid is invalid.", "key not registered or inactive: ", ("kid is invalid",)),
    ("Client Credentials requests to the Org Authorization Server must use the private_key_jwt token_endpoint_auth_method.",
     "client authentication refused: ", ("does not authenticate with private_key_jwt",)),
])
def test_a_refused_client_is_not_a_scope_problem(description: str, token_error: str, fragments: tuple[str, ...]) -> None:
    report, session = run([refusal(401, "invalid_client", description)], ZLURI)
    assert len(session.sent) == 1
    assert report.token_error.startswith(token_error)
    for fragment in fragments:
        assert fragment in report.token_error
    for result in report.scopes:
        assert not result.granted and not result.callable
        assert result.reason == "not checked: the token request was refused (invalid_client), so the scope could not be tried"
        assert "not granted" not in result.reason
    assert report.problems() == [report.token_error]


def test_an_unknown_scope_is_named_and_the_others_are_still_judged_by_okta() -> None:
    unknown = refusal(400, "invalid_scope", "The requested scope is invalid, unknown, malformed, or exceeds the scope granted by the resource owner.")
    report, session = run([unknown, token("okta.users.read"), FakeResponse(200, [])], ["okta.users.read", "okta.users.reed", "okta.groups.read"])
    assert [request.form["scope"] for request in session.sent[:2]] == ["okta.users.read okta.users.reed okta.groups.read", "okta.users.read okta.groups.read"]
    results = by_scope(report)
    assert results["okta.users.reed"].reason == "unknown scope: Okta does not know okta.users.reed (did you mean okta.users.read?) (invalid_scope)"
    assert not results["okta.users.reed"].granted
    assert results["okta.users.read"].callable
    assert results["okta.groups.read"].reason.startswith("scope not granted")
    assert report.token_error == "" and report.token_requests == 2


def test_invalid_scope_for_scopes_this_collection_knows_leaves_them_unchecked() -> None:
    report, session = run([refusal(400, "invalid_scope", "The requested scope is invalid, unknown, malformed, or exceeds the scope granted by "
                                                         "the resource owner.")], ZLURI)
    assert len(session.sent) == 1
    assert report.token_error.startswith("unknown scope: Okta does not know a requested scope (invalid_scope: ")
    assert {r.reason for r in report.scopes} == {"not checked: the token request was refused (invalid_scope), so the scope could not be tried"}
    assert report.problems() == [report.token_error]


def test_only_unknown_scopes_are_all_named() -> None:
    report, session = run([refusal(400, "invalid_scope", "The requested scope is invalid, unknown, malformed, or exceeds the scope granted by "
                                                         "the resource owner.")], ["okta.nothing.read"])
    assert len(session.sent) == 1
    assert report.scopes[0].reason == "unknown scope: Okta does not know okta.nothing.read (invalid_scope)"
    assert report.problems() == [report.token_error, "okta.nothing.read: " + report.scopes[0].reason]
