# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The scenarios of make bench: each starts its emulators, runs the role (or the plain-uri playbook) and returns what
it measured for the report."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from collections import Counter
from typing import Any

from floor import attribute, first_converge_floor, is_write, noop_floor, okta_calls, step_of, template
from runner import ADMIN_TOKEN, BENCH, FORKS, ROOT, Bench, Run, RunningEmulator

# runner has put tests/emulator on sys.path.
from okta_fixtures import OrgAdmin, create_admin_app, generate_key  # noqa: E402  pylint: disable=wrong-import-order
from okta_emulator.config import Settings  # noqa: E402  pylint: disable=wrong-import-order
from okta_emulator.ratelimit import limit_for  # noqa: E402  pylint: disable=wrong-import-order

LATENCY_MS = 100
LATENCY_REPEATS = 2  # scenario 4 reports the best first converge of these (the machine may be shared)
MANY_ORGS = 20
DEVELOPER_APPS_BUCKET = limit_for("developer", "/api/v1/apps")
# The share of a bucket each API token or OAuth app may use: Okta's default, as the emulator models it.
PRINCIPAL_SHARE_PERCENT = Settings().principal_rate_limit_percent
SCALE_NAMED = 1000
SCALE_NAMED_SMALL = 100
SCALE_ORGS = (10_000, 50_000)
SCALE_REPEATS = 2  # the task time printed is the best of these (the machine may be shared)
PRESET_PREFIX = "okta_service_connection_"  # the variables of the okta_service_connection role (scenario 9)


def per_step(run: Run, entries: list[dict[str, Any]], host: str) -> tuple[Counter, dict[str, dict[str, Any]]]:
    """Calls per floor step, and per task: wall, calls, server time."""
    tasks = run.host_tasks(host)
    owned = attribute(entries, tasks)
    steps: Counter = Counter()
    per_task: dict[str, dict[str, Any]] = {}
    for task in tasks:
        calls = owned.get(task["uuid"], [])
        step = step_of(task)
        if step:
            steps[step] += len(calls)
        wall = (task["end"] - task["start"]) if task.get("end") and task.get("start") else 0.0
        per_task[task["uuid"]] = {"task": task["task"], "action": task["action"], "status": task["status"], "changed": task["changed"],
                                  "wall": wall, "calls": len(calls), "server_ms": sum(e.get("duration_ms") or 0 for e in calls),
                                  "writes": sum(1 for e in calls if is_write(e))}
    if owned.get("(between tasks)"):
        steps["(between tasks)"] += len(owned["(between tasks)"])
    return steps, per_task


# --------------------------------------------------------------------------------------------------- scenarios

def scenarios_1_2_3(bench: Bench) -> dict[str, Any]:
    print("\n[1-3] first converge, re-run, check mode (demo org, minimum tier, all groups)", flush=True)
    org = bench.emulator(seed="demo")
    hosts = {"org-a": bench.role_host(org, "s1", "org-a")}
    site = os.path.join(ROOT, "site.yml")

    org.clear_log()
    first = bench.playbook("s1-first-converge", site, hosts)
    bench.expect_ok(first)
    first_log = okta_calls(org.log())
    org.clear_log()
    rerun = bench.playbook("s2-rerun", site, hosts)
    bench.expect_ok(rerun)
    rerun_log = okta_calls(org.log())
    org.clear_log()
    check_converged = bench.playbook("s3-check-converged", site, hosts, check=True)
    bench.expect_ok(check_converged)
    check_converged_log = okta_calls(org.log())

    empty = bench.emulator(seed="empty")
    empty.clear_log()
    check_empty = bench.playbook("s3-check-empty", site, {"org-e": bench.role_host(empty, "s3", "org-e")}, check=True)
    bench.expect_ok(check_empty)
    check_empty_log = okta_calls(empty.log())
    bench.stop([org, empty])

    floor1, floor2 = first_converge_floor(), noop_floor()
    steps1, tasks1 = per_step(first, first_log, "org-a")
    steps2, tasks2 = per_step(rerun, rerun_log, "org-a")
    endpoints1 = Counter(template(e["method"], e["path"]) for e in first_log)
    endpoints2 = Counter(template(e["method"], e["path"]) for e in rerun_log)
    rerun_changed = [t["task"] for t in rerun.host_tasks("org-a") if t["changed"]]
    return {
        "first": {"run": first, "log": first_log, "steps": steps1, "tasks": tasks1, "endpoints": endpoints1, "floor": floor1},
        "rerun": {"run": rerun, "log": rerun_log, "steps": steps2, "tasks": tasks2, "endpoints": endpoints2, "floor": floor2,
                  "changed_tasks": rerun_changed},
        "check_converged": {"run": check_converged, "log": check_converged_log},
        "check_empty": {"run": check_empty, "log": check_empty_log},
    }


