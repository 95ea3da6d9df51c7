# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The action plugin of every module of this collection: on the controller, the module's code runs in this worker.

meta/runtime.yml names it as each module's ``action_plugin`` (plugin_routing.modules), the routing ansible-core made
for modules that share an action plugin: the task still resolves to its module, so its module_defaults and action
groups are the module's own and ansible-core has applied them to the task's arguments before this plugin runs.

Every module of the collection only talks HTTPS to Okta and Zluri. When the task runs on the controller (local
connection, no become, no async), a new interpreter, an AnsiballZ payload and a second import of requests,
cryptography and PyJWT buy nothing: the module's declarations (ARGUMENT_SPEC, OAUTH_SCOPES, module_result) run here
over a WorkerModule, under the task's environment, and the arguments and the result cross the JSON encodings they
cross to and from a module process. Anywhere else the task runs the module the way ansible.builtin.normal does.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
from types import ModuleType
from typing import Any, Iterator

from ansible import constants as C
from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.json import Direction, get_module_decoder, get_module_encoder
from ansible.plugins.action.normal import ActionModule as NormalActionModule
from ansible.utils.display import Display
from ansible.utils.vars import merge_hash

from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_module import OktaModule, module_arguments
from ansible_collections.saasops.okta_m2m.plugins.plugin_utils.worker_module import ModuleExit, WorkerModule

display = Display()

COLLECTION = ".".join(__name__.split(".")[1:3])
# What a module file declares for this plugin to run it (plugins/module_utils/okta_module.py).
DECLARATIONS = ("ARGUMENT_SPEC", "OAUTH_SCOPES", "module_result")
# The serialization profile ansible-core gives a module file without METADATA (none of this collection's has one).
SERIALIZATION_PROFILE = "legacy"


def runs_on_controller(transport: str, become: Any, async_val: int) -> bool:
    """Whether the module would run on this machine, as this user, in a plain process.

    Only then is running it in the worker the same thing at a lower cost: another transport reaches another host,
    become changes the user, and async needs a process that outlives the task.
    """
    return transport == "local" and become is None and not async_val


def module_code(resolved_action: str) -> ModuleType:
    """The module file of this collection that the task resolved to, with its declarations."""
    collection, _dot, name = resolved_action.rpartition(".")
    code = importlib.import_module("ansible_collections.%s.plugins.modules.%s" % (COLLECTION, name)) if collection == COLLECTION else None
    if code is None or not all(hasattr(code, declaration) for declaration in DECLARATIONS):
        raise AnsibleActionFail("%s.in_process runs the modules of %s that name it as their action plugin, not %s" % (COLLECTION, COLLECTION, resolved_action))
    return code


def crossed(value: Any, direction: Direction) -> Any:
    """value as the other end of a module process's pipe decodes it: plain JSON types, no template trust."""
    encoded = json.dumps(value, cls=get_module_encoder(SERIALIZATION_PROFILE, direction))
    return json.loads(encoded, cls=get_module_decoder(SERIALIZATION_PROFILE, direction))


def injects_invocation(task_vars: dict[str, Any]) -> bool:
    """Whether a module process adds ``invocation`` to its result: always before ansible-core 2.21, which made it a setting."""
    if "INJECT_INVOCATION" not in C.config.get_configuration_definitions():
        return True
    return bool(C.config.get_config_value("INJECT_INVOCATION", variables=task_vars))


@contextlib.contextmanager
def process_environment(environment: dict[str, str]) -> Iterator[None]:
    """os.environ as a module process would have it, put back afterwards (every item of a looped task runs in this worker)."""
    saved = dict(os.environ)
    os.environ.update(environment)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


class ActionModule(NormalActionModule):
    """ansible.builtin.normal, except that on the controller the module's code runs in this process."""

    def run(self, tmp: str | None = None, task_vars: dict[str, Any] | None = None) -> dict[str, Any]:
        if not runs_on_controller(self._connection.transport, self._connection.become, self._task.async_val):
            return super().run(tmp, task_vars)
        code = module_code(self._task.resolved_action)
        result = super(NormalActionModule, self).run(tmp, task_vars)  # ActionBase.run: the checks of every action
        task_vars = task_vars or {}
        display.vvv("running %s in the controller process" % self._task.resolved_action, host=self._play_context.remote_addr)
        with process_environment(self.task_environment()):
            try:
                runner = WorkerModule(self._task.action, crossed(self._task.args, Direction.CONTROLLER_TO_MODULE),
                                      check_mode=self._task.check_mode, diff=self._task.diff,
                                      inject_invocation=injects_invocation(task_vars), **module_arguments(code.ARGUMENT_SPEC))
                OktaModule(runner, code.OAUTH_SCOPES).run(code.module_result)
            except ModuleExit as exit_:
                return merge_hash(result, crossed(exit_.result, Direction.MODULE_TO_CONTROLLER))
        raise AnsibleActionFail("%s returned no result" % self._task.resolved_action)

    def task_environment(self) -> dict[str, str]:
        """The task's ``environment`` as a module process's shell gets it: the later entries win, every value as text."""
        environment: dict[str, Any] = {}
        entries = self._task.environment if isinstance(self._task.environment, list) else [self._task.environment]
        for entry in entries:
            if not entry:
                continue
            templated = self._templar.template(entry)
            if not isinstance(templated, dict):
                raise AnsibleActionFail("environment must be a dictionary, received %s (%s)" % (templated, type(templated)))
            environment.update(templated)
        return {name: str(value) for name, value in environment.items()}
