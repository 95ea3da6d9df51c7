# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The action plugins' in-process path: where it is taken, and that a module run there keeps a module process's guarantees."""

from __future__ import annotations

import json
import os
import types
from typing import Any
from unittest.mock import MagicMock

import pytest

from ansible.module_utils import basic
from ansible.module_utils.basic import AnsibleModule
from ansible.plugins.action.normal import ActionModule as NormalActionModule

from ansible_collections.saasops.okta_m2m.plugins.action.okta_admin_role import ActionModule as AdminRoleAction
from ansible_collections.saasops.okta_m2m.plugins.module_utils import okta_client
from ansible_collections.saasops.okta_m2m.plugins.plugin_utils.in_process import run_module_main, runs_on_controller
from ansible_collections.saasops.okta_m2m.tests.unit.plugins.module_utils.fake_http import FakeResponse, FakeSession

INTERNALS = {"_ansible_check_mode": False, "_ansible_no_log": False, "_ansible_diff": False, "_ansible_verbosity": 0,
             "_ansible_module_name": "probe", "_ansible_tracebacks_for": []}


@pytest.mark.parametrize("transport, become, async_val, expected", [
    ("local", None, 0, True),
    ("ssh", None, 0, False),  # a delegated host: the module runs there
    ("ansible.builtin.paramiko_ssh", None, 0, False),
    ("local", object(), 0, False),  # become: the module runs as another user
    ("local", None, 30, False),  # async: the module outlives the task
])
def test_runs_on_controller(transport: str, become: Any, async_val: int, expected: bool) -> None:
    assert runs_on_controller(transport, become, async_val) is expected


def probe_module(body: Any) -> types.ModuleType:
    """A module file whose main() builds an AnsibleModule and hands it to body."""
    module = types.ModuleType("probe")

    def main() -> None:
        body(AnsibleModule(argument_spec={"secret": {"type": "str", "no_log": True}, "say": {"type": "str"}},
                           supports_check_mode=True))

    module.main = main  # type: ignore[attr-defined]
    return module


def printed(output: str) -> dict[str, Any]:
    return json.loads(output)


def test_result_warnings_deprecations_facts_and_runtime_secrets() -> None:
    def body(module: AnsibleModule) -> None:
        module.no_log_values.add("minted-token-123")
        module.warn("careful")
        module.deprecate("old option", version="9.0.0", collection_name="saasops.okta_m2m")
        module.exit_json(changed=True, token_seen="Bearer minted-token-123", echoed=module.params["secret"],
                         check_mode=module.check_mode, ansible_facts={"okta_m2m_dpop_nonce": "n-1"})

    status, output = run_module_main(probe_module(body), dict(INTERNALS, secret="s3cret-value", _ansible_check_mode=True), {})
    result = printed(output)
    assert status == 0
    assert result["changed"] is True and result["check_mode"] is True
    assert result["ansible_facts"] == {"okta_m2m_dpop_nonce": "n-1"}
    assert result["token_seen"] == "Bearer ********"
    assert "s3cret-value" not in output
    assert "minted-token-123" not in output
    # In the result, as a module process returns them, not shown by the controller's display on the way
    assert "careful" in json.dumps(result["warnings"])
    assert "old option" in json.dumps(result["deprecations"])


def test_a_loop_item_starts_clean_and_the_worker_is_left_as_it_was() -> None:
    """Every item of a looped task runs in the same worker: nothing of one item reaches the next, or the worker."""
    def warn_once(module: AnsibleModule) -> None:
        if module.params["say"] == "first":
            module.warn("only the first item warns")
        module.exit_json(changed=False, home=os.environ.get("OKTA_ORG_URL"))

    before_args, before_environ = basic._ANSIBLE_ARGS, dict(os.environ)  # pylint: disable=protected-access
    _status, first = run_module_main(probe_module(warn_once), dict(INTERNALS, say="first"), {"OKTA_ORG_URL": "https://a.okta.com"})
    _status, second = run_module_main(probe_module(warn_once), dict(INTERNALS, say="second"), {})
    assert "only the first item warns" in first and printed(first)["home"] == "https://a.okta.com"
    assert "warnings" not in printed(second) and printed(second)["home"] == before_environ.get("OKTA_ORG_URL")
    assert basic._ANSIBLE_ARGS is before_args  # pylint: disable=protected-access
    assert dict(os.environ) == before_environ


def test_argument_spec_failures_exit_like_a_module() -> None:
    status, output = run_module_main(probe_module(lambda module: module.exit_json()), dict(INTERNALS, bogus=1), {})
    assert status == 1
    assert printed(output)["failed"] is True
    assert printed(output)["msg"].startswith("Unsupported parameters for (probe) module: bogus.")


def action(transport: str, args: dict[str, Any]) -> AdminRoleAction:
    task = MagicMock(action="saasops.okta_m2m.okta_admin_role", args=args, async_val=0, check_mode=True, diff=True,
                     no_log=False, environment=[])
    connection = MagicMock(transport=transport, become=None, socket_path=None)
    connection._shell.tmpdir = None  # pylint: disable=protected-access
    connection._shell.get_option.return_value = "~/.ansible/tmp"  # pylint: disable=protected-access
    play_context = MagicMock(executable="/bin/sh", remote_addr="org")
    return AdminRoleAction(task=task, connection=connection, play_context=play_context, loader=None, templar=None,
                           shared_loader_obj=None)


ROLE_ARGS = {"org_url": "https://example.okta.com", "api_token": "00secret-token", "label": "Zluri", "description": "d",
             "permissions": ["okta.users.read"]}
NOT_FOUND = {"errorCode": "E0000007", "errorSummary": "Not found: Resource not found: Zluri (CustomRole)"}


def test_okta_admin_role_runs_in_process_with_check_and_diff(monkeypatch: pytest.MonkeyPatch) -> None:
    session = FakeSession([FakeResponse(404, NOT_FOUND)])
    monkeypatch.setattr(okta_client.requests, "Session", lambda: session)
    monkeypatch.setattr(NormalActionModule, "run", lambda *_args, **_kwargs: pytest.fail("the module path was taken"))
    result = action("local", dict(ROLE_ARGS)).run(task_vars={})
    assert result["changed"] is True
    assert result["changes"] == ["create custom admin role 'Zluri'"]
    assert result["diff"]["after"]["permissions"] == ["okta.users.read"]
    assert [request.method for request in session.sent] == ["GET"]  # check mode: no write
    assert "00secret-token" not in json.dumps(result)


def test_another_connection_takes_the_module_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(NormalActionModule, "run", lambda *_args, **_kwargs: {"module_path": True})
    assert action("ssh", dict(ROLE_ARGS)).run(task_vars={}) == {"module_path": True}


def test_a_module_that_prints_no_result_fails_the_task() -> None:
    failed = action("local", {})._module_result(0, "")  # pylint: disable=protected-access
    assert failed["failed"] is True
    assert "Module result deserialization failed" in failed["msg"]
