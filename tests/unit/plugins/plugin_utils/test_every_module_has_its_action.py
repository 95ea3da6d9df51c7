# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every module of the collection runs in the controller process: each has an action plugin of its name for it."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

COLLECTION = Path(__file__).resolve().parents[4]
# okta_chain's module file documents its action plugin, which runs the other modules: it has no module to run.
MODULES = sorted(path.stem for path in (COLLECTION / "plugins" / "modules").glob("*.py") if path.stem not in ("__init__", "okta_chain"))


def test_there_are_modules() -> None:
    assert len(MODULES) >= 11


@pytest.mark.parametrize("name", MODULES)
def test_the_action_plugin_of_the_same_name_runs_that_module(name: str) -> None:
    action = importlib.import_module("ansible_collections.saasops.okta_m2m.plugins.action." + name)
    module = importlib.import_module("ansible_collections.saasops.okta_m2m.plugins.modules." + name)
    assert action.ActionModule.module is module


def test_okta_chain_can_run_every_other_module() -> None:
    chain = importlib.import_module("ansible_collections.saasops.okta_m2m.plugins.action.okta_chain")
    assert sorted(chain.MODULES) == MODULES
