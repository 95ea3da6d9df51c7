# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from typing import Any

import pytest

from ansible_collections.saasops.okta_m2m.plugins.module_utils.grants import GrantMember, desired_grants, org_issuer
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_auth import SswsAuth
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_client import OktaApiError, OktaClient, OktaConfigError, Transport
from ansible_collections.saasops.okta_m2m.plugins.module_utils.reconcile import Outcome, ensure_members

from ansible_collections.saasops.okta_m2m.tests.unit.plugins.module_utils.fake_http import FakeResponse, FakeSession

ORG = "https://example.okta.com"
APP = {"id": "0oa1", "label": "Zluri"}
GRANTS_URL = ORG + "/api/v1/apps/0oa1/grants"


def client_for(session: FakeSession) -> OktaClient:
    return OktaClient(Transport(ORG, session=session), SswsAuth("t"))


def grant(scope: str, grant_id: str) -> dict[str, Any]:
    return {"id": grant_id, "status": "ACTIVE", "issuer": ORG, "clientId": "0oa1", "scopeId": scope, "source": "ADMIN",
            "_links": {"app": {"href": ORG + "/api/v1/apps/0oa1"}}}


def echo_grant(request: Any) -> FakeResponse:
    """Okta answers a grant with 200 (not the 201 of its spec) and the grant."""
    return FakeResponse(200, grant(request.json["scopeId"], "oag-" + request.json["scopeId"]))


def reconcile(session: FakeSession, scopes: list[str], state: str = "present", exclusive: bool = False, check: bool = False,
              app_exists: bool = True) -> Outcome:
    app = APP if app_exists else None
    return ensure_members(client_for(session), GrantMember(ORG), app, desired_grants(scopes), state, exclusive, check)


def writes(session: FakeSession) -> list[tuple[str, str, Any]]:
    return [(sent.method, sent.url, sent.json if sent.data else None) for sent in session.sent if sent.method != "GET"]


def test_scopes_are_validated_naming_the_option() -> None:
    assert desired_grants(["okta.users.read", " okta.myAccount.email.manage "], allow_unknown=True) == [
        {"scopeId": "okta.users.read"}, {"scopeId": "okta.myAccount.email.manage"}]
    with pytest.raises(OktaConfigError, match="app_scopes must list at least one"):
        desired_grants([])
    with pytest.raises(OktaConfigError, match=r"app_scopes\[1\] 'users.read' is not an Okta API scope"):
        desired_grants(["okta.users.read", "users.read"])
    for bad in ("okta.users", "okta.users read", "profile", "okta..read"):
        with pytest.raises(OktaConfigError, match=r"app_scopes\[0\]"):
            desired_grants([bad])
    with pytest.raises(OktaConfigError, match="lists okta.users.read twice"):
        desired_grants(["okta.users.read", "okta.users.read"])


def test_unknown_scopes_are_refused_with_a_suggestion_unless_allowed() -> None:
    with pytest.raises(OktaConfigError, match=r"okta.users.reed \(did you mean okta.users.read\?\), okta.nonexistent.read; .*allow_unknown_scopes"):
        desired_grants(["okta.users.reed", "okta.nonexistent.read", "okta.logs.read"])
    assert desired_grants(["okta.nonexistent.read"], allow_unknown=True) == [{"scopeId": "okta.nonexistent.read"}]


def test_issuer_is_the_org_authorization_server() -> None:
    client = client_for(FakeSession())
    assert org_issuer(client, None) == ORG
    assert org_issuer(client, "https://login.example.com/") == "https://login.example.com"
    with pytest.raises(OktaConfigError, match=r"issuer must be the org URL.*never a custom authorization server"):
        org_issuer(client, ORG + "/oauth2/default")
    with pytest.raises(OktaConfigError, match="issuer must use https"):
        org_issuer(client, "http://example.okta.com")


