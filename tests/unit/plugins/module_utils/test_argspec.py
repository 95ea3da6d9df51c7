# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ArgumentSpec and the shared specs: options travel with their constraints, and merging never changes a shared spec."""

from __future__ import annotations

from ansible_collections.saasops.okta_m2m.plugins.module_utils.argspec import (
    CONNECTION,
    STATE,
    ArgumentSpec,
    app_credentials,
    app_reference,
)


def test_merge_builds_a_new_spec_and_leaves_the_parts_alone() -> None:
    own = ArgumentSpec({"label": {"type": "str"}, "state": {"type": "str", "default": "gone"}}, required_if=[("state", "present", ("label",))])
    merged = own.merge(STATE, app_reference(required=True))
    assert merged.argument_spec["state"] == {"type": "str", "choices": ["present", "absent"], "default": "present"}
    assert set(merged.argument_spec) == {"label", "state", "app", "app_id", "app_client_id", "app_client_id_verified"}
    assert ("state", "present", ("label",)) in merged.required_if
    assert merged.required_one_of == [("app", "app_client_id", "app_id")]
    merged.argument_spec["state"]["default"] = "absent"
    merged.mutually_exclusive.append(("label", "app"))
    assert STATE.argument_spec["state"]["default"] == "present"
    assert own.argument_spec["state"]["default"] == "gone"
    assert own.mutually_exclusive == [] and ("label", "app") not in CONNECTION.merge(own).mutually_exclusive


def test_module_kwargs_name_only_the_constraints_that_are_set() -> None:
    assert STATE.module_kwargs() == {"argument_spec": STATE.argument_spec}
    kwargs = CONNECTION.module_kwargs()
    assert kwargs["mutually_exclusive"] == [("api_token", "client_id"), ("private_key", "private_key_path")]
    assert set(kwargs) == {"argument_spec", "mutually_exclusive"}


def test_app_reference_requirements() -> None:
    optional = app_reference()
    assert optional.required_one_of == []
    assert optional.mutually_exclusive == [("app", "app_client_id"), ("app", "app_id")]
    assert optional.required_if == [("app_client_id_verified", True, ("app_id", "app_client_id"))]
    assert app_reference(required=True).required_one_of == [("app", "app_client_id", "app_id")]
    conditional = app_reference(required_when=[("state", "absent"), ("exclusive", True)])
    assert conditional.required_one_of == []
    assert conditional.required_if[1:] == [("state", "absent", ("app", "app_client_id", "app_id"), True),
                                           ("exclusive", True, ("app", "app_client_id", "app_id"), True)]


def test_app_credentials_need_the_app_and_one_key() -> None:
    spec = app_credentials(required=True)
    assert ("app_key_path", "app_key_content") in spec.mutually_exclusive
    assert spec.required_one_of == [("app", "app_client_id", "app_id"), ("app_key_path", "app_key_content")]
    assert spec.argument_spec["app_key_content"]["no_log"] is True
    when_present = app_credentials(required_when=[("state", "present")])
    assert when_present.required_one_of == []
    assert when_present.required_if == [("state", "present", ("app", "app_client_id", "app_id"), True),
                                        ("state", "present", ("app_key_path", "app_key_content"), True)]


def test_app_credentials_with_an_optional_key_need_only_the_app() -> None:
    spec = app_credentials(required=True, key_optional=True)
    assert spec.required_one_of == [("app", "app_client_id", "app_id")]
    assert ("app_key_path", "app_key_content") in spec.mutually_exclusive
    when_present = app_credentials(required_when=[("state", "present")], key_optional=True)
    assert when_present.required_if == [("state", "present", ("app", "app_client_id", "app_id"), True)]
