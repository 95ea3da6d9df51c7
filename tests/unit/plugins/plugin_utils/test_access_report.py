# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The access report of playbooks/audit.yml: which apps are listed, how they are flagged and ordered, the Markdown."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from ansible_collections.saasops.okta_m2m.plugins.plugin_utils.access_report import (
    KEY_MAX_AGE_DAYS,
    AccessReportError,
    access_report,
    access_report_markdown,
)

ROOT = Path(__file__).resolve().parents[4]
# 2026-03-11T00:00:00Z
NOW = 1773187200.0


def app(label: str, roles: tuple[str, ...] = (), scopes: tuple[str, ...] = ("okta.users.read",), auth: str = "private_key_jwt",
        dpop: bool = True, key_ages: tuple[int, ...] = (10,), last_token: str | None = "2026-03-10T00:00:00.000Z", **extra: Any) -> dict[str, Any]:
    return {"id": "0oa" + label, "client_id": "0oa" + label, "label": label, "status": "ACTIVE", "token_endpoint_auth_method": auth,
            "dpop_bound_access_tokens": dpop, "scopes": list(scopes), "last_token_issued": last_token,
            "roles": [{"type": role, "role_label": None, "resource_set_label": None} for role in roles],
            "public_keys": [{"kid": "k%d" % age, "status": "ACTIVE", "created": "2025-01-01T00:00:00.000Z", "age_days": age} for age in key_ages],
            **extra}


def flags(row: dict[str, Any]) -> list[str]:
    return [flag["flag"] for flag in row["flags"]]


def test_each_risk_is_flagged_with_its_reason() -> None:
    apps = [app("super", roles=("SUPER_ADMIN",)), app("org", roles=("ORG_ADMIN",)), app("secret", auth="client_secret_post", key_ages=()),
            app("old", key_ages=(366, 10)), app("nodpop", dpop=False), app("idle", last_token=None)]
    rows = {row["label"]: row for row in access_report({"acme": {"apps": apps}}, 365, 30, now=NOW)["orgs"][0]["apps"]}
    assert {label: flags(row) for label, row in rows.items()} == {
        "super": ["super_admin"], "org": ["org_admin"], "secret": ["client_secret"], "old": ["old_key"], "nodpop": ["no_dpop"], "idle": ["idle"]}
    assert rows["old"]["flags"][0]["why"] == "key k366 (366 days) older than 365 days"
    assert rows["secret"]["flags"][0]["why"] == "authenticates with a client secret (client_secret_post)"
    assert rows["old"]["oldest_active_key_days"] == 366


def test_a_key_of_exactly_the_limit_an_inactive_old_key_and_unasked_idleness_are_not_flagged() -> None:
    inactive = app("a", key_ages=(), last_token=None)
    inactive["public_keys"] = [{"kid": "old", "status": "INACTIVE", "age_days": 900}, {"kid": "new", "status": "ACTIVE", "age_days": 365}]
    row = access_report({"acme": {"apps": [inactive]}}, 365, 0, now=NOW)["orgs"][0]["apps"][0]
    assert row["flags"] == []
    assert "last_token_issued" not in row
    assert access_report({"acme": {"apps": [app("b", key_ages=(5000,))]}}, 0, 0, now=NOW)["orgs"][0]["apps"][0]["flags"] == []


def test_only_apps_with_a_scope_or_an_admin_role_are_listed_flagged_first_most_flags_first() -> None:
    apps = [app("clean"), app("nothing", scopes=()), app("roles only", scopes=(), roles=("READ_ONLY_ADMIN",), dpop=False),
            app("worst", roles=("SUPER_ADMIN",), dpop=False, auth="client_secret_basic"), app("Another clean")]
    report = access_report({"b-org": {"apps": apps, "org_url": "https://b.okta.com"}, "a-org": {"apps": []}}, now=NOW)
    assert [org["org"] for org in report["orgs"]] == ["a-org", "b-org"]
    assert [row["label"] for row in report["orgs"][1]["apps"]] == ["worst", "roles only", "Another clean", "clean"]
    assert report["orgs"][1]["flagged"] == 2
    assert report["summary"] == {"orgs": 2, "apps": 4, "flagged": 2, "unreadable_orgs": [],
                                 "by_flag": {"super_admin": 1, "org_admin": 0, "client_secret": 1, "old_key": 0, "no_dpop": 2, "idle": 0}}
    assert report["key_max_age_days"] == KEY_MAX_AGE_DAYS
    assert report["generated"] == "2026-03-11T00:00:00Z"


def test_custom_roles_are_named_by_role_and_resource_set() -> None:
    custom = app("c")
    custom["roles"] = [{"type": "CUSTOM", "role": "cr0", "role_label": "Zluri Custom Role", "resource_set": "iam1", "resource_set_label": None}]
    assert access_report({"o": {"apps": [custom]}}, now=NOW)["orgs"][0]["apps"][0]["roles"] == ["Zluri Custom Role on iam1"]


@pytest.mark.parametrize("max_age, idle, message", [(-1, 0, "key_max_age_days"), ("a year", 0, "whole number"), (365, 91, "between 0 and 90")])
def test_limits_are_checked(max_age: Any, idle: Any, message: str) -> None:
    with pytest.raises(AccessReportError, match=message):
        access_report({}, max_age, idle)


def test_markdown_has_one_table_per_org_flagged_rows_first_and_escapes_cells() -> None:
    apps = [app("clean"), app("pipe | label", roles=("ORG_ADMIN",))]
    report = access_report({"acme": {"apps": apps, "org_url": "https://acme.okta.com"}, "broken": {"error": "401 E0000011 Invalid token"},
                            "empty": {"apps": [app("x", scopes=())]}}, 365, 30, now=NOW)
    text = access_report_markdown(report)
    sections = text.split("\n## ")
    assert sections[1].startswith("acme (https://acme.okta.com)")
    rows = [line for line in sections[1].splitlines() if line.startswith("| ") and not line.startswith("| flags |")]
    assert rows[0].startswith("| **holds Org Administrator** | pipe \\| label | ")
    assert rows[1].startswith("| - | clean | ")
    assert rows[1].endswith("| 10 days | 2026-03-10T00:00:00.000Z (1 day ago) |")
    assert "**Not read:** 401 E0000011 Invalid token" in sections[2]
    assert "No API Services app holds an admin role or an Okta API scope." in sections[3]
    assert "Idle apps: no token in the last 30 days." in sections[0]
    assert report["summary"]["unreadable_orgs"] == ["broken"]


def test_markdown_refuses_what_is_not_a_report() -> None:
    with pytest.raises(AccessReportError, match="not an access report"):
        access_report_markdown({"orgs": []})


def test_the_role_and_the_audit_playbook_use_the_one_default_key_age() -> None:
    with open(ROOT / "roles" / "zluri_okta" / "defaults" / "main.yml", encoding="utf-8") as handle:
        assert yaml.safe_load(handle)["zluri_okta_key_max_age_days"] == KEY_MAX_AGE_DAYS
    with open(ROOT / "roles" / "zluri_okta" / "meta" / "argument_specs.yml", encoding="utf-8") as handle:
        spec = yaml.safe_load(handle)["argument_specs"]["main"]["options"]
    assert spec["zluri_okta_key_max_age_days"]["default"] == KEY_MAX_AGE_DAYS
    with open(ROOT / "playbooks" / "audit.yml", encoding="utf-8") as handle:
        assert yaml.safe_load(handle)[0]["vars"]["audit_key_max_age_days"] == KEY_MAX_AGE_DAYS
