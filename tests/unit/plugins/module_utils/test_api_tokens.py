# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""API tokens: the list with owners read once each, refusals that name the scope, revocation by id only."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from ansible_collections.saasops.okta_m2m.plugins.module_utils.api_tokens import api_tokens_report, check_token_ids, revoke_api_tokens
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_auth import SswsAuth
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_client import OktaApiError, OktaClient, OktaConfigError, Transport

from ansible_collections.saasops.okta_m2m.tests.unit.plugins.module_utils.fake_http import FakeResponse, FakeSession, SentRequest

ORG = "https://example.okta.com"
# 2026-03-11T00:00:00Z
NOW = 1773187200.0
SCOPE_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="x", scope="okta.apiTokens.read", error="insufficient_scope"'}
DENIED = {"errorCode": "E0000006", "errorSummary": "You do not have permission to perform the requested action", "errorCauses": []}


def client_for(session: FakeSession) -> OktaClient:
    return OktaClient(Transport(ORG, session=session), SswsAuth("t"))


def token(token_id: str, name: str, user_id: str, last_updated: str = "2026-03-01T00:00:00.000Z", **extra: Any) -> dict[str, Any]:
    return dict({"id": token_id, "name": name, "userId": user_id, "clientName": "Okta API", "tokenWindow": "P30D",
                 "network": {"connection": "ANYWHERE"}, "created": "2025-01-01T00:00:00.000Z", "lastUpdated": last_updated,
                 "expiresAt": "2026-03-31T00:00:00.000Z"}, **extra)


def user(user_id: str, login: str) -> FakeResponse:
    return FakeResponse(200, {"id": user_id, "status": "ACTIVE", "profile": {"login": login}})


def roles(*types: str) -> FakeResponse:
    return FakeResponse(200, [{"id": "r%d" % index, "type": role, "assignmentType": "USER"} for index, role in enumerate(types)])


def path_and_query(sent: SentRequest) -> tuple[str, dict[str, str]]:
    parts = urlsplit(sent.url)
    return parts.path, {name: values[0] for name, values in parse_qs(parts.query).items()}


def test_every_page_is_read_and_each_owner_once_however_many_tokens_it_owns() -> None:
    next_page = {"Link": '<%s/api/v1/api-tokens?after=00T2&limit=200>; rel="next"' % ORG}
    session = FakeSession([
        FakeResponse(200, [token("00T1", "Torii", "00uA"), token("00T2", "Lumos", "00uB")], next_page),
        FakeResponse(200, [token("00T3", "Nudge", "00uA", network={"connection": "ZONE", "include": ["nzo1"]})]),
        user("00uA", "svc@example.com"), roles("SUPER_ADMIN", "READ_ONLY_ADMIN"),
        user("00uB", "helpdesk@example.com"), roles("HELP_DESK_ADMIN"),
    ])
    report = api_tokens_report(client_for(session), clock=lambda: NOW)
    assert [entry["id"] for entry in report] == ["00T1", "00T2", "00T3"]
    assert report[0]["owner"] == {"id": "00uA", "login": "svc@example.com", "admin_roles": ["READ_ONLY_ADMIN", "SUPER_ADMIN"], "super_admin": True}
    assert report[1]["owner"]["super_admin"] is False
    assert report[2]["network"] == {"connection": "ZONE", "include": ["nzo1"], "exclude": []}
    assert report[0]["idle_days"] == 10
    assert report[0]["last_updated"] == "2026-03-01T00:00:00.000Z" and report[0]["token_window"] == "P30D"
    assert [path_and_query(sent) for sent in session.sent] == [
        ("/api/v1/api-tokens", {"limit": "200"}), ("/api/v1/api-tokens", {"after": "00T2", "limit": "200"}),
        ("/api/v1/users/00uA", {}), ("/api/v1/users/00uA/roles", {}), ("/api/v1/users/00uB", {}), ("/api/v1/users/00uB/roles", {})]


def test_a_name_narrows_the_list_with_q_and_keeps_only_exact_names() -> None:
    session = FakeSession([FakeResponse(200, [token("00T1", "Torii", "00uA"), token("00T2", "Torii (old)", "00uA")]),
                           user("00uA", "svc@example.com"), roles()])
    report = api_tokens_report(client_for(session), "Torii", clock=lambda: NOW)
    assert [entry["id"] for entry in report] == ["00T1"]
    assert report[0]["owner"]["admin_roles"] == [] and report[0]["owner"]["super_admin"] is False
    assert path_and_query(session.sent[0]) == ("/api/v1/api-tokens", {"limit": "200", "q": "Torii"})