def uri_runs(bench: Bench, latency: bool) -> dict[str, Any]:
    """The plain-uri playbook: first run and re-run (or, with latency, a first run only)."""
    org = bench.emulator(seed="demo", latency_ms=LATENCY_MS if latency else 0)
    key, jwk = os.path.join(bench.workdir, "uri-key.pem"), os.path.join(bench.workdir, "uri-jwk.json")
    if not os.path.exists(jwk):
        subprocess.check_call([sys.executable, os.path.join(BENCH, "make_jwk.py"), key, jwk])
    hosts = {"org-u": {"okta_org_url": org.url, "okta_api_token": ADMIN_TOKEN, "okta_ca_path": org.ca_path, "uri_jwk_file": jwk}}
    playbook = os.path.join(BENCH, "playbooks", "uri.yml")
    out: dict[str, Any] = {}
    # With latency: the best of LATENCY_REPEATS first runs, each on a fresh org; without: a first run and a re-run.
    runs = [("first", "uri-first-latency-r%d" % r) for r in range(LATENCY_REPEATS)] if latency else [("first", "uri-first"), ("rerun", "uri-rerun")]
    for name, run_name in runs:
        if latency:
            org.reset()
        org.clear_log()
        run = bench.playbook(run_name, playbook, hosts)
        bench.expect_ok(run)
        log = okta_calls(org.log())
        if name in out and out[name]["run"].wall <= run.wall:
            continue
        out[name] = {"run": run, "log": log, "calls": len(log), "writes": sum(1 for e in log if is_write(e)),
                     "successful_writes": sum(1 for e in log if is_write(e) and 200 <= e["status"] < 300),
                     "changed_tasks": run.changed_tasks}
    apps = [a for a in (org.state().get("apps") or {}).values() if a.get("label") == "Zluri"] if not latency else []
    out["zluri_apps_after"] = len(apps)
    bench.stop([org])
    return out


def scenario_4(bench: Bench, python_start: float) -> dict[str, Any]:
    print("\n[4] wall time with %d ms injected latency per call (best of %d first converges)" % (LATENCY_MS, LATENCY_REPEATS), flush=True)
    org = bench.emulator(seed="demo", latency_ms=LATENCY_MS)
    best: dict[str, Any] | None = None
    for repeat in range(LATENCY_REPEATS):
        org.reset()
        org.settings(latency_ms=LATENCY_MS)
        org.clear_log()
        host = "org-l%d" % repeat
        run = bench.playbook("s4-converge-latency-r%d" % repeat, os.path.join(ROOT, "site.yml"), {host: bench.role_host(org, "s4", host)})
        bench.expect_ok(run)
        log = okta_calls(org.log())
        if best is None or run.wall < best["run"].wall:
            steps, tasks = per_step(run, log, host)
            best = {"run": run, "log": log, "steps": steps, "tasks": tasks}
    bench.stop([org])
    if best is None:
        raise RuntimeError("no converge ran")
    run, log, steps, tasks = best["run"], best["log"], best["steps"], best["tasks"]

    overhead_hosts = {"localhost-ish": {}}
    playbook = os.path.join(BENCH, "playbooks", "ansible_overhead.yml")
    fixed = [bench.playbook("s4-ansible-no-task-%d" % i, playbook, overhead_hosts, args=("--tags", "no-such-tag")) for i in range(2)]
    trivial = [bench.playbook("s4-ansible-10-tasks-%d" % i, playbook, overhead_hosts) for i in range(2)]
    fixed_cpu = min(r.cpu for r in fixed)
    per_task_cpu = max(0.0, (min(r.cpu for r in trivial) - fixed_cpu) / 10)
    fixed_wall = min(r.wall for r in fixed)
    trivial_wall = min(r.wall for r in trivial)
    per_task = max(0.0, (trivial_wall - fixed_wall) / 10)
    ping_walls = [t["end"] - t["start"] for r in trivial for t in r.tasks if t.get("end")]
    return {"run": run, "log": log, "steps": steps, "tasks": tasks, "python_start": python_start,
            "ansible_fixed": fixed_wall, "ansible_per_task": per_task, "ansible_fixed_cpu": fixed_cpu, "ansible_per_task_cpu": per_task_cpu,
            "ansible_task_median": statistics.median(ping_walls) if ping_walls else None}


