# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""reliability_guards: the SUPER_ADMIN guard, TLS verification, and a Bearer token where DPoP was expected.

One org per host, all in one ansible-playbook run:
  guard_fail      "Public client app admins" on: Okta gives the app SUPER_ADMIN after its first scope grant; the run
                  must fail with a clear message and leave the role assignments alone
  guard_remove    the same org setting, zluri_okta_remove_super_admin: true: SUPER_ADMIN removed; a re-run writes nothing
  tls_untrusted   HTTPS with a certificate from a CA the controller does not trust: refused before any request
  tls_insecure    the same, validate_certs: false given explicitly: works
  tls_ca          the same, ca_path naming the CA: works
  dpop_bearer     admin OAuth credentials with dpop=always, and a token endpoint that answers with a Bearer token
                  (a proxy drops the DPoP header of token requests; the emulator binds every proof it gets)
  m2m_bearer      okta_m2m_check with app_dpop=always against the same kind of token endpoint
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reliability_common"))
import reltool  # noqa: E402 pylint: disable=wrong-import-position,import-error
from okta_fixtures import create_admin_app, generate_key, load_key  # noqa: E402 pylint: disable=wrong-import-position,import-error

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    checks = reltool.Checks("reliability_guards")
    workdir = reltool.make_workdir("reliability-guards-")
    orgs = {}
    try:
        orgs.update(reltool.start_orgs(["guard_fail", "guard_remove"], seed="demo", public_client_app_admins=True))
        orgs.update(reltool.start_orgs(["tls_untrusted", "tls_insecure", "tls_ca"], seed="demo", tls=True))
        orgs.update(reltool.start_orgs(["dpop_bearer", "m2m_bearer"], proxied=True, seed="demo"))
        admin_key = os.path.join(workdir, "admin", "admin-key.pem")
        generate_key(admin_key)
        with open(admin_key, encoding="ascii") as stream:
            admin_pem = stream.read()
        admins = {name: create_admin_app(orgs[name].admin, load_key(admin_key), dpop=False) for name in ("dpop_bearer", "m2m_bearer")}
        for name in ("dpop_bearer", "m2m_bearer"):
            orgs[name].proxy.strip_token_dpop = True
        setup_mark = {name: max([entry["seq"] for entry in org.log()] or [0]) for name, org in orgs.items()}

        def role_host(name, **role_vars):
            org = orgs[name]
            return dict({"rel_mode": "role", "zluri_okta_org_url": org.url, "zluri_okta_api_token": org.admin_token,
                         "zluri_okta_output_dir": os.path.join(workdir, "out", name)}, **role_vars)

        hosts = {
            "guard_fail": role_host("guard_fail"),
            "guard_remove": role_host("guard_remove", zluri_okta_remove_super_admin=True, rel_rerun=True),
            "tls_untrusted": role_host("tls_untrusted"),
            "tls_insecure": role_host("tls_insecure", zluri_okta_validate_certs=False),
            "tls_ca": role_host("tls_ca", zluri_okta_ca_path=orgs["tls_ca"].ca_path),
            "dpop_bearer": role_host("dpop_bearer", zluri_okta_api_token="", zluri_okta_client_id=admins["dpop_bearer"][0],
                                     zluri_okta_private_key=admin_pem, zluri_okta_key_id=admins["dpop_bearer"][1], zluri_okta_dpop="always"),
            "m2m_bearer": {"rel_mode": "m2m_check", "rel_check": {
                "org_url": orgs["m2m_bearer"].url, "api_token": orgs["m2m_bearer"].admin_token, "app_client_id": admins["m2m_bearer"][0],
                "app_key_path": admin_key, "app_dpop": "always", "check_scopes": ["okta.apps.read"]}},
        }
        inventory = reltool.write_inventory(os.path.join(workdir, "inventory.json"), hosts)
        env = {"REQUESTS_CA_BUNDLE": "", "CURL_CA_BUNDLE": "", "SSL_CERT_FILE": ""}
        run = reltool.run_playbook("guards", workdir, os.path.join(HERE, "guards.yml"), inventory, forks=len(hosts), env=env)
        reltool.log("guards: rc=%s in %.1fs" % (run.rc, run.seconds))
        messages = {name: run.host(name).failure_message() for name in hosts}

        # "Public client app admins" on, and no zluri_okta_remove_super_admin: the pre-flight refuses before any write.
        case = "guard_fail"
        state = orgs[case].state()
        zluri = [app for app in state["apps"].values() if app["label"] == reltool.ZLURI_APP_LABEL]
        checks.check(case, not run.host(case).ok and "Check the org can take the job" in messages[case],
                     "the run did not stop at the pre-flight: %s" % messages[case])
        for fragment in ("Public client app admins", "zluri_okta_remove_super_admin=true", "nothing was written"):
            checks.check(case, fragment in messages[case], "the message does not say %r: %s" % (fragment, messages[case]))
        checks.check(case, not zluri, "an app was made despite the refusal: %s" % zluri)
        guard_writes = [e for e in reltool.writes_in(orgs[case].log()) if e["seq"] > setup_mark[case]]
        checks.check(case, not guard_writes, "writes despite the refusal: %s" % ["%s %s" % (e["method"], e["path"]) for e in guard_writes])

        case = "guard_remove"
        state = orgs[case].state()
        zluri = [app for app in state["apps"].values() if app["label"] == reltool.ZLURI_APP_LABEL]
        roles = sorted(item["role_type"] for item in state["client_roles"] if zluri and item["client_id"] == zluri[0]["id"])
        checks.check(case, run.host(case).ok, "the run failed: %s" % messages[case])
        checks.check(case, roles == ["API_ACCESS_MANAGEMENT_ADMIN", "READ_ONLY_ADMIN"], "standard roles after the run: %s" % roles)
        writes = reltool.writes_in(orgs[case].log())
        deletes = [e for e in writes if e["method"] == "DELETE" and e["path"].startswith("/oauth2/v1/clients/")]
        checks.check(case, len(deletes) == 1 and len(writes) == 13,
                     "expected the 12 writes of a converge and one DELETE of SUPER_ADMIN, nothing in the re-run: %s"
                     % ["%s %s" % (e["method"], e["path"]) for e in writes])
        removal = run.host(case).result_of("zluri_okta_roles", index=0) or {}
        checks.check(case, any("SUPER_ADMIN" in change for change in removal.get("changes", [])),
                     "the first run's result does not name the SUPER_ADMIN removal")

        # TLS.
        case = "tls_untrusted"
        for fragment in ("TLS verification", "ca_path", "validate_certs"):
            checks.check(case, fragment in messages[case], "the refusal does not mention %r: %s" % (fragment, messages[case]))
        checks.check(case, not orgs[case].log(), "requests reached the server despite the untrusted certificate: %d" % len(orgs[case].log()))
        for case in ("tls_insecure", "tls_ca"):
            checks.check(case, run.host(case).ok, "the run failed: %s" % messages[case])
            handoff = run.host(case).result_of("zluri_okta_handoff") or {}
            checks.check(case, (handoff.get("verification") or {}).get("ok"), "the credential check over HTTPS did not pass")

        # A Bearer token where DPoP was expected.
        case = "dpop_bearer"
        checks.check(case, not run.host(case).ok, "dpop=always accepted a Bearer token")
        for fragment in ("dpop=always", "Bearer"):
            checks.check(case, fragment in messages[case], "the failure does not say %r: %s" % (fragment, messages[case]))
        checks.check(case, orgs[case].proxy.token_types and set(orgs[case].proxy.token_types) == {"Bearer"},
                     "the token endpoint did not answer with Bearer: %s" % orgs[case].proxy.token_types)
        checks.check(case, not reltool.writes_in(orgs[case].log(setup_mark[case])), "writes were made with the Bearer token")
        case = "m2m_bearer"
        checks.check(case, not run.host(case).ok, "okta_m2m_check with app_dpop=always passed with a Bearer token")
        checks.check(case, "Bearer" in messages[case] and "DPoP" in messages[case], "the check does not report the Bearer token: %s" % messages[case])
        for name in hosts:
            reltool.log("  %-14s %s" % (name, messages[name] or "ok"))
        return checks.finish()
    finally:
        reltool.stop_orgs(orgs)
        reltool.cleanup(workdir)


if __name__ == "__main__":
    sys.exit(main())
