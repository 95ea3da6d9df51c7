# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every module of the collection runs in the controller process: each has an action plugin of its name for it."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

COLLECTION = Path(__file__).resolve().parents[4]
MODULES = sorted(path.stem for path in (COLLECTION / "plugins" / "modules").glob("*.py") if path.stem != "__init__")


def test_there_are_modules() -> None:
    assert len(MODULES) >= 11


@pytest.mark.parametrize("name", MODULES)
def test_the_action_plugin_of_the_same_name_runs_that_module(name: str) -> None:
    action = importlib.import_module("ansible_collections.saasops.okta_m2m.plugins.action." + name)
    module = importlib.import_module("ansible_collections.saasops.okta_m2m.plugins.modules." + name)
    assert action.ActionModule.module is module
