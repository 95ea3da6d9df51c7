# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Spec conformance: the emulator's traffic, recorded, validated against the official OpenAPI specs (openapi-core).

The scenario drives every operation the collection uses (plugins/module_utils), the way the collection calls them,
plus the error answers the collection can meet, against an emulator that records its traffic; the validator
(fidelity/spec_validator.py, the same one ``spec_check.py`` runs after the integration suite) then checks every
request and every answer. Only the entries of fidelity/allowlist.yaml are exempt.
"""
from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from fidelity_support import NEGATIVE_AGENT, Client, OAuthClient, validator
from helpers import CASSETTES
from okta_fixtures import OrgAdmin, create_admin_app, public_jwk, service_app_body, signing_jwk
from okta_emulator.harness import RunningEmulator, start_emulator

# Every operation the collection's modules and roles call (plugins/module_utils/*.py), as the spec names them.
COLLECTION_OPERATIONS = frozenset({
    "GET /.well-known/okta-organization",
    "GET /api/v1/apps", "POST /api/v1/apps", "GET /api/v1/apps/{appId}", "PUT /api/v1/apps/{appId}",
    "DELETE /api/v1/apps/{appId}", "POST /api/v1/apps/{appId}/lifecycle/activate",
    "POST /api/v1/apps/{appId}/lifecycle/deactivate",
    "GET /api/v1/apps/{appId}/credentials/jwks", "POST /api/v1/apps/{appId}/credentials/jwks",
    "DELETE /api/v1/apps/{appId}/credentials/jwks/{keyId}",
    "POST /api/v1/apps/{appId}/credentials/jwks/{keyId}/lifecycle/activate",
    "POST /api/v1/apps/{appId}/credentials/jwks/{keyId}/lifecycle/deactivate",
    "GET /api/v1/apps/{appId}/grants", "POST /api/v1/apps/{appId}/grants", "DELETE /api/v1/apps/{appId}/grants/{grantId}",
    "GET /api/v1/iam/roles", "POST /api/v1/iam/roles", "GET /api/v1/iam/roles/{roleIdOrLabel}",
    "PUT /api/v1/iam/roles/{roleIdOrLabel}", "DELETE /api/v1/iam/roles/{roleIdOrLabel}",
    "GET /api/v1/iam/roles/{roleIdOrLabel}/permissions",
    "POST /api/v1/iam/roles/{roleIdOrLabel}/permissions/{permissionType}",
    "PUT /api/v1/iam/roles/{roleIdOrLabel}/permissions/{permissionType}",
    "DELETE /api/v1/iam/roles/{roleIdOrLabel}/permissions/{permissionType}",
    "GET /api/v1/iam/resource-sets", "POST /api/v1/iam/resource-sets", "GET /api/v1/iam/resource-sets/{resourceSetIdOrLabel}",
    "PUT /api/v1/iam/resource-sets/{resourceSetIdOrLabel}", "DELETE /api/v1/iam/resource-sets/{resourceSetIdOrLabel}",
    "GET /api/v1/iam/resource-sets/{resourceSetIdOrLabel}/resources",
    "PATCH /api/v1/iam/resource-sets/{resourceSetIdOrLabel}/resources",
    "DELETE /api/v1/iam/resource-sets/{resourceSetIdOrLabel}/resources/{resourceId}",
    "GET /oauth2/v1/clients/{clientId}/roles", "POST /oauth2/v1/clients/{clientId}/roles",
    "DELETE /oauth2/v1/clients/{clientId}/roles/{roleAssignmentId}",
    "GET /api/v1/groups", "GET /api/v1/users", "GET /api/v1/logs", "GET /api/v1/domains",
    "POST /oauth2/v1/token",
})


def _scenario(admin: Client, negative: Client, keys: list[rsa.RSAPrivateKey],  # pylint: disable=too-many-locals,too-many-statements
              vendor_jwks_uri: str) -> None:
    """The collection's whole chain, then the teardown; every answer as the recordings and notes describe it."""
    base = admin.base_url
    org = admin.json("GET", "/.well-known/okta-organization")
    assert org["id"].startswith("00o")

    # The app: looked up by label (q + exact match), created with its key, read, replaced, toggled.
    assert admin.json("GET", "/api/v1/apps", params={"q": "Zluri", "limit": 200}) == []
    admin.json("GET", "/api/v1/apps", params={"limit": 1})
    app = admin.json("POST", "/api/v1/apps", params={"activate": "true"},
                     json=service_app_body("Zluri", [signing_jwk(keys[0], "zluri-1")], dpop=True))
    app_id, client_id = app["id"], app["credentials"]["oauthClient"]["client_id"]
    admin.json("GET", "/api/v1/apps", params={"q": "Zluri", "limit": 200, "filter": 'name eq "oidc_client"'})
    fresh = admin.json("GET", "/api/v1/apps/" + app_id)
    # A replace with a body built from the spec's writable members (not an echo of the read-only ones).
    replacement = service_app_body("Zluri M2M", [signing_jwk(keys[0], "zluri-1")], dpop=True)
    assert admin.json("PUT", "/api/v1/apps/" + app_id, json=replacement)["label"] == "Zluri M2M"
    assert fresh["status"] == "ACTIVE"
    admin.json("POST", "/api/v1/apps/%s/lifecycle/deactivate" % app_id)
    admin.json("POST", "/api/v1/apps/%s/lifecycle/activate" % app_id)

    # Keys: list, add, rotate (deactivate the old one, delete it), re-activate.
    jwks = "/api/v1/apps/%s/credentials/jwks" % app_id
    assert len(admin.json("GET", jwks)) == 1
    new_key = {name: signing_jwk(keys[1], "zluri-2")[name] for name in ("kid", "kty", "e", "n")}
    added = admin.json("POST", jwks, 201, json=dict(new_key, alg="RS256", use="sig", status="ACTIVE"))
    old = next(key for key in admin.json("GET", jwks) if key["kid"] == "zluri-1")
    admin.json("POST", "%s/%s/lifecycle/deactivate" % (jwks, old["id"]))
    admin.json("POST", "%s/%s/lifecycle/activate" % (jwks, old["id"]))
    admin.json("POST", "%s/%s/lifecycle/deactivate" % (jwks, added["id"]))
    admin.call("DELETE", "%s/%s" % (jwks, added["id"]), 204)

    # A vendor that holds its key: an app with the URL its keys are published at, a token signed with that key, a switch to
    # saved keys and back (each a full replace), and the refusal of both at once.
    vendor_body = service_app_body("Vendor", None)
    vendor_body["settings"]["oauthClient"]["jwks_uri"] = vendor_jwks_uri
    vendor = admin.json("POST", "/api/v1/apps", params={"activate": "true"}, json=vendor_body)
    admin.json("POST", "/api/v1/apps/%s/grants" % vendor["id"], json={"issuer": base, "scopeId": "okta.users.read"})
    assert OAuthClient(base, vendor["id"], keys[2], "vendor-1", dpop=False).mint("okta.users.read")["token_type"] == "Bearer"
    assert admin.json("GET", "/api/v1/apps/%s/credentials/jwks" % vendor["id"]) == []
    saved = admin.json("PUT", "/api/v1/apps/" + vendor["id"], json=service_app_body("Vendor", [signing_jwk(keys[2], "vendor-1")]))
    assert "jwks_uri" not in saved["settings"]["oauthClient"]
    assert "jwks" not in admin.json("PUT", "/api/v1/apps/" + vendor["id"], json=vendor_body)["settings"]["oauthClient"]
    both = service_app_body("Vendor", [signing_jwk(keys[2], "vendor-1")])
    both["settings"]["oauthClient"]["jwks_uri"] = vendor_jwks_uri
    negative.call("POST", "/api/v1/apps", 400, json=both)
    admin.json("POST", "/api/v1/apps/%s/lifecycle/deactivate" % vendor["id"])
    admin.call("DELETE", "/api/v1/apps/" + vendor["id"], 204)

    # Scope grants: one per scope, listed, one revoked.
    grants = "/api/v1/apps/%s/grants" % app_id
    scopes = ("okta.users.read", "okta.groups.read", "okta.apps.read", "okta.logs.read", "okta.roles.read", "okta.domains.read")
    granted = [admin.json("POST", grants, json={"issuer": base, "scopeId": scope}) for scope in scopes + ("okta.roles.manage",)]
    admin.json("GET", grants)
    admin.json("GET", grants, params={"expand": "scope"})
    admin.call("DELETE", "%s/%s" % (grants, granted[-1]["id"]), 204)

    # The custom role: looked up by label (404), created, renamed, permissions diffed one by one.
    roles = "/api/v1/iam/roles"
    negative.call("GET", roles + "/" + urllib.parse.quote("Zluri minimum", safe=""), 404)
    role = admin.json("POST", roles, json={"label": "Zluri minimum", "description": "Read-only for Zluri",
                                           "permissions": ["okta.users.read", "okta.groups.read", "okta.apps.read"]})
    role_path = roles + "/" + role["id"]
    admin.json("GET", roles + "/" + urllib.parse.quote("Zluri minimum", safe=""))
    admin.json("PUT", role_path, json={"label": "Zluri minimum", "description": "Read-only access for Zluri"})
    admin.json("GET", roles)
    admin.call("POST", role_path + "/permissions/okta.iam.read", 204)
    admin.call("POST", role_path + "/permissions/okta.directories.read", 204)
    admin.call("POST", role_path + "/permissions/okta.users.userprofile.manage", 204,
               json={"conditions": {"exclude": {"okta:ResourceAttribute/User/Profile": ["title"]}}})
    admin.json("PUT", role_path + "/permissions/okta.users.userprofile.manage",
               json={"conditions": {"include": {"okta:ResourceAttribute/User/Profile": ["department", "costCenter"]}}})
    admin.call("DELETE", role_path + "/permissions/okta.users.userprofile.manage", 204)
    assert len(admin.json("GET", role_path + "/permissions")["permissions"]) == 5

    # The resource set: groups found by name, created from REST URLs and ORNs, read, diffed, renamed.
    groups = admin.json("GET", "/api/v1/groups", params={"search": 'profile.name eq "Engineering" or profile.name eq "Finance"',
                                                         "limit": 200})
    engineering = next(group["id"] for group in groups if group["profile"]["name"] == "Engineering")
    admin.json("GET", "/api/v1/groups", params={"q": "Sales", "limit": 200})
    sets = "/api/v1/iam/resource-sets"
    negative.call("GET", sets + "/" + urllib.parse.quote("Zluri resources", safe=""), 404)
    partition = app["orn"].split(":")[1]
    resource_set = admin.json("POST", sets, json={"label": "Zluri resources", "description": "What Zluri may read", "resources": [
        base + "/api/v1/users", base + "/api/v1/groups", "orn:%s:idp:%s:apps" % (partition, org["id"]),
        "orn:%s:iam:%s:contained_resources" % (partition, org["id"])]})
    set_path = sets + "/" + resource_set["id"]
    admin.json("GET", sets + "/" + urllib.parse.quote("Zluri resources", safe=""))
    admin.json("GET", sets)
    admin.json("PATCH", set_path + "/resources", json={"additions": [
        base + "/api/v1/groups/%s/users" % engineering, "orn:%s:idp:%s:apps:oidc_client:%s" % (partition, org["id"], app_id)]})
    resources = admin.json("GET", set_path + "/resources", params={"limit": 200})["resources"]
    admin.call("DELETE", "%s/resources/%s" % (set_path, resources[-1]["id"]), 204)
    admin.json("PUT", set_path, json={"label": "Zluri resources", "description": "What Zluri may read, and no more"})

    # Client role assignments: standard and custom, listed, one removed.
    client_roles = "/oauth2/v1/clients/%s/roles" % client_id
    assert admin.json("GET", client_roles) == []
    standard = admin.json("POST", client_roles, 201, json={"type": "READ_ONLY_ADMIN"})
    custom = admin.json("POST", client_roles, 201, json={"type": "CUSTOM", "role": role["id"], "resource-set": resource_set["id"]})
    assert len(admin.json("GET", client_roles)) == 2

    # Zluri's view: private_key_jwt + DPoP, then the reads its scopes allow.
    oauth = OAuthClient(base, client_id, keys[0], "zluri-1")
    missing_proof = oauth.token_request(" ".join(scopes), with_proof=False)
    assert missing_proof.status_code == 400 and missing_proof.json()["error"] == "invalid_dpop_proof"
    token = oauth.mint(" ".join(scopes))
    assert token["token_type"] == "DPoP"
    for path in ("/api/v1/users?limit=1", "/api/v1/groups?limit=1", "/api/v1/apps?limit=1", "/api/v1/logs?limit=1",
                 "/api/v1/domains", client_roles):
        oauth.call("GET", path)
    too_much = OAuthClient(base, client_id, keys[0], "zluri-1", agent=NEGATIVE_AGENT)
    too_much.nonce = oauth.nonce
    refused = too_much.token_request("okta.users.manage")
    assert refused.status_code == 400 and refused.json()["error"] == "consent_required"

    # Errors the collection meets: duplicate labels, missing labels, short keys, unknown ids.
    negative.call("POST", roles, 400, json={"label": "Zluri minimum", "description": "d", "permissions": ["okta.users.read"]})
    negative.call("POST", sets, 400, json={"description": "no label", "resources": [base + "/api/v1/users"]})
    short = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    negative.call("POST", jwks, 400, json=dict(public_jwk(short, "short"), use="sig", alg="RS256"))
    negative.call("GET", "/api/v1/apps/0oaNoSuchApp00000000", 404)
    negative.call("GET", client_roles + "/NoSuchAssignment", 404)
    negative.call("GET", set_path + "/resources/ireNoSuchResource000", 404)

    # Teardown in Okta's order: unassign, delete role and set, deactivate and delete the app.
    admin.call("DELETE", "%s/%s" % (client_roles, custom["id"]), 204)
    admin.call("DELETE", "%s/%s" % (client_roles, standard["id"]), 204)
    admin.call("DELETE", role_path, 204)
    admin.call("DELETE", set_path, 204)
    admin.json("POST", "/api/v1/apps/%s/lifecycle/deactivate" % app_id)
    admin.call("DELETE", "/api/v1/apps/" + app_id, 204)


