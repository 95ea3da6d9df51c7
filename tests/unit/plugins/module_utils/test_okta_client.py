# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import email.utils

import pytest
import requests

from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_auth import SswsAuth
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_client import (
    COLLECTION_VERSION,
    OktaApiError,
    OktaClient,
    OktaConfigError,
    RetryPolicy,
    Transport,
    next_link,
    rate_limit_bucket,
)
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_config import validate_org_url

from ansible_collections.saasops.okta_m2m.tests.unit.plugins.module_utils.fake_http import FakeResponse, FakeSession, connection_refused, connection_reset

ORG = "https://example.okta.com"
NOW = 1_700_000_000.0


class Clock:
    def __init__(self) -> None:
        self.now = NOW
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def make_client(session: FakeSession, clock: Clock | None = None, **retry: object) -> OktaClient:
    clock = clock or Clock()
    policy = RetryPolicy(**retry)  # type: ignore[arg-type]
    transport = Transport(ORG, session=session, sleep=clock.sleep, clock=clock, retry=policy)
    auth = SswsAuth("00abc")
    auth.validate()
    return OktaClient(transport, auth)


def okta_date(epoch: float) -> str:
    return email.utils.formatdate(epoch, usegmt=True)


@pytest.mark.parametrize("url, expected", [
    ("https://Example.okta.com", "https://example.okta.com"),
    ("https://example.okta.com/", "https://example.okta.com"),
    ("https://example.oktapreview.com:8443", "https://example.oktapreview.com:8443"),
    ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
    ("http://localhost:9000/", "http://localhost:9000"),
    ("http://[::1]:9000", "http://[::1]:9000"),
])
def test_org_url_accepted(url: str, expected: str) -> None:
    assert validate_org_url(url) == expected


@pytest.mark.parametrize("url, fragment", [
    (None, "required"),
    ("example.okta.com", "absolute https URL"),
    ("ftp://example.okta.com", "absolute https URL"),
    ("http://example.okta.com", "plain http is allowed only for loopback"),
    ("http://10.0.0.5", "plain http is allowed only for loopback"),
    ("https://example-admin.okta.com", "admin console host"),
    ("https://example.okta.com/oauth2/default", "without a path"),
    ("https://example.okta.com?x=1", "without a path"),
    ("https://user:pw@example.okta.com", "credentials"),
])
def test_org_url_rejected(url: str | None, fragment: str) -> None:
    with pytest.raises(OktaConfigError, match=fragment):
        validate_org_url(url)


def test_ssws_header_user_agent_and_timeout_are_sent() -> None:
    session = FakeSession([FakeResponse(200, {"id": "cr0"})])
    client = make_client(session)
    assert client.get("/api/v1/iam/roles/cr0") == {"id": "cr0"}
    sent = session.sent[0]
    assert sent.headers["Authorization"] == "SSWS 00abc"
    assert sent.url == ORG + "/api/v1/iam/roles/cr0"
    assert session.headers["User-Agent"].startswith("saasops.okta_m2m/" + COLLECTION_VERSION)


def test_ssws_token_must_be_plain() -> None:
    with pytest.raises(OktaConfigError, match="api_token"):
        SswsAuth("two words").validate()


@pytest.mark.parametrize("settings, verify", [({"ca_path": "/ca.pem"}, "/ca.pem"), ({"validate_certs": False}, False), ({}, True)])
def test_tls_settings_go_with_every_request(settings: dict, verify: object) -> None:
    session = FakeSession([FakeResponse(200, {})])
    client = OktaClient(Transport(ORG, session=session, **settings), SswsAuth("t"))
    client.get("/api/v1/apps")
    assert session.sent[0].verify == verify


def test_query_params_are_encoded() -> None:
    session = FakeSession([FakeResponse(200, [])])
    make_client(session).get("/api/v1/apps", {"q": "Zluri M2M", "filter": 'name eq "oidc_client"', "limit": 200})
    assert session.sent[0].url == ORG + "/api/v1/apps?q=Zluri+M2M&filter=name+eq+%22oidc_client%22&limit=200"


def test_link_header_pagination_follows_path_on_org_host() -> None:
    first = FakeResponse(200, [{"id": 1}, {"id": 2}], {
        "Link": '<https://example.okta.com/api/v1/apps?limit=2>; rel="self", <https://other.example/api/v1/apps?after=2&limit=2>; rel="next"'})
    second = FakeResponse(200, [{"id": 3}], {"Link": '<https://example.okta.com/api/v1/apps?after=2&limit=2>; rel="self"'})
    session = FakeSession([first, second])
    items = list(make_client(session).paginate("/api/v1/apps", {"limit": 2}))
    assert [item["id"] for item in items] == [1, 2, 3]
    # The link named another host: credentials go only to the configured org.
    assert session.sent[1].url == ORG + "/api/v1/apps?after=2&limit=2"


