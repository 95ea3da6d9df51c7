# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rules the zluri_okta role applies through filters, and the role's defaults against the one definition."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ansible.errors import AnsibleFilterError

from ansible_collections.saasops.okta_m2m.plugins.filter.okta import (
    okta_org_url_problem,
    okta_permissions_problem,
    okta_service_preset,
    zluri_resource_set_resources,
    zluri_tier_permissions,
)
from ansible_collections.saasops.okta_m2m.plugins.module_utils.zluri_access import ZLURI_SCOPES, ZLURI_TIER_PERMISSIONS

ROLE = Path(__file__).resolve().parents[4] / "roles" / "zluri_okta"


def role_yaml(name: str) -> dict:
    with open(ROLE / name, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def test_the_role_defaults_are_the_one_definition() -> None:
    defaults = role_yaml("defaults/main.yml")
    spec = role_yaml("meta/argument_specs.yml")["argument_specs"]["main"]["options"]
    assert defaults["zluri_okta_app_scopes"] == list(ZLURI_SCOPES)
    assert spec["zluri_okta_app_scopes"].get("default", list(ZLURI_SCOPES)) == list(ZLURI_SCOPES)
    assert "zluri_tier_permissions" in defaults["zluri_okta_permissions"]
    assert sorted(spec["zluri_okta_tier"]["choices"]) == sorted(ZLURI_TIER_PERMISSIONS)


def test_tier_permissions() -> None:
    assert zluri_tier_permissions("minimum") == ["okta.users.read", "okta.groups.read", "okta.iam.read", "okta.apps.read", "okta.directories.read"]
    assert len(zluri_tier_permissions("maximum")) == 10 and "okta.apps.manage" in zluri_tier_permissions("maximum")
    with pytest.raises(AnsibleFilterError, match="zluri_okta_tier: the tier must be one of maximum, minimum, not 'medium'"):
        zluri_tier_permissions("medium", "zluri_okta_tier")


def test_resources_all_or_named() -> None:
    assert zluri_resource_set_resources([], []) == [{"type": "all_groups"}, {"type": "all_users"}, {"type": "all_apps"}, {"type": "iam"}]
    assert zluri_resource_set_resources(["Eng"], ["Fin"], False, False) == [{"type": "group", "name": "Eng"}, {"type": "group_users", "name": "Fin"}]
    with pytest.raises(AnsibleFilterError):
        zluri_resource_set_resources("Eng", [])


@pytest.mark.parametrize("url, fragment", [
    ("https://acme-admin.okta.com", "-admin"),
    ("http://acme.okta.com", "https"),
    ("https://acme.okta.com/oauth2/default", "without a path"),
])
def test_org_url_problems_name_the_option(url: str, fragment: str) -> None:
    problem = okta_org_url_problem(url, "zluri_okta_org_url")
    assert problem.startswith("zluri_okta_org_url") and fragment in problem


def test_good_or_empty_org_urls_have_no_problem() -> None:
    assert okta_org_url_problem("") == "" and okta_org_url_problem("https://acme.okta.com/") == ""


@pytest.mark.parametrize("permissions, fragment", [
    ([], "non-empty"),
    (["users.read"], "users.read"),
    (["okta.users.read", "okta.users.read"], "twice"),
])
def test_permission_problems_name_the_option(permissions: list, fragment: str) -> None:
    problem = okta_permissions_problem(permissions, "zluri_okta_permissions")
    assert problem.startswith("zluri_okta_permissions") and fragment in problem


def test_good_permissions_have_no_problem() -> None:
    assert okta_permissions_problem(list(ZLURI_TIER_PERMISSIONS["maximum"])) == ""


def test_the_filters_import_no_third_party_library() -> None:
    """Ansible imports every filter file of the collection in each worker that uses one of its filters (the role's
    argument validation does, for every org): requests, cryptography or PyJWT there would cost every org a tenth of a
    second of CPU before anything is done."""
    probe = (
        "import sys; import ansible_collections.saasops.okta_m2m.plugins.filter.okta; "
        "print(' '.join(name for name in ('requests', 'jwt', 'cryptography.hazmat.primitives.asymmetric.rsa') if name in sys.modules))"
    )
    environment = dict(os.environ, PYTHONPATH=os.pathsep.join(path for path in sys.path if path))
    loaded = subprocess.run([sys.executable, "-c", probe], env=environment, capture_output=True, text=True, check=True).stdout.split()
    assert loaded == []


@pytest.mark.parametrize("allow", [False, "false", "no"])
def test_super_administrator_stays_refused_when_the_command_line_says_false(allow: object) -> None:
    presets = {"vendor": {"vendor": "Vendor", "app_label": "Vendor", "app_scopes": ["okta.users.read"], "standard_roles": ["SUPER_ADMIN"],
                          "key_holder": "customer", "form": [{"field": "Client ID", "value": "client_id"}]}}
    with pytest.raises(AnsibleFilterError, match="asks for the Super Administrator role"):
        okta_service_preset(presets, "vendor", {}, allow)
    assert okta_service_preset(presets, "vendor", {}, "true")["standard_roles"] == ["SUPER_ADMIN"]
