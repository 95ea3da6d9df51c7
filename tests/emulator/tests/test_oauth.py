# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The token endpoint (private_key_jwt, DPoP) and management calls with access tokens (scopes, roles)."""
from __future__ import annotations

import time
import urllib.parse

import jwt
import pytest
import requests

from helpers import AdminSession, ServiceClient, assign, create_service_app, grant
from okta_fixtures import service_app_body
from okta_emulator.harness import RunningEmulator

MINIMUM_SCOPES = "okta.users.read okta.groups.read okta.apps.read okta.logs.read okta.roles.read okta.domains.read"


def service_client(admin: AdminSession, rsa_keys: list, dpop: bool = False, **client_options: object) -> ServiceClient:
    app = create_service_app(admin, "Zluri", rsa_keys[0], kid="zluri-1", dpop=dpop)
    grant(admin, app["id"], *MINIMUM_SCOPES.split())
    return ServiceClient(admin.base_url, app["id"], rsa_keys[0], "zluri-1", **client_options)  # type: ignore[arg-type]


def test_bearer_token_and_calls(admin: AdminSession, rsa_keys: list) -> None:
    client = service_client(admin, rsa_keys)
    response = client.get_token("okta.users.read okta.groups.read")
    body = response.json()
    assert response.status_code == 200, body
    assert (body["token_type"], body["expires_in"], body["scope"]) == ("Bearer", 3600, "okta.groups.read okta.users.read")
    assert response.headers["Cache-Control"] == "no-store"
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert claims["cid"] == client.client_id and claims["aud"] == admin.base_url and "cnf" not in claims
    no_role = client.call("GET", "/api/v1/users")
    assert no_role.status_code == 403 and no_role.json()["errorCode"] == "E0000006"
    assert "WWW-Authenticate" not in no_role.headers
    assign(admin, client.client_id, {"type": "READ_ONLY_ADMIN"})
    assert client.call("GET", "/api/v1/users").status_code == 200
    missing_scope = client.call("GET", "/api/v1/apps")
    assert missing_scope.status_code == 403 and missing_scope.json()["errorCode"] == "E0000006"
    assert 'error="insufficient_scope"' in missing_scope.headers["WWW-Authenticate"]
    assert 'scope="okta.apps.read"' in missing_scope.headers["WWW-Authenticate"]
    assert client.call("DELETE", "/api/v1/groups/00gnothing").status_code == 403  # read-only scope
    bad = requests.get(admin.base_url + "/api/v1/users", headers={"Authorization": "Bearer nope"}, timeout=5)
    assert bad.status_code == 401 and bad.json()["errorCode"] == "E0000011" and 'error="invalid_token"' in bad.headers["WWW-Authenticate"]
    log = [entry for entry in requests.get(admin.base_url + "/_emulator/log", timeout=5).json() if entry["path"] == "/api/v1/users"]
    assert log[-2]["principal"] == "client:" + client.client_id and log[-2]["bucket"] == "/api/v1/users"


def test_token_scopes_as_okta_answers(admin: AdminSession, rsa_keys: list) -> None:
    client = service_client(admin, rsa_keys)
    partial = client.get_token("okta.users.read okta.users.manage okta.apps.read")
    assert partial.status_code == 200, partial.json()
    assert partial.json()["scope"] == "okta.apps.read okta.users.read", "only the granted scopes"
    assert jwt.decode(partial.json()["access_token"], options={"verify_signature": False})["scp"] == ["okta.apps.read", "okta.users.read"]
    assign(admin, client.client_id, {"type": "SUPER_ADMIN"})
    not_in_token = client.call("POST", "/api/v1/groups", json={"profile": {"name": "x"}})
    assert not_in_token.status_code == 403 and 'error="insufficient_scope"' in not_in_token.headers["WWW-Authenticate"]
    none_granted = client.get_token("okta.users.manage okta.groups.manage")
    assert none_granted.status_code == 400
    assert none_granted.json() == {"error": "consent_required", "error_description": "You are not allowed any of the requested scopes."}
    unknown = client.get_token("okta.users.read okta.users.reed")
    assert unknown.status_code == 400 and unknown.json() == {
        "error": "invalid_scope",
        "error_description": "The requested scope is invalid, unknown, malformed, or exceeds the scope granted by the resource owner."}
    unknown_alone = client.get_token("okta.users.reed")
    assert unknown_alone.json()["error"] == "invalid_scope", "an unknown scope is not a consent question"
    assert client.get_token("").json() == {"error": "invalid_scope", "error_description": "No scopes were requested."}