def scenario_5(bench: Bench) -> dict[str, Any]:
    print("\n[5] scale: a resource set naming groups one by one, in orgs of %s groups" % " and ".join("{:,}".format(n) for n in SCALE_ORGS),
          flush=True)
    out: dict[str, Any] = {}
    playbook = os.path.join(BENCH, "playbooks", "resource_set.yml")
    cases = [(SCALE_ORGS[0], SCALE_NAMED), (SCALE_ORGS[1], SCALE_NAMED), (SCALE_ORGS[1], SCALE_NAMED_SMALL)]
    emulators = {size: bench.emulator(seed="large", groups=size) for size in SCALE_ORGS}
    for org_size, named in cases:
        org = emulators[org_size]
        stride = org_size // named
        resources = [{"type": "group", "name": "group-%05d" % (1 + i * stride)} for i in range(named)]
        host = {"org-s": {"okta_org_url": org.url, "okta_api_token": ADMIN_TOKEN, "okta_ca_path": org.ca_path}}
        repeats = []
        for repeat in range(SCALE_REPEATS):
            # A new set each time (its own label): every repeat does the same look-ups and one create.
            org.clear_log()
            run = bench.playbook("s5-%d-named-in-%d-r%d" % (named, org_size, repeat), playbook, host,
                                 extra_vars={"bench_resources": resources, "bench_repeat": "r%d" % repeat})
            bench.expect_ok(run)
            log = okta_calls(org.log())
            group_calls = [e for e in log if e["method"] == "GET" and e["path"] == "/api/v1/groups"]
            listings = [e for e in group_calls if not any(k in e["query"] for k in ("search=", "q=", "filter="))]
            task = next((t for t in run.tasks if t["action"].endswith("okta_resource_set")), None)
            label = "Bench %d groups r%d" % (named, repeat)
            in_set = sum(len(rs.get("resources", [])) for rs in (org.state().get("resource_sets") or {}).values() if rs.get("label") == label)
            repeats.append({"calls": len(log), "lookup_calls": len(group_calls), "org_listings": len(listings),
                            "writes": sum(1 for e in log if is_write(e)), "resources_in_set": in_set, "failed": run.failed_tasks,
                            "task_wall": task["end"] - task["start"] if task and task.get("end") else None,
                            "server_ms": sum(e.get("duration_ms") or 0 for e in group_calls)})
        walls = [r["task_wall"] for r in repeats if r["task_wall"] is not None]
        out["%d@%d" % (named, org_size)] = dict(repeats[0], org_groups=org_size, named_groups=named, repeats=repeats,
                                                task_wall=min(walls) if walls else None,
                                                lookup_calls=max(r["lookup_calls"] for r in repeats),
                                                org_listings=sum(r["org_listings"] for r in repeats),
                                                resources_in_set=min(r["resources_in_set"] for r in repeats))
    bench.stop(list(emulators.values()))
    return out


