# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""reliability_faults: a full converge of the zluri_okta role under each fault class.

One emulated org per case, all converged in one ansible-playbook run (one inventory host per org, strategy free).
For each case: the run succeeds, every fault rule fired, the org's end state equals the fault-free org's, and
nothing exists twice. Prints what each fault class cost in calls and seconds.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reliability_common"))
import reltool  # noqa: E402 pylint: disable=wrong-import-position,import-error
from okta_fixtures import key_kid  # noqa: E402 pylint: disable=wrong-import-position,import-error

APPS_LIST = ("GET", "^/api/v1/apps$")
APP_CREATE = ("POST", "^/api/v1/apps$")
ROLE_GET = ("GET", "^/api/v1/iam/roles/[^/]+$")
ROLE_CREATE = ("POST", "^/api/v1/iam/roles$")
SET_CREATE = ("POST", "^/api/v1/iam/resource-sets$")
SET_GET = ("GET", "^/api/v1/iam/resource-sets/[^/]+$")
GRANT = ("POST", "/grants$")
CLIENT_ROLES_LIST = ("GET", "^/oauth2/v1/clients/[^/]+/roles$")
CLIENT_ROLE = ("POST", "^/oauth2/v1/clients/[^/]+/roles$")
USERS = ("GET", "^/api/v1/users$")
GROUPS = ("GET", "^/api/v1/groups$")
TOKEN = ("POST", "^/oauth2/v1/token$")

# A first converge reads neither the grants of the app it just created nor that app again.
READS_AND_TOKEN = (APPS_LIST, ROLE_GET, SET_GET, CLIENT_ROLES_LIST, GROUPS, USERS, TOKEN)
CREATES = (APP_CREATE, ROLE_CREATE, SET_CREATE)
# Module timeout for the read-timeout cases, and how long the emulator then sits on the request.
SHORT_TIMEOUT = 2
SLOW_SERVER = 4


def rule(call, fault, **options):
    method, path = call
    return dict({"method": method, "path": path, "fault": fault}, **options)


def rate_limited(fault):
    return [rule(APPS_LIST, fault), rule(APP_CREATE, fault, seconds=2), rule(ROLE_CREATE, fault),
            rule(GRANT, fault, skip=1, times=2), rule(CLIENT_ROLE, fault), rule(TOKEN, fault), rule(USERS, fault)]


# name, fault class (for the table), rules, settings, host variables, known defect.
CASES = [
    ("baseline", "none", [], {}, {}, None),
    ("rate_limit_429", "429 + X-Rate-Limit-Reset", rate_limited("429"), {}, {}, None),
    ("concurrency_429", "concurrency 429", rate_limited("concurrency_429"), {}, {}, None),
    ("http_5xx_reads", "500/502/503/504 on reads and token",
     [rule(call, status) for call, status in zip(READS_AND_TOKEN, ("500", "502", "503", "504", "500", "502", "503"))], {}, {}, None),
    ("http_5xx_create", "500/502/503 on creates", [rule(APP_CREATE, "500"), rule(ROLE_CREATE, "502"), rule(SET_CREATE, "503")],
     {}, {}, None),
    ("http_5xx_create_answer_lost", "500/502/503 after creates", [rule(APP_CREATE, "503", after_write=True),
                                                                  rule(ROLE_CREATE, "500", after_write=True),
                                                                  rule(SET_CREATE, "502", after_write=True)], {}, {}, None),
    ("http_5xx_member_write", "500/504 on grant, role assignment", [rule(GRANT, "500", skip=1), rule(CLIENT_ROLE, "504")], {}, {}, None),
    ("http_5xx_member_answer_lost", "502/503 after grant, role assignment",
     [rule(GRANT, "502", skip=2, after_write=True), rule(CLIENT_ROLE, "503", after_write=True)], {}, {}, None),
    ("reset_reads", "connection reset on reads and token", [rule(call, "reset") for call in READS_AND_TOKEN], {}, {}, None),
    ("reset_create", "connection reset before create", [rule(APP_CREATE, "reset"), rule(ROLE_CREATE, "reset")], {}, {}, None),
    ("reset_create_answer_lost", "connection reset after create", [rule(call, "reset", after_write=True) for call in CREATES], {}, {}, None),
    ("reset_member_write", "connection reset before grant", [rule(GRANT, "reset", skip=3)], {}, {}, None),
    ("reset_member_answer_lost", "connection reset after role assignment", [rule(CLIENT_ROLE, "reset", skip=1, after_write=True)], {}, {}, None),
    ("timeout_reads", "read timeout on reads and token", [rule(call, "timeout", seconds=SLOW_SERVER) for call in
                                                          (APPS_LIST, SET_GET, CLIENT_ROLES_LIST, USERS, TOKEN)],
     {}, {"zluri_okta_timeout": SHORT_TIMEOUT}, None),
    ("timeout_role_create", "read timeout on role create", [rule(ROLE_CREATE, "timeout", seconds=SLOW_SERVER)], {},
     {"zluri_okta_timeout": SHORT_TIMEOUT}, None),
    ("timeout_app_create", "read timeout on app create", [rule(APP_CREATE, "timeout", seconds=SLOW_SERVER)], {},
     {"zluri_okta_timeout": SHORT_TIMEOUT}, None),
    ("slow_responses", "latency 200 ms + 2 s on some", [rule(APP_CREATE, "latency", seconds=2), rule(SET_GET, "latency", seconds=2),
                                                        rule(TOKEN, "latency", seconds=2)], {"latency_ms": 200}, {}, None),
    ("eventual_consistency", "objects unlisted 10 s", [], {"consistency_delay": 10}, {}, None),
    ("eventual_consistency_rerun", "unlisted 60 s, run twice", [], {"consistency_delay": 60}, {"rel_rerun": True}, None),
    # Okta's developer-org bucket sizes, of which the admin token may use its default 50%: the apps bucket's 5 calls.
    ("developer_org_limits", "developer-org buckets, 50% each", [], {"rate_limits": "developer"}, {}, None),
]