@pytest.fixture(scope="module")
def scenario_traffic(tmp_path_factory: pytest.TempPathFactory, rsa_keys: list[rsa.RSAPrivateKey]) -> Path:
    """Run the scenario once against an emulator that records its traffic; the traffic directory."""
    directory = tmp_path_factory.mktemp("traffic")
    with start_emulator(seed="demo", traffic_dir=str(directory)) as emulator:
        admin = Client(emulator.url, emulator.admin_token)
        negative = Client(emulator.url, emulator.admin_token, agent=NEGATIVE_AGENT)
        try:
            _scenario(admin, negative, rsa_keys, emulator.host_jwks("vendor", [signing_jwk(rsa_keys[2], "vendor-1")]))
        finally:
            admin.close()
            negative.close()
    return directory


# What a pre-flight and an audit of API tokens read (NOTES 10, issues 19 and 21), and the refusals they meet.
PREFLIGHT_OPERATIONS = frozenset({
    "GET /api/v1/users/{id}", "GET /api/v1/users/{userId}/roles", "POST /api/v1/users/{userId}/roles",
    "GET /api/v1/users/{userId}/roles/{roleAssignmentId}", "DELETE /api/v1/users/{userId}/roles/{roleAssignmentId}",
    "GET /oauth2/v1/clients/{clientId}/roles", "GET /api/v1/org/settings/clientPrivilegesSetting",
    "PUT /api/v1/org/settings/clientPrivilegesSetting", "GET /api/v1/authorizationServers",
    "GET /api/v1/authorizationServers/{authServerId}", "GET /api/v1/api-tokens", "GET /api/v1/api-tokens/{apiTokenId}",
    "DELETE /api/v1/api-tokens/{apiTokenId}", "DELETE /api/v1/api-tokens/current",
    "POST /api/v1/apps/{appId}/grants", "POST /api/v1/apps/{appId}/credentials/jwks", "PUT /api/v1/apps/{appId}",
})
ORG_ADMIN_TOKEN = "fidelity-org-admin-token"


