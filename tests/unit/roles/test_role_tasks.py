# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection's roles are plain lists of named tasks, and each module's arguments are written once in a role."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml

ROLES = Path(__file__).resolve().parents[3] / "roles"
# Each role and the variable its health check sets for the shared steps.
CHECKING = {"zluri_okta": "__zluri_okta_checking", "okta_service_connection": "__okta_service_connection_checking"}
COLLECTION = "saasops.okta_m2m."
# Keywords of a task, not its module.
KEYWORDS = {"name", "register", "when", "tags", "vars", "loop", "loop_control", "check_mode", "diff", "ignore_errors",
            "changed_when", "failed_when", "module_defaults", "block", "rescue", "always", "args", "no_log", "delegate_to"}


def tasks(items: list[dict[str, Any]], where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for task in items or []:
        for section in ("block", "rescue", "always"):
            if section in task:
                yield from tasks(task[section], where)
        if not {"block", "rescue", "always"} & set(task):
            yield where, task


def role_tasks(role: str) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path in sorted((ROLES / role / "tasks").glob("*.yml")):
        found += list(tasks(yaml.safe_load(path.read_text(encoding="utf-8")), path.name))
    return found


def module_of(task: dict[str, Any]) -> str:
    modules = [key for key in task if key not in KEYWORDS]
    assert len(modules) == 1, "a task names exactly one module: %s" % task.get("name")
    return modules[0]


def test_every_role_is_tested_here() -> None:
    assert sorted(path.name for path in ROLES.iterdir() if path.is_dir()) == sorted(CHECKING)


@pytest.mark.parametrize("role", sorted(CHECKING))
def test_every_task_is_named_and_calls_one_module_by_its_full_name(role: str) -> None:
    found = role_tasks(role)
    assert len(found) >= 15
    for where, task in found:
        assert task.get("name"), "%s: a task without a name" % where
        assert "." in module_of(task), "%s: %r is not a fully qualified module name" % (where, module_of(task))


@pytest.mark.parametrize("role", sorted(CHECKING))
def test_no_task_engine_in_the_role(role: str) -> None:
    assert not [task["name"] for _where, task in role_tasks(role) if module_of(task) == COLLECTION + "okta_chain"]


@pytest.mark.parametrize("role", sorted(CHECKING))
def test_each_modules_arguments_are_written_once(role: str) -> None:
    """Two tasks that call the same module of the collection share at most one argument written the same way (a label):
    a state that needs the converge's arguments runs the converge's tasks (the health check imports them), never a
    copy of them."""
    calls = [(where, task["name"], module_of(task), task[module_of(task)] or {}) for where, task in role_tasks(role)
             if module_of(task).startswith(COLLECTION)]
    for (where_a, name_a, module_a, args_a), (where_b, name_b, module_b, args_b) in combinations(calls, 2):
        if module_a != module_b:
            continue
        shared = sorted(key for key in set(args_a) & set(args_b) if args_a[key] == args_b[key])
        assert len(shared) <= 1, "%s '%s' and %s '%s' spell out the same arguments of %s: %s" % (
            where_a, name_a, where_b, name_b, module_a, shared)


@pytest.mark.parametrize("role", sorted(CHECKING))
def test_the_health_check_imports_the_converge_steps(role: str) -> None:
    tasks_dir = ROLES / role / "tasks"
    verified = yaml.safe_load((tasks_dir / "verified.yml").read_text(encoding="utf-8"))
    present = yaml.safe_load((tasks_dir / "present.yml").read_text(encoding="utf-8"))
    for document in (verified, present):
        imports = [task for _where, task in tasks(document, "") if "ansible.builtin.import_tasks" in task]
        assert [task["ansible.builtin.import_tasks"] for task in imports] == ["converge_steps.yml"]
    check_block = verified[0]
    assert check_block["check_mode"] is True and check_block["diff"] is True and check_block["vars"][CHECKING[role]] is True
    steps = yaml.safe_load((tasks_dir / "converge_steps.yml").read_text(encoding="utf-8"))
    module_steps = [task for task in steps if module_of(task).startswith(COLLECTION)]
    assert [task.get("ignore_errors") for task in module_steps] == ["{{ %s }}" % CHECKING[role]] * len(module_steps)
