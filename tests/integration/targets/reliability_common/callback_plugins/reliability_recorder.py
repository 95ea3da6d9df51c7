# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test helper of the reliability_* targets: every task result, as the display callbacks receive it, one JSON line each."""

import json
import os
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: reliability_recorder
type: notification
short_description: Write every task result as a JSON line (reliability_* integration targets only)
description:
  - Appends one JSON object per task result to the file named by the environment variable E(RELIABILITY_RECORD).
  - Each object has C(ts), C(status) (start, ok, failed, ignored, skipped, unreachable), C(host), C(task), C(action), C(result).
"""


def registered_name(task):
    """The name a task registers its result under: ansible-core 2.19+ keeps register as {name: expression}."""
    register = task.register
    if isinstance(register, dict):
        return next(iter(register), None)
    return register or None


class CallbackModule(CallbackBase):
    """Appends results to $RELIABILITY_RECORD (nothing without it)."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "notification"
    CALLBACK_NAME = "reliability_recorder"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._path = os.environ.get("RELIABILITY_RECORD")

    def _append(self, entry):
        if not self._path:
            return
        with open(self._path, "a", encoding="utf-8") as stream:
            stream.write(json.dumps(entry, default=str, sort_keys=True) + "\n")

    def _record(self, status, result):
        # ansible-core 2.19+ hands callbacks a CallbackTaskResult: host, task and result (the _-prefixed names are older).
        host = getattr(result, "host", None) or result._host
        task = getattr(result, "task", None) or result._task
        data = getattr(result, "result", None)
        if not isinstance(data, dict):
            data = result._result
        self._append({"ts": time.time(), "status": status, "host": host.get_name(), "task": task.get_name(), "action": task.action,
                      "register": registered_name(task), "result": dict(data)})

    def v2_runner_on_start(self, host, task):
        self._append({"ts": time.time(), "status": "start", "host": host.get_name(), "task": task.get_name(), "action": task.action,
                      "result": {}})

    def v2_runner_on_ok(self, result):
        self._record("ok", result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record("ignored" if ignore_errors else "failed", result)

    def v2_runner_on_skipped(self, result):
        self._record("skipped", result)

    def v2_runner_on_unreachable(self, result):
        self._record("unreachable", result)
