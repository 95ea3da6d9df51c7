# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""WorkerModule against AnsibleModule, with every module's own argument spec: the same parameters, the same values
hidden, the same refusals."""

from __future__ import annotations

import importlib
import json
from typing import Any

import pytest

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.testing import patch_module_args

from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_module import module_arguments
from ansible_collections.saasops.okta_m2m.plugins.plugin_utils.worker_module import ModuleExit, WorkerModule, no_log_values

TOKEN = {"org_url": "https://example.okta.com", "api_token": "00admin-token"}
# Valid arguments of every module, with every no_log option the module has set.
VALID = {
    "okta_admin_role": dict(TOKEN, label="Zluri", description="d", permissions=["okta.users.read"]),
    "okta_admin_role_info": dict(TOKEN),
    "okta_app_jwk": {"org_url": "https://example.okta.com", "client_id": "0oa-admin", "private_key": "admin-pem", "key_content": "app-pem",
                     "key_passphrase": "app-passphrase"},
    "okta_m2m_check": dict(TOKEN, app="Zluri", app_key_content="app-pem", app_key_passphrase="app-passphrase"),
    "okta_resource_set": dict(TOKEN, label="Set", description="d", resources=[{"type": "group", "name": "Engineering"}]),
    "okta_resource_set_info": dict(TOKEN),
    "okta_role_assignment": dict(TOKEN, app="Zluri", roles=["READ_ONLY_ADMIN"]),
    "okta_scope_grant": dict(TOKEN, app="Zluri", app_scopes=["okta.users.read"], timeout="12"),
    "okta_service_app": dict(TOKEN, label="Zluri", public_keys=[{"kid": "k", "kty": "RSA", "n": "nn", "e": "AQAB"}]),
    "okta_service_app_info": dict(TOKEN, lookback_days="7"),
    "zluri_connection": dict(TOKEN, app="Zluri", app_key_path="/keys/zluri.pem", bundle_path="/handoff/org.json", zluri_api_key="zluri-key",
                             delivery={"url": "https://tickets.example.com", "headers": {"Authorization": "Bearer ticket-token"}}),
}
INVALID = [
    ("okta_admin_role", dict(VALID["okta_admin_role"], no_such_option=True)),
    ("okta_admin_role", {key: value for key, value in VALID["okta_admin_role"].items() if key != "label"}),
    ("okta_admin_role", dict(VALID["okta_admin_role"], state="gone")),
    ("okta_admin_role", dict(VALID["okta_admin_role"], client_id="0oa-admin")),  # mutually exclusive with api_token
    ("okta_admin_role", dict(TOKEN, label="Zluri")),  # required_if state=present
    ("okta_scope_grant", dict(VALID["okta_scope_grant"], timeout="soon")),
    ("okta_resource_set", dict(VALID["okta_resource_set"], resources=[{"type": "planet"}])),
    ("zluri_connection", dict(VALID["zluri_connection"], delivery={"headers": {"Authorization": "Bearer ticket-token"}})),
]


def module_spec(name: str) -> dict[str, Any]:
    code = importlib.import_module("ansible_collections.saasops.okta_m2m.plugins.modules." + name)
    return module_arguments(code.ARGUMENT_SPEC)


def worker(name: str, args: dict[str, Any]) -> WorkerModule:
    return WorkerModule(name, dict(args), check_mode=False, diff=False, inject_invocation=True, **module_spec(name))


@pytest.mark.parametrize("name", sorted(VALID))
def test_the_parameters_and_hidden_values_of_a_module_process(name: str) -> None:
    with patch_module_args(VALID[name]):
        module = AnsibleModule(**module_spec(name))
    here = worker(name, VALID[name])
    assert here.params == module.params
    assert here.no_log_values == module.no_log_values


def test_a_no_log_option_from_the_environment_is_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OKTA_API_TOKEN", "00env-token")
    args = {"org_url": "https://example.okta.com"}
    with patch_module_args(args):
        module = AnsibleModule(**module_spec("okta_admin_role_info"))
    assert worker("okta_admin_role_info", args).no_log_values == module.no_log_values == {"00env-token"}


@pytest.mark.parametrize("name, args", INVALID)
def test_refusals_are_a_module_process_s(name: str, args: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    with patch_module_args(dict(args, _ansible_module_name=name)), pytest.raises(SystemExit):
        AnsibleModule(**module_spec(name))
    printed = json.loads(capsys.readouterr().out)
    with pytest.raises(ModuleExit) as exit_:
        worker(name, args)
    assert exit_.value.result["failed"] is True
    assert exit_.value.result["msg"] == printed["msg"]


def test_no_log_values_walks_suboptions_and_keeps_numbers_as_text() -> None:
    spec = {"secret": {"type": "raw", "no_log": True},
            "items": {"type": "list", "elements": "dict", "options": {"pin": {"type": "int", "no_log": True}, "flag": {"type": "bool", "no_log": True}}}}
    params = {"secret": {"a": ["x", "", None], "b": 1.5}, "items": [{"pin": 1234, "flag": True}, {"pin": None}]}
    assert no_log_values(spec, params) == {"x", "1.5", "1234"}


def test_the_result_hides_every_secret_but_booleans_and_none() -> None:
    module = worker("okta_admin_role", dict(VALID["okta_admin_role"], label="True"))
    module.no_log_values.add("True")
    with pytest.raises(ModuleExit) as exit_:
        module.exit_json(changed=True, note="the label is True", echoed=None)
    result = exit_.value.result
    assert result["changed"] is True and result["echoed"] is None
    assert result["note"] == "the label is ********"
    assert result["invocation"]["module_args"]["api_token"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"


def test_each_warning_is_kept_once() -> None:
    module = worker("okta_admin_role", VALID["okta_admin_role"])
    for warning in ("first", "second", "first"):
        module.warn(warning)
    with pytest.raises(ModuleExit) as exit_:
        module.exit_json()
    assert exit_.value.result["warnings"] == ["first", "second"]


def test_a_failure_carries_no_traceback() -> None:
    with pytest.raises(ModuleExit) as exit_:
        worker("okta_admin_role", VALID["okta_admin_role"]).fail_json(msg="missing", exception="Traceback ...", reason=1)
    assert exit_.value.result == dict(exit_.value.result, failed=True, msg="missing", reason=1)
    assert "exception" not in exit_.value.result


def test_check_mode_skips_a_module_without_it() -> None:
    with pytest.raises(ModuleExit) as exit_:
        WorkerModule("probe", {}, check_mode=True, diff=False, inject_invocation=False, argument_spec={}, supports_check_mode=False)
    assert exit_.value.result == {"skipped": True, "msg": "remote module (probe) does not support check mode"}
