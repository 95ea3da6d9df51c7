# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""okta_chain's rules for steps: which modules, which shapes, whose diffs."""

from __future__ import annotations

from typing import Any

import pytest
from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.saasops.okta_m2m.plugins.action import okta_chain


def step(**given: Any) -> dict[str, Any]:
    validated = ArgumentSpecValidator(okta_chain.CHAIN_SPEC).validate({"steps": [given]})
    assert not validated.error_messages
    return validated.validated_parameters["steps"][0]


@pytest.mark.parametrize("name", ["okta_service_app", "saasops.okta_m2m.okta_service_app"])
def test_a_module_of_the_collection_by_short_or_full_name(name: str) -> None:
    assert okta_chain.module_short_name(name) == "okta_service_app"


@pytest.mark.parametrize("name", ["ansible.builtin.file", "okta_chain", "saasops.okta_m2m.okta_chain", "community.okta.okta_app"])
def test_other_modules_and_the_chain_itself_are_refused(name: str) -> None:
    with pytest.raises(AnsibleActionFail, match="runs only modules of saasops.okta_m2m"):
        okta_chain.module_short_name(name)


@pytest.mark.parametrize(
    "given",
    [{"name": "neither"}, {"module": "okta_app_jwk", "that": "true"}, {"module": "okta_app_jwk", "register": "not a name"}],
)
def test_a_step_runs_a_module_or_checks_and_registers_under_a_variable_name(given: dict[str, Any]) -> None:
    with pytest.raises(AnsibleActionFail):
        okta_chain.check_step_shape(step(**given))


def test_a_lone_condition_with_commas_stays_one_condition() -> None:
    checked = step(that="x in ['a', 'b']")
    okta_chain.check_step_shape(checked)
    assert okta_chain.as_list(checked["that"]) == ["x in ['a', 'b']"]


def test_diffs_are_headed_by_the_step_unless_the_module_headed_them() -> None:
    result = {"diff": [{"before": "a", "after": "b"}, {"before_header": "key", "after_header": "key", "before": "", "after": "k"}]}
    diffs = okta_chain.step_diffs("Ensure the app", result)
    assert [diff["before_header"] for diff in diffs] == ["Ensure the app", "key"]
    assert okta_chain.step_diffs("Ensure the app", {"diff": {"before": 1, "after": 2}})[0]["after_header"] == "Ensure the app"
    assert okta_chain.step_diffs("Ensure the app", {}) == []