def _preflight_scenario(emulator: RunningEmulator, admin: Client, negative: Client, org_admin: Client,  # pylint: disable=too-many-locals
                        keys: list[rsa.RSAPrivateKey]) -> None:
    """Who the credential is and what it holds, the org's settings and features, the API tokens; then what an Org
    Administrator is refused."""
    base = admin.base_url
    me = admin.json("GET", "/api/v1/users/me")
    admin.json("GET", "/api/v1/users/%s/roles" % me["id"])
    admin.json("GET", "/api/v1/users/%s/roles" % org_admin.json("GET", "/api/v1/users/me")["id"], params={"expand": "targets/groups"})
    user = admin.json("GET", "/api/v1/users", params={"q": "Ada"})[0]
    user_roles = "/api/v1/users/%s/roles" % user["id"]
    assignment = admin.json("POST", user_roles, 201, params={"disableNotifications": "false"}, json={"type": "APP_ADMIN"})
    negative.call("POST", user_roles, 409, json={"type": "APP_ADMIN"})
    admin.json("GET", "%s/%s" % (user_roles, assignment["id"]))
    admin.call("DELETE", "%s/%s" % (user_roles, assignment["id"]), 204)
    negative.call("GET", "/api/v1/users/00uNoSuchUser0000000/roles", 404)

    setting = "/api/v1/org/settings/clientPrivilegesSetting"
    assert admin.json("GET", setting) == {"clientPrivilegesSetting": False}
    admin.json("PUT", setting, json={"clientPrivilegesSetting": True})
    admin.json("PUT", setting, json={"clientPrivilegesSetting": False})
    org_admin.call("PUT", setting, 403, json={"clientPrivilegesSetting": True})

    servers = admin.json("GET", "/api/v1/authorizationServers", params={"q": "default", "limit": 200})
    admin.json("GET", "/api/v1/authorizationServers/" + servers[0]["id"])
    admin.json("GET", "/api/v1/authorizationServers/default")
    emulator.settings(api_access_management=False)
    admin.call("GET", "/api/v1/authorizationServers", 401)
    emulator.settings(api_access_management=True)

    vendor = emulator.seed_api_token(user["profile"]["login"], name="Vendor", created_days_ago=60, last_used_days_ago=3)
    emulator.seed_api_token("admin@example.com", name="Old sync", created_days_ago=20)
    first_page = admin.call("GET", "/api/v1/api-tokens", 200, params={"limit": 2})
    admin.json("GET", first_page.links["next"]["url"])
    admin.json("GET", "/api/v1/api-tokens", params={"q": "Vendor"})
    admin.json("GET", "/api/v1/api-tokens/" + vendor["id"])
    admin.call("DELETE", "/api/v1/api-tokens/" + vendor["id"], 204)
    negative.call("GET", "/api/v1/api-tokens/" + vendor["id"], 404)
    leaving = emulator.seed_api_token("admin@example.com", name="Leaving")
    Client(base, leaving["token"]).call("DELETE", "/api/v1/api-tokens/current", 204)

    # An admin OAuth app reads its own roles; a read its token has no scope for is refused.
    client_id, kid = create_admin_app(OrgAdmin(base), keys[1], role="ORG_ADMIN", dpop=True)
    app_client = OAuthClient(base, client_id, keys[1], kid)
    app_client.mint("okta.roles.read okta.apps.read")
    app_client.call("GET", "/oauth2/v1/clients/%s/roles" % client_id)
    app_client.call("GET", setting, expect=403)

    # What an Org Administrator may not do: grant scopes, change the keys of an app with grants.
    app = org_admin.json("POST", "/api/v1/apps", params={"activate": "true"}, json=service_app_body("Vendor", [signing_jwk(keys[0], "v1")]))
    org_admin.call("POST", "/api/v1/apps/%s/grants" % app["id"], 403, json={"issuer": base, "scopeId": "okta.users.read"})
    admin.json("POST", "/api/v1/apps/%s/grants" % app["id"], json={"issuer": base, "scopeId": "okta.users.read"})
    org_admin.call("POST", "/api/v1/apps/%s/credentials/jwks" % app["id"], 403,
                   json=dict(signing_jwk(keys[1], "v2"), status="ACTIVE"))
    org_admin.call("PUT", "/api/v1/apps/" + app["id"], 403, json=service_app_body("Vendor", [signing_jwk(keys[1], "v2")]))