def test_body_links_pagination_for_iam_lists() -> None:
    first = FakeResponse(200, {"roles": [{"id": "cr1"}], "_links": {"next": {"href": "https://example-admin.okta.com/api/v1/iam/roles?after=cr1"}}},
                         {"Link": '<https://example.okta.com/api/v1/iam/roles>; rel="self"'})
    second = FakeResponse(200, {"roles": [{"id": "cr2"}], "_links": {"self": {"href": "x"}}})
    session = FakeSession([first, second])
    roles = list(make_client(session).paginate("/api/v1/iam/roles", items_key="roles"))
    assert [role["id"] for role in roles] == ["cr1", "cr2"]
    assert session.sent[1].url == ORG + "/api/v1/iam/roles?after=cr1"


def test_pagination_stops_on_a_repeated_link() -> None:
    page = FakeResponse(200, {"roles": [{"id": "cr1"}], "_links": {"next": {"href": "/api/v1/iam/roles?after=cr1"}}})
    session = FakeSession([page, page])
    assert len(list(make_client(session).paginate("/api/v1/iam/roles", items_key="roles"))) == 2
    assert len(session.sent) == 2


def test_next_link_absent() -> None:
    assert next_link(FakeResponseAdapter(200, {"roles": []}, {})) is None


class FakeResponseAdapter:
    def __init__(self, status: int, body: object, headers: dict[str, str]) -> None:
        self.status = status
        self.body = body
        self.headers = headers


def test_error_body_becomes_one_exception() -> None:
    body = {"errorCode": "E0000001", "errorSummary": "Api validation failed: label", "errorLink": "E0000001", "errorId": "oae1",
            "errorCauses": [{"errorSummary": "label: There is already an admin role with this name."}]}
    session = FakeSession([FakeResponse(400, body, {"X-Okta-Request-Id": "req-42"})])
    with pytest.raises(OktaApiError) as caught:
        make_client(session).post("/api/v1/iam/roles", {"label": "x"})
    error = caught.value
    assert error.status == 400
    assert error.error_code == "E0000001"
    assert error.error_causes == ["label: There is already an admin role with this name."]
    assert error.request_id == "req-42"
    assert "E0000001" in str(error) and "req-42" in str(error) and "POST /api/v1/iam/roles" in str(error)
    assert error.details()["error_summary"] == "Api validation failed: label"


def test_error_causes_as_object_and_oauth_errors() -> None:
    session = FakeSession([
        FakeResponse(400, {"errorCode": "E0000001", "errorSummary": "bad", "errorCauses": {"errorSummary": "one cause"}}),
        FakeResponse(401, {"error": "invalid_client", "error_description": "The client_assertion signature is invalid."}),
    ])
    client = make_client(session)
    with pytest.raises(OktaApiError) as first:
        client.get("/api/v1/apps/x")
    assert first.value.error_causes == ["one cause"]
    with pytest.raises(OktaApiError) as second:
        client.get("/api/v1/apps/y")
    assert second.value.oauth_error == "invalid_client"
    assert second.value.details()["error_description"].startswith("The client_assertion")


def test_404_is_absent_for_optional_reads_and_deletes() -> None:
    not_found = {"errorCode": "E0000007", "errorSummary": "Not found: Resource not found: x (CustomRole)"}
    session = FakeSession([FakeResponse(404, not_found), FakeResponse(404, not_found), FakeResponse(204)])
    client = make_client(session)
    assert client.get_optional("/api/v1/iam/roles/x") is None
    assert client.delete("/api/v1/iam/roles/x") is False
    assert client.delete("/api/v1/iam/roles/y") is True


def test_429_waits_until_reset_on_the_server_clock() -> None:
    clock = Clock()
    # The server clock is 100 s ahead of ours: the wait must be measured on the server clock.
    server_now = NOW + 100
    limited = FakeResponse(429, {"errorCode": "E0000047"}, {
        "X-Rate-Limit-Limit": "10", "X-Rate-Limit-Remaining": "0", "X-Rate-Limit-Reset": str(int(server_now + 7)),
        "Date": okta_date(server_now), "X-Okta-Request-Id": "rl-1"})
    session = FakeSession([limited, FakeResponse(200, {"id": "0oa1"})])
    client = make_client(session, clock)
    assert client.post("/api/v1/apps", {"label": "x"})["id"] == "0oa1"
    assert clock.slept == [8.0]
    assert session.sent[1].headers["X-Okta-Retry-For"] == "rl-1"
    assert session.sent[1].headers["X-Okta-Retry-Count"] == "1"
    assert client.stats.retries == 1
    wait = client.stats.rate_limit_waits
    assert [(wait[0].bucket, wait[0].limit, wait[0].seconds)] == [("/api/v1/apps", "10", 8.0)]
    assert wait[0].explain().startswith("waited 8 s because Okta's rate limit on /api/v1/apps (10 calls a minute for these credentials) was used up")
    assert "raise the share" in wait[0].explain()