def test_an_owner_okta_no_longer_has_is_named_by_id() -> None:
    session = FakeSession([FakeResponse(200, [token("00T1", "Torii", "00uGone")]), FakeResponse(404, {"errorCode": "E0000007"}), roles()])
    assert api_tokens_report(client_for(session), clock=lambda: NOW)[0]["owner"]["login"] is None


@pytest.mark.parametrize("script, scope", [
    ([FakeResponse(403, DENIED, SCOPE_CHALLENGE)], "okta.apiTokens.read"),
    ([FakeResponse(200, [token("00T1", "Torii", "00uA")]), FakeResponse(403, DENIED, SCOPE_CHALLENGE)], "okta.users.read"),
    ([FakeResponse(200, [token("00T1", "Torii", "00uA")]), user("00uA", "svc@example.com"), FakeResponse(403, DENIED, SCOPE_CHALLENGE)],
     "okta.roles.read"),
])
def test_a_read_refused_for_a_scope_names_that_scope(script: list[FakeResponse], scope: str) -> None:
    with pytest.raises(OktaApiError) as refused:
        api_tokens_report(client_for(FakeSession(script)), clock=lambda: NOW)
    message = str(refused.value)
    assert "returned HTTP 403: E0000006" in message
    assert "lacks the Okta API scope %s, which it needs to " % scope in message
    assert "O(scopes)" in message
    assert "this call needs" not in message, "the generic hint is replaced, not appended"


def test_a_refusal_without_a_scope_challenge_is_about_the_admin_role() -> None:
    with pytest.raises(OktaApiError, match=r"The admin this credential acts for may not list API tokens \(with OAuth, the scope is "
                                           r"okta.apiTokens.read\): use the credential of a Super Administrator"):
        api_tokens_report(client_for(FakeSession([FakeResponse(403, DENIED)])), clock=lambda: NOW)


def test_other_errors_pass_unchanged() -> None:
    with pytest.raises(OktaApiError, match="HTTP 401"):
        api_tokens_report(client_for(FakeSession([FakeResponse(401, {"errorCode": "E0000011"})])), clock=lambda: NOW)


@pytest.mark.parametrize("ids, message", [
    (["00T1", "current"], r"O\(revoke\)\[1\] 'current' is not an API token id"),
    (["../users"], r"O\(revoke\)\[0\] '../users' is not an API token id"),
    ([" "], r"O\(revoke\)\[0\] ' ' is not an API token id"),
])
def test_only_token_ids_are_taken(ids: list[str], message: str) -> None:
    with pytest.raises(OktaConfigError, match=message):
        check_token_ids(ids)


def test_ids_are_kept_once_in_their_order() -> None:
    assert check_token_ids([" 00T2", "00T1", "00T2"]) == ["00T2", "00T1"]
    assert check_token_ids([]) == []


def found(token_id: str, name: str, user_id: str) -> FakeResponse:
    return FakeResponse(200, token(token_id, name, user_id))


def test_check_mode_names_what_would_be_revoked_and_what_is_gone_and_writes_nothing() -> None:
    session = FakeSession([found("00T1", "Torii", "00uA"), user("00uA", "svc@example.com"), FakeResponse(404, {"errorCode": "E0000007"}),
                           FakeResponse(200, {"id": "00uMe"})])
    result = revoke_api_tokens(client_for(session), ["00T1", "00Tgone"], True, False, check_mode=True, diff_wanted=True)
    assert result["changed"] is True
    assert result["changes"] == ["revoke API token 00T1 'Torii' of svc@example.com"]
    assert result["revoked"] == [{"id": "00T1", "name": "Torii", "owner": "svc@example.com", "owner_id": "00uA",
                                  "created": "2025-01-01T00:00:00.000Z", "last_updated": "2026-03-01T00:00:00.000Z"}]
    assert result["not_found"] == ["00Tgone"]
    assert result["diff"] == {"before": {"api_tokens": [{"id": "00T1", "name": "Torii", "owner": "svc@example.com"}]},
                              "after": {"api_tokens": []}}
    assert result["msg"] == ("would revoke 1 API token: 00T1 'Torii' of svc@example.com; no active API token has the id 00Tgone "
                             "(revoked before, expired, or not an id of this org): nothing to revoke")
    assert [sent.method for sent in session.sent] == ["GET", "GET", "GET", "GET"]