def test_issued_tokens_are_in_the_system_log(admin: AdminSession, rsa_keys: list) -> None:
    client = service_client(admin, rsa_keys)
    other = create_service_app(admin, "Other", rsa_keys[1], kid="other-1")
    grant(admin, other["id"], "okta.users.read")
    refused = client.get_token("okta.users.manage")
    assert refused.status_code == 400
    for scopes in ("okta.users.read", "okta.groups.read okta.users.read"):
        assert client.get_token(scopes).status_code == 200
    assert ServiceClient(admin.base_url, other["id"], rsa_keys[1], "other-1").get_token("okta.users.read").status_code == 200
    wanted = 'eventType eq "app.oauth2.token.grant.access_token" and actor.id eq "%s"' % client.client_id
    query = {"filter": wanted, "sortOrder": "DESCENDING", "until": "2999-01-01T00:00:00.000Z"}
    events = admin.get(admin.base_url + "/api/v1/logs", params=query).json()
    assert len(events) == 2, "one event per issued token, none for the refused request or the other client"
    latest = events[0]
    assert latest["actor"] == {"id": client.client_id, "type": "PublicClientApp", "alternateId": client.client_id, "displayName": "Zluri",
                               "detailEntry": None}
    assert latest["debugContext"]["debugData"] == {"grantType": "client_credentials", "grantedScopes": "okta.groups.read okta.users.read",
                                                   "dpop": "false"}
    assert latest["published"] >= events[1]["published"]


def test_only_private_key_jwt_clients_get_tokens(admin: AdminSession, rsa_keys: list) -> None:
    body = service_app_body("Secret client", None)
    body["credentials"]["oauthClient"]["token_endpoint_auth_method"] = "client_secret_basic"
    created = admin.post(admin.base_url + "/api/v1/apps", json=body)
    assert created.status_code == 200, created.text
    app = created.json()
    grant(admin, app["id"], "okta.users.read")
    refusal = {"error": "invalid_client", "error_description": "Client Credentials requests to the Org Authorization Server must use the "
                                                               "private_key_jwt token_endpoint_auth_method."}
    with_secret = requests.post(admin.base_url + "/oauth2/v1/token", auth=(app["id"], app["credentials"]["oauthClient"]["client_secret"]),
                                data={"grant_type": "client_credentials", "scope": "okta.users.read"}, timeout=5)
    assert (with_secret.status_code, with_secret.json()) == (401, refusal)
    with_assertion = ServiceClient(admin.base_url, app["id"], rsa_keys[0], None).get_token("okta.users.read")
    assert (with_assertion.status_code, with_assertion.json()) == (401, refusal), "the app's method decides, not what the client sends"


def test_client_assertion_failures(admin: AdminSession, rsa_keys: list) -> None:
    client = service_client(admin, rsa_keys)
    now = int(time.time())
    cases = {
        "audience claim": client.assertion(aud=admin.base_url + "/oauth2/default/v1/token"),
        "must contain the 'exp' claim": client.assertion(exp=None),
        "is expired": client.assertion(exp=now - 10),
        "too far into the future": client.assertion(exp=now + 7200),
        "issued before the current time": client.assertion(iat=now + 120),
        "issuer claim": client.assertion(iss="0oaunknown00000000000", sub="0oaunknown00000000000"),
        "subject claim": client.assertion(sub="someone-else"),
        "parsing of the client_assertion failed": "not-a-jwt",
    }
    for expected, assertion in cases.items():
        response = client.token_request("okta.users.read", assertion=assertion)
        assert response.status_code == 401 and response.json()["error"] == "invalid_client", expected
        assert expected in response.json()["error_description"], response.json()
    wrong_key = ServiceClient(admin.base_url, client.client_id, rsa_keys[1], "zluri-1")
    assert "signature is invalid" in wrong_key.get_token("okta.users.read").json()["error_description"]
    wrong_kid = ServiceClient(admin.base_url, client.client_id, rsa_keys[0], "other-kid")
    assert "kid is invalid" in wrong_kid.get_token("okta.users.read").json()["error_description"]
    replayed = client.assertion()
    assert client.token_request("okta.users.read", assertion=replayed).status_code == 200
    again = client.token_request("okta.users.read", assertion=replayed)
    assert again.status_code == 401 and again.json()["error_description"] == "The client_assertion token has already been used."
    wrong_type = requests.post(admin.base_url + "/oauth2/v1/token", timeout=5, data={
        "grant_type": "client_credentials", "scope": "okta.users.read", "client_assertion_type": "x", "client_assertion": client.assertion()})
    assert wrong_type.status_code == 400 and wrong_type.json()["error"] == "invalid_request"
    assert requests.post(admin.base_url + "/oauth2/v1/token", data={"grant_type": "password"}, timeout=5).json()["error"] == "unsupported_grant_type"
    assert requests.post(admin.base_url + "/oauth2/v1/token", data={"grant_type": "client_credentials"}, timeout=5).status_code == 401
    admin.post(admin.base_url + "/api/v1/apps/%s/lifecycle/deactivate" % client.client_id)
    assert client.get_token("okta.users.read").status_code == 401


