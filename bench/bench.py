# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""make bench: API calls and time of the zluri_okta role against the floor, at scale, across orgs (issue 7).

Run by bench/run.sh with the .venv-bench interpreter from the repository root:

    python bench/bench.py [--only 1,2,4] [--results DIR]

Every emulator is started here on 127.0.0.1 (HTTPS) and stopped by its PID. Each Okta call is read from the
emulator's request log and attributed to the Ansible task that was running (bench/callback_plugins/bench_timings
records per-task wall-clock times). One table of figures is printed, every ratio measured in this run, and the
same figures are written as JSON to bench/results/.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime
import json
import math
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from typing import Any

import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
sys.path.insert(0, os.path.join(ROOT, "tests", "emulator"))

from okta_emulator.harness import RunningEmulator, start_emulator  # noqa: E402  pylint: disable=wrong-import-position

ADMIN_TOKEN = "emulator-admin-token"
LATENCY_MS = 100
LATENCY_REPEATS = 2  # scenario 4 reports the best first converge of these (the machine may be shared)
MANY_ORGS = 20
FORKS = 10
SCALE_NAMED = 1000
SCALE_NAMED_SMALL = 100
SCALE_ORGS = (10_000, 50_000)
SCALE_REPEATS = 2  # the task time printed is the best of these (the machine may be shared)

# The role's defaults (roles/zluri_okta/defaults/main.yml): what the floor is computed for.
SCOPES = ["okta.users.read", "okta.groups.read", "okta.apps.read", "okta.logs.read", "okta.roles.read", "okta.domains.read"]
STANDARD_ROLES = ["API_ACCESS_MANAGEMENT_ADMIN", "READ_ONLY_ADMIN"]
PERMISSIONS_MINIMUM = 5
RESOURCES_ALL_GROUPS = 4  # all groups, all users, all apps, IAM
# One read per scope, as Zluri's own calls would prove it (plugins/module_utils/m2m_check.py SCOPE_PROBES).
SCOPE_PROBE = {
    "okta.users.read": "GET /api/v1/users",
    "okta.groups.read": "GET /api/v1/groups",
    "okta.apps.read": "GET /api/v1/apps",
    "okta.logs.read": "GET /api/v1/logs",
    "okta.roles.read": "GET /oauth2/v1/clients/{id}/roles",
    "okta.domains.read": "GET /api/v1/domains",
}
# Scopes the OAuth admin app of scenario 8 holds: what the modules ask for (their oauth_scopes).
ADMIN_APP_SCOPES = ["okta.apps.manage", "okta.apps.read", "okta.roles.manage", "okta.roles.read", "okta.appGrants.manage",
                    "okta.appGrants.read", "okta.groups.read", "okta.users.read"]

STEP_OF_ACTION = {
    "okta_app_jwk": "key pair",
    "okta_service_app": "API Services app",
    "okta_admin_role": "custom admin role",
    "okta_resource_set": "resource set",
    "okta_scope_grant": "scope grants",
    "okta_role_assignment": "role assignments",
    "zluri_connection": "credential check + hand-off",
}
STEPS = list(STEP_OF_ACTION.values())
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
_ID = re.compile(r"^(0oa|cr0|iam|ire|irb|oag|pks|00u|00g|00o)[A-Za-z0-9]{8,}$")


# --------------------------------------------------------------------------------------------------- the floors

def first_converge_floor(scopes: int = len(SCOPES), roles: int = len(STANDARD_ROLES) + 1) -> list[dict[str, Any]]:
    """The fewest calls that converge an org where nothing exists yet, step by step (docs/okta-api.md).

    A correct tool knows nothing beforehand except what earlier calls of the same run told it.
    """
    floor = [
        ("key pair", "-", 0, "generated locally; Okta is not called"),
        ("API Services app", "GET /api/v1/apps", 1,
         "search by label before creating: labels are not unique and q= is a prefix search (trap 9)"),
        ("API Services app", "POST /api/v1/apps", 1,
         "create with the public JWK embedded; the answer holds id, client_id and the app's ORN (partition + org id)"),
        ("API Services app", "GET /api/v1/apps/{id}/credentials/jwks", 1,
         "when Okta registered the key, for its age: the keys embedded in the app carry no created"),
        ("custom admin role", "GET /api/v1/iam/roles/{label}", 1, "look up by label (404)"),
        ("custom admin role", "POST /api/v1/iam/roles", 1, "create with every permission in the body"),
        ("resource set", "GET /api/v1/iam/resource-sets/{label}", 1, "look up by label (404)"),
        ("resource set", "POST /api/v1/iam/resource-sets", 1,
         "create with every resource; the IAM ORN's partition and org id come from the app's ORN"),
        ("scope grants", "POST /api/v1/apps/{id}/grants", scopes,
         "one POST per scope (trap 6); the app was created by this run, so there is no grant to read"),
        ("role assignments", "GET /oauth2/v1/clients/{id}/roles", 1,
         "the SUPER_ADMIN guard: Okta may add SUPER_ADMIN after the first grant (trap 7)"),
        ("role assignments", "POST /oauth2/v1/clients/{id}/roles", roles,
         "one POST per role; custom role and resource set ids are known from their steps"),
        ("credential check + hand-off", "POST /oauth2/v1/token", 1, "one token with private_key_jwt, as Zluri will ask"),
    ]
    rows = [{"step": s, "endpoint": e, "calls": c, "why": w} for s, e, c, w in floor]
    for scope in SCOPES[:scopes]:
        rows.append({"step": "credential check + hand-off", "endpoint": SCOPE_PROBE[scope], "calls": 1, "why": "one read for %s" % scope})
    return rows