def test_429_wait_is_bounded() -> None:
    clock = Clock()
    limited = FakeResponse(429, {}, {"X-Rate-Limit-Limit": "10", "X-Rate-Limit-Remaining": "0",
                                     "X-Rate-Limit-Reset": str(int(NOW + 3600)), "Date": okta_date(NOW)})
    session = FakeSession([limited, FakeResponse(200, {})])
    make_client(session, clock, max_rate_limit_wait=20).get("/api/v1/apps")
    assert clock.slept == [20.0]


def test_429_with_retry_after_waits_as_asked() -> None:
    clock = Clock()
    session = FakeSession([FakeResponse(429, {"code": "RATE_LIMIT_EXCEEDED"}, {"retry-after": "12"}), FakeResponse(200, {})])
    client = make_client(session, clock)
    client.get("/v2/users")
    assert clock.slept == [12.0] and client.stats.rate_limit_waits == []


def test_concurrency_429_backs_off_with_jitter() -> None:
    clock = Clock()
    limited = FakeResponse(429, {}, {"X-Rate-Limit-Limit": "0", "X-Rate-Limit-Remaining": "0",
                                     "X-Rate-Limit-Reset": str(int(NOW + 3600)), "Date": okta_date(NOW)})
    session = FakeSession([limited, FakeResponse(200, {})])
    client = make_client(session, clock)
    client.get("/api/v1/apps")
    assert len(clock.slept) == 1 and clock.slept[0] <= RetryPolicy().backoff_base * 4
    assert client.stats.rate_limit_waits == []


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_errors_retry_idempotent_calls(status: int) -> None:
    session = FakeSession([FakeResponse(status, {}), FakeResponse(200, {"ok": True})])
    assert make_client(session).get("/api/v1/users") == {"ok": True}
    assert len(session.sent) == 2


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_errors_do_not_repeat_non_idempotent_calls(status: int) -> None:
    session = FakeSession([FakeResponse(status, {"errorCode": "E0000009"})])
    with pytest.raises(OktaApiError) as caught:
        make_client(session).post("/api/v1/apps/0oa1/grants", {"scopeId": "okta.users.read"})
    assert caught.value.status == status
    assert len(session.sent) == 1


def test_retry_unsafe_lets_a_caller_repeat_a_post() -> None:
    session = FakeSession([FakeResponse(503, {}), FakeResponse(200, {})])
    make_client(session).post("/api/v1/apps/0oa1/lifecycle/activate", retry_unsafe=True)
    assert len(session.sent) == 2


def test_role_assignment_conflict_is_retried_for_posts() -> None:
    busy = FakeResponse(409, {"errorCode": "E0000268", "errorSummary": "Another request is making changes to the role assignments."})
    session = FakeSession([busy, FakeResponse(201, {"id": "x"})])
    assert make_client(session).post("/oauth2/v1/clients/0oa1/roles", {"type": "READ_ONLY_ADMIN"}) == {"id": "x"}


def test_other_conflicts_are_not_retried() -> None:
    session = FakeSession([FakeResponse(409, {"errorCode": "E0000090", "errorSummary": "Duplicate"})])
    with pytest.raises(OktaApiError, match="E0000090"):
        make_client(session).post("/oauth2/v1/clients/0oa1/roles", {"type": "READ_ONLY_ADMIN"})


def test_connection_reset_retries_idempotent_calls_only() -> None:
    session = FakeSession([connection_reset(), FakeResponse(200, {})])
    make_client(session).get("/api/v1/groups")
    assert len(session.sent) == 2
    session = FakeSession([connection_reset()])
    with pytest.raises(OktaApiError, match="failed"):
        make_client(session).post("/api/v1/iam/roles", {})
    assert len(session.sent) == 1


def test_refused_connection_is_safe_to_retry_even_for_posts() -> None:
    session = FakeSession([connection_refused(), FakeResponse(200, {"id": "cr0"})])
    assert make_client(session).post("/api/v1/iam/roles", {})["id"] == "cr0"


def test_read_timeout_is_retried_for_gets() -> None:
    session = FakeSession([requests.exceptions.ReadTimeout("read timed out"), FakeResponse(200, [])])
    assert make_client(session).get("/api/v1/apps") == []


