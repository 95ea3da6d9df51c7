# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every vendor preset of the okta_service_connection role holds to Okta's own lists (scopes, role types, permissions,
resource types), names its source, and resolves; the Zluri presets ask what the collection's Zluri definition asks."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_permissions import normalize_permissions
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_scopes import KNOWN_OKTA_SCOPES
from ansible_collections.saasops.okta_m2m.plugins.module_utils.resource_sets import RESOURCE_TYPES
from ansible_collections.saasops.okta_m2m.plugins.module_utils.role_assignments import STANDARD_ROLE_TYPES
from ansible_collections.saasops.okta_m2m.plugins.module_utils.zluri_access import ZLURI_SCOPES, ZLURI_TIER_PERMISSIONS
from ansible_collections.saasops.okta_m2m.plugins.plugin_utils.service_connection import (
    FORM_VALUES,
    KEY_HOLDERS,
    ServiceConnectionError,
    resolve_preset,
)

ROLE = Path(__file__).resolve().parents[3] / "roles" / "okta_service_connection"
PRESETS: dict[str, dict[str, Any]] = yaml.safe_load((ROLE / "vars" / "main" / "presets.yml").read_text(encoding="utf-8"))[
    "__okta_service_connection_presets"]
NAMES = sorted(PRESETS)


def custom_roles(preset: dict[str, Any]) -> list[dict[str, Any]]:
    return [role for role in (preset.get("custom_role"), (preset.get("least_privilege") or {}).get("custom_role")) if role]


def test_the_listed_vendors_have_presets() -> None:
    assert NAMES == ["flexera_saas_manager", "vanta", "zilla", "zluri", "zluri_standard_roles"]


@pytest.mark.parametrize("name", NAMES)
def test_a_preset_names_its_source_and_when_it_was_read(name: str) -> None:
    preset = PRESETS[name]
    assert re.match(r"^https://[^/\s]+/\S+$", preset["source"]), preset["source"]
    assert date.fromisoformat(preset["source_read"]) <= date.today()
    assert preset["vendor"] and preset["app_label"] and preset["notes"]


@pytest.mark.parametrize("name", NAMES)
def test_scopes_are_okta_api_scopes(name: str) -> None:
    scopes = PRESETS[name]["app_scopes"]
    assert scopes and not set(scopes) - KNOWN_OKTA_SCOPES
    assert len(set(scopes)) == len(scopes)


@pytest.mark.parametrize("name", NAMES)
def test_roles_are_okta_role_types(name: str) -> None:
    preset = PRESETS[name]
    alternative = (preset.get("least_privilege") or {}).get("standard_roles") or []
    assert not set(preset["standard_roles"] + alternative) - set(STANDARD_ROLE_TYPES)
    assert "SUPER_ADMIN" not in alternative


@pytest.mark.parametrize("name", NAMES)
def test_custom_roles_hold_okta_permissions_on_okta_resources(name: str) -> None:
    for role in custom_roles(PRESETS[name]):
        for permissions in (role.get("tiers") or {"": role.get("permissions")}).values():
            _normalized, unknown = normalize_permissions(list(permissions))
            assert not unknown, unknown
        assert {resource["type"] for resource in role["resources"]} <= set(RESOURCE_TYPES)


@pytest.mark.parametrize("name", NAMES)
def test_a_preset_resolves_and_its_form_asks_for_values_the_role_knows(name: str) -> None:
    spec = resolve_preset(PRESETS, name, {}, allow_super_admin=True)
    assert spec["key_holder"] in KEY_HOLDERS
    assert all(item.get("value") in FORM_VALUES or "literal" in item for item in spec["form"])
    if spec["key_holder"] == "customer":
        assert [item for item in spec["form"] if item.get("value") == "private_key"]


@pytest.mark.parametrize("name", [name for name in NAMES if "SUPER_ADMIN" in PRESETS[name]["standard_roles"]])
def test_super_administrator_needs_a_yes_and_the_refusal_says_why_and_what_else(name: str) -> None:
    with pytest.raises(ServiceConnectionError) as refused:
        resolve_preset(PRESETS, name, {})
    message = str(refused.value)
    assert PRESETS[name]["source"] in message and "okta_service_connection_allow_super_admin: true" in message
    assert "Nothing was written" in message
    assert "okta_service_connection_standard_roles: ['READ_ONLY_ADMIN']" in message
    least_privilege = resolve_preset(PRESETS, name, {"standard_roles": ["READ_ONLY_ADMIN"]})
    assert least_privilege["standard_roles"] == ["READ_ONLY_ADMIN"]


@pytest.mark.parametrize("name", ["zluri", "zluri_standard_roles"])
def test_the_zluri_presets_ask_what_the_collections_zluri_definition_asks(name: str) -> None:
    preset = PRESETS[name]
    assert preset["app_scopes"] == list(ZLURI_SCOPES)
    assert [item["field"] for item in preset["form"]] == ["Client ID", "Base URL", "Key ID", "Modulus", "Exponent", "Private key"]


def test_the_zluri_preset_has_both_tiers_of_the_zluri_okta_role() -> None:
    tiers = PRESETS["zluri"]["custom_role"]["tiers"]
    assert {tier: tuple(permissions) for tier, permissions in tiers.items()} == ZLURI_TIER_PERMISSIONS
    defaults = yaml.safe_load((ROLE.parent / "zluri_okta" / "defaults" / "main.yml").read_text(encoding="utf-8"))
    assert PRESETS["zluri"]["custom_role"]["label"] == defaults["zluri_okta_role_label"]
    assert PRESETS["zluri"]["custom_role"]["resource_set_label"] == defaults["zluri_okta_resource_set_label"]
    assert PRESETS["zluri"]["standard_roles"] == defaults["zluri_okta_standard_roles"]


def test_every_preset_is_listed_in_the_role_readme_with_its_source() -> None:
    readme = (ROLE / "README.md").read_text(encoding="utf-8")
    for name in NAMES:
        assert "`%s`" % name in readme and PRESETS[name]["source"] in readme, name