def noop_floor(resources: int = RESOURCES_ALL_GROUPS, scopes: int = len(SCOPES)) -> list[dict[str, Any]]:
    """The fewest calls that prove a converged org is converged (and re-verify the credentials)."""
    floor = [
        ("key pair", "-", 0, "the key file exists; Okta is not called"),
        ("API Services app", "GET /api/v1/apps", 1,
         "search by label: the list answer carries label, status, the DPoP setting and the embedded JWKs"),
        ("API Services app", "GET /api/v1/apps/{id}/credentials/jwks", 1,
         "when Okta registered the key, for its age: the keys embedded in the app carry no created"),
        ("custom admin role", "GET /api/v1/iam/roles/{label}", 1, "look up by label"),
        ("custom admin role", "GET /api/v1/iam/roles/{id}/permissions", 1, "compare permissions (not in the role object)"),
        ("resource set", "GET /api/v1/iam/resource-sets/{label}", 1, "look up by label"),
        ("resource set", "GET /api/v1/iam/resource-sets/{id}/resources", math.ceil(resources / 200),
         "compare resources, 200 per page"),
        ("scope grants", "GET /api/v1/apps/{id}/grants", 1, "compare grants; the app id is known from the app step"),
        ("role assignments", "GET /oauth2/v1/clients/{id}/roles", 1, "compare; role and set ids are known from their steps"),
        ("credential check + hand-off", "POST /oauth2/v1/token", 1, "one token with private_key_jwt"),
    ]
    rows = [{"step": s, "endpoint": e, "calls": c, "why": w} for s, e, c, w in floor]
    for scope in SCOPES[:scopes]:
        rows.append({"step": "credential check + hand-off", "endpoint": SCOPE_PROBE[scope], "calls": 1, "why": "one read for %s" % scope})
    return rows


def floor_total(rows: list[dict[str, Any]], without_check: bool = False) -> int:
    return sum(r["calls"] for r in rows if not (without_check and r["step"] == "credential check + hand-off"))


def floor_by(rows: list[dict[str, Any]], key: str) -> Counter:
    counts: Counter = Counter()
    for row in rows:
        if row["calls"]:
            counts[row[key]] += row["calls"]
    return counts


# ---------------------------------------------------------------------------------------------- the request log

def template(method: str, path: str, query: str = "") -> str:
    """'GET /api/v1/apps/0oa123/grants' -> 'GET /api/v1/apps/{id}/grants'; IAM labels become {label}."""
    parts = path.split("/")
    for index, part in enumerate(parts):
        if _ID.match(part):
            parts[index] = "{id}"
        elif index == 5 and parts[3] == "iam" and parts[4] in ("roles", "resource-sets") and part:
            parts[index] = "{label}"
        elif parts[1:4] == ["oauth2", "v1", "clients"] and index == 4:
            parts[index] = "{id}"
    return "%s %s" % (method, "/".join(parts))


def is_write(entry: dict[str, Any]) -> bool:
    return entry["method"] in WRITE_METHODS and entry["path"] != "/oauth2/v1/token" and not entry["path"].startswith("/zluri/")


def okta_calls(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in entries if not e["path"].startswith("/zluri/")]


