# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The base of this collection's action plugins: run the module of the same name in the controller process.

Every module of the collection only talks HTTPS to Okta and Zluri. When its task's connection is the controller's
own, a new interpreter, an AnsiballZ payload and a second import of requests, cryptography and PyJWT buy nothing:
the module's main() runs in the worker instead, with the arguments and the result encoded and decoded exactly as
ansible-core encodes and decodes them for a module process. Anywhere else (a delegated host, become, async) the
task runs the module the way ansible.builtin.normal does.

Each action plugin imports its module file, so the linear and free strategies, which load the action plugin in the
main process before forking the task's worker, import the module and its libraries once per run, not per task.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from types import ModuleType
from typing import Any, Iterator

from ansible.module_utils import _internal as module_utils_internal
from ansible.module_utils import basic
from ansible.module_utils.common import warnings as module_warnings
from ansible.module_utils.common.json import Direction, get_module_encoder
from ansible.plugins.action import ActionBase
from ansible.plugins.action.normal import ActionModule as NormalActionModule
from ansible.utils.display import Display
from ansible.utils.vars import merge_hash

try:
    from ansible.vars.clean import remove_internal_keys  # ansible-core 2.19 and 2.20; later, the parsed result cleans itself
except ImportError:
    remove_internal_keys = None

display = Display()

# The serialization profile ansible-core gives a module file without METADATA (none of this collection's has one):
# the module decodes the same values from it as from an AnsiballZ payload, and its result decodes the same way.
SERIALIZATION_PROFILE = "legacy"


def runs_on_controller(transport: str, become: Any, async_val: int) -> bool:
    """Whether the module would run on this machine, as this user, in a plain process.

    Only then is running it in the worker the same thing at a lower cost: another transport reaches another host,
    become changes the user, and async needs a process that outlives the task.
    """
    return transport == "local" and become is None and not async_val


@contextlib.contextmanager
def module_process_state(json_params: bytes, environment: dict[str, Any]) -> Iterator[None]:
    """What a fresh module process starts with, put back afterwards.

    A looped task runs every item in the same worker: the previous item's arguments, warnings, deprecations and
    environment must not reach the next one. In the controller, module_utils would hand warnings and deprecations to
    the display at once; as in a module process, they go into the result instead, through the module's no_log filter.
    """
    # pylint: disable=protected-access
    saved_params = basic._ANSIBLE_ARGS, basic._ANSIBLE_PROFILE, basic._PARSED_MODULE_ARGS
    saved_is_controller = module_utils_internal.is_controller
    messages = (module_warnings._global_warnings, module_warnings._global_deprecations)
    saved_messages = [dict(store) for store in messages]
    saved_environ = dict(os.environ)
    basic._ANSIBLE_ARGS, basic._ANSIBLE_PROFILE = json_params, SERIALIZATION_PROFILE
    module_utils_internal.is_controller = False
    for store in messages:
        store.clear()
    # As the module process's shell would have it: the task's environment on top of the controller's, as text.
    os.environ.update({name: str(value) for name, value in environment.items()})
    try:
        yield
    finally:
        basic._ANSIBLE_ARGS, basic._ANSIBLE_PROFILE, basic._PARSED_MODULE_ARGS = saved_params
        module_utils_internal.is_controller = saved_is_controller
        for store, saved in zip(messages, saved_messages):
            store.clear()
            store.update(saved)
        os.environ.clear()
        os.environ.update(saved_environ)


def run_module_main(module: ModuleType, module_args: dict[str, Any], environment: dict[str, Any]) -> tuple[int, str]:
    """Run module.main() here with module_args (internal _ansible_* keys included): its exit status and what it printed."""
    encoder = get_module_encoder(SERIALIZATION_PROFILE, Direction.CONTROLLER_TO_MODULE)
    json_params = json.dumps({"ANSIBLE_MODULE_ARGS": module_args}, cls=encoder).encode()
    stdout = io.StringIO()
    status = 0
    with module_process_state(json_params, environment), contextlib.redirect_stdout(stdout):
        try:
            module.main()
        except SystemExit as exit_:
            status = int(exit_.code or 0)
    return status, stdout.getvalue()


class InProcessModuleAction(NormalActionModule):
    """ansible.builtin.normal, except that on the controller the module's main() runs in this process."""

    module: ModuleType  # the module file of the same name (plugins/modules/<name>.py)

    def run(self, tmp: str | None = None, task_vars: dict[str, Any] | None = None) -> dict[str, Any]:
        if not self._runs_on_controller():
            return super().run(tmp, task_vars)
        result = ActionBase.run(self, tmp, task_vars)  # the checks of every action (check mode, async support)
        return merge_hash(result, self._run_module_here(self._task.action, self.module, dict(self._task.args), task_vars or {}))

    def _runs_on_controller(self) -> bool:
        return runs_on_controller(self._connection.transport, self._connection.become, self._task.async_val)

    def _run_module_here(self, module_name: str, module: ModuleType, module_args: dict[str, Any], task_vars: dict[str, Any]) -> dict[str, Any]:
        """The result _execute_module() would return for module_name with module_args, from module.main() run in this process."""
        self._update_module_args(module_name, module_args, task_vars)
        environment: dict[str, Any] = {}
        self._compute_environment_string(environment)
        display.vvv("running %s in the controller process" % module_name, host=self._play_context.remote_addr)
        status, stdout = run_module_main(module, module_args, environment)
        return self._module_result(status, stdout)

    def _module_result(self, status: int, stdout: str) -> dict[str, Any]:
        """The result _execute_module() would return for this exit status and output."""
        parsed = self._parse_returned_data(
            {"rc": status, "stdout": stdout, "stdout_lines": stdout.splitlines(), "stderr": "", "stderr_lines": []},
            SERIALIZATION_PROFILE,
        )
        if isinstance(parsed, dict) and remove_internal_keys:  # ansible-core 2.19 and 2.20 parse into a plain result dict
            remove_internal_keys(parsed)
            return parsed
        parsed.remove_internal_keys()
        return parsed.as_result_dict(for_round_trip=True)
