# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""AnsibleModule's interface for module code that runs inside the controller's worker, on public ansible-core APIs.

An AnsibleModule cannot run there: it reads its arguments from the process's stdin or argv, reports warnings through
process-wide state (on the controller, straight to the display instead of into the result), and prints its result and
exits. WorkerModule validates the arguments with the public ArgumentSpecValidator and raises the result as
ModuleExit, which the action plugin returns. The pattern of community.crypto's plugin_utils/_action_module.py.

Not carried over from a module process: the syslog entry a module writes on its host, file attributes added to a
result with a ``path`` (no module of this collection returns one), tracebacks in failed results, and the heading
"Module failed" of a failure in Ansible's output (ansible-core marks a result as a module's only in private code; an
action plugin's failure reads "Action failed").

Private to the collection (not a public API): it may change in any release.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Iterator, NoReturn, Sequence

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.errors import UnsupportedError


class ModuleExit(BaseException):
    """The end of a module run with its result, as a module process's exit: module code that catches Exception lets it through."""

    def __init__(self, result: dict[str, Any]) -> None:
        super().__init__()
        self.result = result


def no_log_values(argument_spec: Mapping[str, Any], params: Mapping[str, Any]) -> set[str]:
    """The values of the no_log options in params, suboptions included, as the texts a module process hides."""
    values: set[str] = set()
    for name, option in argument_spec.items():
        value = params.get(name)
        if value is None:
            continue
        if option.get("no_log"):
            values.update(texts(value))
        if option.get("options"):
            for entry in value if isinstance(value, list) else [value]:
                if isinstance(entry, Mapping):
                    values.update(no_log_values(option["options"], entry))
    return values


def texts(value: Any) -> Iterator[str]:
    """Every non-empty string and number in value (parameters decoded from JSON), as text; booleans and None are no secrets."""
    if isinstance(value, str):
        if value:
            yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from texts(item)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield str(value)


class WorkerModule:
    """What module code uses of AnsibleModule (params, check_mode, warn, fail_json, exit_json, no_log_values), in the worker.

    name: the module's name as the task gave it (error messages name it so). params: the task's arguments, as a module
    process would decode them. inject_invocation: whether a module process would add ``invocation`` to its result.
    The rest are AnsibleModule's keyword arguments.
    """

    def __init__(self, name: str, params: dict[str, Any], *, check_mode: bool, diff: bool, inject_invocation: bool,
                 argument_spec: dict[str, Any], supports_check_mode: bool = False,
                 mutually_exclusive: Sequence[Sequence[str]] | None = None, required_together: Sequence[Sequence[str]] | None = None,
                 required_one_of: Sequence[Sequence[str]] | None = None, required_if: Sequence[Sequence[Any]] | None = None,
                 required_by: dict[str, Sequence[str]] | None = None) -> None:
        self._name = name
        self.check_mode = check_mode
        self._diff = diff
        self._inject_invocation = inject_invocation
        self._warnings: list[str] = []
        validation = ArgumentSpecValidator(argument_spec, mutually_exclusive, required_together, required_one_of, required_if,
                                           required_by).validate(params)
        self.params: dict[str, Any] = validation.validated_parameters
        self.no_log_values = no_log_values(argument_spec, self.params)
        if validation.error_messages:
            message = validation.errors.msg
            if isinstance(validation.errors[0], UnsupportedError):
                message = "Unsupported parameters for (%s) module: %s" % (name, message)
            self.fail_json(msg=message)
        if check_mode and not supports_check_mode:
            self.exit_json(skipped=True, msg="remote module (%s) does not support check mode" % name)

    def warn(self, warning: str) -> None:
        if warning not in self._warnings:  # a module process keeps each warning once
            self._warnings.append(warning)

    def exit_json(self, **kwargs: Any) -> NoReturn:
        raise ModuleExit(self._result(kwargs))

    def fail_json(self, msg: str, **kwargs: Any) -> NoReturn:
        kwargs.pop("exception", None)  # a module process returns a traceback only when the controller asks for tracebacks
        raise ModuleExit(self._result(dict(kwargs, failed=True, msg=str(msg))))

    def _result(self, result: dict[str, Any]) -> dict[str, Any]:
        """The result as a module process prints it: its invocation, its warnings, and no no_log value anywhere."""
        if self._inject_invocation:
            result.setdefault("invocation", {"module_args": self.params})
        else:
            result.pop("invocation", None)
        if self._warnings:
            result["warnings"] = list(self._warnings)
        # As AnsibleModule does: a boolean or None is never masked, even when it equals a no_log value's text.
        kept = {key: value for key, value in result.items() if value is None or isinstance(value, bool)}
        result = remove_values(result, self.no_log_values)
        result.update(kept)
        return result