def test_a_real_run_deletes_each_found_token_and_an_id_already_gone_changes_nothing() -> None:
    session = FakeSession([found("00T1", "Torii", "00uA"), user("00uA", "svc@example.com"), FakeResponse(200, {"id": "00uMe"}),
                           FakeResponse(204)])
    result = revoke_api_tokens(client_for(session), ["00T1"], True, False, check_mode=False, diff_wanted=False)
    assert result["changed"] is True and "diff" not in result
    assert result["msg"] == "revoked 1 API token: 00T1 'Torii' of svc@example.com"
    assert (session.sent[-1].method, urlsplit(session.sent[-1].url).path) == ("DELETE", "/api/v1/api-tokens/00T1")

    again = FakeSession([FakeResponse(404, {"errorCode": "E0000007"})])
    result = revoke_api_tokens(client_for(again), ["00T1"], True, False, check_mode=False, diff_wanted=False)
    assert (result["changed"], result["revoked"], result["not_found"], result["changes"]) == (False, [], ["00T1"], [])
    assert len(again.sent) == 1, "nothing to revoke: no user read, no delete"


def test_an_empty_list_revokes_nothing_and_calls_nothing() -> None:
    session = FakeSession([])
    result = revoke_api_tokens(client_for(session), [], True, False, check_mode=False, diff_wanted=False)
    assert (result["changed"], result["msg"]) == (False, "O(revoke) lists no token: nothing to revoke")
    assert session.sent == []


def test_a_token_of_the_module_s_own_admin_is_refused_before_any_write_in_check_mode_too() -> None:
    for check_mode in (True, False):
        session = FakeSession([found("00T1", "Torii", "00uA"), user("00uA", "svc@example.com"), found("00T9", "Automation", "00uMe"),
                               user("00uMe", "admin@example.com"), FakeResponse(200, {"id": "00uMe"})])
        with pytest.raises(OktaConfigError) as refused:
            revoke_api_tokens(client_for(session), ["00T1", "00T9"], True, False, check_mode=check_mode, diff_wanted=False)
        assert str(refused.value).startswith(
            "nothing was revoked: 00T9 'Automation' belongs to admin@example.com, the admin whose API token this module "
            "authenticates with (O(api_token)). Okta does not say which of a user's tokens a call uses, so it may be this module's own")
        assert str(refused.value).endswith("or set O(allow_own_tokens)=true")
        assert [sent.method for sent in session.sent] == ["GET"] * 5


def test_allowed_own_tokens_are_revoked_last_and_a_401_after_them_says_which_were_left() -> None:
    session = FakeSession([found("00T9", "Automation", "00uMe"), user("00uMe", "admin@example.com"), found("00T8", "Spare", "00uMe"),
                           found("00T1", "Torii", "00uA"), user("00uA", "svc@example.com"), FakeResponse(200, {"id": "00uMe"}),
                           FakeResponse(204), FakeResponse(204), FakeResponse(401, {"errorCode": "E0000011", "errorSummary": "Invalid token provided"})])
    with pytest.raises(OktaConfigError, match=r"^revoked 00T1, 00T9; then Okta refused this module's API token: it was 00T9, revoked by "
                                              r"this run. Not revoked: 00T8"):
        revoke_api_tokens(client_for(session), ["00T9", "00T8", "00T1"], True, True, check_mode=False, diff_wanted=False)
    assert [urlsplit(sent.url).path for sent in session.sent if sent.method == "DELETE"] == [
        "/api/v1/api-tokens/00T1", "/api/v1/api-tokens/00T9", "/api/v1/api-tokens/00T8"]


def test_with_oauth_no_token_is_the_module_s_own_and_me_is_never_read() -> None:
    session = FakeSession([found("00T1", "Torii", "00uA"), user("00uA", "svc@example.com"), FakeResponse(204)])
    result = revoke_api_tokens(client_for(session), ["00T1"], False, False, check_mode=False, diff_wanted=False)
    assert result["changed"] is True
    assert "/api/v1/users/me" not in [urlsplit(sent.url).path for sent in session.sent]


def test_a_revocation_refused_for_the_scope_names_okta_api_tokens_manage() -> None:
    session = FakeSession([FakeResponse(403, DENIED, {"www-authenticate": 'Bearer error="insufficient_scope"'})])
    with pytest.raises(OktaApiError, match="lacks the Okta API scope okta.apiTokens.manage, which it needs to read the API tokens it revokes"):
        revoke_api_tokens(client_for(session), ["00T1"], False, False, check_mode=True, diff_wanted=False)