@pytest.fixture(scope="module")
def preflight_traffic(tmp_path_factory: pytest.TempPathFactory, rsa_keys: list[rsa.RSAPrivateKey]) -> Path:
    """The pre-flight scenario against an emulator that records its traffic; the traffic directory."""
    directory = tmp_path_factory.mktemp("preflight-traffic")
    with start_emulator(seed="demo", traffic_dir=str(directory), org_admin_token=[ORG_ADMIN_TOKEN]) as emulator:
        clients = [Client(emulator.url, emulator.admin_token), Client(emulator.url, emulator.admin_token, agent=NEGATIVE_AGENT),
                   Client(emulator.url, ORG_ADMIN_TOKEN)]
        try:
            _preflight_scenario(emulator, *clients, rsa_keys)
        finally:
            for client in clients:
                client.close()
    return directory


def test_preflight_reads_conform_to_the_spec(preflight_traffic: Path) -> None:
    checker = validator()
    checker.validate_paths([preflight_traffic])
    assert not checker.failures(), checker.report()
    missing = PREFLIGHT_OPERATIONS - set(checker.operations)
    assert not missing, "the scenario no longer calls %s" % sorted(missing)


def test_scenario_conforms_to_the_spec(scenario_traffic: Path) -> None:
    checker = validator()
    checker.validate_paths([scenario_traffic])
    assert checker.exchanges > 60
    assert not checker.failures(), checker.report()
    missing = COLLECTION_OPERATIONS - set(checker.operations)
    assert not missing, "the scenario no longer calls %s" % sorted(missing)