def attribute(entries: list[dict[str, Any]], tasks: list[dict[str, Any]], host: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """Each logged call -> the task (uuid) that was running on that host when the call arrived."""
    spans = [t for t in tasks if (host is None or t["host"] == host) and t.get("start") and t.get("end")]
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entry in entries:
        owner = next((t for t in spans if t["start"] <= entry["ts"] <= t["end"] + 0.05), None)
        found[owner["uuid"] if owner else "(between tasks)"].append(entry)
    return found


def step_of(task: dict[str, Any]) -> str | None:
    return STEP_OF_ACTION.get(task["action"].split(".")[-1])


# ------------------------------------------------------------------------------------------------------ running

class Run:
    """One ansible-playbook run: wall time, exit code, per-task records."""

    def __init__(self, name: str, wall: float, rc: int, timings: dict[str, Any], log_path: str, cpu: float) -> None:
        self.name = name
        self.wall = wall
        self.cpu = cpu
        self.rc = rc
        self.tasks: list[dict[str, Any]] = timings.get("tasks", [])
        self.stats: dict[str, Any] = timings.get("stats", {})
        self.log_path = log_path

    def host_tasks(self, host: str) -> list[dict[str, Any]]:
        return [t for t in self.tasks if t["host"] == host]

    @property
    def failed_tasks(self) -> int:
        return sum(1 for t in self.tasks if t["status"] in ("failed", "unreachable"))

    @property
    def changed_tasks(self) -> int:
        return sum(1 for t in self.tasks if t["changed"])

    def module_calls(self, host: str | None = None) -> list[dict[str, Any]]:
        return [t["api_calls"] for t in self.tasks if t.get("api_calls") and (host is None or t["host"] == host)]


class Bench:
    def __init__(self, workdir: str) -> None:
        self.workdir = workdir
        self.emulators: list[RunningEmulator] = []
        self.bin = os.path.dirname(sys.executable)
        self.results: dict[str, Any] = {}
        self.rows: list[dict[str, Any]] = []
        self.problems: list[str] = []

    # emulators -------------------------------------------------------------------------------------------------
    def emulator(self, **options: Any) -> RunningEmulator:
        emulator = start_emulator(tls=True, timeout=120, **options)
        self.emulators.append(emulator)
        return emulator

    def emulators_parallel(self, count: int, **options: Any) -> list[RunningEmulator]:
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            started = list(pool.map(lambda _i: start_emulator(tls=True, timeout=120, **options), range(count)))
        self.emulators.extend(started)
        return started

    def stop(self, emulators: list[RunningEmulator]) -> None:
        for emulator in emulators:
            if emulator in self.emulators:
                self.emulators.remove(emulator)
            emulator.stop()

    def stop_all(self) -> None:
        self.stop(list(self.emulators))

    # ansible ---------------------------------------------------------------------------------------------------
    def role_host(self, emulator: RunningEmulator, scenario: str, host: str, **extra: Any) -> dict[str, Any]:
        variables = {
            "zluri_okta_org_url": emulator.url,
            "zluri_okta_api_token": ADMIN_TOKEN,
            "zluri_okta_ca_path": emulator.ca_path,
            "zluri_okta_output_dir": os.path.join(self.workdir, "out", scenario, host),
        }
        variables.update(extra)
        return variables

    def playbook(self, name: str, playbook: str, hosts: dict[str, dict[str, Any]], *, check: bool = False, forks: int = FORKS,
                 extra_vars: dict[str, Any] | None = None, args: tuple[str, ...] = ()) -> Run:
        inventory = os.path.join(self.workdir, name + ".inventory.json")
        with open(inventory, "w", encoding="utf-8") as stream:
            json.dump({"okta_orgs": {"hosts": hosts}}, stream)
        timings_file = os.path.join(self.workdir, name + ".timings.json")
        log_path = os.path.join(self.workdir, name + ".log")
        command = [os.path.join(self.bin, "ansible-playbook"), "-i", inventory, playbook, "--forks", str(forks), *args]
        if check:
            command.append("--check")
        if extra_vars:
            vars_file = os.path.join(self.workdir, name + ".vars.json")
            with open(vars_file, "w", encoding="utf-8") as stream:
                json.dump(extra_vars, stream)
            command += ["-e", "@" + vars_file]
        env = {key: value for key, value in os.environ.items() if not key.startswith(("OKTA_", "ANSIBLE_"))}
        env.update({
            "PATH": self.bin + os.pathsep + env.get("PATH", ""),
            "ANSIBLE_COLLECTIONS_PATH": os.path.join(ROOT, "collections"),
            "ANSIBLE_CALLBACK_PLUGINS": os.path.join(BENCH, "callback_plugins"),
            "ANSIBLE_CALLBACKS_ENABLED": "bench_timings",
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_RETRY_FILES_ENABLED": "0",
            "BENCH_TIMINGS_FILE": timings_file,
        })
        if os.path.exists(timings_file):
            os.unlink(timings_file)
        started = time.time()
        with open(log_path, "wb") as log:
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
            # wait4: the CPU time of ansible-playbook and of every worker and module process it reaped.
            _pid, status, usage = os.wait4(process.pid, 0)
            rc = process.returncode = os.waitstatus_to_exitcode(status)
        wall = time.time() - started
        cpu = usage.ru_utime + usage.ru_stime
        timings: dict[str, Any] = {}
        if os.path.exists(timings_file):
            with open(timings_file, encoding="utf-8") as stream:
                timings = json.load(stream)
        run = Run(name, wall, rc, timings, log_path, cpu)
        print("  %-34s %6.1f s (CPU %5.1f s)  rc=%d  tasks=%d changed=%d failed=%d"
              % (name, wall, cpu, rc, len(run.tasks), run.changed_tasks, run.failed_tasks), flush=True)
        return run

    def expect_ok(self, run: Run) -> None:
        if run.rc != 0:
            self.problems.append("%s: ansible-playbook exited %d (see %s)" % (run.name, run.rc, run.log_path))

    # table -----------------------------------------------------------------------------------------------------
    def row(self, scenario: str, measure: str, value: Any, reference: Any = None, ratio: float | None = None,
            target: str = "", holds: bool | None = None, uri: Any = None, note: str = "") -> None:
        self.rows.append({"scenario": scenario, "measure": measure, "value": value, "reference": reference, "ratio": ratio,
                          "target": target, "holds": holds, "uri": uri, "note": note})


def python_start_seconds() -> float:
    samples = []
    for _attempt in range(5):
        started = time.perf_counter()
        subprocess.call([sys.executable, "-c", "pass"])
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


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

    print("\n[7] rate limits: developer-org preset (apps bucket 10/min, IAM 100/min), %d apps' worth of work" % MANY_ORGS, flush=True)
    for org in orgs:
        org.reset()
        org.settings(rate_limits="developer")
        org.clear_log()
    hosts = {name: bench.role_host(org, "s7", name) for name, org in zip(names, orgs)}
    limited = bench.playbook("s7-developer-rate-limits", site, hosts, forks=FORKS)
    bench.expect_ok(limited)
    logs = {name: okta_calls(org.log()) for name, org in zip(names, orgs)}
    bench.stop(orgs)

    per_org = {}
    limits = {"/api/v1/apps": 10, "/api/v1/iam": 100, "/api/v1/apps/{id}": 50}
    for name, log in logs.items():
        throttled = [e for e in log if e["status"] == 429]
        minimum = 0.0
        windows: dict[str, tuple[float, int]] = {}
        by_bucket: Counter = Counter()
        for entry in sorted(log, key=lambda e: e["ts"]):
            bucket = entry.get("bucket") or "?"
            reset, used = windows.get(bucket, (0.0, 0))
            if entry["ts"] >= reset:
                reset, used = math.ceil(entry["ts"]) + 60, 0
            if entry["status"] == 429:
                minimum += max(0.0, reset - entry["ts"])
            else:
                used += 1
                by_bucket[bucket] += 1
            windows[bucket] = (reset, used)
        waited = sum(calls.get("waited_seconds", 0.0) for calls in limited.module_calls(name))
        per_org[name] = {"429s": len(throttled), "waited_s": waited, "minimum_wait_s": minimum, "apps_bucket_calls": by_bucket.get("/api/v1/apps", 0),
                         "calls": len(log)}
    floor_apps_bucket = sum(r["calls"] for r in first_converge_floor() if r["endpoint"].startswith(("GET /api/v1/apps", "POST /api/v1/apps")))
    out7 = {"run": limited, "per_org": per_org, "limits": limits, "floor_apps_bucket_calls": floor_apps_bucket,
            "floor_minimum_wait_s": 0.0 if floor_apps_bucket <= limits["/api/v1/apps"] else None}
    return {"6": out6, "7": out7}


def _admin_app(org: RunningEmulator, workdir: str) -> dict[str, Any]:
    """An OAuth admin service app in the emulator: SUPER_ADMIN, the modules' scopes, its own key."""
    key, jwk_file = os.path.join(workdir, "admin-key.pem"), os.path.join(workdir, "admin-jwk.json")
    subprocess.check_call([sys.executable, os.path.join(BENCH, "make_jwk.py"), key, jwk_file])
    with open(jwk_file, encoding="utf-8") as stream:
        jwk = json.load(stream)
    session = requests.Session()
    session.trust_env = False  # REQUESTS_CA_BUNDLE would override the emulator's CA
    session.verify = org.ca_path
    session.headers.update({"Authorization": "SSWS " + ADMIN_TOKEN, "Accept": "application/json"})
    app = session.post(org.url + "/api/v1/apps", params={"activate": "true"}, json={
        "name": "oidc_client", "label": "Bench admin automation", "signOnMode": "OPENID_CONNECT",
        "credentials": {"oauthClient": {"token_endpoint_auth_method": "private_key_jwt", "autoKeyRotation": True, "pkce_required": False}},
        "settings": {"oauthClient": {"application_type": "service", "grant_types": ["client_credentials"], "response_types": ["token"],
                                     "consent_method": "TRUSTED", "issuer_mode": "ORG_URL", "dpop_bound_access_tokens": False,
                                     "jwks": {"keys": [dict(jwk, status="ACTIVE")]}}},
    })
    app.raise_for_status()
    app_id = app.json()["id"]
    for scope in ADMIN_APP_SCOPES:
        session.post(org.url + "/api/v1/apps/%s/grants" % app_id, json={"issuer": org.url, "scopeId": scope}).raise_for_status()
    session.post(org.url + "/oauth2/v1/clients/%s/roles" % app_id, json={"type": "SUPER_ADMIN"}).raise_for_status()
    return {"id": app_id, "key": key, "kid": jwk["kid"], "session": session}


def _require_dpop(org: RunningEmulator, admin: dict[str, Any]) -> None:
    session = admin["session"]
    app = session.get(org.url + "/api/v1/apps/" + admin["id"]).json()
    for read_only in ("id", "status", "created", "lastUpdated", "_links", "_embedded", "orn"):
        app.pop(read_only, None)
    app["settings"]["oauthClient"]["dpop_bound_access_tokens"] = True
    session.put(org.url + "/api/v1/apps/" + admin["id"], json=app).raise_for_status()


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
            _require_dpop(org, admin)
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


# -------------------------------------------------------------------------------------------------- reporting

def fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return "%.2f" % value if value < 10 else "%.1f" % value
    return str(value)


def print_table(rows: list[dict[str, Any]]) -> None:
    headers = ("#", "measure", "collection", "floor/ref", "ratio", "target", "holds", "uri playbook", "note")
    lines = []
    for r in rows:
        ratio = "%.2fx" % r["ratio"] if isinstance(r["ratio"], (int, float)) else "-"
        holds = {True: "HOLDS", False: "MISSES", None: ""}[r["holds"]]
        lines.append((r["scenario"], r["measure"], fmt(r["value"]), fmt(r["reference"]), ratio, r["target"], holds, fmt(r["uri"]), r["note"]))
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *lines)]
    rule = "-+-".join("-" * w for w in widths)
    print(" | ".join(h.ljust(w) for h, w in zip(headers, widths)))
    print(rule)
    for line in lines:
        print(" | ".join(str(x).ljust(w) for x, w in zip(line, widths)))