def test_ec_keys_sign_assertions(admin: AdminSession, ec_key: object) -> None:
    app = create_service_app(admin, "EC", ec_key, kid="ec-1")
    grant(admin, app["id"], "okta.users.read")
    client = ServiceClient(admin.base_url, app["id"], ec_key, "ec-1", algorithm="ES256")
    assert client.get_token("okta.users.read").status_code == 200


def test_dpop_nonce_dance_and_resource_calls(admin: AdminSession, rsa_keys: list) -> None:
    client = service_client(admin, rsa_keys, dpop=True, dpop_key=rsa_keys[2])
    token_url = admin.base_url + "/oauth2/v1/token"
    missing = client.token_request(MINIMUM_SCOPES)
    assert missing.status_code == 400 and missing.json() == {"error": "invalid_dpop_proof", "error_description": "The DPoP proof JWT header is missing."}
    assertion = client.assertion()
    first = client.token_request(MINIMUM_SCOPES, assertion=assertion, proof=client.proof("POST", token_url))
    assert first.status_code == 400 and first.json()["error"] == "use_dpop_nonce" and first.headers["dpop-nonce"]
    nonce = first.headers["dpop-nonce"]
    reused_assertion = client.token_request(MINIMUM_SCOPES, assertion=assertion, proof=client.proof("POST", token_url, nonce=nonce))
    assert reused_assertion.status_code == 401 and "already been used" in reused_assertion.json()["error_description"]
    response = client.token_request(MINIMUM_SCOPES, proof=client.proof("POST", token_url, nonce=nonce))
    assert response.status_code == 200 and response.json()["token_type"] == "DPoP"
    token = response.json()["access_token"]
    assert "jkt" in jwt.decode(token, options={"verify_signature": False})["cnf"]
    client.access_token, client.token_type = token, "DPoP"
    assign(admin, client.client_id, {"type": "READ_ONLY_ADMIN"})
    assert client.call("GET", "/api/v1/groups?q=Eng").status_code == 200

    users_url = admin.base_url + "/api/v1/users"

    def call(proof: str | None, scheme: str = "DPoP") -> requests.Response:
        headers = {"Authorization": "%s %s" % (scheme, token)}
        if proof:
            headers["DPoP"] = proof
        return requests.get(users_url, headers=headers, timeout=5)

    failures = {
        "requires a DPoP proof": call(None),
        "must use the DPoP authentication scheme": call(client.proof("GET", users_url, access_token=token), scheme="Bearer"),
        "'ath' claim": call(client.proof("GET", users_url, access_token="other")),
        "'htu' claim": call(client.proof("GET", users_url + "?limit=5", access_token=token)),
        "'htm' claim": call(client.proof("POST", users_url, access_token=token)),
        "issued more than five minutes": call(client.proof("GET", users_url, access_token=token, iat=int(time.time()) - 600)),
        "issued in the future": call(client.proof("GET", users_url, access_token=token, iat=int(time.time()) + 600)),
        "'typ' must be": call(client.proof("GET", users_url, access_token=token, header={"typ": "JWT"})),
    }
    for expected, response in failures.items():
        assert response.status_code == 400, expected
        assert expected in response.json()["error_description"], response.json()
        assert response.headers["WWW-Authenticate"].startswith("DPoP algs=")
    proof = client.proof("GET", users_url, access_token=token)
    assert call(proof).status_code == 200
    replay = call(proof)
    assert replay.status_code == 400 and "already been used" in replay.json()["error_description"]
    other_key = ServiceClient(admin.base_url, client.client_id, rsa_keys[0], "zluri-1", dpop_key=rsa_keys[1])
    unbound = call(other_key.proof("GET", users_url, access_token=token))
    assert unbound.status_code == 400 and "not bound" in unbound.json()["error_description"]


