# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from typing import Any

import pytest

from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_auth import SswsAuth
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_client import OktaApiError, OktaClient, OktaConfigError, Transport
from ansible_collections.saasops.okta_m2m.plugins.module_utils.reconcile import Outcome, ensure_members
from ansible_collections.saasops.okta_m2m.plugins.module_utils.role_assignments import (
    RoleAssignmentMember,
    desired_assignments,
    parse_roles,
    with_super_admin_removal,
)

from ansible_collections.saasops.okta_m2m.tests.unit.plugins.module_utils.fake_http import FakeResponse, FakeSession

ORG = "https://example.okta.com"
APP = {"id": "0oa1", "label": "Zluri", "credentials": {"oauthClient": {"client_id": "0oa1client"}}}
ROLES_URL = ORG + "/oauth2/v1/clients/0oa1client/roles"
ROLE = {"id": "cr0zluri", "label": "Zluri Custom Role"}
RESOURCE_SET = {"id": "iamzluri", "label": "Zluri Resources"}
CUSTOM_ENTRY = {"role": "Zluri Custom Role", "resource_set": "Zluri Resources"}
CUSTOM_ITEM = {"id": None, "type": "CUSTOM", "label": "Zluri Custom Role", "role": "cr0zluri", "resource_set": "iamzluri",
               "resource_set_label": "Zluri Resources"}
NOT_FOUND = FakeResponse(404, {"errorCode": "E0000007", "errorSummary": "Not found: Resource not found: x (CustomRole)"})


def client_for(session: FakeSession) -> OktaClient:
    return OktaClient(Transport(ORG, session=session), SswsAuth("t"))


def standard(role_type: str, assignment_id: str | None = None) -> dict[str, Any]:
    return {"id": assignment_id or role_type.lower(), "label": role_type.title(), "type": role_type, "status": "ACTIVE",
            "assignmentType": "CLIENT", "_links": {"assignee": {"href": ORG + "/oauth2/v1/clients/0oa1client"}}}


def custom(assignment_id: str, role: str = "cr0zluri", resource_set: str = "iamzluri") -> dict[str, Any]:
    return {"id": assignment_id, "label": "Zluri Custom Role", "type": "CUSTOM", "status": "ACTIVE", "assignmentType": "CLIENT",
            "role": role, "resource-set": resource_set}


def echo_assignment(request: Any) -> FakeResponse:
    """Okta answers 201 (not the 200 of its spec) with the assignment."""
    body = request.json
    if body["type"] == "CUSTOM":
        return FakeResponse(201, custom("irb-new", body["role"], body["resource-set"]))
    return FakeResponse(201, standard(body["type"], "new-" + body["type"]))


def std(role_type: str) -> dict[str, Any]:
    return {"id": None, "type": role_type, "label": None, "role": None, "resource_set": None}


def reconcile(session: FakeSession, desired: list[dict[str, Any]], state: str = "present", exclusive: bool = False,
              check: bool = False, remove_super_admin: bool = False) -> tuple[Outcome, RoleAssignmentMember]:
    desired = with_super_admin_removal(desired, state, remove_super_admin)
    member = RoleAssignmentMember(desired, state, remove_super_admin)
    return ensure_members(client_for(session), member, APP, desired, state, member.purge(exclusive), check), member


def writes(session: FakeSession) -> list[tuple[str, str, Any]]:
    return [(sent.method, sent.url, sent.json if sent.data else None) for sent in session.sent if sent.method != "GET"]


def test_standard_types_and_custom_dicts_are_checked_before_any_call() -> None:
    assert parse_roles(["READ_ONLY_ADMIN", CUSTOM_ENTRY]) == [
        {"type": "READ_ONLY_ADMIN"}, {"type": "CUSTOM", "role_name": "Zluri Custom Role", "resource_set_name": "Zluri Resources"}]
    with pytest.raises(OktaConfigError, match=r"roles\[1\] 'READ_ONLY_ADMN' is not a standard Okta admin role type \(did you mean READ_ONLY_ADMIN\?\)"):
        parse_roles(["SUPER_ADMIN", "READ_ONLY_ADMN"])
    with pytest.raises(OktaConfigError, match=r"roles\[0\]: a custom role is given as a dict"):
        parse_roles(["CUSTOM"])
    with pytest.raises(OktaConfigError, match=r"roles\[0\] must be a standard role type or a dict with exactly 'role'"):
        parse_roles([{"role": "Zluri Custom Role"}])
    with pytest.raises(OktaConfigError, match=r"roles\[0\] must be a standard role type or a dict"):
        parse_roles([{"role": "x", "resource_set": "y", "resource-set": "y"}])
    with pytest.raises(OktaConfigError, match=r"roles\[0\] must be a string or a dict, got int"):
        parse_roles([3])
    with pytest.raises(OktaConfigError, match="roles must list at least one"):
        parse_roles([])


