# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pre-flight refuses bad input without a call, and credentials from the environment never reach another org."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_client import OktaConfigError
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_module import refuse_other_orgs_credentials
from ansible_collections.saasops.okta_m2m.plugins.module_utils.preflight import PROBLEM, input_findings, writable_finding


def details(findings: list) -> list[str]:
    assert all(finding.status == PROBLEM for finding in findings)
    return [finding.detail for finding in findings]


def test_sound_inputs_have_no_finding() -> None:
    assert input_findings(["okta.users.read"], ["okta.users.read"], True, [{"type": "group", "name": "Engineering"}]) == []
    assert input_findings(None, [], False, []) == []


def test_each_bad_input_is_named_by_its_option() -> None:
    found = details(input_findings([], ["okta.users.raed"], True, [{"type": "group", "name": ""}, {"type": "orn", "value": "orn:bad"}]))
    assert found[0].startswith("O(resources)[0] of type group needs O(resources)[0].name or O(resources)[0].id")
    assert found[1] == "O(permissions) must name at least one permission: Okta refuses a custom role without any"
    assert found[2].startswith("O(app_scopes) names scopes Okta does not publish: okta.users.raed")
    assert details(input_findings(["users.read"], [], True, []))[0].startswith("O(permissions): ")
    assert details(input_findings(None, [], True, [])) == ["O(app_scopes) must name at least one Okta API scope"]
    assert "is not an ORN" in details(input_findings(None, ["okta.users.read"], True, [{"type": "orn", "value": "orn:bad"}]))[0]


def test_files_must_be_writable_where_they_go(tmp_path: Path) -> None:
    assert writable_finding({"bundle_path": str(tmp_path / "new" / "dir" / "bundle.json")}).status == "ok"
    a_file = tmp_path / "a-file"
    a_file.write_text("not a directory")
    under_a_file = writable_finding({"bundle_path": str(a_file / "out" / "bundle.json")})
    assert under_a_file.status == PROBLEM and "%s is not a directory this user" % a_file in under_a_file.detail
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    if os.getuid() == 0:
        pytest.skip("root may write anywhere")
    finding = writable_finding({"bundle_path": str(locked / "bundle.json")})
    assert finding.status == PROBLEM and finding.detail.startswith("O(bundle_path) %s" % (locked / "bundle.json"))


def test_credentials_from_the_environment_stay_with_their_org(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OKTA_ORG_URL", "https://acme.okta.com/")
    monkeypatch.setenv("OKTA_API_TOKEN", "from-env")
    refuse_other_orgs_credentials({"api_token": "from-env", "client_id": None}, "https://acme.okta.com")
    refuse_other_orgs_credentials({"api_token": "its-own", "client_id": None}, "https://other.okta.com")
    with pytest.raises(OktaConfigError, match=r"O\(org_url\) is https://other.okta.com, but the credentials taken from the environment "
                                              r"belong to the org in OKTA_ORG_URL \(https://acme.okta.com/\)"):
        refuse_other_orgs_credentials({"api_token": "from-env", "client_id": None}, "https://other.okta.com")
    monkeypatch.delenv("OKTA_ORG_URL")
    refuse_other_orgs_credentials({"api_token": "from-env", "client_id": None}, "https://other.okta.com")
