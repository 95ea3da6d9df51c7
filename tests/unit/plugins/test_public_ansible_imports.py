# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""No plugin of the collection imports a private ansible-core name: they change without notice between releases.

Private: a name with a component that starts with an underscore (``_internal``, ``_ANSIBLE_ARGS``), whether imported
(``from ansible.module_utils import _internal``, ``import ansible._internal``), imported from
(``from ansible.module_utils._internal import ...``), or read as an attribute of something imported from ansible
(``basic._ANSIBLE_ARGS``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PLUGINS = Path(__file__).resolve().parents[3] / "plugins"


def is_ansible(module: str) -> bool:
    return module == "ansible" or module.startswith("ansible.")


def is_private(dotted: str) -> bool:
    return any(part.startswith("_") for part in dotted.split("."))


def private_ansible_names(source: str) -> list[str]:
    """Every private ansible-core name the source imports or reads from an import, as written."""
    found = []
    imported = set()  # local names bound to something from ansible
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if is_ansible(alias.name):
                    imported.add(alias.asname or alias.name.split(".")[0])
                    if is_private(alias.name):
                        found.append(alias.name)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and is_ansible(node.module):
            for alias in node.names:
                imported.add(alias.asname or alias.name)
                if is_private(node.module) or is_private(alias.name):
                    found.append("%s.%s" % (node.module, alias.name))
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            base = node.value
            while isinstance(base, ast.Attribute):
                base = base.value
            if isinstance(base, ast.Name) and base.id in imported:
                found.append(ast.unparse(node))
    return found


@pytest.mark.parametrize("path", sorted(PLUGINS.rglob("*.py")), ids=lambda path: str(path.relative_to(PLUGINS)))
def test_the_plugin_imports_no_private_ansible_name(path: Path) -> None:
    assert private_ansible_names(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("source, name", [
    ("from ansible.module_utils import _internal", "ansible.module_utils._internal"),
    ("from ansible.module_utils._internal._json import Profile", "ansible.module_utils._internal._json.Profile"),
    ("from ansible.module_utils.basic import _ANSIBLE_ARGS", "ansible.module_utils.basic._ANSIBLE_ARGS"),
    ("import ansible._internal._templating as templating", "ansible._internal._templating"),
    ("from ansible.module_utils import basic\nbasic._ANSIBLE_PROFILE = 'legacy'", "basic._ANSIBLE_PROFILE"),
    ("import ansible.module_utils.common.warnings\nansible.module_utils.common.warnings._global_warnings.clear()",
     "ansible.module_utils.common.warnings._global_warnings"),
    ("from ansible.plugins.action import ActionBase\nActionBase._update_module_args(self, 'm', {}, {})", "ActionBase._update_module_args"),
])
def test_a_private_name_is_found(source: str, name: str) -> None:
    assert name in private_ansible_names(source)


@pytest.mark.parametrize("source", [
    "from ansible.module_utils.common.arg_spec import ArgumentSpecValidator",
    "from ansible.plugins.action.normal import ActionModule as NormalActionModule",
    "from ansible import constants as C\nC.config.get_config_value('X')",
    "from ansible_collections.saasops.okta_m2m.plugins.module_utils import _private_to_us",
    "self._task.args",
])
def test_a_public_name_is_not(source: str) -> None:
    assert private_ansible_names(source) == []