def test_custom_role_and_resource_set_labels_resolve_to_ids() -> None:
    session = FakeSession([FakeResponse(200, ROLE), FakeResponse(200, RESOURCE_SET)])
    assert desired_assignments(client_for(session), ["READ_ONLY_ADMIN", CUSTOM_ENTRY], "present", False) == [std("READ_ONLY_ADMIN"), CUSTOM_ITEM]
    assert [sent.url for sent in session.sent] == [ORG + "/api/v1/iam/roles/Zluri%20Custom%20Role",
                                                   ORG + "/api/v1/iam/resource-sets/Zluri%20Resources"]


def test_unknown_labels_are_one_error_naming_each() -> None:
    session = FakeSession([NOT_FOUND, NOT_FOUND])
    with pytest.raises(OktaConfigError, match="roles names what does not exist in Okta: custom admin role 'Nope', resource set 'Gone'"):
        desired_assignments(client_for(session), [{"role": "Nope", "resource_set": "Gone"}], "present", False)
    assert [sent.method for sent in session.sent] == ["GET", "GET"]


def test_for_absent_an_unknown_custom_role_cannot_be_assigned_and_is_dropped() -> None:
    session = FakeSession([NOT_FOUND, FakeResponse(200, RESOURCE_SET)])
    assert desired_assignments(client_for(session), ["READ_ONLY_ADMIN", CUSTOM_ENTRY], "absent", False) == [std("READ_ONLY_ADMIN")]


def test_check_mode_plans_a_custom_role_an_earlier_task_would_create_under_its_label() -> None:
    session = FakeSession([NOT_FOUND, FakeResponse(200, RESOURCE_SET)])
    (item,) = desired_assignments(client_for(session), [CUSTOM_ENTRY], "present", True)
    assert (item["role"], item["resource_set"]) == ("Zluri Custom Role", "iamzluri")
    outcome, member = reconcile(FakeSession([FakeResponse(200, [])]), [item], check=True)
    assert outcome.changes == ["add role assignment custom role 'Zluri Custom Role' on resource set 'Zluri Resources' (iamzluri)"]
    assert member.report(outcome.after["roles"])[0]["role"] == "Zluri Custom Role"


def test_repeated_assignment_is_an_error() -> None:
    with pytest.raises(OktaConfigError, match=r"roles\[1\] repeats"):
        desired_assignments(client_for(FakeSession()), ["READ_ONLY_ADMIN", "READ_ONLY_ADMIN"], "present", False)


def test_missing_assignments_are_added_one_post_each() -> None:
    session = FakeSession([FakeResponse(200, [standard("READ_ONLY_ADMIN", "ro1")]), echo_assignment, echo_assignment])
    outcome, member = reconcile(session, [std("READ_ONLY_ADMIN"), std("API_ACCESS_MANAGEMENT_ADMIN"), CUSTOM_ITEM])
    assert writes(session) == [
        ("POST", ROLES_URL, {"type": "API_ACCESS_MANAGEMENT_ADMIN"}),
        ("POST", ROLES_URL, {"type": "CUSTOM", "role": "cr0zluri", "resource-set": "iamzluri"}),
    ]
    assert outcome.changes == ["add role assignments API_ACCESS_MANAGEMENT_ADMIN, "
                               "custom role 'Zluri Custom Role' (cr0zluri) on resource set 'Zluri Resources' (iamzluri)"]
    assert outcome.before == {"roles": ["READ_ONLY_ADMIN"]}
    assert outcome.after == {"roles": ["API_ACCESS_MANAGEMENT_ADMIN", "READ_ONLY_ADMIN", {"resource_set": "iamzluri", "role": "cr0zluri"}]}
    assert [(a["id"], a["type"]) for a in member.report(outcome.after["roles"])] == [
        ("new-API_ACCESS_MANAGEMENT_ADMIN", "API_ACCESS_MANAGEMENT_ADMIN"), ("ro1", "READ_ONLY_ADMIN"), ("irb-new", "CUSTOM")]
    assert member.report([{"role": "cr0zluri", "resource_set": "iamzluri"}]) == [
        {"id": "irb-new", "type": "CUSTOM", "label": "Zluri Custom Role", "role": "cr0zluri", "resource_set": "iamzluri"}]