def test_retries_are_bounded_by_count() -> None:
    session = FakeSession([FakeResponse(503, {})] * 3)
    with pytest.raises(OktaApiError) as caught:
        make_client(session, max_retries=2).get("/api/v1/users")
    assert caught.value.status == 503
    assert len(session.sent) == 3


def test_total_wait_is_bounded() -> None:
    limited = FakeResponse(429, {}, {"X-Rate-Limit-Limit": "10", "X-Rate-Limit-Remaining": "0",
                                     "X-Rate-Limit-Reset": str(int(NOW + 50)), "Date": okta_date(NOW)})
    session = FakeSession([limited, limited])
    with pytest.raises(OktaApiError, match="max_retry_wait"):
        make_client(session, max_total_wait=60).get("/api/v1/apps")


def test_tls_failure_is_a_clear_config_error() -> None:
    session = FakeSession([requests.exceptions.SSLError("certificate verify failed")])
    with pytest.raises(OktaConfigError, match="ca_path"):
        make_client(session).get("/api/v1/apps")


def test_max_api_capacity_waits_for_the_reset_once_the_share_is_used() -> None:
    clock = Clock()
    headers = {"X-Rate-Limit-Limit": "10", "X-Rate-Limit-Remaining": "4", "X-Rate-Limit-Reset": str(int(NOW + 30)), "Date": okta_date(NOW)}
    session = FakeSession([FakeResponse(200, {}, headers), FakeResponse(200, {}), FakeResponse(200, {})])
    client = make_client(session, clock, max_api_capacity=50)
    client.get("/api/v1/apps/0oa1/grants")  # 60 % of the /api/v1/apps bucket used
    client.get("/api/v1/iam/roles")  # another bucket: no wait
    assert clock.slept == []
    client.get("/api/v1/apps")  # same bucket: waits for its reset
    assert clock.slept == [31.0]


def test_call_counts_by_method_and_path() -> None:
    session = FakeSession([FakeResponse(200, []), FakeResponse(200, []), FakeResponse(204)])
    client = make_client(session)
    client.get("/api/v1/apps", {"q": "a"})
    client.get("/api/v1/apps", {"q": "b"})
    client.delete("/api/v1/apps/0oa1")
    summary = client.stats.summary()
    assert summary["by_endpoint"] == {"GET /api/v1/apps": 2, "DELETE /api/v1/apps/0oa1": 1}
    assert summary["total"] == 3 and summary["writes"] == 1
    client.stats.record("POST", "/oauth2/v1/token")
    assert client.stats.summary()["writes"] == 1, "a token request changes nothing in the org"


@pytest.mark.parametrize("method, path, bucket", [
    ("GET", "/api/v1/iam/roles/cr0/permissions", "/api/v1/iam"),
    ("POST", "/oauth2/v1/clients/0oa1/roles", "/oauth2/v1/clients"),
    ("POST", "/api/v1/apps", "/api/v1/apps"),
    ("POST", "/api/v1/apps/0oa1/credentials/jwks", "/api/v1/apps"),
    ("GET", "/api/v1/apps/0oa1", "/api/v1/apps/{id}"),
    ("DELETE", "/api/v1/apps/0oa1", "/api/v1/apps/{id}"),
    ("POST", "/oauth2/v1/token", "/oauth2/v1/token"),
])
def test_rate_limit_buckets(method: str, path: str, bucket: str) -> None:
    assert rate_limit_bucket(method, path) == bucket


@pytest.mark.parametrize("status,body,headers,says", [
    (401, {"errorCode": "E0000011", "errorSummary": "Invalid token provided"}, {},
     "Okta refused the API token (O(api_token), or OKTA_API_TOKEN)"),
    (401, {"errorCode": "E0000015", "errorSummary": "You do not have permission to access the feature you are requesting"}, {},
     "This org lacks the Okta feature this call needs"),
    (403, {"errorCode": "E0000006", "errorSummary": "You do not have permission to perform the requested action"}, {},
     "Only a Super Administrator may grant Okta API scopes, manage custom admin roles and resource sets, and change the keys"),
    (403, {"errorCode": "E0000006", "errorSummary": "You do not have permission to perform the requested action"},
     {"WWW-Authenticate": 'Bearer authorization_uri="x", error="insufficient_scope"'}, "The admin app's access token lacks the Okta API scope"),
])
def test_refusals_say_what_they_usually_mean(status: int, body: dict, headers: dict, says: str) -> None:
    client = make_client(FakeSession([FakeResponse(status, body, headers)]))
    with pytest.raises(OktaApiError) as caught:
        client.get("/api/v1/apps/0oa1/credentials/jwks")
    assert says in str(caught.value)
    assert (says.startswith("Okta refused")) == ("refused the API token" in str(caught.value))
