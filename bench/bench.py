# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""make bench: API calls and time of the zluri_okta role against the floor, at scale, across orgs (issue 7), and the calls
of a vendor preset of the okta_service_connection role against the zluri_okta role's.

Run by bench/run.sh with the .venv-bench interpreter from the repository root:

    python bench/bench.py [--only 1,2,4] [--results DIR]

Every emulator is started here on 127.0.0.1 (HTTPS) and stopped by its PID. Each Okta call is read from the
emulator's request log and attributed to the Ansible task that was running (bench/callback_plugins/bench_timings
records per-task wall-clock times). One table of figures is printed, every ratio measured in this run, and the
same figures are written as JSON to bench/results/.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import signal
import sys
import time
from typing import Any

from floor import first_converge_floor, noop_floor
from report import print_table, report, serialise
from runner import BENCH, ROOT, Bench, python_start_seconds
from scenarios import LATENCY_MS, scenario_4, scenario_5, scenario_8, scenario_9, scenarios_1_2_3, scenarios_6_7, uri_runs


def main() -> int:  # pylint: disable=too-many-statements
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="1,2,3,4,5,6,7,8,9", help="comma-separated scenarios (default: all)")
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
        if "9" in only:
            data["s9"] = scenario_9(bench)
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