def test_only_missing_scopes_are_granted_one_post_each() -> None:
    session = FakeSession([FakeResponse(200, [grant("okta.users.read", "oag1")]), echo_grant, echo_grant])
    outcome = reconcile(session, ["okta.users.read", "okta.groups.read", "okta.apps.read"])
    assert writes(session) == [
        ("POST", GRANTS_URL, {"issuer": ORG, "scopeId": "okta.groups.read"}),
        ("POST", GRANTS_URL, {"issuer": ORG, "scopeId": "okta.apps.read"}),
    ]
    assert outcome.changed and outcome.changes == ["add scope grants okta.groups.read, okta.apps.read"]
    assert outcome.before == {"scopes": ["okta.users.read"]}
    assert outcome.after == {"scopes": ["okta.apps.read", "okta.groups.read", "okta.users.read"]}


def test_converged_app_makes_no_write() -> None:
    session = FakeSession([FakeResponse(200, [grant("okta.users.read", "oag1"), grant("okta.logs.read", "oag2")])])
    outcome = reconcile(session, ["okta.users.read"])
    assert [sent.method for sent in session.sent] == ["GET"]
    assert not outcome.changed and outcome.after == {"scopes": ["okta.logs.read", "okta.users.read"]}


def test_check_mode_sends_only_the_read_and_reports_the_same_change() -> None:
    current = [grant("okta.users.read", "oag1"), grant("okta.logs.read", "oag2")]
    checked_session = FakeSession([FakeResponse(200, current)])
    checked = reconcile(checked_session, ["okta.users.read", "okta.apps.read"], exclusive=True, check=True)
    assert writes(checked_session) == []
    applied_session = FakeSession([FakeResponse(200, current), echo_grant, FakeResponse(204)])
    applied = reconcile(applied_session, ["okta.users.read", "okta.apps.read"], exclusive=True)
    assert (checked.changed, checked.changes, checked.after) == (applied.changed, applied.changes, applied.after)
    assert applied.changes == ["add scope grant okta.apps.read", "remove scope grant okta.logs.read"]


def test_exclusive_revokes_unlisted_grants_by_grant_id() -> None:
    session = FakeSession([FakeResponse(200, [grant("okta.users.read", "oag1"), grant("okta.logs.read", "oag2")]), FakeResponse(204)])
    outcome = reconcile(session, ["okta.users.read"], exclusive=True)
    assert writes(session) == [("DELETE", GRANTS_URL + "/oag2", None)]
    assert outcome.after == {"scopes": ["okta.users.read"]}


def test_absent_revokes_listed_scopes_and_twice_is_unchanged() -> None:
    current = [grant("okta.users.read", "oag1"), grant("okta.logs.read", "oag2")]
    session = FakeSession([FakeResponse(200, current), FakeResponse(204)])
    outcome = reconcile(session, ["okta.logs.read", "okta.apps.read"], state="absent")
    assert writes(session) == [("DELETE", GRANTS_URL + "/oag2", None)]
    assert outcome.changes == ["remove scope grant okta.logs.read"] and outcome.after == {"scopes": ["okta.users.read"]}
    session = FakeSession([FakeResponse(200, current[:1])])
    assert not reconcile(session, ["okta.logs.read"], state="absent").changed


def test_absent_on_an_app_that_is_gone_calls_nothing() -> None:
    session = FakeSession()
    outcome = reconcile(session, ["okta.users.read"], state="absent", app_exists=False)
    assert session.sent == [] and not outcome.changed


def test_okta_refusal_is_surfaced() -> None:
    refusal = FakeResponse(403, {"errorCode": "E0000006", "errorSummary": "You do not have permission to perform the requested action",
                                 "errorCauses": []}, {"X-Okta-Request-Id": "req1"})
    session = FakeSession([FakeResponse(200, []), refusal])
    with pytest.raises(OktaApiError, match="E0000006.*req1") as caught:
        reconcile(session, ["okta.users.read"])
    assert caught.value.status == 403
