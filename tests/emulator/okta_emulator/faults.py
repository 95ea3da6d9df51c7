# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fault injection: a plan of rules that make matching requests fail in chosen ways.

A rule is ``{"method": "POST"|null, "path": "<regex searched in the path>", "fault": KIND, "times": N (default 1),
"skip": K (default 0), "seconds": S, "after_write": false}``. Every matching request is counted by every rule; a
rule fires for matches K+1 .. K+N. Faults apply before the request runs (a faulted write did not happen), except
5xx and ``reset`` rules with ``after_write: true``, which let the request run and then lose the answer.
"""
from __future__ import annotations

import dataclasses
import re
import threading
from typing import Any

FAULT_KINDS = ("429", "concurrency_429", "500", "502", "503", "504", "reset", "timeout", "latency")
AFTER_WRITE_KINDS = ("500", "502", "503", "504", "reset")
DEFAULT_SECONDS = {"429": 1.0, "concurrency_429": 1.0, "timeout": 30.0, "latency": 1.0}


@dataclasses.dataclass
class FaultRule:
    """One rule and how many matching requests it has seen."""

    fault: str
    path: re.Pattern[str]
    method: str | None = None
    times: int = 1
    skip: int = 0
    seconds: float = 0.0
    after_write: bool = False
    seen: int = 0

    def observe(self, method: str, path: str) -> bool:
        """Count a request if it matches; True if the rule fires for it."""
        if (self.method is not None and self.method != method) or not self.path.search(path):
            return False
        self.seen += 1
        return self.skip < self.seen <= self.skip + self.times

    def describe(self) -> dict[str, Any]:
        """The rule as JSON, with its counter (for ``GET /_emulator/faults``)."""
        return {"fault": self.fault, "path": self.path.pattern, "method": self.method, "times": self.times, "skip": self.skip,
                "seconds": self.seconds, "after_write": self.after_write, "seen": self.seen}


def parse_rule(raw: Any) -> FaultRule:
    """Validate one rule; ValueError explains what is wrong."""
    if not isinstance(raw, dict):
        raise ValueError("a fault rule must be an object")
    unknown = set(raw) - {"fault", "path", "method", "times", "skip", "seconds", "after_write"}
    if unknown:
        raise ValueError("unknown fault rule keys: %s" % ", ".join(sorted(unknown)))
    fault = str(raw.get("fault"))
    if fault not in FAULT_KINDS:
        raise ValueError("fault must be one of %s" % ", ".join(FAULT_KINDS))
    after_write = raw.get("after_write", False) is True
    if after_write and fault not in AFTER_WRITE_KINDS:
        raise ValueError("after_write applies to %s only" % ", ".join(AFTER_WRITE_KINDS))
    times, skip = raw.get("times", 1), raw.get("skip", 0)
    if not isinstance(times, int) or times < 1 or not isinstance(skip, int) or skip < 0:
        raise ValueError("times must be an integer >= 1 and skip an integer >= 0")
    method = raw.get("method")
    try:
        path = re.compile(str(raw.get("path", "")))
    except re.error as error:
        raise ValueError("path is not a valid regular expression: %s" % error) from None
    seconds = float(raw.get("seconds", DEFAULT_SECONDS.get(fault, 0.0)))
    return FaultRule(fault, path, method.upper() if isinstance(method, str) else None, times, skip, seconds, after_write)


class FaultPlan:
    """The active rules; replaced as a whole through ``POST /_emulator/faults``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[FaultRule] = []

    def replace(self, raw_rules: Any) -> None:
        """Install a new plan (a JSON list of rules); ValueError leaves the old plan in place."""
        if not isinstance(raw_rules, list):
            raise ValueError("the fault plan must be a JSON list of rules")
        rules = [parse_rule(raw) for raw in raw_rules]
        with self._lock:
            self._rules = rules

    def _fire(self, method: str, path: str, after_write: bool) -> FaultRule | None:
        fired = None
        with self._lock:
            for rule in self._rules:
                if rule.after_write == after_write and rule.observe(method, path) and fired is None:
                    fired = rule
        return fired

    def before(self, method: str, path: str) -> FaultRule | None:
        """The rule that fires before the request runs, if any."""
        return self._fire(method, path, after_write=False)

    def after(self, method: str, path: str) -> FaultRule | None:
        """The after-write rule that fires once the request has run, if any."""
        return self._fire(method, path, after_write=True)

    def describe(self) -> list[dict[str, Any]]:
        """All rules with their counters."""
        with self._lock:
            return [rule.describe() for rule in self._rules]
