# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark callback: per host and task, wall-clock start/end, status and the module's api_calls.

Enabled by bench/runner.py only (ANSIBLE_CALLBACKS_ENABLED=bench_timings); writes one JSON file to
$BENCH_TIMINGS_FILE at the end of the playbook. Timestamps are time.time(), the clock the emulator's
request log uses, so each logged Okta call can be attributed to the task that was running.
"""

from __future__ import annotations

import json
import os
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: bench_timings
type: aggregate
short_description: per-task timings and API call counts for make bench
description: Writes per host and task start/end times, status and api_calls to $BENCH_TIMINGS_FILE.
requirements: [enabled in configuration]
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "bench_timings"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self) -> None:
        super().__init__()
        self.started = time.time()
        self.records: list[dict] = []
        self.open: dict[tuple[str, str], dict] = {}

    def v2_runner_on_start(self, host, task) -> None:
        record = {
            "host": host.get_name(),
            "task": task.get_name(),
            "action": task.action,
            "uuid": task._uuid,
            "start": time.time(),
            "end": None,
            "status": "running",
            "changed": False,
            "api_calls": None,
            "items": 0,
        }
        self.open[(record["host"], task._uuid)] = record
        self.records.append(record)

    def _finish(self, result, status: str) -> None:
        key = (result._host.get_name(), result._task._uuid)
        record = self.open.pop(key, None)
        if record is None:
            record = {"host": key[0], "task": result._task.get_name(), "action": result._task.action, "uuid": key[1],
                      "start": None, "items": 0}
            self.records.append(record)
        outcome = result._result or {}
        record["end"] = time.time()
        record["status"] = status
        record["changed"] = bool(outcome.get("changed"))
        describe(record, outcome, result._task.action)
        if status == "failed":
            record["msg"] = str(outcome.get("msg", ""))[:500]

    def v2_runner_on_ok(self, result) -> None:
        self._finish(result, "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False) -> None:
        self._finish(result, "ignored" if ignore_errors else "failed")

    def v2_runner_on_skipped(self, result) -> None:
        self._finish(result, "skipped")

    def v2_runner_on_unreachable(self, result) -> None:
        self._finish(result, "unreachable")

    def v2_playbook_on_stats(self, stats) -> None:
        path = os.environ.get("BENCH_TIMINGS_FILE")
        if not path:
            return
        hosts = sorted(stats.processed.keys())
        summary = {host: stats.summarize(host) for host in hosts}
        with open(path, "w", encoding="utf-8") as stream:
            json.dump({"started": self.started, "ended": time.time(), "tasks": self.records, "stats": summary}, stream, indent=1)


def describe(record: dict, outcome: dict, action: str) -> None:
    """What a task's or a step's result tells: its module's api_calls, a credential check's tokens, loop items, HTTP statuses."""
    calls = outcome.get("api_calls")
    if isinstance(calls, dict):
        record["api_calls"] = calls
    # A credential check's tokens are the checked app's, not the admin credentials' (okta_m2m_check, zluri_connection).
    check = outcome.get("report") or outcome.get("verification")
    if isinstance(check, dict) and isinstance(check.get("token_requests"), int):
        record["check_token_requests"] = check["token_requests"]
    if "results" in outcome and isinstance(outcome["results"], list):
        record["items"] = len(outcome["results"])
        record["item_changed"] = sum(1 for item in outcome["results"] if isinstance(item, dict) and item.get("changed"))
        statuses = [item.get("status") for item in outcome["results"] if isinstance(item, dict) and "status" in item]
        if statuses:
            record["http_statuses"] = statuses
    elif "status" in outcome and action in ("uri", "ansible.builtin.uri"):
        record["http_statuses"] = [outcome.get("status")]
