# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""API tokens (SPEC listApiTokens, getApiToken, revokeApiToken, revokeCurrentApiToken): the command line's SSWS tokens are
API tokens of their admins, tests seed more, and a revoked or idle token stops working."""
from __future__ import annotations

import os

import pytest
import requests

from helpers import AdminSession, ServiceClient, assign, create_service_app, grant, shape
from okta_fixtures import OrgAdmin, seed_api_token
from okta_emulator.common import parse_timestamp
from okta_emulator.harness import RunningEmulator, start_emulator

# An API token as Okta answers it (terraform-provider-okta test/fixtures/vcr/idaas/TestAccDataSourceOktaAPIToken_read/oie-00.yaml
# @85348d6b, 2025-11), member order included.
RECORDED_TOKEN = {"id": "00T1gtr35t8ZbfBfV1d7", "name": "api-token-test-token", "userId": "00unkw1sfbTw08c0g1d7", "clientName": "Okta API",
                  "tokenWindow": "P30D", "network": {"connection": "ANYWHERE"}, "expiresAt": "2025-12-02T14:47:13.000Z",
                  "created": "2025-11-02T14:47:13.000Z", "lastUpdated": "2025-11-02T14:47:13.000Z",
                  "_links": {"self": {"href": "https://oie-00.dne-okta.com/api/v1/api-tokens/00T1gtr35t8ZbfBfV1d7",
                                      "hints": {"allow": ["GET", "DELETE"]}},
                             "user": {"href": "https://oie-00.dne-okta.com/api/v1/users/00unkw1sfbTw08c0g1d7", "hints": {"allow": ["GET"]}}}}
TOKENS = "/api/v1/api-tokens"
DAY = 86400


def get(url: str, token: str, path: str, **kwargs: object) -> requests.Response:
    """A call with an SSWS token."""
    return requests.get(url + path, headers={"Authorization": "SSWS " + token}, timeout=5, **kwargs)  # type: ignore[arg-type]


@pytest.mark.okta_emulator(seed="empty", readonly_token="ro-token", org_admin_token="oa-token")
def test_the_command_line_tokens_are_api_tokens_of_their_admins(okta_emulator: RunningEmulator, admin: AdminSession) -> None:
    listed = admin.get(admin.base_url + TOKENS)
    assert listed.status_code == 200 and listed.headers["Link"] == '<%s%s>; rel="self"' % (admin.base_url, TOKENS)
    owners = {user["id"]: user["profile"]["login"] for user in admin.get(admin.base_url + "/api/v1/users").json()}
    assert [(item["name"], owners[item["userId"]]) for item in listed.json()] == [
        ("Emulator admin token", "admin@example.com"), ("Emulator read-only token", "readonly@example.com"),
        ("Emulator org admin token", "orgadmin@example.com")]
    token = listed.json()[0]
    assert list(token) == list(RECORDED_TOKEN) and shape(token) == shape(RECORDED_TOKEN)
    assert token["id"].startswith("00T") and len(token["id"]) == 20
    assert parse_timestamp(token["expiresAt"]) - parse_timestamp(token["lastUpdated"]) == 30 * DAY
    assert token["_links"]["user"]["href"] == admin.base_url + "/api/v1/users/" + token["userId"]
    assert admin.get(admin.base_url + TOKENS + "/" + token["id"]).json() == token
    missing = admin.get(admin.base_url + TOKENS + "/00TNoSuchToken000000")
    assert missing.status_code == 404 and missing.json()["errorCode"] == "E0000007"


def test_seeded_tokens_age_and_paging(okta_emulator: RunningEmulator, admin: AdminSession) -> None:
    org = OrgAdmin(okta_emulator.url)
    idle = seed_api_token(org, "readonly@example.com", name="Torii sync", created_days_ago=40, last_used_days_ago=12,
                          network={"connection": "ZONE", "include": ["nzoVendorZone0000001"]})
    fresh = okta_emulator.seed_api_token("admin@example.com", name="Nudge")
    assert (idle["name"], idle["network"]) == ("Torii sync", {"connection": "ZONE", "include": ["nzoVendorZone0000001"]})
    assert round((parse_timestamp(idle["lastUpdated"]) - parse_timestamp(idle["created"])) / DAY) == 28
    assert round((parse_timestamp(idle["expiresAt"]) - parse_timestamp(idle["lastUpdated"])) / DAY) == 30
    assert fresh["created"] == fresh["lastUpdated"]
    first = admin.get(admin.base_url + TOKENS, params={"limit": 2})
    assert [item["name"] for item in first.json()] == ["Emulator admin token", "Torii sync"]
    following = admin.get(first.links["next"]["url"])
    assert [item["name"] for item in following.json()] == ["Nudge"] and "next" not in following.links
    assert [item["name"] for item in admin.get(admin.base_url + TOKENS, params={"q": "tor"}).json()] == ["Torii sync"]
    assert len(admin.get(admin.base_url + TOKENS, params={"q": "okta"}).json()) == 3, "q matches clientName too"
    assert get(okta_emulator.url, idle["token"], "/api/v1/users/me").json()["profile"]["login"] == "readonly@example.com"
    after_use = admin.get(admin.base_url + TOKENS + "/" + idle["id"]).json()
    assert parse_timestamp(after_use["lastUpdated"]) > parse_timestamp(idle["lastUpdated"]) + 11 * DAY, "a use moves lastUpdated"


def test_an_idle_token_expires(okta_emulator: RunningEmulator, admin: AdminSession) -> None:
    """DD-TOKEN: valid 30 days from creation or last use; then refused (401 E0000011) and no longer listed."""
    expired = okta_emulator.seed_api_token("admin@example.com", created_days_ago=45, last_used_days_ago=31)
    answer = get(okta_emulator.url, expired["token"], "/api/v1/users")
    assert answer.status_code == 401 and answer.json()["errorCode"] == "E0000011"
    assert expired["id"] not in [item["id"] for item in admin.get(admin.base_url + TOKENS).json()]
    assert admin.get(admin.base_url + TOKENS + "/" + expired["id"]).status_code == 404
    almost = okta_emulator.seed_api_token("admin@example.com", created_days_ago=45, last_used_days_ago=29)
    assert get(okta_emulator.url, almost["token"], "/api/v1/users").status_code == 200
    okta_emulator.settings(clock_skew_seconds=2 * DAY)
    assert get(okta_emulator.url, almost["token"], "/api/v1/users").status_code == 200, "the use one day ago renewed it"


def test_a_deactivated_admins_tokens_are_refused(okta_emulator: RunningEmulator, admin: AdminSession) -> None:
    """help.okta.com API token management: "Tokens are valid only if the user who created them is active"."""
    user = admin.get(admin.base_url + "/api/v1/users", params={"q": "Alan"}).json()[0]
    admin.post(admin.base_url + "/api/v1/users/%s/roles" % user["id"], json={"type": "READ_ONLY_ADMIN"})
    token = okta_emulator.seed_api_token(user["id"])
    assert get(okta_emulator.url, token["token"], "/api/v1/users").status_code == 200
    admin.post(admin.base_url + "/api/v1/users/%s/lifecycle/deactivate" % user["id"])
    assert get(okta_emulator.url, token["token"], "/api/v1/users").status_code == 401
    assert token["id"] not in [item["id"] for item in admin.get(admin.base_url + TOKENS).json()]


def test_revoking_tokens(okta_emulator: RunningEmulator, admin: AdminSession, rsa_keys: list) -> None:
    vendor = okta_emulator.seed_api_token("admin@example.com", name="Vendor")
    own = okta_emulator.seed_api_token("admin@example.com", name="Own")
    assert admin.delete(admin.base_url + TOKENS + "/" + vendor["id"]).status_code == 204
    revoked = get(okta_emulator.url, vendor["token"], "/api/v1/users")
    assert revoked.status_code == 401 and revoked.json()["errorSummary"] == "Invalid token provided"
    assert admin.get(admin.base_url + TOKENS + "/" + vendor["id"]).status_code == 404
    assert admin.delete(admin.base_url + TOKENS + "/" + vendor["id"]).status_code == 404
    current = requests.delete(okta_emulator.url + TOKENS + "/current", headers={"Authorization": "SSWS " + own["token"]}, timeout=5)
    assert current.status_code == 204
    assert get(okta_emulator.url, own["token"], "/api/v1/users").status_code == 401
    assert [item["name"] for item in admin.get(admin.base_url + TOKENS).json()] == ["Emulator admin token"]
    app = create_service_app(admin, "Auditor", rsa_keys[0])
    grant(admin, app["id"], "okta.apiTokens.read", "okta.apiTokens.manage")
    assign(admin, app["id"], {"type": "SUPER_ADMIN"})
    client = ServiceClient(admin.base_url, app["id"], rsa_keys[0], "key-1")
    assert client.get_token("okta.apiTokens.manage").status_code == 200
    no_api_token = client.call("DELETE", TOKENS + "/current")
    assert no_api_token.status_code == 403 and no_api_token.json()["errorCode"] == "E0000006", "an access token is no API token"


def test_who_may_list_and_revoke(okta_emulator: RunningEmulator, admin: AdminSession, rsa_keys: list) -> None:
    """Scopes per the spec (okta.apiTokens.read / .manage); a read-only admin may list, not revoke."""
    reader = okta_emulator.seed_api_token("readonly@example.com")
    assert get(okta_emulator.url, reader["token"], TOKENS).status_code == 200
    target = admin.get(admin.base_url + TOKENS).json()[0]["id"]
    refused = requests.delete(okta_emulator.url + TOKENS + "/" + target, headers={"Authorization": "SSWS " + reader["token"]}, timeout=5)
    assert refused.status_code == 403 and refused.json()["errorCode"] == "E0000006"
    app = create_service_app(admin, "Auditor", rsa_keys[0])
    grant(admin, app["id"], "okta.apiTokens.read")
    assign(admin, app["id"], {"type": "READ_ONLY_ADMIN"})
    client = ServiceClient(admin.base_url, app["id"], rsa_keys[0], "key-1")
    assert client.get_token("okta.apiTokens.read").status_code == 200
    assert client.call("GET", TOKENS).status_code == 200
    no_scope = client.call("DELETE", TOKENS + "/" + target)
    assert no_scope.status_code == 403 and 'scope="okta.apiTokens.manage"' in no_scope.headers["WWW-Authenticate"]


def test_seeding_checks_its_input(okta_emulator: RunningEmulator) -> None:
    for payload, message in (({"owner": "nobody@example.com"}, "owner"), ({"owner": "admin@example.com", "created_days_ago": -1}, "days"),
                             ({"owner": "admin@example.com", "created_days_ago": 1, "last_used_days_ago": 2}, "last_used_days_ago"),
                             ({"owner": "admin@example.com", "network": {"connection": "SOMEWHERE"}}, "network"),
                             ({"owner": "admin@example.com", "token": "emulator-admin-token"}, "already"),
                             ({"owner": "admin@example.com", "colour": "red"}, "unknown")):
        with pytest.raises(RuntimeError, match=message):
            okta_emulator.control("POST", "api-tokens", payload)


def test_a_state_file_keeps_tokens_and_revocations(tmp_path: object) -> None:
    state_file = os.path.join(str(tmp_path), "org.json")
    options = {"seed": "empty", "state_file": state_file, "admin_token": ["first-token", "second-token"]}
    with start_emulator(**options) as emulator:
        seeded = emulator.seed_api_token("readonly@example.com", name="Kept")
        second = next(item for item in requests.get(emulator.url + TOKENS, headers={"Authorization": "SSWS first-token"}, timeout=5).json()
                      if item["name"] == "Emulator admin token 2")
        assert requests.delete(emulator.url + TOKENS + "/" + second["id"], headers={"Authorization": "SSWS first-token"},
                               timeout=5).status_code == 204
    with start_emulator(**options) as emulator:
        assert get(emulator.url, "second-token", "/api/v1/users").status_code == 401, "revoked stays revoked"
        assert [item["name"] for item in get(emulator.url, "first-token", TOKENS).json()] == ["Emulator admin token", "Kept"]
        assert get(emulator.url, seeded["token"], "/api/v1/users/me").status_code == 200