def server_delay(org, entries, client_timeout):
    """Seconds of injected server delay the client sat through: latency rules, timeout rules (up to the client's
    timeout, after which it gave up) and the latency_ms setting on every request."""
    seconds = 0.0
    for item in org.faults():
        fired = max(0, min(item["seen"] - item["skip"], item["times"]))
        if item["fault"] == "latency":
            seconds += fired * item["seconds"]
        elif item["fault"] == "timeout":
            seconds += fired * min(item["seconds"], client_timeout)
    return seconds + org.settings()["latency_ms"] / 1000.0 * len(entries)


def check_developer_org_wait(checks, name, entries, host):
    """The run met the credential's share of the apps bucket once, waited no longer than the reset it was told (plus
    the client's one second and the Date header's whole seconds), and said why in a warning."""
    refused = [entry for entry in entries if entry["status"] == 429]
    checks.check(name, refused and all(entry["bucket"] == "/api/v1/apps" and entry["rate_reset"] for entry in refused),
                 "expected 429s from the apps bucket only: %s" % [(e["path"], e["bucket"]) for e in refused])
    if not refused:
        return
    least = sum(entry["rate_reset"] - entry["ts"] for entry in refused)
    waited = host.api_calls()["waited_seconds"]
    checks.check(name, least <= waited <= least + 2.5 * len(refused), "waited %.1f s for 429s whose windows reset %.1f s later" % (waited, least))
    warnings = [warning for result in host.module_results() for warning in result.get("warnings", [])]
    checks.check(name, any("rate limit on /api/v1/apps" in warning and "raise the share" in warning for warning in warnings),
                 "no warning said why the run waited: %s" % warnings)
    reltool.log("%s: %d x 429, waited %.1f s, the windows reset %.1f s after the refusals" % (name, len(refused), waited, least))