@pytest.mark.parametrize("traffic", ["scenario_traffic", "preflight_traffic"])
def test_traffic_holds_no_secret(traffic: str, request: pytest.FixtureRequest) -> None:
    text = "".join(path.read_text(encoding="utf-8") for path in request.getfixturevalue(traffic).glob("*.jsonl"))
    assert "emulator-admin-token" not in text and ORG_ADMIN_TOKEN not in text
    assert "eyJ" not in text  # no JWT: client assertions, DPoP proofs and access tokens are redacted
    records = [json.loads(line) for line in text.splitlines()]
    assert records[0]["kind"] == "start"
    token_answers = [record for record in records if record.get("path") == "/oauth2/v1/token" and record["status"] == 200]
    assert token_answers and set(token_answers[0]["response_body"]["access_token"]) == {"X"}


def _exchange(status: int, body: Any, method: str = "GET", path: str = "/api/v1/iam/roles/cr0x", request_body: Any = None,
              agent: str = "okta-emulator-fidelity/1.0") -> dict[str, Any]:
    headers = [["User-Agent", agent], ["Authorization", "SSWS REDACTED"]]
    if request_body is not None:
        headers.append(["Content-Type", "application/json"])
    return {"kind": "exchange", "method": method, "path": path, "query": "", "request_headers": headers,
            "request_body": None if request_body is None else {"json": request_body}, "status": status,
            "response_headers": [["Content-Type", "application/json"]], "response_body": body, "fault": None}