def report(bench: Bench, data: dict[str, Any]) -> None:  # pylint: disable=too-many-locals,too-many-statements,too-many-branches
    row = bench.row
    s123 = data.get("s123")
    uri = data.get("uri")
    if s123:
        first, rerun = s123["first"], s123["rerun"]
        floor1, floor2 = floor_total(first["floor"]), floor_total(rerun["floor"])
        print("\nScenario 1: first converge, Okta calls by endpoint (role) vs the floor")
        floor_endpoints = floor_by(first["floor"], "endpoint")
        for endpoint in sorted(set(first["endpoints"]) | set(floor_endpoints)):
            if endpoint == "-":
                continue
            print("  %-52s %3d   floor %2d" % (endpoint, first["endpoints"].get(endpoint, 0), floor_endpoints.get(endpoint, 0)))
        print("  %-52s %3d   floor %2d" % ("total", len(first["log"]), floor1))
        print("\nThe floor, step by step (first converge | no-op re-run):")
        floor_steps1, floor_steps2 = floor_by(first["floor"], "step"), floor_by(rerun["floor"], "step")
        for step in STEPS:
            counts = (first["steps"].get(step, 0), rerun["steps"].get(step, 0), floor_steps1.get(step, 0), floor_steps2.get(step, 0))
            print("  %-30s collection %2d | %2d    floor %2d | %2d" % ((step,) + counts))
        for r in first["floor"]:
            if r["calls"]:
                print("    first  %-28s %-44s %d  %s" % (r["step"], r["endpoint"], r["calls"], r["why"]))
        for r in rerun["floor"]:
            if r["calls"]:
                print("    no-op  %-28s %-44s %d  %s" % (r["step"], r["endpoint"], r["calls"], r["why"]))
        writes1 = sum(1 for e in first["log"] if is_write(e))
        uri_first = uri["first"] if uri else None
        uri_rerun = uri["rerun"] if uri else None
        ratio1 = len(first["log"]) / floor1
        row("1", "first converge: Okta calls", len(first["log"]), floor1, ratio1, "<= 1.25x", ratio1 <= 1.25,
            uri_first["calls"] if uri_first else None, "uri: no look-ups, no check")
        floor_writes = [r for r in first["floor"] if r["endpoint"].split()[0] in WRITE_METHODS and "/oauth2/v1/token" not in r["endpoint"]]
        row("1", "first converge: writes", writes1, floor_total(floor_writes), None, "", None, uri_first["writes"] if uri_first else None)
        row("1", "first converge: wall s (no latency)", first["run"].wall, None, None, "", None, uri_first["run"].wall if uri_first else None)
        row("1", "first converge: CPU s (ansible + modules)", first["run"].cpu, None, None, "", None,
            uri_first["run"].cpu if uri_first else None)
        writes2 = sum(1 for e in rerun["log"] if is_write(e))
        reads2 = len(rerun["log"]) - writes2
        changed2 = len(rerun["changed_tasks"])
        ratio2 = reads2 / floor2
        row("2", "re-run: write calls", writes2, 0, None, "0", writes2 == 0, uri_rerun["writes"] if uri_rerun else None,
            "uri: %s successful" % uri_rerun["successful_writes"] if uri_rerun else "")
        row("2", "re-run: tasks changed", changed2, 0, None, "0", changed2 == 0, uri_rerun["changed_tasks"] if uri_rerun else None)
        row("2", "re-run: reads vs no-op floor", reads2, floor2, ratio2, "<= 1.25x", ratio2 <= 1.25,
            (uri_rerun["calls"] - uri_rerun["writes"]) if uri_rerun else None)
        if uri:
            row("2", "re-run: 'Zluri' apps in the org after", 1, 1, None, "1 (idempotent)", None, uri["zluri_apps_after"],
                "uri re-run is %s" % ("NOT idempotent" if uri["zluri_apps_after"] != 1 or uri_rerun["successful_writes"] else "idempotent"))
        row("2", "re-run: wall s (no latency)", rerun["run"].wall, None, None, "", None, uri_rerun["run"].wall if uri_rerun else None)
        for key, label in (("check_empty", "empty org"), ("check_converged", "converged org")):
            writes = sum(1 for e in s123[key]["log"] if is_write(e))
            row("3", "check mode, %s: write calls" % label, writes, 0, None, "0", writes == 0 and s123[key]["run"].rc == 0,
                note="%d reads, %d tasks report changed" % (len(s123[key]["log"]) - writes, s123[key]["run"].changed_tasks))

    s4 = data.get("s4")
    if s4:
        floor_calls = floor_total(first_converge_floor())
        floor_time = floor_calls * LATENCY_MS / 1000 + s4["python_start"]
        wall = s4["run"].wall
        ratio4 = wall / floor_time
        module_tasks = [t for t in s4["tasks"].values() if step_of({"action": t["action"]}) and t["status"] != "skipped"]
        print("\nScenario 4: where the time goes, first converge with %d ms per call (floor %.2f s = %d calls x %.1f s + %.3f s "
              "Python start)" % (LATENCY_MS, floor_time, floor_calls, LATENCY_MS / 1000, s4["python_start"]))
        print("  %-72s %7s %6s %9s %9s" % ("task", "wall s", "calls", "server s", "rest s"))
        in_tasks = 0.0
        for task in s4["tasks"].values():
            in_tasks += task["wall"]
            print("  %-72s %7.2f %6d %9.2f %9.2f" % (task["task"][:72], task["wall"], task["calls"], task["server_ms"] / 1000,
                                                     task["wall"] - task["server_ms"] / 1000))
        print("  %-72s %7.2f" % ("ansible-playbook outside tasks (start, parse, role spec, summary)", wall - in_tasks))
        print("  Ansible itself: %.2f s per ansible-playbook run with no task, %.2f s per trivial-module task "
              "(median task %.2f s); the role runs %d tasks per org, %d of them collection modules"
              % (s4["ansible_fixed"], s4["ansible_per_task"], s4["ansible_task_median"] or 0, len(s4["tasks"]), len(module_tasks)))
        uri4 = data.get("uri_latency")
        uri_note = ""
        if uri4:
            uri_floor = floor_total(first_converge_floor(), without_check=True) * LATENCY_MS / 1000 + s4["python_start"]
            uri_note = "uri: %.2fx the floor of its changes (%.2f s)" % (uri4["first"]["run"].wall / uri_floor, uri_floor)
        row("4", "wall s, %d ms/call, first converge" % LATENCY_MS, wall, floor_time, ratio4, "<= 2x", ratio4 <= 2.0,
            uri4["first"]["run"].wall if uri4 else None, uri_note)
        waiting = sum(t["server_ms"] for t in s4["tasks"].values()) / 1000
        module_rest = statistics.median(t["wall"] - t["server_ms"] / 1000 for t in module_tasks) if module_tasks else None
        row("4", "  s waiting for Okta / s of everything else", "%.2f / %.2f" % (waiting, wall - waiting), None, None, "", None)
        row("4", "  collection module task: s besides its calls", module_rest, None, None, "", None, note="median of %d" % len(module_tasks))
        row("4", "  Ansible: s per run with no task", s4["ansible_fixed"], None, None, "", None,
            note="CPU %.2f s" % s4["ansible_fixed_cpu"])
        row("4", "  Ansible: s per trivial-module task", s4["ansible_per_task"], None, None, "", None,
            note="CPU %.2f s (ansible.builtin.ping, 10 tasks)" % s4["ansible_per_task_cpu"])
        row("4", "  CPU s of the converge (ansible + modules)", s4["run"].cpu, None, None, "", None, uri4["first"]["run"].cpu if uri4 else None,
            note="~%.2f s per collection module task beyond a trivial one" % (
                max(0.0, s4["run"].cpu - s4["ansible_fixed_cpu"] - len(module_tasks) * s4["ansible_per_task_cpu"]) / max(1, len(module_tasks))))
        row("4", "  tasks per org (modules)", "%d (%d)" % (len(s4["tasks"]), len(module_tasks)), None, None, "", None,
            "%d (%d module runs)" % (len(uri4["first"]["run"].tasks), sum(max(1, t.get("items") or 0) for t in uri4["first"]["run"].tasks
                                                                          if t["status"] != "skipped")) if uri4 else None)

    s5 = data.get("s5")
    if s5:
        big, small, few = (s5["%d@%d" % (SCALE_NAMED, SCALE_ORGS[1])], s5["%d@%d" % (SCALE_NAMED, SCALE_ORGS[0])],
                           s5["%d@%d" % (SCALE_NAMED_SMALL, SCALE_ORGS[1])])
        print("\nScenario 5: okta_resource_set naming groups by name")
        for case in (few, small, big):
            print("  %5d named of %6d groups: %3d calls (%2d group searches, %d listings of the org, %d writes), task %.2f s "
                  "(best of %d), server %.3f s for the searches, %d resources in the set"
                  % (case["named_groups"], case["org_groups"], case["calls"], case["lookup_calls"], case["org_listings"], case["writes"],
                     case["task_wall"] or 0, len(case["repeats"]), case["server_ms"] / 1000, case["resources_in_set"]))
        ok_lookups = big["lookup_calls"] <= 60 and big["org_listings"] == 0 and big["resources_in_set"] == SCALE_NAMED
        row("5", "lookup calls, %d named of %s groups" % (SCALE_NAMED, "{:,}".format(SCALE_ORGS[1])), big["lookup_calls"], 60, None,
            "<= 60, no listing", ok_lookups, note="%d listings; %d/%d resources set" % (big["org_listings"], big["resources_in_set"], SCALE_NAMED))
        org_ratio = (big["task_wall"] or 0) / (small["task_wall"] or 1)
        row("5", "task s, %d named: %s vs %s groups" % (SCALE_NAMED, "{:,}".format(SCALE_ORGS[1]), "{:,}".format(SCALE_ORGS[0])),
            big["task_wall"], small["task_wall"], org_ratio, "~1x (org size)",
            org_ratio <= 1.5 and big["lookup_calls"] == small["lookup_calls"], note="same %d look-ups" % big["lookup_calls"])
        named_ratio = (big["task_wall"] or 0) / (few["task_wall"] or 1)
        row("5", "task s, %s groups: %d vs %d named" % ("{:,}".format(SCALE_ORGS[1]), SCALE_NAMED, SCALE_NAMED_SMALL),
            big["task_wall"], few["task_wall"], named_ratio, "grows w/ named", None,
            note="%d vs %d look-ups" % (big["lookup_calls"], few["lookup_calls"]))

    s67 = data.get("s67")
    if s67:
        s6, s7 = s67["6"], s67["7"]
        cores = os.cpu_count() or 1
        for key, one_key, label in (("run", "one", "no latency"), ("run_latency", "one_latency", "%d ms/call" % LATENCY_MS)):
            many, one = s6[key], s6[one_key]
            ratio6 = many.wall / one.wall
            cpu_bound = many.cpu / cores
            row("6", "%d orgs, forks=%d, %s: wall s vs one org" % (MANY_ORGS, FORKS, label), many.wall, one.wall, ratio6, "<= 3x",
                ratio6 <= 3.0 and many.failed_tasks == 0,
                note="CPU %.0f s = %.1f s/org (one org alone %.1f s): >= %.0f s on %d cores = %.1fx; %d failed tasks"
                % (many.cpu, many.cpu / MANY_ORGS, one.cpu, cpu_bound, cores, cpu_bound / one.wall, many.failed_tasks))
        per_org = s7["per_org"].values()
        met = sum(o["429s"] for o in per_org)
        waited = sum(o["waited_s"] for o in per_org)
        minimum = sum(o["minimum_wait_s"] for o in per_org)
        apps_calls = max(o["apps_bucket_calls"] for o in per_org)
        print("\nScenario 7: developer-org rate limits, %d orgs: %d x 429 met, %.1f s waited in total (%.1f s per org), minimum for "
              "the calls made %.1f s; %d calls per org in the 10/min apps bucket (floor %d: no wait needed)"
              % (MANY_ORGS, met, waited, waited / MANY_ORGS, minimum, apps_calls, s7["floor_apps_bucket_calls"]))
        row("7", "developer limits: failed tasks", s7["run"].failed_tasks, 0, None, "0", s7["run"].failed_tasks == 0 and s7["run"].rc == 0,
            note="%d orgs, wall %.0f s" % (MANY_ORGS, s7["run"].wall))
        row("7", "  429s met", met, 0, None, "", None, note="%d apps-bucket calls per org vs limit 10" % apps_calls)
        row("7", "  s waited vs minimum for these calls", waited, minimum, (waited / minimum) if minimum else None, "", None,
            note="floor: %d apps-bucket calls -> %.0f s" % (s7["floor_apps_bucket_calls"], s7["floor_minimum_wait_s"] or 0))
        row("7", "  wall s vs the same %d orgs unlimited" % MANY_ORGS, s7["run"].wall, s6["run"].wall, s7["run"].wall / s6["run"].wall,
            "", None, note="both without latency")

    s8 = data.get("s8")
    if s8:
        print("\nScenario 8: token requests per module run with OAuth admin credentials")
        for case in s8.values():
            print("  %-55s %2d module runs, %2d admin token requests (max %d per run) %s; +%d for the credential check"
                  % (case["label"], case["module_runs"], case["admin_token_requests"], case["per_module_max"],
                     json.dumps(case["per_module"]), case["verification_token_requests"]))
        # The first module run of a play has to learn whether the app requires DPoP and Okta's nonce (no call
        # tells either without asking for a token); every later one starts from the nonce it passes on.
        for name, case in s8.items():
            holds = case["later_module_max"] <= 1 and case["failed"] == 0
            row("8", "tokens/module run after the first: %s" % case["label"], case["later_module_max"], 1, None, "<= 1", holds,
                note="first module run %d; %d per role run (+%d check)"
                     % (case["first_module"], case["admin_token_requests"], case["verification_token_requests"]))


