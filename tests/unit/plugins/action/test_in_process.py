# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The action plugin every module runs through: where it runs the module, and that a run in the worker keeps a module
process's guarantees (validation, no_log, warnings, check and diff mode, environment, invocation)."""

from __future__ import annotations

import json
import os
from typing import Any
from unittest.mock import MagicMock

import pytest

from ansible.errors import AnsibleActionFail
from ansible.plugins.action.normal import ActionModule as NormalActionModule

from ansible_collections.saasops.okta_m2m.plugins.action import in_process
from ansible_collections.saasops.okta_m2m.plugins.module_utils import okta_client
from ansible_collections.saasops.okta_m2m.tests.unit.plugins.module_utils.fake_http import FakeResponse, FakeSession

ROLE_ARGS = {"org_url": "https://example.okta.com", "api_token": "00secret-token", "label": "Zluri", "description": "d",
             "permissions": ["okta.users.read"]}
NOT_FOUND = {"errorCode": "E0000007", "errorSummary": "Not found: Resource not found: Zluri (CustomRole)"}


@pytest.mark.parametrize("transport, become, async_val, expected", [
    ("local", None, 0, True),
    ("ssh", None, 0, False),  # a delegated host: the module runs there
    ("ansible.builtin.paramiko_ssh", None, 0, False),
    ("local", object(), 0, False),  # become: the module runs as another user
    ("local", None, 30, False),  # async: the module outlives the task
])
def test_runs_on_controller(transport: str, become: Any, async_val: int, expected: bool) -> None:
    assert in_process.runs_on_controller(transport, become, async_val) is expected


def action(args: dict[str, Any], transport: str = "local", module: str = "okta_admin_role", check_mode: bool = False,
           environment: list[Any] | None = None) -> in_process.ActionModule:
    task = MagicMock(action=module, resolved_action="saasops.okta_m2m." + module, args=args, async_val=0,
                     check_mode=check_mode, diff=True, no_log=False, environment=environment or [])
    connection = MagicMock(transport=transport, become=None, socket_path=None)
    connection._shell.tmpdir = None  # pylint: disable=protected-access
    templar = MagicMock()
    templar.template.side_effect = lambda value: value
    return in_process.ActionModule(task=task, connection=connection, play_context=MagicMock(remote_addr="org"), loader=None,
                                   templar=templar, shared_loader_obj=None)


@pytest.fixture(name="okta")
def fixture_okta(monkeypatch: pytest.MonkeyPatch) -> FakeSession:
    """Okta as the module sees it; the module path must not be taken; results carry their invocation."""
    session = FakeSession()
    monkeypatch.setattr(okta_client.requests, "Session", lambda: session)
    monkeypatch.setattr(NormalActionModule, "run", lambda *_args, **_kwargs: pytest.fail("the module path was taken"))
    monkeypatch.setattr(in_process, "injects_invocation", lambda _task_vars: True)
    return session


def without_api_calls(result: dict[str, Any]) -> str:
    """The result as text, but for api_calls: it names each endpoint by its path, and a key is never masked."""
    return json.dumps({key: value for key, value in result.items() if key != "api_calls"})


