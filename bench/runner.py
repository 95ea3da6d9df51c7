# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How make bench runs things: Okta emulators on 127.0.0.1 (stopped by PID) and ansible-playbook with the bench_timings
callback, each run's wall and CPU time, and the rows of the table as they are measured."""

from __future__ import annotations

import concurrent.futures
import json
import os
import statistics
import subprocess
import sys
import time
from typing import Any

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
sys.path.insert(0, os.path.join(ROOT, "tests", "emulator"))

from okta_emulator.harness import RunningEmulator, start_emulator  # noqa: E402  pylint: disable=wrong-import-position
from okta_fixtures import ADMIN_TOKEN  # noqa: E402  pylint: disable=wrong-import-position

FORKS = 10


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
    def role_host(self, emulator: RunningEmulator, scenario: str, host: str, prefix: str = "zluri_okta_", **extra: Any) -> dict[str, Any]:
        """A host's variables for the role whose variables start with prefix: the emulator's org, the admin's API token,
        the emulator's CA and an output directory of its own."""
        variables = {
            prefix + "org_url": emulator.url,
            prefix + "api_token": ADMIN_TOKEN,
            prefix + "ca_path": emulator.ca_path,
            prefix + "output_dir": os.path.join(self.workdir, "out", scenario, host),
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
