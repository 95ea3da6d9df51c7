# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Drift lines, worded from what the modules return in check mode with diff on."""

from __future__ import annotations

import pytest

from ansible_collections.saasops.okta_m2m.plugins.plugin_utils.drift import DriftInputError, drift_lines

ROLE = "custom role 'Zluri Custom Role'"
APP = "API Services app 'Zluri'"


def test_one_line_per_extra_and_missing_item_and_per_changed_field() -> None:
    role = {"changed": True, "diff": {"before": {"label": "Zluri Custom Role", "description": "hand-edited",
                                                 "permissions": ["okta.users.manage", "okta.users.read"]},
                                      "after": {"label": "Zluri Custom Role", "description": "managed",
                                                "permissions": ["okta.apps.read", "okta.users.read"]}}}
    assert drift_lines([{"title": ROLE, "result": role}]) == [
        ROLE + ' has description "hand-edited", the desired state is "managed"',
        ROLE + " has extra permission okta.users.manage",
        ROLE + " is missing permission okta.apps.read",
    ]


def test_custom_role_assignments_are_named_by_label_and_keys_by_kid() -> None:
    roles = {"changed": True, "diff": {"before": {"roles": ["SUPER_ADMIN", {"role": "cr0", "resource_set": "iam0"}]},
                                       "after": {"roles": [{"role": "cr0", "resource_set": "iam0"}, {"role": "cr1", "resource_set": "iam1"}]}}}
    keys = {"changed": True, "diff": {"before": {"jwks": [{"kid": "a", "status": "INACTIVE", "id": "pks1", "thumbprint": "t"}]},
                                      "after": {"jwks": [{"kid": "a", "status": "ACTIVE", "thumbprint": "t"}]}}}
    assert drift_lines([{"title": APP, "result": roles}, {"title": APP, "result": keys}], {"cr1": "Zluri Custom Role", "iam1": "Zluri Resource Set"}) == [
        APP + " has extra admin role SUPER_ADMIN",
        APP + " is missing admin role custom role 'Zluri Custom Role' on resource set 'Zluri Resource Set'",
        APP + " has key a INACTIVE, the desired state is ACTIVE",
    ]


def test_missing_objects_failures_and_credential_problems_are_named() -> None:
    checks = [
        {"title": "resource set 'Zluri Resource Set'", "result": {"changed": True, "diff": {"before": {}, "after": {"label": "Zluri Resource Set"}}}},
        {"title": APP, "result": {"failed": True, "msg": "the app already holds the ACTIVE key old"}},
        {"title": "the credentials as Zluri uses them", "result": {"changed": False, "ok": False, "report": {"problems": ["invalid_client: key"]}}},
        {"title": "the key Zluri signs with", "result": {"changed": True, "changes": ["generate 2048-bit RSA key at /k.pem"], "diff": {}}},
        {"title": "the hand-off", "result": {"failed": True, "msg": "the credentials do not work as Zluri will use them: a; b",
                                             "verification": {"ok": False, "problems": ["DPoP required", "scope okta.logs.read not granted"]}}},
    ]
    assert drift_lines(checks) == [
        "resource set 'Zluri Resource Set' does not exist",
        APP + ": the app already holds the ACTIVE key old",
        "the credentials as Zluri uses them: invalid_client: key",
        "the key Zluri signs with: would generate 2048-bit RSA key at /k.pem",
        "the hand-off: DPoP required",
        "the hand-off: scope okta.logs.read not granted",
    ]


def test_unchanged_and_skipped_results_are_no_drift() -> None:
    assert drift_lines([{"title": ROLE, "result": {"changed": False, "diff": {"before": {"a": 1}, "after": {"a": 1}}}},
                        {"title": ROLE, "result": {"skipped": True, "changed": False}},
                        {"title": ROLE, "result": {"changed": False, "ok": True, "report": {"problems": []}}}]) == []


@pytest.mark.parametrize("checks", [{"title": "x"}, ["x"], [{"result": {}}]])
def test_input_that_is_not_a_list_of_checks_is_refused(checks: object) -> None:
    with pytest.raises(DriftInputError, match="list of"):
        drift_lines(checks)
