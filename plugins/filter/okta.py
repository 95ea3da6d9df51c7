# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters that let a playbook apply the collection's own rules before the first write (used by the zluri_okta
role): the same Python the modules apply, so a rule is written once. Also the wording of drift for the role's
health check and the access report of playbooks/audit.yml, in Python rather than Jinja loops."""

from __future__ import annotations

from typing import Any, Callable

from ansible.errors import AnsibleFilterError

from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_config import OktaConfigError, validate_org_url
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_permissions import normalize_permissions
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_scopes import unknown_scopes
from ansible_collections.saasops.okta_m2m.plugins.module_utils.zluri_access import resource_set_resources, tier_permissions
from ansible_collections.saasops.okta_m2m.plugins.plugin_utils.access_report import (
    KEY_MAX_AGE_DAYS,
    AccessReportError,
    access_report,
    access_report_markdown,
)
from ansible_collections.saasops.okta_m2m.plugins.plugin_utils.connection_report import ConnectionReportError, connection_report, teardown_lines
from ansible_collections.saasops.okta_m2m.plugins.plugin_utils.drift import DriftInputError, drift_lines
from ansible_collections.saasops.okta_m2m.plugins.plugin_utils.service_connection import (
    ServiceConnectionError,
    as_bool,
    resolve_preset,
    service_report,
    service_teardown_lines,
)


def _string_list(value: Any, name: str) -> list[str]:
    if not isinstance(value, (list, tuple)) or not all(isinstance(item, str) for item in value):
        raise AnsibleFilterError("%s expects a list of strings" % name)
    return list(value)


def okta_unknown_scopes(scopes: Any) -> list[str]:
    return unknown_scopes(scope.strip() for scope in _string_list(scopes, "okta_unknown_scopes"))


def okta_org_url_problem(org_url: Any, option: str = "org_url") -> str:
    """Why org_url is not an Okta org URL, or "" when it is one (or empty: then the environment gives it)."""
    if not org_url:
        return ""
    try:
        validate_org_url(str(org_url), option)
    except OktaConfigError as error:
        return str(error)
    return ""


def okta_permissions_problem(permissions: Any, option: str = "permissions") -> str:
    """Why a custom role's permissions would be refused, or "" when okta_admin_role takes them."""
    if not isinstance(permissions, (list, tuple)) or not permissions:
        return "%s must be a non-empty list of permissions such as okta.users.read" % option
    try:
        normalize_permissions(list(permissions))
    except OktaConfigError as error:
        return "%s: %s" % (option, error)
    return ""


def zluri_tier_permissions(tier: Any, option: str = "tier") -> list[str]:
    try:
        return tier_permissions(str(tier))
    except OktaConfigError as error:
        raise AnsibleFilterError("%s: %s" % (option, error)) from None


def zluri_resource_set_resources(groups: Any, user_groups: Any, include_apps: bool = True, include_iam: bool = True) -> list[dict[str, Any]]:
    return resource_set_resources(_string_list(groups, "zluri_resource_set_resources"), _string_list(user_groups, "zluri_resource_set_resources"),
                                  bool(include_apps), bool(include_iam))


def okta_drift(checks: Any, names: Any = None) -> list[str]:
    try:
        return drift_lines(checks, names)
    except DriftInputError as error:
        raise AnsibleFilterError(str(error)) from None


def okta_access_report(orgs: Any, key_max_age_days: Any = KEY_MAX_AGE_DAYS, idle_days: Any = 0) -> dict[str, Any]:
    try:
        return access_report(orgs, key_max_age_days, idle_days)
    except AccessReportError as error:
        raise AnsibleFilterError("okta_access_report: %s" % error) from None


def okta_access_report_markdown(report: Any) -> str:
    try:
        return access_report_markdown(report)
    except AccessReportError as error:
        raise AnsibleFilterError("okta_access_report_markdown: %s" % error) from None


def zluri_okta_report(results: Any, settings: Any) -> dict[str, Any]:
    try:
        return connection_report(results, settings)
    except ConnectionReportError as error:
        raise AnsibleFilterError("zluri_okta_report: %s" % error) from None


def zluri_okta_teardown_report(results: Any, check_mode: Any = False) -> list[str]:
    try:
        return teardown_lines(results, bool(check_mode))
    except ConnectionReportError as error:
        raise AnsibleFilterError("zluri_okta_teardown_report: %s" % error) from None


def okta_service_preset(presets: Any, name: Any, overrides: Any, allow_super_admin: Any = False, tier: Any = "minimum") -> dict[str, Any]:
    try:
        return resolve_preset(presets, name, overrides, as_bool(allow_super_admin, "okta_service_connection_allow_super_admin"), str(tier))
    except ServiceConnectionError as error:
        raise AnsibleFilterError(str(error)) from None


def okta_service_report(results: Any, spec: Any, settings: Any) -> dict[str, Any]:
    try:
        return service_report(results, spec, settings)
    except ServiceConnectionError as error:
        raise AnsibleFilterError("okta_service_report: %s" % error) from None


def okta_service_teardown_report(results: Any, vendor: Any, check_mode: Any = False) -> list[str]:
    try:
        return service_teardown_lines(results, str(vendor), bool(check_mode))
    except ServiceConnectionError as error:
        raise AnsibleFilterError("okta_service_teardown_report: %s" % error) from None


class FilterModule:
    def filters(self) -> dict[str, Callable[..., Any]]:
        return {
            "okta_unknown_scopes": okta_unknown_scopes,
            "okta_org_url_problem": okta_org_url_problem,
            "okta_permissions_problem": okta_permissions_problem,
            "zluri_tier_permissions": zluri_tier_permissions,
            "zluri_resource_set_resources": zluri_resource_set_resources,
            "okta_drift": okta_drift,
            "okta_access_report": okta_access_report,
            "okta_access_report_markdown": okta_access_report_markdown,
            "zluri_okta_report": zluri_okta_report,
            "zluri_okta_teardown_report": zluri_okta_teardown_report,
            "okta_service_preset": okta_service_preset,
            "okta_service_report": okta_service_report,
            "okta_service_teardown_report": okta_service_teardown_report,
        }
