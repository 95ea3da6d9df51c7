# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every task result as callbacks see it, invocation included, one JSON line per host and task (tests only)."""

from __future__ import annotations

import json
import os

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: result_log
type: aggregate
short_description: Writes every task result as callbacks see it to $RESULT_LOG (tests only)
description:
  - One JSON line per host and task result, with the result as the default callback prints it at -vvv.
author: saasops.okta_m2m developers (@saasops)
requirements: [enabled in configuration]
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "result_log"
    CALLBACK_NEEDS_ENABLED = True

    def _log(self, result, status: str) -> None:
        line = {"host": result._host.get_name(), "task": result._task.get_name(), "action": result._task.resolved_action,
                "status": status, "result": json.loads(self._dump_results(result._result, keep_invocation=True))}
        with open(os.environ["RESULT_LOG"], "a", encoding="utf-8") as stream:
            stream.write(json.dumps(line, sort_keys=True) + "\n")

    def v2_runner_on_ok(self, result) -> None:
        self._log(result, "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False) -> None:
        self._log(result, "failed")