def test_a_module_runs_here_in_check_mode_with_its_diff_and_no_secret(okta: FakeSession) -> None:
    okta.add(FakeResponse(404, NOT_FOUND))
    result = action(dict(ROLE_ARGS), check_mode=True).run(task_vars={})
    assert result["changed"] is True
    assert result["changes"] == ["create custom admin role 'Zluri'"]
    assert result["diff"]["after"]["permissions"] == ["okta.users.read"]
    assert [request.method for request in okta.sent] == ["GET"]  # check mode: no write
    assert result["invocation"]["module_args"]["api_token"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    assert "00secret-token" not in json.dumps(result)


def test_a_value_of_a_no_log_option_is_hidden_wherever_it_appears(okta: FakeSession) -> None:
    okta.add(FakeResponse(404, NOT_FOUND), FakeResponse(200, {"id": "cr0abc", "label": "Zluri-00secret-token", "description": "d"}))
    result = action(dict(ROLE_ARGS, label="Zluri-00secret-token")).run(task_vars={})
    assert result["role"]["label"] == "Zluri-********"
    assert "00secret-token" not in without_api_calls(result)


def test_warnings_are_in_the_result(okta: FakeSession) -> None:
    okta.add(FakeResponse(404, NOT_FOUND))
    result = action(dict(ROLE_ARGS, permissions=["okta.users.read", "okta.users.raed"]), check_mode=True).run(task_vars={})
    assert len(result["warnings"]) == 1 and "okta.users.raed" in result["warnings"][0]


@pytest.mark.parametrize("args, message", [
    (dict(ROLE_ARGS, bogus=1), "Unsupported parameters for (okta_admin_role) module: bogus."),
    ({key: value for key, value in ROLE_ARGS.items() if key != "label"}, "missing required arguments: label"),
    (dict(ROLE_ARGS, purge_permissions="maybe"), "argument 'purge_permissions' is of type str and we were unable to convert to bool"),
])
def test_arguments_are_checked_as_a_module_checks_them(okta: FakeSession, args: dict[str, Any], message: str) -> None:
    result = action(args).run(task_vars={})
    assert result["failed"] is True
    assert result["msg"].startswith(message)
    assert okta.sent == []


def test_the_task_environment_applies_to_the_run_and_is_gone_after_it(okta: FakeSession) -> None:
    okta.add(FakeResponse(404, NOT_FOUND))
    before = dict(os.environ)
    args = {key: value for key, value in ROLE_ARGS.items() if key not in ("org_url", "api_token")}
    environment = [{"OKTA_ORG_URL": "https://other.okta.com"}, {}, {"OKTA_API_TOKEN": "00env-token", "OKTA_MAX": 3}]
    result = action(args, check_mode=True, environment=environment).run(task_vars={})
    assert okta.sent[0].url.startswith("https://other.okta.com/")
    assert okta.sent[0].headers["Authorization"] == "SSWS 00env-token"
    assert "00env-token" not in json.dumps(result)
    assert dict(os.environ) == before


def test_an_environment_that_is_no_dictionary_fails_the_task(okta: FakeSession) -> None:
    with pytest.raises(AnsibleActionFail, match="environment must be a dictionary"):
        action(dict(ROLE_ARGS), environment=["OKTA_ORG_URL=https://other.okta.com"]).run(task_vars={})
    assert okta.sent == []


def test_every_item_of_a_loop_starts_afresh(okta: FakeSession) -> None:
    """The items of a looped task run one after another in one worker: nothing of an item reaches the next."""
    okta.add(FakeResponse(404, NOT_FOUND), FakeResponse(404, NOT_FOUND))
    first = action(dict(ROLE_ARGS, permissions=["okta.users.read", "okta.users.raed"]), check_mode=True).run(task_vars={})
    second = action(dict(ROLE_ARGS, api_token="00other-token"), check_mode=True).run(task_vars={})
    assert first["warnings"] and "warnings" not in second
    assert "00secret-token" not in json.dumps(second["invocation"]) and second["invocation"]["module_args"]["label"] == "Zluri"


def test_the_result_holds_only_json_types(okta: FakeSession) -> None:
    okta.add(FakeResponse(404, NOT_FOUND))
    result = action(dict(ROLE_ARGS, permissions=("okta.users.read",)), check_mode=True).run(task_vars={})
    assert result["invocation"]["module_args"]["permissions"] == ["okta.users.read"]


def test_the_invocation_follows_the_inject_invocation_setting(okta: FakeSession, monkeypatch: pytest.MonkeyPatch) -> None:
    okta.add(FakeResponse(404, NOT_FOUND), FakeResponse(404, NOT_FOUND))
    monkeypatch.setattr(in_process, "injects_invocation", lambda _task_vars: False)
    assert "invocation" not in action(dict(ROLE_ARGS), check_mode=True).run(task_vars={})
    monkeypatch.setattr(in_process, "injects_invocation", lambda _task_vars: True)
    assert "invocation" in action(dict(ROLE_ARGS), check_mode=True).run(task_vars={})


def test_another_connection_takes_the_module_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(NormalActionModule, "run", lambda *_args, **_kwargs: {"module_path": True})
    assert action(dict(ROLE_ARGS), transport="ssh").run(task_vars={}) == {"module_path": True}


@pytest.mark.parametrize("resolved", ["saasops.okta_m2m.in_process", "community.general.okta_admin_role"])
def test_only_a_module_of_the_collection_with_its_declarations_runs(resolved: str) -> None:
    with pytest.raises(AnsibleActionFail, match="runs the modules of saasops.okta_m2m that name it"):
        in_process.module_code(resolved)
