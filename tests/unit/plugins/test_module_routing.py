# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every module runs through the in_process action plugin, and declares what that plugin runs."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path
from typing import Any

import pytest
import yaml

from ansible_collections.saasops.okta_m2m.plugins.action.in_process import DECLARATIONS
from ansible_collections.saasops.okta_m2m.plugins.module_utils.argspec import ArgumentSpec
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_module import module_arguments

COLLECTION = Path(__file__).resolve().parents[3]
# plugins/modules/in_process.py documents the action plugin; it is no module to run.
MODULES = sorted(path.stem for path in (COLLECTION / "plugins" / "modules").glob("*.py") if path.stem not in ("__init__", "in_process"))
RUNTIME = yaml.safe_load((COLLECTION / "meta" / "runtime.yml").read_text(encoding="utf-8"))


def test_there_are_modules() -> None:
    assert len(MODULES) >= 11


def test_every_module_and_no_other_routes_to_the_in_process_action_plugin() -> None:
    routing = RUNTIME["plugin_routing"]["modules"]
    assert sorted(routing) == MODULES
    assert {entry["action_plugin"] for entry in routing.values()} == {"saasops.okta_m2m.in_process"}
    assert "action" not in RUNTIME["plugin_routing"]  # an action redirect would make every module one name for module_defaults


def test_every_module_is_in_an_action_group() -> None:
    assert sorted(name for group in RUNTIME["action_groups"].values() for name in group) == MODULES


@pytest.mark.parametrize("name", MODULES)
def test_the_module_declares_what_the_action_plugin_runs_and_main_runs_the_same(name: str) -> None:
    code = importlib.import_module("ansible_collections.saasops.okta_m2m.plugins.modules." + name)
    assert all(hasattr(code, declaration) for declaration in DECLARATIONS)
    assert isinstance(code.ARGUMENT_SPEC, ArgumentSpec)
    assert code.OAUTH_SCOPES and all(scope.startswith("okta.") for scope in code.OAUTH_SCOPES)
    main = next(node for node in ast.parse((COLLECTION / "plugins" / "modules" / (name + ".py")).read_text(encoding="utf-8")).body
                if isinstance(node, ast.FunctionDef) and node.name == "main")
    assert ast.unparse(main.body[0]) == "run_module(ARGUMENT_SPEC, OAUTH_SCOPES, module_result)"


def options(spec: dict[str, Any], prefix: str = "") -> list[tuple[str, dict[str, Any]]]:
    found = []
    for name, option in spec.items():
        found.append((prefix + name, option))
        found.extend(options(option.get("options") or {}, prefix + name + "."))
    return found


@pytest.mark.parametrize("name", MODULES)
def test_no_option_has_an_alias_or_a_deprecation(name: str) -> None:
    """The worker reports no alias or deprecation warnings of the argument spec: both paths agree while there are none."""
    code = importlib.import_module("ansible_collections.saasops.okta_m2m.plugins.modules." + name)
    flagged = [path for path, option in options(module_arguments(code.ARGUMENT_SPEC)["argument_spec"])
               if {"aliases", "deprecated_aliases", "removed_in_version", "removed_at_date"} & set(option)]
    assert flagged == []


def test_the_preflights_action_by_name_is_the_in_process_plugin() -> None:
    """The strategy imports an action plugin found by the task's name in its main process: the pre-flight's is in_process
    itself, so the workers forked after the first pre-flight inherit the Okta client instead of importing it."""
    by_name = importlib.import_module("ansible_collections.saasops.okta_m2m.plugins.action.okta_preflight")
    in_process = importlib.import_module("ansible_collections.saasops.okta_m2m.plugins.action.in_process")
    assert by_name.ActionModule is in_process.ActionModule
    assert sorted(path.stem for path in (COLLECTION / "plugins" / "action").glob("*.py")) == ["in_process", "okta_preflight"]
