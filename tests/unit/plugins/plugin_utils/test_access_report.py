# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The access report of playbooks/audit.yml: which apps are listed, how they are flagged and ordered, the Markdown."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from ansible_collections.saasops.okta_m2m.plugins.module_utils.timestamps import okta_time
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


def token(name: str, owner: str = "svc@example.com", roles: tuple[str, ...] = ("READ_ONLY_ADMIN",), idle: int | None = 1,
          network: dict[str, Any] | None = None) -> dict[str, Any]:
    """A token as okta_api_token_info returns it."""
    return {"id": "00T" + name, "name": name, "client_name": "Okta API", "created": "2025-01-01T00:00:00.000Z",
            "last_updated": okta_time(NOW - (idle or 0) * 86400), "expires_at": "2026-04-09T00:00:00.000Z", "token_window": "P30D",
            "idle_days": idle, "network": {"connection": "ANYWHERE", "include": [], "exclude": []} if network is None else network,
            "owner": {"id": "00u" + owner, "login": owner, "admin_roles": list(roles), "super_admin": "SUPER_ADMIN" in roles}}


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
                                 "by_flag": {"super_admin": 1, "org_admin": 0, "client_secret": 1, "old_key": 0, "no_dpop": 2, "idle": 0},
                                 "api_tokens": 0, "api_tokens_flagged": 0, "api_tokens_by_flag": {"super_admin": 0, "idle": 0},
                                 "api_tokens_unread": ["a-org", "b-org"]}
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


def test_tokens_are_flagged_for_a_super_administrator_owner_and_for_idleness_from_the_limit_on() -> None:
    tokens = [token("Lumos"), token("Torii", owner="admin@example.com", roles=("SUPER_ADMIN",)), token("Old", idle=30),
              token("Older", idle=31, roles=("SUPER_ADMIN", "ORG_ADMIN"), owner="root@example.com"), token("Recent", idle=29)]
    org = access_report({"acme": {"apps": [], "api_tokens": tokens}}, 365, 30, now=NOW)["orgs"][0]
    rows = {row["name"]: row for row in org["api_tokens"]}
    assert [row["name"] for row in org["api_tokens"]] == ["Older", "Old", "Torii", "Lumos", "Recent"]
    assert {name: flags(row) for name, row in rows.items()} == {
        "Older": ["super_admin", "idle"], "Old": ["idle"], "Torii": ["super_admin"], "Lumos": [], "Recent": []}
    assert [flag["why"] for flag in rows["Older"]["flags"]] == [
        "its owner root@example.com holds Super Administrator", "not used in the last 30 days (last used 31 days ago)"]
    assert org["api_tokens_flagged"] == 3
    assert rows["Torii"] == {"name": "Torii", "id": "00TTorii", "owner": "admin@example.com", "owner_id": "00uadmin@example.com",
                             "owner_admin_roles": ["SUPER_ADMIN"], "client_name": "Okta API", "created": "2025-01-01T00:00:00.000Z",
                             "last_updated": "2026-03-10T00:00:00.000Z", "idle_days": 1, "expires_at": "2026-04-09T00:00:00.000Z",
                             "token_window": "P30D", "network": "ANYWHERE", "flags": rows["Torii"]["flags"]}


def test_idleness_is_not_asked_with_idle_days_0_and_an_owner_without_a_login_is_named_by_id() -> None:
    gone = token("Ghost", owner="ghost", idle=80)
    gone["owner"]["login"] = None
    row = access_report({"acme": {"api_tokens": [gone]}}, 365, 0, now=NOW)["orgs"][0]["api_tokens"][0]
    assert (row["flags"], row["owner"], row["idle_days"]) == ([], "00ughost", 80)


def test_network_restrictions_are_written_in_a_few_words() -> None:
    tokens = [token("a", network={"connection": "ZONE", "include": ["nzo1", "nzo2"], "exclude": ["nzo3"]}),
              token("b", network={"connection": "ZONE", "include": [], "exclude": ["nzo3"]}), token("c", network={})]
    rows = access_report({"acme": {"api_tokens": tokens}}, now=NOW)["orgs"][0]["api_tokens"]
    assert [row["network"] for row in rows] == ["ZONE (include nzo1, nzo2; exclude nzo3)", "ZONE (exclude nzo3)", "-"]


def test_token_counts_and_the_orgs_whose_tokens_were_not_read() -> None:
    report = access_report({"a": {"api_tokens": [token("x", roles=("SUPER_ADMIN",)), token("y")]},
                            "b": {"api_tokens": None, "api_tokens_error": "403 E0000006 lacks okta.apiTokens.read"},
                            "c": {}, "d": {"api_tokens": []}}, now=NOW)
    summary = report["summary"]
    assert (summary["api_tokens"], summary["api_tokens_flagged"], summary["api_tokens_by_flag"]) == (2, 1, {"super_admin": 1, "idle": 0})
    assert summary["api_tokens_unread"] == ["b", "c"]
    assert [org["api_tokens"] for org in report["orgs"][1:]] == [None, None, []]