def serialise(value: Any) -> Any:
    if isinstance(value, Run):
        return {"name": value.name, "wall": round(value.wall, 3), "cpu": round(value.cpu, 3), "rc": value.rc, "tasks": value.tasks,
                "stats": value.stats}
    if isinstance(value, dict):
        return {str(k): serialise(v) for k, v in value.items() if k != "log"}
    if isinstance(value, (list, tuple)):
        return [serialise(v) for v in value]
    if isinstance(value, Counter):
        return dict(value)
    if isinstance(value, float):
        return round(value, 4)
    return value


def main() -> int:  # pylint: disable=too-many-statements
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="1,2,3,4,5,6,7,8", help="comma-separated scenarios (default: all)")
    parser.add_argument("--results", default=os.path.join(BENCH, "results"))
    options = parser.parse_args()
    only = {s.strip() for s in options.only.split(",")}
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    workdir = os.path.join(options.results, "work-" + stamp)
    os.makedirs(workdir, mode=0o700)
    bench = Bench(workdir)

    def on_signal(signum: int, _frame: Any) -> None:
        bench.stop_all()
        sys.exit(128 + signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    started = time.time()
    load_before = os.getloadavg()
    data: dict[str, Any] = {}
    try:
        python_start = python_start_seconds()
        if only & {"1", "2", "3"}:
            data["s123"] = scenarios_1_2_3(bench)
            print("  plain uri playbook, scenarios 1-2:", flush=True)
            data["uri"] = uri_runs(bench, latency=False)
        if "4" in only:
            data["s4"] = scenario_4(bench, python_start)
            print("  plain uri playbook, scenario 4:", flush=True)
            data["uri_latency"] = uri_runs(bench, latency=True)
        if "5" in only:
            data["s5"] = scenario_5(bench)
        if only & {"6", "7"}:
            one_org = data["s123"]["first"]["run"].wall if "s123" in data else None
            data["s67"] = scenarios_6_7(bench, one_org)
        if "8" in only:
            data["s8"] = scenario_8(bench)
    finally:
        bench.stop_all()
    elapsed = time.time() - started

    print("\n" + "=" * 100)
    print("make bench: saasops.okta_m2m zluri_okta role vs the floor (every ratio measured in this run)")
    print("%s, %d CPUs, load average %.1f at start / %.1f at end, %.0f s in all"
          % (datetime.datetime.now().isoformat(timespec="seconds"), os.cpu_count() or 0, load_before[0], os.getloadavg()[0], elapsed))
    print("=" * 100)
    report(bench, data)
    print()
    print_table(bench.rows)
    judged = [r for r in bench.rows if r["holds"] is not None]
    print("\nTargets: %d hold, %d miss" % (sum(1 for r in judged if r["holds"]), sum(1 for r in judged if not r["holds"])))
    for r in judged:
        print("  %-6s scenario %s: %s (%s)" % ("HOLDS" if r["holds"] else "MISSES", r["scenario"], r["measure"].strip(), r["target"]))
    for problem in bench.problems:
        print("PROBLEM: " + problem)

    result = {"started": datetime.datetime.fromtimestamp(started).isoformat(timespec="seconds"), "elapsed_s": round(elapsed, 1),
              "cpus": os.cpu_count(), "load_average_start": load_before, "load_average_end": os.getloadavg(),
              "latency_ms": LATENCY_MS, "rows": bench.rows, "problems": bench.problems,
              "floors": {"first_converge": first_converge_floor(), "noop": noop_floor()}, "scenarios": serialise(data)}
    path = os.path.join(options.results, "bench-%s.json" % stamp)
    with open(path, "w", encoding="utf-8") as stream:
        json.dump(result, stream, indent=1, default=str)
    shutil.copyfile(path, os.path.join(options.results, "latest.json"))
    for root, _dirs, files in os.walk(workdir):
        for name in files:
            if name.endswith(".pem"):
                os.unlink(os.path.join(root, name))
    print("\nFigures: %s (work files: %s)" % (os.path.relpath(path, ROOT), os.path.relpath(workdir, ROOT)))
    return 1 if bench.problems else 0


if __name__ == "__main__":
    sys.exit(main())