def scenarios_6_7(bench: Bench, one_org_wall: float | None = None) -> dict[str, Any]:
    print("\n[6] %d orgs (emulator instances) in one run, forks=%d" % (MANY_ORGS, FORKS), flush=True)
    site = os.path.join(ROOT, "site.yml")
    # One org alone, right before the twenty and with the same kind of emulator, as the reference.
    single = bench.emulator(seed="demo")
    one = bench.playbook("s6-one-org", site, {"org-00": bench.role_host(single, "s6", "org-00")}, forks=FORKS)
    bench.expect_ok(one)
    bench.stop([single])
    orgs = bench.emulators_parallel(MANY_ORGS, seed="demo")
    names = ["org-%02d" % (i + 1) for i in range(MANY_ORGS)]
    hosts = {name: bench.role_host(org, "s6", name) for name, org in zip(names, orgs)}
    for org in orgs:
        org.clear_log()
    many = bench.playbook("s6-%d-orgs" % MANY_ORGS, site, hosts, forks=FORKS)
    bench.expect_ok(many)
    many_calls = sum(len(okta_calls(org.log())) for org in orgs)
    out6 = {"run": many, "one": one, "calls": many_calls, "first_converge_wall": one_org_wall}

    print("  the same with %d ms per call (Okta is not on loopback):" % LATENCY_MS, flush=True)
    single = bench.emulator(seed="demo", latency_ms=LATENCY_MS)
    one_latency = bench.playbook("s6-one-org-latency", site, {"org-00": bench.role_host(single, "s6l", "org-00")}, forks=FORKS)
    bench.expect_ok(one_latency)
    bench.stop([single])
    for org in orgs:
        org.reset()
        org.settings(latency_ms=LATENCY_MS)
    hosts = {name: bench.role_host(org, "s6l", name) for name, org in zip(names, orgs)}
    many_latency = bench.playbook("s6-%d-orgs-latency" % MANY_ORGS, site, hosts, forks=FORKS)
    bench.expect_ok(many_latency)
    out6.update(run_latency=many_latency, one_latency=one_latency)

    print("\n[7] rate limits: developer-org preset (apps bucket 10/min, IAM 100/min; each credential may use %d%%), %d orgs"
          % (PRINCIPAL_SHARE_PERCENT, MANY_ORGS), flush=True)
    for org in orgs:
        org.reset()
        org.settings(rate_limits="developer")
        org.clear_log()
    hosts = {name: bench.role_host(org, "s7", name) for name, org in zip(names, orgs)}
    limited = bench.playbook("s7-developer-rate-limits", site, hosts, forks=FORKS)
    bench.expect_ok(limited)
    logs = {name: okta_calls(org.log()) for name, org in zip(names, orgs)}
    bench.stop(orgs)

    per_org = {name: rate_limit_figures(log, limited.module_calls(name)) for name, log in logs.items()}
    floor_rows = [r for r in first_converge_floor() if r["endpoint"].startswith(("GET /api/v1/apps", "POST /api/v1/apps"))]
    floor_apps_bucket = sum(r["calls"] for r in floor_rows)
    # The credential check's read is made with the Zluri app's own token; every other floor call with the admin's.
    floor_admin_calls = floor_apps_bucket - sum(r["calls"] for r in floor_rows if r["step"] == "credential check + hand-off")
    share = DEVELOPER_APPS_BUCKET * PRINCIPAL_SHARE_PERCENT // 100
    out7 = {"run": limited, "per_org": per_org, "apps_bucket_limit": DEVELOPER_APPS_BUCKET, "principal_share": share,
            "floor_apps_bucket_calls": floor_apps_bucket, "floor_admin_apps_bucket_calls": floor_admin_calls,
            "floor_waits": floor_admin_calls > share}
    return {"6": out6, "7": out7}


def rate_limit_figures(log: list[dict[str, Any]], module_calls: list[dict[str, Any]]) -> dict[str, Any]:
    """One org's run under rate limits: 429s, seconds waited, and the least wait the limits forced on the calls made.

    Each refused call's window reset at the time its 429 named (the emulator logs it as rate_reset): nothing could
    have gone through that window before then, so the least wait is, per refusing window, its reset minus the
    first refusal in it.
    """
    refused = [entry for entry in log if entry["status"] == 429]
    first_refusal: dict[tuple[Any, ...], float] = {}
    for entry in refused:
        window = (entry.get("bucket"), entry.get("principal"), entry.get("rate_reset"))
        first_refusal[window] = min(first_refusal.get(window, entry["ts"]), entry["ts"])
    minimum = sum(max(0.0, (window[2] or ts) - ts) for window, ts in first_refusal.items())
    allowed_apps = [entry for entry in log if entry["status"] != 429 and entry.get("bucket") == "/api/v1/apps"]
    admin_apps = [entry for entry in allowed_apps if str(entry.get("principal") or "").startswith("user:")]
    return {"429s": len(refused), "waited_s": sum(calls.get("waited_seconds", 0.0) for calls in module_calls), "minimum_wait_s": minimum,
            "apps_bucket_calls": len(allowed_apps), "admin_apps_bucket_calls": len(admin_apps), "calls": len(log)}


def _admin_app(org: RunningEmulator, workdir: str) -> dict[str, Any]:
    """An OAuth admin service app in the emulator: SUPER_ADMIN, the modules' scopes, its own key."""
    key = os.path.join(workdir, "admin-key.pem")
    admin = OrgAdmin(org.url, ADMIN_TOKEN, org.ca_path)
    app_id, kid = create_admin_app(admin, generate_key(key), label="Bench admin automation")
    return {"id": app_id, "key": key, "kid": kid, "admin": admin}


def _require_dpop(admin: dict[str, Any]) -> None:
    app = admin["admin"].expect("GET", "/api/v1/apps/" + admin["id"])
    for read_only in ("id", "status", "created", "lastUpdated", "_links", "_embedded", "orn"):
        app.pop(read_only, None)
    app["settings"]["oauthClient"]["dpop_bound_access_tokens"] = True
    admin["admin"].expect("PUT", "/api/v1/apps/" + admin["id"], app)


