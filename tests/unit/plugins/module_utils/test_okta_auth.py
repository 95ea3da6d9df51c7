# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from ansible_collections.saasops.okta_m2m.plugins.module_utils.keys import jwk_thumbprint
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_auth import (
    CLIENT_ASSERTION_TYPE,
    PrivateKeyJwtAuth,
    access_token_hash,
    htu,
    token_error_hint,
)
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_client import (
    OktaApiError,
    OktaClient,
    OktaConfigError,
    Response,
    RetryPolicy,
    Transport,
)
from ansible_collections.saasops.okta_m2m.tests.unit.plugins.module_utils.fake_http import FakeResponse, FakeSession

ORG = "https://example.okta.com"
TOKEN_URL = ORG + "/oauth2/v1/token"
CLIENT_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def token_ok(token_type: str = "Bearer", token: str = "at-1") -> FakeResponse:
    return FakeResponse(200, {"token_type": token_type, "expires_in": 3600, "access_token": token, "scope": "okta.roles.read"})


def dpop_missing() -> FakeResponse:
    return FakeResponse(400, {"error": "invalid_dpop_proof", "error_description": "The DPoP proof JWT header is missing."})


def use_nonce(nonce: str = "n-1") -> FakeResponse:
    return FakeResponse(400, {"error": "use_dpop_nonce", "error_description": "Authorization server requires nonce in DPoP proof."},
                        {"dpop-nonce": nonce})


def make(session: FakeSession, dpop: str = "auto", clock: Any = None, dpop_nonce: str | None = None) -> tuple[OktaClient, PrivateKeyJwtAuth]:
    transport = Transport(ORG, session=session, retry=RetryPolicy(), sleep=lambda s: None)
    auth = PrivateKeyJwtAuth(transport, "0oaclient", CLIENT_KEY, "kid-1", ["okta.roles.read"], dpop=dpop, dpop_nonce=dpop_nonce,
                             **({"clock": clock} if clock else {}))
    auth.validate()
    return OktaClient(transport, auth), auth


