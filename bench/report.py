# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The report of make bench: per-scenario detail, one table of figures against the floor and targets, and the JSON form."""

from __future__ import annotations

import json
import os
import statistics
from collections import Counter
from typing import Any

from floor import STEPS, WRITE_METHODS, first_converge_floor, floor_by, floor_total, is_write, step_of
from runner import FORKS, Bench, Run
from scenarios import LATENCY_MS, MANY_ORGS, SCALE_NAMED, SCALE_NAMED_SMALL, SCALE_ORGS

# Twenty orgs at 100 ms/call against one: a task per step makes each org's steps wait for the other orgs' in lockstep
# (the task engine ran them in one task, at 3x); Ansible-native output is worth the difference (issue 20).
MANY_ORGS_RATIO = 3.5


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
              "(median task %.2f s); the role runs %d tasks per org and %d collection modules"
              % (s4["ansible_fixed"], s4["ansible_per_task"], s4["ansible_task_median"] or 0, len(s4["run"].tasks), len(module_tasks)))
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
        row("4", "  collection module task: s besides its calls", module_rest, None, None, "<= 0.1", module_rest is not None and module_rest <= 0.1,
            note="median of %d" % len(module_tasks))
        row("4", "  Ansible: s per run with no task", s4["ansible_fixed"], None, None, "", None,
            note="CPU %.2f s" % s4["ansible_fixed_cpu"])
        row("4", "  Ansible: s per trivial-module task", s4["ansible_per_task"], None, None, "", None,
            note="CPU %.2f s (ansible.builtin.ping, 10 tasks)" % s4["ansible_per_task_cpu"])
        row("4", "  CPU s of the converge (ansible + modules)", s4["run"].cpu, None, None, "", None, uri4["first"]["run"].cpu if uri4 else None,
            note="~%.2f s per collection module task beyond a trivial one" % (
                max(0.0, s4["run"].cpu - s4["ansible_fixed_cpu"] - len(module_tasks) * s4["ansible_per_task_cpu"]) / max(1, len(module_tasks))))
        row("4", "  tasks per org (module runs)", "%d (%d)" % (len(s4["run"].tasks), len(module_tasks)), None, None, "", None,
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
            # Without latency there is nothing to wait for: twenty orgs are CPU-bound by construction (a figure, no target).
            with_target = key == "run_latency"
            row("6", "%d orgs, forks=%d, %s: wall s vs one org" % (MANY_ORGS, FORKS, label), many.wall, one.wall, ratio6,
                "<= %sx" % MANY_ORGS_RATIO if with_target else "", (ratio6 <= MANY_ORGS_RATIO and many.failed_tasks == 0) if with_target else None,
                note="CPU %.0f s = %.1f s/org (one org alone %.1f s): >= %.0f s on %d cores = %.1fx; %d failed tasks"
                % (many.cpu, many.cpu / MANY_ORGS, one.cpu, cpu_bound, cores, cpu_bound / one.wall, many.failed_tasks))
            if with_target:
                row("6", "  CPU s per org (ansible + modules)", many.cpu / MANY_ORGS, None, None, "<= 1.2", many.cpu / MANY_ORGS <= 1.2,
                    note="%d orgs, %s" % (MANY_ORGS, label))
        per_org = s7["per_org"].values()
        met = sum(o["429s"] for o in per_org)
        waited = sum(o["waited_s"] for o in per_org)
        minimum = sum(o["minimum_wait_s"] for o in per_org)
        apps_calls = max(o["apps_bucket_calls"] for o in per_org)
        admin_calls = max(o["admin_apps_bucket_calls"] for o in per_org)
        share = s7["principal_share"]
        print("\nScenario 7: developer-org rate limits, %d orgs: %d x 429 met, %.1f s waited in total (%.1f s per org); the windows that "
              "refused them reset %.1f s after the first refusal in each (the least wait the limits allow); per org %d calls in the "
              "%d/min apps bucket, %d of them with the admin credentials, whose share is %d (floor: %d and %d: %s)"
              % (MANY_ORGS, met, waited, waited / MANY_ORGS, minimum, apps_calls, s7["apps_bucket_limit"], admin_calls, share,
                 s7["floor_apps_bucket_calls"], s7["floor_admin_apps_bucket_calls"], "the floor waits too" if s7["floor_waits"] else "no wait"))
        row("7", "developer limits: failed tasks", s7["run"].failed_tasks, 0, None, "0", s7["run"].failed_tasks == 0 and s7["run"].rc == 0,
            note="%d orgs, wall %.0f s" % (MANY_ORGS, s7["run"].wall))
        row("7", "  429s met", met, 0, None, "", None,
            note="per org %d apps-bucket calls (%d admin) vs limit %d, %d per credential" % (apps_calls, admin_calls, s7["apps_bucket_limit"], share))
        wait_ratio = (waited / minimum) if minimum else None
        row("7", "  s waited vs least the limits allow", waited, minimum, wait_ratio, "<= 1.1x",
            (wait_ratio is None and waited == 0) or (wait_ratio is not None and wait_ratio <= 1.1),
            note="floor: %d admin calls in the apps bucket vs a share of %d -> %s"
                 % (s7["floor_admin_apps_bucket_calls"], share, "one wait for the minute to reset" if s7["floor_waits"] else "no wait"))
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

    s9 = data.get("s9")
    if s9:
        role, zluri, vanta = s9["role"], s9["zluri"], s9["vanta"]
        print("\nScenario 9: Okta calls by step, the zluri_okta role vs okta_service_connection presets (first converge | re-run)")
        for step in STEPS + ["(between tasks)"]:
            counts = tuple(case[phase]["steps"].get(step, 0) for case in (role, zluri, vanta) for phase in ("first", "rerun"))
            if any(counts):
                print("  %-30s role %2d | %2d    preset zluri %2d | %2d    preset vanta %2d | %2d" % ((step,) + counts))
        # Where the preset's calls differ from the role's, by endpoint (nothing is printed when they are the same).
        for phase in ("first", "rerun"):
            role_endpoints, preset_endpoints = role[phase]["endpoints"], zluri[phase]["endpoints"]
            for endpoint in sorted(set(role_endpoints) | set(preset_endpoints)):
                counts = (role_endpoints.get(endpoint, 0), preset_endpoints.get(endpoint, 0))
                if counts[0] != counts[1]:
                    print("    %-6s %-52s role %2d   preset zluri %2d" % ((phase, endpoint) + counts))
        # A run that failed half-way makes fewer calls: a ratio holds only when all four runs succeeded.
        runs_ok = all(case[phase]["run"].rc == 0 for case in (role, zluri) for phase in ("first", "rerun"))
        for phase, label in (("first", "first converge"), ("rerun", "re-run")):
            ratio9 = zluri[phase]["calls"] / role[phase]["calls"]
            row("9", "vendor preset zluri: %s calls vs zluri_okta role" % label, zluri[phase]["calls"], role[phase]["calls"], ratio9,
                "<= 1x", ratio9 <= 1.0 and runs_ok, note="writes %d vs %d" % (zluri[phase]["writes"], role[phase]["writes"]))
        writes9 = zluri["rerun"]["writes"]
        row("9", "vendor preset zluri: re-run writes", writes9, 0, None, "0", writes9 == 0 and zluri["rerun"]["run"].rc == 0,
            note="%d tasks changed" % len(zluri["rerun"]["changed_tasks"]))
        vanta_check_calls = vanta["rerun"]["steps"]["credential check + hand-off"]
        row("9", "vendor preset vanta: calls, first converge / re-run", "%d / %d" % (vanta["first"]["calls"], vanta["rerun"]["calls"]),
            None, None, "", None, note="re-run writes %d; Super Administrator allowed; the vendor holds the key: %d configuration reads, "
                                       "no token" % (vanta["rerun"]["writes"], vanta_check_calls))


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
