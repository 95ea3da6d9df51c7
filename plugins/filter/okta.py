# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters that let a playbook check Okta input before the first write (used by the zluri_okta role)."""

from __future__ import annotations

from typing import Any, Callable

from ansible.errors import AnsibleFilterError

from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_scopes import unknown_scopes


def okta_unknown_scopes(scopes: Any) -> list[str]:
    if not isinstance(scopes, (list, tuple)) or not all(isinstance(scope, str) for scope in scopes):
        raise AnsibleFilterError("okta_unknown_scopes expects a list of scope names")
    return unknown_scopes(scope.strip() for scope in scopes)


class FilterModule:
    def filters(self) -> dict[str, Callable[..., Any]]:
        return {"okta_unknown_scopes": okta_unknown_scopes}