def test_markdown_lists_the_tokens_of_each_org_below_its_apps_flagged_first() -> None:
    report = access_report({
        "acme": {"org_url": "https://acme.okta.com", "apps": [app("Zluri")],
                 "api_tokens": [token("Lumos"),
                                token("pipe | token", owner="admin@example.com", roles=("SUPER_ADMIN",), idle=40,
                                      network={"connection": "ZONE", "include": ["nzo1"]})]},
        "broken": {"error": "401 E0000011 Invalid token", "api_tokens_error": "401 E0000011 Invalid token"},
        "quiet": {"apps": [], "api_tokens": []}, "skipped": {"apps": []}}, 365, 30, now=NOW)
    text = access_report_markdown(report)
    assert "API tokens: 2, 1 flagged." in text
    assert "Idle API tokens: not used in the last 30 days (by Okta's lastUpdated)." in text
    assert "API token flags: super_admin 1, idle 1." in text
    sections = text.split("\n## ")
    apps_part, tokens_part = sections[1].split("\n### API tokens\n")
    assert "| - | Zluri | " in apps_part and "Lumos" not in apps_part
    rows = [line for line in tokens_part.splitlines() if line.startswith("| ")]
    assert rows[0] == "| flags | token | id | owner (admin roles) | created | last used | expires | network |"
    assert rows[1] == ("| **its owner admin@example.com holds Super Administrator; not used in the last 30 days (last used 40 days ago)** "
                       "| pipe \\| token | 00Tpipe \\| token | admin@example.com (SUPER_ADMIN) | 2025-01-01T00:00:00.000Z "
                       "| 2026-01-30T00:00:00.000Z (40 days ago) | 2026-04-09T00:00:00.000Z | ZONE (include nzo1) |")
    assert rows[2].startswith("| - | Lumos | 00TLumos | svc@example.com (READ_ONLY_ADMIN) | ")
    assert "### API tokens\n\n**Not read:** 401 E0000011 Invalid token" in sections[2]
    assert "### API tokens\n\nNo active API token." in sections[3]
    assert "### API tokens\n\nNot asked for (audit_api_tokens: false)." in sections[4]


def test_an_app_whose_keys_the_vendor_holds_names_the_url_and_is_never_flagged_for_a_key_age() -> None:
    vendor = app("vendor", key_ages=(), jwks_uri="https://vendor.example.com/.well-known/jwks.json")
    report = access_report({"acme": {"apps": [vendor, app("ours", key_ages=(400,))]}}, 365, 0, now=NOW)
    rows = {row["label"]: row for row in report["orgs"][0]["apps"]}
    assert rows["vendor"]["jwks_uri"] == "https://vendor.example.com/.well-known/jwks.json"
    assert rows["vendor"]["keys"] == [] and rows["vendor"]["oldest_active_key_days"] is None
    assert "old_key" not in flags(rows["vendor"]) and "old_key" in flags(rows["ours"])
    assert rows["ours"]["jwks_uri"] is None
    lines = {label: next(line for line in access_report_markdown(report).splitlines() if "| %s |" % label in line) for label in rows}
    assert lines["vendor"].endswith("| keys held by the vendor at https://vendor.example.com/.well-known/jwks.json |")
    assert lines["ours"].endswith("| 400 days |")


def test_an_app_awaiting_its_vendor_key_says_so_and_its_sealed_key_is_never_flagged_old() -> None:
    awaiting = app("awaiting", key_ages=(400,))
    awaiting["public_keys"][0]["kid"] = "okta-m2m-no-private-key"
    report = access_report({"acme": {"apps": [awaiting, app("ours", key_ages=(400,))]}}, 365, 0, now=NOW)
    rows = {row["label"]: row for row in report["orgs"][0]["apps"]}
    assert rows["awaiting"]["awaiting_vendor_key"] and not rows["ours"]["awaiting_vendor_key"]
    assert rows["awaiting"]["oldest_active_key_days"] is None and "old_key" not in flags(rows["awaiting"])
    assert [key["kid"] for key in rows["awaiting"]["keys"]] == ["okta-m2m-no-private-key"]
    line = next(line for line in access_report_markdown(report).splitlines() if "| awaiting |" in line)
    assert line.endswith("| awaiting the vendor's key (sealed key okta-m2m-no-private-key only: nobody can sign) |")