def test_unsolicited_dpop_binds_the_token(admin: AdminSession, rsa_keys: list) -> None:
    client = service_client(admin, rsa_keys, dpop_key=rsa_keys[2])
    response = client.get_token("okta.users.read")
    assert response.status_code == 200 and response.json()["token_type"] == "DPoP"
    bearer = ServiceClient(admin.base_url, client.client_id, rsa_keys[0], "zluri-1")
    bearer.get_token("okta.users.read")
    dpop_scheme = requests.get(admin.base_url + "/api/v1/users", headers={"Authorization": "DPoP " + str(bearer.access_token)}, timeout=5)
    assert dpop_scheme.status_code == 401 and "not DPoP bound" in dpop_scheme.json()["error_description"]


def test_custom_role_scopes_what_the_client_sees(admin: AdminSession, rsa_keys: list) -> None:
    client = service_client(admin, rsa_keys)
    groups = {group["profile"]["name"]: group["id"] for group in admin.get(admin.base_url + "/api/v1/groups").json()}
    role = admin.post(admin.base_url + "/api/v1/iam/roles", json={
        "label": "Zluri", "description": "d", "permissions": ["okta.users.read", "okta.groups.read", "okta.iam.read", "okta.apps.read"]}).json()
    resource_set = admin.post(admin.base_url + "/api/v1/iam/resource-sets", json={"label": "Zluri", "description": "d", "resources": [
        admin.base_url + "/api/v1/groups/%s/users" % groups["Finance"], admin.base_url + "/api/v1/groups/" + groups["Finance"],
        admin.base_url + '/api/v1/apps?filter=name+eq+%22bookmark%22']}).json()
    assign(admin, client.client_id, {"type": "CUSTOM", "role": role["id"], "resource-set": resource_set["id"]})
    client.get_token(MINIMUM_SCOPES)
    users = client.call("GET", "/api/v1/users").json()
    finance_members = admin.get(admin.base_url + "/api/v1/groups/%s/users" % groups["Finance"]).json()
    assert sorted(user["id"] for user in users) == sorted(user["id"] for user in finance_members) and len(users) == 3
    assert client.call("GET", "/api/v1/users/" + finance_members[0]["id"]).status_code == 200
    outsider = admin.get(admin.base_url + "/api/v1/groups/%s/users" % groups["Engineering"]).json()[0]
    assert client.call("GET", "/api/v1/users/" + outsider["id"]).status_code == 403
    assert [group["id"] for group in client.call("GET", "/api/v1/groups").json()] == [groups["Finance"]]
    assert {app["name"] for app in client.call("GET", "/api/v1/apps").json()} == {"bookmark"}
    assert client.call("GET", "/api/v1/iam/roles").status_code == 403  # no IAM resource in the set
    assert client.call("GET", "/api/v1/logs").status_code == 403  # custom roles can't read the log
    admin.patch(admin.base_url + "/api/v1/iam/resource-sets/%s/resources" % resource_set["id"], json={
        "additions": ["orn:okta:iam:%s:contained_resources" % admin.get(admin.base_url + "/.well-known/okta-organization").json()["id"],
                      admin.base_url + "/api/v1/users"]})
    assert client.call("GET", "/api/v1/iam/roles").status_code == 200
    assert client.call("GET", "/oauth2/v1/clients/%s/roles" % client.client_id).status_code == 200
    assert len(client.call("GET", "/api/v1/users").json()) == 22
    assert client.call("POST", "/api/v1/iam/roles", json={}).status_code == 403


def test_ssws_errors(admin: AdminSession) -> None:
    anonymous = requests.get(admin.base_url + "/api/v1/users", timeout=5)
    assert anonymous.status_code == 401 and anonymous.json()["errorCode"] == "E0000004"
    wrong = requests.get(admin.base_url + "/api/v1/users", headers={"Authorization": "SSWS wrong"}, timeout=5)
    assert wrong.status_code == 401 and wrong.json()["errorSummary"] == "Invalid token provided"
    assert requests.get(admin.base_url + "/.well-known/okta-organization", timeout=5).status_code == 200