def decode_assertion(sent: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    assertion = sent.form["client_assertion"]
    header = jwt.get_unverified_header(assertion)
    claims = jwt.decode(assertion, CLIENT_KEY.public_key(), algorithms=["RS256"], audience=TOKEN_URL)
    return header, claims


def decode_proof(proof: str) -> tuple[dict[str, Any], dict[str, Any]]:
    header = jwt.get_unverified_header(proof)
    key = jwt.PyJWK(header["jwk"]).key
    return header, jwt.decode(proof, key, algorithms=[header["alg"]])


def test_client_assertion_claims() -> None:
    session = FakeSession([token_ok(), FakeResponse(200, [])])
    client = make(session)[0]
    client.get("/oauth2/v1/clients/0oaclient/roles")
    token_request = session.sent[0]
    assert token_request.url == TOKEN_URL
    form = token_request.form
    assert form["grant_type"] == "client_credentials"
    assert form["scope"] == "okta.roles.read"
    assert form["client_assertion_type"] == CLIENT_ASSERTION_TYPE
    header, claims = decode_assertion(token_request)
    assert header["alg"] == "RS256" and header["kid"] == "kid-1"
    assert claims["iss"] == claims["sub"] == "0oaclient"
    assert claims["aud"] == TOKEN_URL
    assert 0 < claims["exp"] - claims["iat"] <= 3600
    assert claims["jti"]
    assert "DPoP" not in token_request.headers
    assert session.sent[1].headers["Authorization"] == "Bearer at-1"


def test_one_token_is_reused_for_every_call() -> None:
    session = FakeSession([token_ok(), FakeResponse(200, []), FakeResponse(200, []), FakeResponse(200, [])])
    client, auth = make(session)
    for _attempt in range(3):
        client.get("/api/v1/apps")
    assert auth.token_requests == 1
    assert client.stats.by_endpoint["POST /oauth2/v1/token"] == 1


def test_token_is_renewed_when_it_expires() -> None:
    now = [1000.0]
    session = FakeSession([token_ok(token="at-1"), FakeResponse(200, []), token_ok(token="at-2"), FakeResponse(200, [])])
    client, auth = make(session, clock=lambda: now[0])
    client.get("/api/v1/apps")
    now[0] += 3600
    client.get("/api/v1/apps")
    assert session.sent[3].headers["Authorization"] == "Bearer at-2"
    assert auth.secrets() == ["at-1", "at-2"]


def test_dpop_always_proof_on_first_token_request_and_nonce_retry() -> None:
    session = FakeSession([use_nonce("n-1"), token_ok("DPoP", "at-dpop"), FakeResponse(200, [])])
    client, auth = make(session, dpop="always")
    client.get("/api/v1/iam/roles?limit=5")
    first, second, call = session.sent
    header, proof = decode_proof(first.headers["DPoP"])
    assert header["typ"] == "dpop+jwt" and header["alg"] == "ES256"
    assert set(header["jwk"]) == {"kty", "crv", "x", "y"}, "only the public key goes in the proof"
    assert proof["htm"] == "POST" and proof["htu"] == TOKEN_URL and proof["iat"] and proof["jti"]
    assert "nonce" not in proof
    retry_proof = decode_proof(second.headers["DPoP"])[1]
    assert retry_proof["nonce"] == "n-1"
    assert retry_proof["jti"] != proof["jti"]
    # Okta consumed the first assertion's jti: the retry must carry a new assertion.
    assert decode_assertion(first)[1]["jti"] != decode_assertion(second)[1]["jti"]
    assert call.headers["Authorization"] == "DPoP at-dpop"
    call_proof = decode_proof(call.headers["DPoP"])[1]
    assert call_proof["htm"] == "GET"
    assert call_proof["htu"] == ORG + "/api/v1/iam/roles", "htu carries no query"
    assert call_proof["ath"] == base64.urlsafe_b64encode(hashlib.sha256(b"at-dpop").digest()).rstrip(b"=").decode()
    assert auth.token_requests == 2


def test_dpop_key_is_not_the_client_key() -> None:
    session = FakeSession([token_ok("DPoP"), FakeResponse(200, [])])
    client = make(session, dpop="always")[0]
    client.get("/api/v1/apps")
    header = decode_proof(session.sent[0].headers["DPoP"])[0]
    assert header["jwk"]["kty"] == "EC"


def test_each_resource_call_gets_a_fresh_proof() -> None:
    session = FakeSession([token_ok("DPoP"), FakeResponse(200, []), FakeResponse(200, [])])
    client = make(session, dpop="always")[0]
    client.get("/api/v1/apps")
    client.get("/api/v1/apps")
    jtis = {decode_proof(request.headers["DPoP"])[1]["jti"] for request in session.sent[1:]}
    assert len(jtis) == 2


def test_dpop_auto_switches_when_the_app_requires_it() -> None:
    session = FakeSession([dpop_missing(), use_nonce(), token_ok("DPoP"), FakeResponse(200, [])])
    client, auth = make(session, dpop="auto")
    client.get("/api/v1/apps")
    assert "DPoP" not in session.sent[0].headers
    assert "DPoP" in session.sent[1].headers and "DPoP" in session.sent[2].headers
    assert session.sent[3].headers["Authorization"].startswith("DPoP ")
    assert auth.token_requests == 3


def test_dpop_auto_carries_the_nonce_it_was_given_and_the_one_it_got() -> None:
    session = FakeSession([token_ok("DPoP"), FakeResponse(200, [])])
    client, auth = make(session, dpop="auto", dpop_nonce="n-1")
    assert auth.dpop_nonce_to_carry() is None, "no token yet"
    client.get("/api/v1/apps")
    assert decode_proof(session.sent[0].headers["DPoP"])[1]["nonce"] == "n-1"
    assert auth.token_requests == 1
    assert auth.dpop_nonce_to_carry() == "n-1"


def test_a_stale_carried_nonce_costs_one_retry_and_the_new_nonce_is_carried() -> None:
    session = FakeSession([use_nonce("n-2"), token_ok("DPoP"), FakeResponse(200, [])])
    client, auth = make(session, dpop="always", dpop_nonce="n-1")
    client.get("/api/v1/apps")
    assert [decode_proof(request.headers["DPoP"])[1]["nonce"] for request in session.sent[:2]] == ["n-1", "n-2"]
    assert auth.token_requests == 2
    assert auth.dpop_nonce_to_carry() == "n-2"


def test_a_carried_nonce_for_an_app_without_dpop_gives_a_quiet_bearer_token() -> None:
    session = FakeSession([token_ok("Bearer"), FakeResponse(200, [])])
    client, auth = make(session, dpop="auto", dpop_nonce="n-1")
    client.get("/api/v1/apps")
    assert session.sent[1].headers["Authorization"] == "Bearer at-1" and "DPoP" not in session.sent[1].headers
    assert auth.warnings == [], "auto asked for no DPoP; the proof was only sent on the strength of an earlier nonce"
    assert auth.dpop_nonce_to_carry() is None


def test_dpop_never_ignores_a_carried_nonce() -> None:
    session = FakeSession([token_ok("Bearer"), FakeResponse(200, [])])
    client, auth = make(session, dpop="never", dpop_nonce="n-1")
    client.get("/api/v1/apps")
    assert "DPoP" not in session.sent[0].headers
    assert auth.dpop_nonce_to_carry() is None


def test_dpop_never_reports_what_the_app_needs() -> None:
    session = FakeSession([dpop_missing()])
    client = make(session, dpop="never")[0]
    with pytest.raises(OktaApiError, match="requires DPoP"):
        client.get("/api/v1/apps")


def test_bearer_token_when_dpop_was_sent_is_reported() -> None:
    session = FakeSession([token_ok("Bearer"), FakeResponse(200, [])])
    client = make(session, dpop="always")[0]
    with pytest.raises(OktaApiError, match="instead of a DPoP-bound one"):
        client.get("/api/v1/apps")


def resource_nonce_challenge(nonce: str = "rs-nonce") -> FakeResponse:
    return FakeResponse(401, {"error": "use_dpop_nonce", "error_description": "Resource server requires nonce in DPoP proof."},
                        {"DPoP-Nonce": nonce, "WWW-Authenticate": 'DPoP algs="ES256", error="use_dpop_nonce"'})


def test_resource_server_nonce_challenge_is_answered_once() -> None:
    session = FakeSession([token_ok("DPoP"), resource_nonce_challenge(), FakeResponse(200, [])])
    client = make(session, dpop="always")[0]
    client.get("/api/v1/apps")
    assert "nonce" not in decode_proof(session.sent[1].headers["DPoP"])[1]
    proof = decode_proof(session.sent[2].headers["DPoP"])[1]
    assert proof["nonce"] == "rs-nonce"


def test_resource_server_nonce_stays_with_the_resource_server() -> None:
    now = [1000.0]
    session = FakeSession([use_nonce("as-1"), token_ok("DPoP", "at-1"), resource_nonce_challenge("rs-1"), FakeResponse(200, []),
                           token_ok("DPoP", "at-2"), FakeResponse(200, [])])
    client, auth = make(session, dpop="always", clock=lambda: now[0])
    client.get("/api/v1/apps")
    assert decode_proof(session.sent[3].headers["DPoP"])[1]["nonce"] == "rs-1", "the retried call carries the resource nonce"
    assert auth.dpop_nonce_to_carry() == "as-1", "only the token endpoint's nonce is handed to later tasks"
    now[0] += 3600
    client.get("/api/v1/apps")
    renewal, call = session.sent[4:]
    assert renewal.url == TOKEN_URL
    assert decode_proof(renewal.headers["DPoP"])[1]["nonce"] == "as-1", "the resource nonce never goes to the token endpoint"
    assert decode_proof(call.headers["DPoP"])[1]["nonce"] == "rs-1"
    assert auth.token_requests == 3 and auth.dpop_nonce_to_carry() == "as-1"


@pytest.mark.parametrize("status, body, headers", [
    (401, {"error": "invalid_dpop_proof"}, {"DPoP-Nonce": "rs-1"}),
    (403, {"error": "use_dpop_nonce"}, {"DPoP-Nonce": "rs-1"}),
    (401, {"error": "use_dpop_nonce"}, {}),
])
def test_only_a_nonce_challenge_is_retried(status: int, body: dict[str, str], headers: dict[str, str]) -> None:
    session = FakeSession([token_ok("DPoP"), FakeResponse(200, [])])
    client, auth = make(session, dpop="always")
    client.get("/api/v1/apps")
    assert auth.should_retry(Response(status=status, headers=headers, body=body, url=ORG + "/api/v1/apps")) is False
    assert auth.resource_nonce is None


def test_a_nonce_named_only_in_www_authenticate_is_taken() -> None:
    session = FakeSession([token_ok("DPoP"), FakeResponse(200, [])])
    client, auth = make(session, dpop="always")
    client.get("/api/v1/apps")
    challenge = Response(status=401, headers={"DPoP-Nonce": "rs-1", "WWW-Authenticate": 'DPoP error="use_dpop_nonce"'}, body=None,
                         url=ORG + "/api/v1/apps")
    assert auth.should_retry(challenge) is True and auth.resource_nonce == "rs-1"
    assert auth.should_retry(challenge) is False, "the same nonce again is not answered twice"


@pytest.mark.parametrize("body, fragment", [
    ({"error": "invalid_client", "error_description": "The client_assertion signature is invalid."}, "registered and ACTIVE"),
    ({"error": "invalid_client", "error_description": "The client_assertion JWT kid is invalid."}, "key_id its kid"),
    ({"error": "invalid_client", "error_description": "Client Credentials requests to the Org Authorization Server must use the private_key_jwt "
                                                      "token_endpoint_auth_method."}, "client authentication is not private_key_jwt"),
    ({"error": "consent_required", "error_description": "You are not allowed any of the requested scopes."}, "None of the requested scopes is granted"),
    ({"error": "invalid_scope", "error_description": "The requested scope is invalid, unknown, malformed, or exceeds the scope granted by the "
                                                     "resource owner."}, "does not know a requested scope"),
    ({"error": "invalid_client", "error_description": "The client_assertion token has expired."}, "clock"),
])
def test_token_errors_explain_themselves(body: dict[str, str], fragment: str) -> None:
    session = FakeSession([FakeResponse(401 if body["error"] == "invalid_client" else 400, body)])
    client = make(session)[0]
    with pytest.raises(OktaApiError, match=fragment) as caught:
        client.get("/api/v1/apps")
    assert caught.value.oauth_error == body["error"]


def test_the_token_keeps_only_the_scopes_okta_granted() -> None:
    partial = FakeResponse(200, {"token_type": "Bearer", "expires_in": 3600, "access_token": "at-1", "scope": "okta.roles.read"})
    session = FakeSession([partial])
    transport = Transport(ORG, session=session, retry=RetryPolicy(), sleep=lambda s: None)
    auth = PrivateKeyJwtAuth(transport, "0oaclient", CLIENT_KEY, "kid-1", ["okta.roles.read", "okta.users.read"])
    auth.validate()
    assert auth.access_token().scopes == ["okta.roles.read"]
    assert session.sent[0].form["scope"] == "okta.roles.read okta.users.read"


def test_token_request_is_retried_after_a_rate_limit_with_a_new_assertion() -> None:
    limited = FakeResponse(429, {"errorCode": "E0000047"}, {"X-Rate-Limit-Limit": "0", "X-Rate-Limit-Remaining": "0"})
    session = FakeSession([limited, token_ok(), FakeResponse(200, [])])
    client = make(session)[0]
    client.get("/api/v1/apps")
    assert decode_assertion(session.sent[0])[1]["jti"] != decode_assertion(session.sent[1])[1]["jti"]


@pytest.mark.parametrize("kwargs, fragment", [
    ({"scopes": []}, "at least one"),
    ({"scopes": ["openid"]}, "okta"),
    ({"client_id": ""}, "client_id"),
    ({"dpop": "sometimes"}, "dpop"),
])
def test_validate(kwargs: dict[str, Any], fragment: str) -> None:
    options: dict[str, Any] = {"client_id": "0oa1", "private_key": CLIENT_KEY, "key_id": None, "scopes": ["okta.apps.read"], "dpop": "auto"}
    options.update(kwargs)
    auth = PrivateKeyJwtAuth(Transport(ORG, session=FakeSession()), **options)
    with pytest.raises(OktaConfigError, match=fragment):
        auth.validate()


@pytest.mark.parametrize("sent, expected", [
    ("https://x.okta.com/api/v1/users?limit=1#frag", "https://x.okta.com/api/v1/users"),
    ("https://x.okta.com/api/v1/iam/roles/Zluri%20%28read-only%29", "https://x.okta.com/api/v1/iam/roles/Zluri%20(read-only)"),
    ("https://x.okta.com/api/v1/iam/resource-sets/a%3Ab%40c%26d%2Be%27f", "https://x.okta.com/api/v1/iam/resource-sets/a:b@c&d+e'f"),
    ("https://x.okta.com/api/v1/iam/roles/100%25%20%22q%22%20%23one", "https://x.okta.com/api/v1/iam/roles/100%25%20%22q%22%20%23one"),
    ("https://x.okta.com/api/v1/iam/roles/Caf%C3%A9%20%E2%9C%93", "https://x.okta.com/api/v1/iam/roles/Caf\u00e9%20\u2713"),
    ("https://x.okta.com/api/v1/iam/roles/(plain):@&+'", "https://x.okta.com/api/v1/iam/roles/(plain):@&+'"),
    ("https://x.okta.com/api/v1/iam/roles/a%2525b", "https://x.okta.com/api/v1/iam/roles/a%2525b"),
])
def test_htu_is_the_path_as_okta_compares_it(sent: str, expected: str) -> None:
    assert htu(sent) == expected


def test_helpers() -> None:
    assert access_token_hash("abc") == base64.urlsafe_b64encode(hashlib.sha256(b"abc").digest()).rstrip(b"=").decode()
    assert token_error_hint("unauthorized_client", "", "auto").startswith("The app does not allow")


def test_proof_thumbprint_matches_rfc7638() -> None:
    session = FakeSession([token_ok("DPoP"), FakeResponse(200, [])])
    client, auth = make(session, dpop="always")
    client.get("/api/v1/apps")
    assert auth.dpop is not None
    assert auth.dpop.thumbprint() == jwk_thumbprint(json.loads(json.dumps(auth.dpop.public_jwk)))
