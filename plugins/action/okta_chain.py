# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs saasops.okta_m2m.okta_chain: a chain of this collection's modules in one task.

A task costs Ansible a forked worker and a fresh templating of its arguments on every host; a chain of seven module
tasks costs seven. Here each step is templated when its turn comes, with the results of the steps before it as
variables, so a step can use what an earlier one found, as registered variables of separate tasks would.
"""

from __future__ import annotations

import contextlib
import importlib
import pkgutil
import time
from collections import ChainMap
from types import ModuleType
from typing import Any, Iterator

from ansible.errors import AnsibleActionFail
from ansible.executor.module_common import _apply_action_arg_defaults
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase
from ansible.template import Templar
from ansible_collections.saasops.okta_m2m.plugins import modules as collection_modules
from ansible_collections.saasops.okta_m2m.plugins.plugin_utils.in_process import InProcessModuleAction

COLLECTION = "saasops.okta_m2m"
CHAIN = "okta_chain"

# Imported here, before the strategy forks the task's worker, so no worker imports a module or its libraries again.
MODULES: dict[str, ModuleType] = {
    info.name: importlib.import_module("%s.%s" % (collection_modules.__name__, info.name))
    for info in pkgutil.iter_modules(collection_modules.__path__)
    if info.name != CHAIN
}

STEP_SPEC = {
    "name": {"type": "str"},
    "module": {"type": "str"},
    "args": {"type": "raw", "default": {}},  # a dict once templated; a dict check now would parse a template as key=value
    "register": {"type": "str"},
    "when": {"type": "raw"},
    "check_mode": {"type": "bool", "default": False},
    "that": {"type": "raw"},  # a list would split a lone string at its commas
    "fail_msg": {"type": "str", "default": "Assertion failed"},
}
CHAIN_SPEC = {"steps": {"type": "list", "elements": "dict", "required": True, "options": STEP_SPEC}}


def module_short_name(name: str) -> str:
    """The collection module a step names, short or fully qualified; a module of any other collection is refused."""
    short = name[len(COLLECTION) + 1:] if name.startswith(COLLECTION + ".") else name
    if short not in MODULES:
        raise AnsibleActionFail(
            "okta_chain runs only modules of %s (%s); %r is not one." % (COLLECTION, ", ".join(sorted(MODULES)), name)
        )
    return short


def check_step_shape(step: dict[str, Any]) -> None:
    """A step runs a module of the collection (module, args) or checks conditions (that, fail_msg), never both."""
    if (step["module"] is None) == (step["that"] is None):
        raise AnsibleActionFail("every okta_chain step needs exactly one of module and that: %r" % (step["name"] or step))
    if step["module"] is not None:
        module_short_name(step["module"])
    if step["register"] is not None and not step["register"].isidentifier():
        raise AnsibleActionFail("okta_chain register must be a variable name: %r" % step["register"])


def step_diffs(name: str, result: dict[str, Any]) -> list[dict[str, Any]]:
    """A step's diffs, each headed with the step's name unless the module headed it itself."""
    diffs = result.get("diff") or []
    return [{"before_header": name, "after_header": name, **diff} for diff in (diffs if isinstance(diffs, list) else [diffs])]


class ActionModule(InProcessModuleAction):
    """Each step's module runs in this process on the controller, or as a module process where the task runs."""

    _supports_async = False

    @classmethod
    def finalize_task_arg(cls, name: str, value: Any, templar: Any, context: Any) -> Any:
        if name == "steps" and not isinstance(value, str):  # each step is templated when its turn comes
            return value
        return super().finalize_task_arg(name, value, templar, context)

    def run(self, tmp: str | None = None, task_vars: dict[str, Any] | None = None) -> dict[str, Any]:
        task_vars = task_vars or {}
        result = ActionBase.run(self, tmp, task_vars)  # the checks of every action (check mode, async support)
        validated = ArgumentSpecValidator(CHAIN_SPEC).validate(dict(self._task.args))
        if validated.error_messages:
            raise AnsibleActionFail("okta_chain: %s" % "; ".join(validated.error_messages))
        steps = validated.validated_parameters["steps"]
        for step in steps:
            check_step_shape(step)
        registered: dict[str, dict[str, Any]] = {}
        # Facts a step returns (such as the DPoP nonce Okta last sent) reach the steps after it, as they would reach
        # later tasks, and the task's result, as they would the host's facts.
        facts: dict[str, Any] = {}
        known_facts = {"ansible_facts": dict(task_vars.get("ansible_facts") or {})}
        templar = self._templar.copy_with_new_env(available_variables=ChainMap(registered, known_facts, task_vars))
        result.update(changed=False, check_mode=bool(self._task.check_mode), steps=registered, timings=[], diff=[], warnings=[], deprecations=[])
        for step in steps:
            name = templar.template(step["name"] or step["module"] or "check")
            started = time.time()
            outcome = self._run_step(step, name, templar, task_vars)
            result["timings"].append(
                {"name": name, "register": step["register"], "module": step["module"], "started": started, "seconds": time.time() - started}
            )
            if step["register"]:
                registered[step["register"]] = outcome
            facts.update(outcome.get("ansible_facts") or {})
            known_facts["ansible_facts"].update(facts)
            result["warnings"].extend(outcome.get("warnings") or [])
            result["deprecations"].extend(outcome.get("deprecations") or [])
            if outcome.get("changed") and not step["check_mode"]:  # as Ansible shows the diff of a changed task only
                result["changed"] = True
                result["diff"].extend(step_diffs(name, outcome))
            if outcome.get("failed"):
                result.update(failed=True, failed_step=name, msg="%s: %s" % (name, outcome.get("msg", "failed")))
                if "exception" in outcome:
                    result["exception"] = outcome["exception"]
                break
        if facts:
            result["ansible_facts"] = facts
        for empty in [key for key in ("diff", "warnings", "deprecations") if not result[key]]:
            del result[empty]
        return result

    def _run_step(self, step: dict[str, Any], name: str, templar: Templar, task_vars: dict[str, Any]) -> dict[str, Any]:
        """What the step did: its module's result, a check's verdict, or why it was skipped."""
        if step["when"] is not None and not all(templar.evaluate_conditional(condition) for condition in as_list(step["when"])):
            return {"changed": False, "skipped": True, "skip_reason": "Conditional result was False", "false_condition": step["when"]}
        if step["that"] is not None:
            for condition in as_list(step["that"]):
                if not templar.evaluate_conditional(condition):
                    return {"changed": False, "failed": True, "assertion": condition, "msg": templar.template(step["fail_msg"])}
            return {"changed": False, "msg": "All assertions passed"}
        short = module_short_name(step["module"])
        fqcn = "%s.%s" % (COLLECTION, short)
        step_args = templar.template(step["args"])
        if not isinstance(step_args, dict):
            raise AnsibleActionFail("the args of the okta_chain step %r are not a dict: %r" % (name, step_args))
        module_args = _apply_action_arg_defaults(fqcn, self._task, step_args, templar)
        with self._check_mode(step["check_mode"]):
            if self._runs_on_controller():
                return self._run_module_here(fqcn, MODULES[short], module_args, task_vars)
            return self._execute_module(module_name=fqcn, module_args=module_args, task_vars=task_vars)

    @contextlib.contextmanager
    def _check_mode(self, forced: bool) -> Iterator[None]:
        """Check mode for one step, whatever the task's own mode."""
        saved = self._task.check_mode
        self._task.check_mode = saved or forced
        try:
            yield
        finally:
            self._task.check_mode = saved


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]
