# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""reliability_bad_input: a table of bad inputs across the modules and the role.

Every case runs as its own inventory host against one emulated org (one ansible-playbook run, strategy free).
Each must fail, with a message that names the bad input (every listed fragment must appear in it), and make no
write call: the emulator's log since the cases started holds no write, and no module result counts one.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reliability_common"))
import reltool  # noqa: E402 pylint: disable=wrong-import-position,import-error
from okta_fixtures import create_app, create_service_app, generate_key, grant_scopes, load_key, signing_jwk, web_app_body  # noqa: E402 pylint: disable=wrong-import-position,import-error

HERE = os.path.dirname(os.path.abspath(__file__))

# A public JWK that passes the modules' own checks (a 2048-bit modulus), for cases about something else.
PUBLIC_JWK = {"kid": "k", "kty": "RSA", "e": "AQAB", "n": "w" * 342}


def cases(keys, org_url):
    """(id, module or 'role', arguments or role variables, fragments the message must contain, known defect)."""
    role = "role"
    return [
        # The connection, on any module.
        ("org_url_http", "okta_admin_role", {"org_url": "http://acme.okta.com", "label": "R", "state": "absent"}, ["org_url", "https"], None),
        ("org_url_admin_host", "okta_admin_role", {"org_url": "https://acme-admin.okta.com", "label": "R", "state": "absent"},
         ["org_url", "-admin"], None),
        ("org_url_with_path", "okta_scope_grant", {"org_url": "https://acme.okta.com/oauth2/default", "app": "Zluri", "app_scopes": ["okta.users.read"]},
         ["org_url", "path"], None),
        ("org_url_not_a_url", "okta_admin_role", {"org_url": "acme.okta.com", "label": "R", "state": "absent"}, ["org_url", "https URL"], None),
        ("missing_credentials", "okta_admin_role", {"api_token": "", "label": "R", "state": "absent"}, ["api_token", "OKTA_API_TOKEN"], None),
        # An expired or revoked API token: Okta answers 401 E0000011; the message must say which input it refused.
        ("invalid_api_token", "okta_admin_role", {"api_token": "00expired-or-revoked-token", "label": "R", "state": "absent"},
         ["Invalid token", "api_token"], None),
        ("api_token_with_space", "okta_admin_role", {"api_token": "two words", "label": "R", "state": "absent"}, ["api_token"], None),
        ("token_and_client_id", "okta_admin_role", {"api_token": "some-api-token", "client_id": "0oa1", "label": "R", "state": "absent"},
         ["api_token", "client_id"], None),
        # (OAuth cases: the connection is given without api_token, see OAUTH_CASES.)
        ("client_id_without_key", "okta_admin_role", {"client_id": "0oaadmin", "label": "R", "state": "absent"},
         ["private_key"], None),
        ("malformed_admin_key", "okta_admin_role", {"client_id": "0oaadmin", "private_key": "not a key", "label": "R",
                                                    "state": "absent"}, ["private_key", "PEM"], None),
        ("short_admin_key", "okta_admin_role", {"client_id": "0oaadmin", "private_key_path": keys["short"], "label": "R",
                                                "state": "absent"}, ["private_key_path", "1024", "2048"], None),
        ("admin_scope_not_okta", "okta_admin_role", {"client_id": "0oaadmin", "private_key_path": keys["other"],
                                                     "scopes": ["openid"], "label": "R", "state": "absent"}, ["scopes", "openid"], None),
        ("timeout_not_a_number", "okta_admin_role", {"timeout": "soon", "label": "R", "state": "absent"}, ["timeout", "float"], None),
        ("timeout_zero", "okta_admin_role", {"timeout": 0, "label": "R", "state": "absent"}, ["timeout", "positive"], None),
        ("capacity_out_of_range", "okta_admin_role", {"max_api_capacity": 0, "label": "R", "state": "absent"}, ["max_api_capacity", "100"], None),
        ("dpop_unknown_mode", "okta_admin_role", {"dpop": "sometimes", "label": "R", "state": "absent"}, ["dpop", "sometimes"], None),
        # okta_admin_role
        ("permissions_empty", "okta_admin_role", {"label": "R", "description": "d", "permissions": []}, ["permissions"], None),
        ("permission_not_okta", "okta_admin_role", {"label": "R", "description": "d", "permissions": ["users.read"]},
         ["permissions[0]", "users.read"], None),
        ("permission_twice", "okta_admin_role", {"label": "R", "description": "d", "permissions": ["okta.users.read", "okta.users.read"]},
         ["okta.users.read", "twice"], None),
        ("permission_wrong_type", "okta_admin_role", {"label": "R", "description": "d", "permissions": [42]}, ["permissions[0]", "int"], None),
        ("state_unknown", "okta_admin_role", {"label": "R", "state": "gone"}, ["state", "gone"], None),
        # okta_resource_set
        ("unknown_group_name", "okta_resource_set", {"label": "S", "description": "d", "resources": [{"type": "group", "name": "No Such Group"}]},
         ["No Such Group"], None),
        ("unknown_resource_type", "okta_resource_set", {"label": "S", "description": "d", "resources": [{"type": "planet"}]},
         ["type", "planet"], None),
        ("malformed_orn", "okta_resource_set", {"label": "S", "description": "d", "resources": [{"type": "orn", "value": "orn:bad"}]},
         ["orn:bad", "ORN"], None),
        ("unknown_app_label", "okta_resource_set", {"label": "S", "description": "d", "resources": [{"type": "app", "name": "No Such App"}]},
         ["No Such App"], None),
        ("ambiguous_app_label_resource", "okta_resource_set", {"label": "S", "description": "d", "resources": [{"type": "app", "name": "Dup App"}]},
         ["Dup App", "ambiguous"], None),
        ("resources_empty", "okta_resource_set", {"label": "S", "description": "d", "resources": []}, ["resources"], None),
        # okta_service_app
        ("public_key_with_private_part", "okta_service_app", {"label": "New App", "public_keys": [{"kid": "k", "kty": "RSA", "e": "AQAB",
                                                                                                  "n": "xyz", "d": "secret"}]},
         ["public keys", "private"], None),
        ("public_keys_wrong_type", "okta_service_app", {"label": "New App", "public_keys": "a key"}, ["public_keys"], None),
        ("not_a_service_app", "okta_service_app", {"label": "Web Portal", "public_keys": [PUBLIC_JWK]},
         ["Web Portal", "not an API Services"], None),
        ("create_by_unknown_client_id", "okta_service_app", {"app_client_id": "0oaNoSuchClient", "label": "X",
                                                             "public_keys": [PUBLIC_JWK]},
         ["0oaNoSuchClient"], None),
        ("dpop_flag_not_bool", "okta_service_app", {"label": "New App", "dpop_bound_access_tokens": "maybe"}, ["dpop_bound_access_tokens"], None),
        ("ambiguous_app_label", "okta_service_app", {"label": "Dup App", "public_keys": [PUBLIC_JWK]},
         ["Dup App", "ambiguous"], None),
        # okta_app_jwk
        ("malformed_key_content", "okta_app_jwk", {"key_content": "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n",
                                                   "app": "JWK Target"}, ["key_content"], None),
        ("short_key_file", "okta_app_jwk", {"key_path": keys["short"], "app": "JWK Target"}, ["key_path", "1024", "2048"], None),
        ("garbage_key_file", "okta_app_jwk", {"key_path": keys["garbage"], "app": "JWK Target"}, ["key_path", "PEM"], None),
        ("kid_taken_by_other_key", "okta_app_jwk", {"key_path": keys["other"], "kid": "taken-kid", "app": "JWK Target"},
         ["taken-kid", "different key"], None),
        ("key_size_unsupported", "okta_app_jwk", {"key_path": os.path.join(keys["dir"], "new-1024.pem"), "key_size": 1024},
         ["key_size", "1024"], None),
        ("key_path_and_content", "okta_app_jwk", {"key_path": keys["other"], "key_content": "not-a-key-but-long-enough"},
         ["key_path", "key_content"], None),
        # okta_scope_grant
        ("unknown_scope", "okta_scope_grant", {"app": "JWK Target", "app_scopes": ["okta.nonexistent.read"]}, ["okta.nonexistent.read"], None),
        ("scope_not_okta", "okta_scope_grant", {"app": "JWK Target", "app_scopes": ["users.read"]}, ["app_scopes[0]", "users.read"], None),
        ("scopes_empty", "okta_scope_grant", {"app": "JWK Target", "app_scopes": []}, ["app_scopes"], None),
        ("issuer_custom_as", "okta_scope_grant", {"app": "JWK Target", "app_scopes": ["okta.users.read"],
                                                  "issuer": org_url + "/oauth2/default"}, ["issuer", "custom authorization server"], None),
        ("grant_to_non_service_app", "okta_scope_grant", {"app": "Web Portal", "app_scopes": ["okta.users.read"]},
         ["Web Portal", "not an API Services"], None),
        # A bookmark app, not an OAuth client at all.
        ("grant_to_bookmark_app", "okta_scope_grant", {"app": "Company Wiki", "app_scopes": ["okta.users.read"]},
         ["Company Wiki", "API Services"], None),
        ("grant_to_unknown_app", "okta_scope_grant", {"app": "No Such App", "app_scopes": ["okta.users.read"]}, ["No Such App"], None),
        ("grant_app_and_client_id", "okta_scope_grant", {"app": "JWK Target", "app_client_id": "0oa1", "app_scopes": ["okta.users.read"]},
         ["app", "app_client_id"], None),
        # okta_role_assignment
        ("unknown_role_type", "okta_role_assignment", {"app": "JWK Target", "roles": ["SUPER_ADMN"]}, ["SUPER_ADMN", "SUPER_ADMIN"], None),
        ("unknown_custom_role", "okta_role_assignment", {"app": "JWK Target", "roles": [{"role": "No Such Role", "resource_set": "No Such Set"}]},
         ["No Such Role", "No Such Set"], None),
        ("roles_empty", "okta_role_assignment", {"app": "JWK Target", "roles": []}, ["roles"], None),
        ("custom_role_missing_set", "okta_role_assignment", {"app": "JWK Target", "roles": [{"role": "R"}]}, ["roles[0]", "resource_set"], None),
        ("roles_on_ambiguous_app", "okta_role_assignment", {"app": "Dup App", "roles": ["READ_ONLY_ADMIN"]}, ["Dup App", "ambiguous"], None),
        # okta_m2m_check (read only; a token request is not a write)
        ("check_wrong_kid", "okta_m2m_check", {"app": "JWK Target", "app_key_path": keys["target"], "app_key_id": "wrong-kid",
                                               "check_scopes": ["okta.users.read"]}, ["kid"], None),
        # zluri_connection
        ("bundle_path_missing", "zluri_connection", {"app": "JWK Target", "app_key_path": keys["target"]}, ["bundle_path"], None),
        # The role.
        ("role_unknown_tier", role, {"zluri_okta_tier": "medium"}, ["zluri_okta_tier", "medium"], None),
        ("role_admin_org_url", role, {"zluri_okta_org_url": "https://acme-admin.okta.com"}, ["zluri_okta_org_url", "-admin"], None),
        ("role_http_org_url", role, {"zluri_okta_org_url": "http://acme.okta.com"}, ["org_url", "https"], None),
        ("role_unknown_group", role, {"zluri_okta_groups": ["No Such Group"]}, ["No Such Group"], None),
        ("role_empty_scopes", role, {"zluri_okta_app_scopes": []}, ["zluri_okta_app_scopes"], None),
        ("role_empty_permissions", role, {"zluri_okta_permissions": []}, ["zluri_okta_permissions"], None),
        ("role_empty_group_name", role, {"zluri_okta_groups": [""]}, ["zluri_okta_groups", "needs"], None),
        ("role_key_size", role, {"zluri_okta_key_size": 1024}, ["zluri_okta_key_size", "1024"], None),
        ("role_state_unknown", role, {"zluri_okta_state": "gone"}, ["zluri_okta_state", "gone"], None),
        ("role_validate_certs_not_bool", role, {"zluri_okta_validate_certs": "sometimes"}, ["zluri_okta_validate_certs"], None),
        ("role_invalid_api_token", role, {"zluri_okta_api_token": "00expired-or-revoked-token"}, ["Invalid token", "api_token"], None),
        ("role_app_not_service", role, {"zluri_okta_app_label": "Web Portal"}, ["Web Portal", "not an API Services"], None),
        ("role_app_ambiguous", role, {"zluri_okta_app_label": "Dup App"}, ["Dup App", "ambiguous"], None),
        ("role_unknown_scope", role, {"zluri_okta_app_scopes": ["okta.users.raed"]}, ["okta.users.raed"], None),
        ("role_unknown_standard_role", role, {"zluri_okta_standard_roles": ["READ_ONLY_ADMN"]}, ["READ_ONLY_ADMN"], None),
        ("role_permission_not_okta", role, {"zluri_okta_permissions": ["users.read"]}, ["users.read"], None),
        ("role_bad_extra_resource", role, {"zluri_okta_extra_resources": [{"type": "orn", "value": "orn:bad"}]}, ["orn:bad"], None),
    ]