@pytest.mark.okta_emulator(seed="empty", readonly_token="ro-token")
def test_readonly_ssws_token(okta_emulator: RunningEmulator) -> None:
    url = okta_emulator.url
    headers = {"Authorization": "SSWS ro-token"}
    assert requests.get(url + "/api/v1/users", headers=headers, timeout=5).status_code == 200
    denied = requests.post(url + "/api/v1/groups", headers=headers, json={"profile": {"name": "x"}}, timeout=5)
    assert denied.status_code == 403 and denied.json()["errorCode"] == "E0000006"


def test_clock_skew(okta_emulator: RunningEmulator, admin: AdminSession, rsa_keys: list) -> None:
    client = service_client(admin, rsa_keys)
    okta_emulator.settings(clock_skew_seconds=-120)
    skewed = client.get_token("okta.users.read")
    assert skewed.status_code == 401 and "issued before the current time" in skewed.json()["error_description"]
    okta_emulator.settings(clock_skew_seconds=0)
    assert client.get_token("okta.users.read").status_code == 200


def dpop_client_with_token(admin: AdminSession, rsa_keys: list) -> tuple[ServiceClient, str]:
    """A Read-only Administrator client with a DPoP-bound token, and the token endpoint's nonce it used."""
    client = service_client(admin, rsa_keys, dpop=True, dpop_key=rsa_keys[2])
    assign(admin, client.client_id, {"type": "READ_ONLY_ADMIN"})
    token_url = admin.base_url + "/oauth2/v1/token"
    nonce = client.token_request(MINIMUM_SCOPES, proof=client.proof("POST", token_url)).headers["dpop-nonce"]
    response = client.token_request(MINIMUM_SCOPES, proof=client.proof("POST", token_url, nonce=nonce))
    assert response.status_code == 200, response.json()
    client.access_token, client.token_type = response.json()["access_token"], "DPoP"
    return client, nonce


def test_htu_of_a_labelled_path(admin: AdminSession, rsa_keys: list) -> None:
    label = "Zluri (read-only): a&b"
    role = admin.post(admin.base_url + "/api/v1/iam/roles", json={"label": label, "description": "d", "permissions": ["okta.users.read"]})
    assert role.status_code == 200, role.text
    client, _nonce = dpop_client_with_token(admin, rsa_keys)
    sent = admin.base_url + "/api/v1/iam/roles/" + urllib.parse.quote(label, safe="")
    assert "%28" in sent and "%3A" in sent and "%26" in sent

    def get(htu: str) -> requests.Response:
        proof = client.proof("GET", htu, access_token=client.access_token)
        return requests.get(sent, headers={"Authorization": "DPoP %s" % client.access_token, "DPoP": proof}, timeout=5)

    as_sent = get(sent)
    assert as_sent.status_code == 400 and "'htu' claim" in as_sent.json()["error_description"]
    normalised = get(admin.base_url + "/api/v1/iam/roles/Zluri%20(read-only):%20a&b")
    assert normalised.status_code == 200, normalised.json()
    assert normalised.json()["id"] == role.json()["id"]


def test_resource_server_nonce_is_apart_from_the_token_endpoint_nonce(okta_emulator: RunningEmulator, admin: AdminSession, rsa_keys: list) -> None:
    client, token_nonce = dpop_client_with_token(admin, rsa_keys)
    users_url = admin.base_url + "/api/v1/users"

    def call(nonce: str | None) -> requests.Response:
        proof = client.proof("GET", users_url, nonce=nonce, access_token=client.access_token)
        return requests.get(users_url, headers={"Authorization": "DPoP %s" % client.access_token, "DPoP": proof}, timeout=5)

    assert call(None).status_code == 200, "Okta does not ask for a nonce on management calls by default"
    okta_emulator.settings(resource_dpop_nonce="rs-nonce-1")
    for nonce in (None, token_nonce):
        challenge = call(nonce)
        assert challenge.status_code == 401 and challenge.json()["error"] == "use_dpop_nonce", nonce
        assert challenge.headers["DPoP-Nonce"] == "rs-nonce-1"
        assert 'error="use_dpop_nonce"' in challenge.headers["WWW-Authenticate"]
    assert call("rs-nonce-1").status_code == 200
    token_url = admin.base_url + "/oauth2/v1/token"
    wrong_server = client.token_request(MINIMUM_SCOPES, proof=client.proof("POST", token_url, nonce="rs-nonce-1"))
    assert wrong_server.status_code == 400 and wrong_server.json()["error"] == "use_dpop_nonce"
    assert wrong_server.headers["dpop-nonce"] == token_nonce, "the token endpoint keeps its own nonce"