ROLE = {"id": "cr0abcdefghijklmnopq", "label": "x", "description": "d", "created": "2026-01-01T00:00:00.000Z",
        "lastUpdated": "2026-01-01T00:00:00.000Z", "_links": {"self": {"href": "https://x-admin.okta.com/api/v1/iam/roles/cr0x"}}}


def test_validator_catches_what_the_spec_forbids() -> None:
    checker = validator()
    assert not checker.validate_exchange(_exchange(200, ROLE))
    wrong_type = checker.validate_exchange(_exchange(200, dict(ROLE, label=7)))
    assert [(item.kind, item.json_path) for item in wrong_type] == [("body", "$.label")]
    undeclared = checker.validate_exchange(_exchange(418, ROLE))
    assert undeclared[0].kind == "status-not-declared" and undeclared[0].allowed_by is None
    invented = checker.validate_exchange(_exchange(200, ROLE, "POST", "/api/v1/iam/roles",
                                                   {"label": "x", "description": "d", "permissions": [], "colour": "red"}))
    assert [(item.kind, item.json_path) for item in invented] == [("undeclared-member", "$.colour")]
    unknown = checker.validate_exchange(_exchange(404, {}, path="/api/v1/no-such-thing"))
    assert unknown[0].kind == "path-not-in-spec"
    assert len(checker.failures()) == 4