def setup(org, workdir):
    """The org and files the cases refer to: two service apps sharing a label, an app with a key 'taken-kid', key files."""
    keys = {"dir": os.path.join(workdir, "keys")}
    for name, bits in (("short", 1024), ("other", 2048), ("target", 2048)):
        keys[name] = os.path.join(keys["dir"], name + ".pem")
        generate_key(keys[name], bits)
    keys["garbage"] = os.path.join(keys["dir"], "garbage.pem")
    with open(keys["garbage"], "w", encoding="utf-8") as stream:
        stream.write("this is not a key\n")
    target = load_key(keys["target"])
    create_app(org.admin, web_app_body("Web Portal", ["https://portal.example.com/callback"]))
    for label, kid in (("Dup App", "dup-1"), ("Dup App", "dup-2"), ("JWK Target", "taken-kid")):
        app = create_service_app(org.admin, label, [signing_jwk(target, kid)])
        if label == "JWK Target":
            grant_scopes(org.admin, app["id"], ["okta.users.read"])
    return keys


def main():
    checks = reltool.Checks("reliability_bad_input")
    workdir = reltool.make_workdir("reliability-bad-input-")
    orgs = reltool.start_orgs(["org"], seed="demo")
    org = orgs["org"]
    try:
        keys = setup(org, workdir)
        table = cases(keys, org.url)
        checks.check("table", len(table) >= 30, "fewer than 30 cases")
        connection = {"org_url": org.url, "api_token": org.admin_token}
        hosts = {}
        for case_id, module, args, _expect, _known in table:
            if module == "role":
                hosts[case_id] = dict({"rel_case": {"module": "role"}, "rel_connection": {}, "zluri_okta_org_url": org.url,
                                       "zluri_okta_api_token": org.admin_token, "zluri_okta_output_dir": os.path.join(workdir, "out", case_id),
                                       "zluri_okta_app_label": "Zluri " + case_id, "zluri_okta_role_label": "Zluri Role " + case_id,
                                       "zluri_okta_resource_set_label": "Zluri Set " + case_id}, **args)
            elif "client_id" in args:
                hosts[case_id] = {"rel_case": {"module": module, "args": args}, "rel_connection": {"org_url": org.url}}
            else:
                hosts[case_id] = {"rel_case": {"module": module, "args": args}, "rel_connection": connection}
        inventory = reltool.write_inventory(os.path.join(workdir, "inventory.json"), hosts)
        mark = max(entry["seq"] for entry in org.log())
        run = reltool.run_playbook("bad_input", workdir, os.path.join(HERE, "cases.yml"), inventory, forks=12, timeout=400)
        okta_writes = reltool.writes_in(org.log(mark))
        rows = []
        for case_id, module, _args, expect, known in table:
            host = run.host(case_id)
            failures = host.failures
            message = str(failures[0]["result"].get("msg", "")) if failures else ""
            writes = sum(result["api_calls"].get("writes", 0) for result in host.module_results())
            statuses = "; ".join(entry["task"] + ": " + entry["status"] for entry in host.results) or "no result"
            checks.check(case_id, bool(failures), "did not fail (%s)" % statuses, known)
            missing = [fragment for fragment in expect if fragment not in message]
            checks.check(case_id, not missing, "the message lacks %s: %r" % (missing, message[:400]), known)
            checks.check(case_id, writes == 0, "made %d write call(s) before failing" % writes, known)
            rows.append([case_id, module, "KNOWN DEFECT " + known if known else ("ok" if failures and not missing and not writes else "FAILED"),
                         writes, message.replace("\n", " ")[:110]])
        checks.check("log", not okta_writes, "the emulator logged write calls during the cases (see 'writes' per case): %s"
                     % ["%s %s %s" % (e["method"], e["path"], e["status"]) for e in okta_writes])
        reltool.log("\n%d bad-input cases (each its own host, one ansible-playbook run, %.1fs):\n" % (len(table), run.seconds))
        reltool.log(reltool.table(["case", "module", "result", "writes", "message"], rows))
        reltool.log("")
        return checks.finish()
    finally:
        reltool.stop_orgs(orgs)
        reltool.cleanup(workdir)


if __name__ == "__main__":
    sys.exit(main())