def scenario_8(bench: Bench) -> dict[str, Any]:
    print("\n[8] token use with OAuth admin credentials (private_key_jwt, SUPER_ADMIN service app)", flush=True)
    org = bench.emulator(seed="demo")
    admin = _admin_app(org, bench.workdir)
    site = os.path.join(ROOT, "site.yml")
    oauth = {"zluri_okta_api_token": "", "zluri_okta_client_id": admin["id"], "zluri_okta_private_key_path": admin["key"],
             "zluri_okta_key_id": admin["kid"]}
    cases = [("first converge, admin app without DPoP", "s8-oauth-first", {}, False),
             ("re-run, admin app requires DPoP, dpop=auto (default)", "s8-oauth-dpop-auto", {}, True),
             ("re-run, admin app requires DPoP, dpop=always", "s8-oauth-dpop-always", {"zluri_okta_dpop": "always"}, True)]
    out: dict[str, Any] = {}
    for label, name, extra, dpop in cases:
        if dpop:
            _require_dpop(admin)
        org.clear_log()
        run = bench.playbook(name, site, {"org-o": bench.role_host(org, "s8", "org-o", **oauth, **extra)})
        bench.expect_ok(run)
        log = okta_calls(org.log())
        module_runs = [t for t in run.tasks if t.get("api_calls") and t["api_calls"].get("total")]
        per_module = [t["api_calls"].get("by_endpoint", {}).get("POST /oauth2/v1/token", 0) - t.get("check_token_requests", 0)
                      for t in module_runs]
        log_tokens = sum(1 for e in log if e["method"] == "POST" and e["path"] == "/oauth2/v1/token")
        out[name] = {"label": label, "module_runs": len(module_runs), "admin_token_requests": sum(per_module),
                     "per_module_max": max(per_module) if per_module else 0,
                     "first_module": per_module[0] if per_module else 0,
                     "later_module_max": max(per_module[1:]) if len(per_module) > 1 else 0,
                     "per_module": {t["action"].split(".")[-1]: n for t, n in zip(module_runs, per_module)},
                     "all_token_requests": log_tokens, "verification_token_requests": log_tokens - sum(per_module),
                     "failed": run.failed_tasks, "wall": run.wall}
    bench.stop([org])
    return out


def _converge_and_rerun(bench: Bench, org: RunningEmulator, name: str, playbook: str, host: str, variables: dict[str, Any]) -> dict[str, Any]:
    """A first converge and a re-run of one playbook on one org, each counted as scenarios 1 and 2 count them."""
    out: dict[str, Any] = {}
    for phase in ("first", "rerun"):
        org.clear_log()
        run = bench.playbook("%s-%s" % (name, phase), playbook, {host: variables})
        bench.expect_ok(run)
        log = okta_calls(org.log())
        steps, _tasks = per_step(run, log, host)
        out[phase] = {"run": run, "log": log, "calls": len(log), "writes": sum(1 for e in log if is_write(e)), "steps": steps,
                      "endpoints": Counter(template(e["method"], e["path"]) for e in log),
                      "changed_tasks": [t["task"] for t in run.host_tasks(host) if t["changed"]]}
    return out


def scenario_9(bench: Bench) -> dict[str, Any]:
    print("\n[9] vendor preset: okta_service_connection with preset zluri (and vanta) vs the zluri_okta role, each on a fresh "
          "demo org", flush=True)
    # One emulator reset to its seed before each case: a fresh org with fresh rate windows, as scenario 1 starts from.
    org = bench.emulator(seed="demo")
    preset_playbook = os.path.join(BENCH, "playbooks", "vendor_preset.yml")
    out: dict[str, Any] = {"role": _converge_and_rerun(bench, org, "s9-zluri-okta-role", os.path.join(ROOT, "site.yml"), "org-r",
                                                       bench.role_host(org, "s9", "org-r"))}
    org.reset()
    out["zluri"] = _converge_and_rerun(bench, org, "s9-preset-zluri", preset_playbook, "org-z",
                                       bench.role_host(org, "s9", "org-z", prefix=PRESET_PREFIX, okta_service_connection_preset="zluri"))
    org.reset()
    vanta = bench.role_host(org, "s9", "org-v", prefix=PRESET_PREFIX, okta_service_connection_preset="vanta",
                            okta_service_connection_allow_super_admin=True,
                            okta_service_connection_vendor_jwks_uri=org.url + "/_emulator/jwks/vanta",
                            bench_vendor_key_path=os.path.join(bench.workdir, "vanta-vendor-key.pem"))
    bench.expect_ok(bench.playbook("s9-vanta-publishes-jwks", os.path.join(BENCH, "playbooks", "vendor_jwks.yml"), {"org-v": vanta}))
    out["vanta"] = _converge_and_rerun(bench, org, "s9-preset-vanta", preset_playbook, "org-v", vanta)
    bench.stop([org])
    return out