def test_allow_list_entries_are_documented_and_scoped() -> None:
    checker = validator()
    for entry in checker.allowlist.entries:
        assert entry.why.strip() and entry.evidence, entry.id
    # The 201 of a client role assignment is allowed, and its body still validated against the declared 200.
    assignment = {"id": "irb1", "type": "CUSTOM", "label": "x", "status": "ACTIVE", "assignmentType": "CLIENT"}
    findings = checker.validate_exchange(_exchange(201, assignment, "POST", "/oauth2/v1/clients/0oa1/roles", {"type": "READ_ONLY_ADMIN"}))
    assert [item.allowed_by for item in findings] == ["client-role-answers-201"]
    broken = checker.validate_exchange(_exchange(201, dict(assignment, status=5), "POST", "/oauth2/v1/clients/0oa1/roles",
                                                 {"type": "READ_ONLY_ADMIN"}))
    assert any(item.allowed_by is None and item.kind == "body" for item in broken)
    # Requests of clients that are not enforced are reported, not failed; their answers still are.
    other = checker.validate_exchange(_exchange(200, ROLE, "POST", "/api/v1/iam/roles", {"label": 1}, agent="someone-else"))
    assert other and all(not item.enforced for item in other if item.where == "request")


# Answer members the spec's schemas do not name and no recording shows, but the spec's own examples do.
SPEC_EXAMPLE_MEMBERS = {"alg": "JWK answers: SPEC components.examples oAuthClientJsonWebKey, oAuthClientJsonWebKeyListResponse"}
# Answer members the spec's schemas do not name and fidelity/recordings do not hold, shown by recordings of real orgs
# elsewhere (terraform-provider-okta test/fixtures/vcr/idaas/..., read with the search tool, not copied here).
RECORDED_ELSEWHERE = {
    "default": "AuthorizationServer answers: TestAccDataSourceOktaAuthServer_read/oie-00.yaml @52b8cfb3",
}


def _member_paths(value: Any, path: str = "$") -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield path + "." + key
            yield from _member_paths(item, path + "." + key)
    elif isinstance(value, list):
        for item in value:
            yield from _member_paths(item, path + "[]")


@pytest.mark.parametrize("traffic", ["scenario_traffic", "preflight_traffic"])
def test_no_invented_members(traffic: str, request: pytest.FixtureRequest) -> None:
    """Every member the emulator answers is named by the spec's schema or shown by a recording (never invented)."""
    scenario_traffic = request.getfixturevalue(traffic)
    from fidelity.replay import load_cassette  # pylint: disable=import-outside-toplevel
    from fidelity.spec_validator import undeclared_members  # pylint: disable=import-outside-toplevel
    documents = validator().specs
    recorded_leaves = {path.rsplit(".", 1)[-1] for cassette in CASSETTES.glob("*/*.yaml") for interaction in load_cassette(cassette)
                       for path in _member_paths(interaction.response_json())}
    invented = set()
    for line in "".join(path.read_text(encoding="utf-8") for path in scenario_traffic.glob("*.jsonl")).splitlines():
        record = json.loads(line)
        if record.get("kind") != "exchange" or not record["status"] or record.get("response_body") is None:
            continue
        operation, _template = documents.operation(record["method"], record["path"])
        answer = (operation.definition.get("responses") or {}).get(str(record["status"])) if operation else None
        media = (documents.resolve(operation.spec, answer).get("content") or {}).get("application/json") if answer else None
        if media is None:
            continue
        for member in undeclared_members(documents, operation.spec, media["schema"], record["response_body"]):
            leaf = member.rsplit(".", 1)[-1]
            if leaf not in recorded_leaves and leaf not in SPEC_EXAMPLE_MEMBERS and leaf not in RECORDED_ELSEWHERE:
                invented.add("%s: %s" % (operation.key, member))
    assert not invented, sorted(invented)