def test_converged_app_makes_no_write() -> None:
    session = FakeSession([FakeResponse(200, [standard("READ_ONLY_ADMIN"), custom("irb1")])])
    outcome, _member = reconcile(session, [CUSTOM_ITEM, std("READ_ONLY_ADMIN")])
    assert [sent.method for sent in session.sent] == ["GET"] and not outcome.changed
    assert outcome.before == outcome.after


def test_a_custom_role_on_another_resource_set_is_another_assignment() -> None:
    session = FakeSession([FakeResponse(200, [custom("irb1", resource_set="iamother")]), echo_assignment])
    outcome, _member = reconcile(session, [CUSTOM_ITEM])
    assert writes(session) == [("POST", ROLES_URL, {"type": "CUSTOM", "role": "cr0zluri", "resource-set": "iamzluri"})]
    assert len(outcome.after["roles"]) == 2


def test_exclusive_removes_unlisted_assignments_by_id() -> None:
    session = FakeSession([FakeResponse(200, [standard("READ_ONLY_ADMIN", "ro1"), custom("irb1"), standard("REPORT_ADMIN", "rep1")]),
                           FakeResponse(204), FakeResponse(204)])
    outcome, _member = reconcile(session, [std("READ_ONLY_ADMIN")], exclusive=True)
    assert writes(session) == [("DELETE", ROLES_URL + "/irb1", None), ("DELETE", ROLES_URL + "/rep1", None)]
    assert outcome.after == {"roles": ["READ_ONLY_ADMIN"]}


def test_check_mode_sends_only_the_read_and_reports_the_same_change() -> None:
    current = [standard("READ_ONLY_ADMIN", "ro1"), standard("REPORT_ADMIN", "rep1")]
    desired = [std("READ_ONLY_ADMIN"), CUSTOM_ITEM]
    checked_session = FakeSession([FakeResponse(200, current)])
    checked, member = reconcile(checked_session, desired, exclusive=True, check=True)
    assert writes(checked_session) == []
    predicted = {"id": None, "type": "CUSTOM", "label": "Zluri Custom Role", "role": "cr0zluri", "resource_set": "iamzluri"}
    assert member.report(checked.after["roles"])[1] == predicted
    applied_session = FakeSession([FakeResponse(200, current), echo_assignment, FakeResponse(204)])
    applied, _member = reconcile(applied_session, desired, exclusive=True)
    assert (checked.changed, checked.changes, checked.after) == (applied.changed, applied.changes, applied.after)
    assert len(writes(applied_session)) == 2


def test_absent_removes_listed_assignments_and_twice_is_unchanged() -> None:
    session = FakeSession([FakeResponse(200, [standard("READ_ONLY_ADMIN", "ro1"), custom("irb1")]), FakeResponse(204)])
    outcome, _member = reconcile(session, [CUSTOM_ITEM, std("REPORT_ADMIN")], state="absent")
    assert writes(session) == [("DELETE", ROLES_URL + "/irb1", None)]
    assert outcome.after == {"roles": ["READ_ONLY_ADMIN"]}
    session = FakeSession([FakeResponse(200, [standard("READ_ONLY_ADMIN", "ro1")])])
    outcome, _member = reconcile(session, [CUSTOM_ITEM], state="absent")
    assert not outcome.changed and writes(session) == []


@pytest.mark.parametrize("check", [True, False])
@pytest.mark.parametrize("exclusive", [True, False])
def test_unlisted_super_admin_refuses_the_run_before_any_write(check: bool, exclusive: bool) -> None:
    session = FakeSession([FakeResponse(200, [standard("SUPER_ADMIN", "sa1")])])
    with pytest.raises(OktaConfigError, match=r"'Zluri' \(0oa1\) holds the SUPER_ADMIN role.*'Public client app admins'"
                                              r".*No role assignment was changed.*O\(remove_super_admin\)=true"):
        reconcile(session, [std("READ_ONLY_ADMIN")], exclusive=exclusive, check=check)
    assert writes(session) == []