def main():
    checks = reltool.Checks("reliability_faults")
    workdir = reltool.make_workdir("reliability-faults-")
    names = [case[0] for case in CASES]
    orgs = reltool.start_orgs(names, seed="demo")
    try:
        hosts = {}
        for name, _label, rules, settings, host_vars, _known in CASES:
            org = orgs[name]
            org.set_faults(rules)
            if settings:
                org.settings(**settings)
            hosts[name] = dict({"zluri_okta_org_url": org.url, "zluri_okta_api_token": org.admin_token,
                                "zluri_okta_output_dir": os.path.join(workdir, "out", name)}, **host_vars)
        inventory = reltool.write_inventory(os.path.join(workdir, "inventory.json"), hosts)
        reltool.log("converging %d orgs, one per fault case" % len(hosts))
        run = reltool.run_playbook("faults", workdir, "converge.yml", inventory, forks=len(hosts), timeout=600)
        reltool.log("ansible-playbook rc=%s in %.1fs" % (run.rc, run.seconds))

        views = {}
        for name in names:
            org = orgs[name]
            key_path = os.path.join(workdir, "out", name, "zluri-okta-private-key.pem")
            kids = [key_kid(key_path)] if os.path.exists(key_path) else []
            views[name] = reltool.org_view(org.state(), kids)
        baseline = views["baseline"]
        baseline_run = run.host("baseline")
        checks.check("baseline", baseline_run.ok, "the fault-free converge failed: %s" % baseline_run.failure_message())
        checks.check("baseline", len([a for a in baseline["apps"] if a["label"] == reltool.ZLURI_APP_LABEL]) == 1,
                     "the fault-free converge did not create exactly one Zluri app")
        base_calls = baseline_run.api_calls()
        base_log = len(orgs["baseline"].log())

        rows = []
        for name, label, _rules, _settings, _vars, known in CASES:
            host = run.host(name)
            org = orgs[name]
            fired = [item for item in org.faults() if item["seen"] <= item["skip"]]
            # A run that stops at its first fault never reaches the later rules: part of the same known defect.
            checks.check(name, not fired, "fault rules that never fired (the case tested nothing): %s" % fired, known)
            checks.check(name, host.ok, "the converge failed: %s" % host.failure_message(), known)
            difference = reltool.view_diff(baseline, views[name])
            checks.check(name, not difference, "end state differs from the fault-free org:\n%s" % difference, known)
            twice = reltool.duplicates(views[name])
            checks.check(name, not twice, "objects exist twice: %s" % twice, known)
            if name == "eventual_consistency_rerun":
                writes = reltool.writes_in(org.log())
                checks.check(name, len(writes) == len(reltool.writes_in(orgs["baseline"].log())),
                             "the re-run wrote again: %s" % [w["method"] + " " + w["path"] for w in writes], known)
            calls = host.api_calls()
            if name == "rate_limit_429":
                # Each 429 says the window resets 1-2 s ahead (X-Rate-Limit-Reset - Date + 1 is then at least 2 s).
                checks.check(name, calls["retries"] >= 6 and calls["waited_seconds"] >= 2.0 * calls["retries"] - 0.5,
                             "429s were not waited out until X-Rate-Limit-Reset: %s" % calls)
            if name == "developer_org_limits":
                check_developer_org_wait(checks, name, org.log(), host)
            entries = org.log()
            delay = server_delay(org, entries, hosts[name].get("zluri_okta_timeout", 30))
            verdict = checks.verdict(name)
            if host.ok:
                rows.append([name, label, verdict, len(entries) - base_log, calls["total"] - base_calls["total"], calls["retries"],
                             "%.1f" % calls["waited_seconds"], "%.1f" % delay, "%.1f" % (calls["waited_seconds"] + delay)])
            else:
                rows.append([name, label, verdict] + ["-"] * 6)
        reltool.log("\nCost of each fault class in one converge of the zluri_okta role, against the fault-free converge"
                    " (%d requests reached Okta, %d of them from the modules' own clients):" % (base_log, base_calls["total"]))
        reltool.log("  extra requests = more requests in the Okta log; module calls = more attempts the modules counted (api_calls;")
        reltool.log("  the credential check's token and probe calls are not among them); retries and backoff s = the modules'")
        reltool.log("  own waits between attempts; server s = injected delays the client sat through (latency, or a timeout up")
        reltool.log("  to the module timeout); extra s = backoff s + server s. A failed case shows no cost.\n")
        reltool.log(reltool.table(["case", "fault", "result", "extra requests", "module calls", "retries", "backoff s",
                                   "server s", "extra s"], rows))
        reltool.log("")
        return checks.finish()
    finally:
        reltool.stop_orgs(orgs)
        reltool.cleanup(workdir)


if __name__ == "__main__":
    sys.exit(main())