def test_remove_super_admin_removes_it_in_the_same_plan() -> None:
    session = FakeSession([FakeResponse(200, [standard("SUPER_ADMIN", "sa1")]), echo_assignment, FakeResponse(204)])
    outcome, _member = reconcile(session, [std("READ_ONLY_ADMIN")], remove_super_admin=True)
    assert writes(session) == [("POST", ROLES_URL, {"type": "READ_ONLY_ADMIN"}), ("DELETE", ROLES_URL + "/sa1", None)]
    assert outcome.changes == ["add role assignment READ_ONLY_ADMIN", "remove role assignment SUPER_ADMIN"]
    assert outcome.before == {"roles": ["SUPER_ADMIN"]} and outcome.after == {"roles": ["READ_ONLY_ADMIN"]}


def test_listed_super_admin_is_kept() -> None:
    session = FakeSession([FakeResponse(200, [standard("SUPER_ADMIN", "sa1")])])
    outcome, _member = reconcile(session, [std("SUPER_ADMIN")], remove_super_admin=True, exclusive=True)
    assert not outcome.changed and outcome.after == {"roles": ["SUPER_ADMIN"]}


def test_absent_keeps_an_unlisted_super_admin_unless_told() -> None:
    current = [standard("SUPER_ADMIN", "sa1"), standard("READ_ONLY_ADMIN", "ro1")]
    session = FakeSession([FakeResponse(200, current), FakeResponse(204)])
    outcome, _member = reconcile(session, [std("READ_ONLY_ADMIN")], state="absent")
    assert writes(session) == [("DELETE", ROLES_URL + "/ro1", None)] and outcome.after == {"roles": ["SUPER_ADMIN"]}
    session = FakeSession([FakeResponse(200, current), FakeResponse(204), FakeResponse(204)])
    outcome, _member = reconcile(session, [std("READ_ONLY_ADMIN")], state="absent", remove_super_admin=True)
    assert sorted(url for _method, url, _body in writes(session)) == [ROLES_URL + "/ro1", ROLES_URL + "/sa1"]


def test_api_access_management_refusal_says_the_feature_is_missing() -> None:
    refusal = FakeResponse(400, {"errorCode": "E0000015", "errorSummary": "You do not have permission to access the feature you are requesting"},
                           {"X-Okta-Request-Id": "req9"})
    session = FakeSession([FakeResponse(200, []), refusal])
    with pytest.raises(OktaApiError, match=r"E0000015.*req9.*This org lacks the Okta feature this call needs"
                                           r".*API_ACCESS_MANAGEMENT_ADMIN needs API Access Management") as caught:
        reconcile(session, [std("API_ACCESS_MANAGEMENT_ADMIN")])
    assert caught.value.error_code == "E0000015" and caught.value.status == 400


def test_other_refusals_are_passed_through_unchanged() -> None:
    refusal = FakeResponse(400, {"errorCode": "E0000227", "errorSummary": "Roles can only be granted to service application type"})
    session = FakeSession([FakeResponse(200, []), refusal])
    with pytest.raises(OktaApiError) as caught:
        reconcile(session, [std("READ_ONLY_ADMIN")])
    assert "API Access Management" not in str(caught.value) and caught.value.error_code == "E0000227"


def test_absent_on_an_app_that_is_gone_calls_nothing() -> None:
    session = FakeSession()
    member = RoleAssignmentMember([std("READ_ONLY_ADMIN")], "absent", False)
    outcome = ensure_members(client_for(session), member, None, [std("READ_ONLY_ADMIN")], "absent", False, False)
    assert session.sent == [] and not outcome.changed


def test_custom_roles_given_by_id_need_no_lookup() -> None:
    session = FakeSession([])
    (item,) = desired_assignments(client_for(session), [{"role_id": "cr0abc", "resource_set_id": "iamxyz"}], "present", False)
    assert (item["role"], item["resource_set"]) == ("cr0abc", "iamxyz")
    assert session.sent == []
