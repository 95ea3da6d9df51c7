# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Drift, one line per difference, read from what the collection's modules say in check mode.

The modules decide what differs from the desired state (their diff and would-be changes); this only words it,
so the rules of the desired state stay where they are (the role's variables, module_utils/zluri_access.py and the
modules).

Private to the collection (not a public API): it may change in any release.
"""

from __future__ import annotations

import json
from typing import Any, Hashable

# What one item of a module's diff list is, by the list's name (reconcile.Member.name of each kind).
MEMBER_NOUNS = {"permissions": "permission", "resources": "resource", "scopes": "scope grant", "roles": "admin role", "jwks": "key"}


class DriftInputError(ValueError):
    """Input that is not a list of checks; the message says what is expected."""


def _identity(item: Any) -> Hashable:
    # A key's view carries its Okta id only once registered: the kid names it on both sides of a diff.
    if isinstance(item, dict) and item.get("kid"):
        return ("kid", item["kid"])
    return json.dumps(item, sort_keys=True, default=str)


def _named(object_id: Any, names: dict[str, str]) -> str:
    label = names.get(str(object_id))
    return "'%s'" % label if label else str(object_id)


def _describe(item: Any, names: dict[str, str]) -> str:
    if isinstance(item, dict):
        if "role" in item and "resource_set" in item:
            return "custom role %s on resource set %s" % (_named(item["role"], names), _named(item["resource_set"], names))
        if "permission" in item:
            return "%s with conditions %s" % (item["permission"], json.dumps(item.get("conditions"), sort_keys=True))
        if item.get("kid"):
            return "%s (%s)" % (item["kid"], item.get("status", "ACTIVE"))
        return json.dumps(item, sort_keys=True, default=str)
    return str(item)


def _list_drift(title: str, field: str, before: list[Any], after: list[Any], names: dict[str, str]) -> list[str]:
    noun = MEMBER_NOUNS.get(field, field)
    before_by_id = {_identity(item): item for item in before}
    after_by_id = {_identity(item): item for item in after}
    lines = ["%s has extra %s %s" % (title, noun, _describe(item, names)) for key, item in before_by_id.items() if key not in after_by_id]
    lines += ["%s is missing %s %s" % (title, noun, _describe(item, names)) for key, item in after_by_id.items() if key not in before_by_id]
    for key, wanted in after_by_id.items():
        held = before_by_id.get(key)
        if isinstance(held, dict) and isinstance(wanted, dict) and held.get("status") != wanted.get("status", held.get("status")):
            lines.append("%s has %s %s %s, the desired state is %s" % (title, noun, wanted.get("kid"), held.get("status"), wanted.get("status")))
    return lines


def _result_drift(title: str, result: dict[str, Any], names: dict[str, str]) -> list[str]:
    if result.get("skipped"):
        return []
    # A credential check's problems, one line each (okta_m2m_check's report, zluri_connection's verification).
    problems = (result.get("report") or result.get("verification") or {}).get("problems")
    if problems:
        return ["%s: %s" % (title, problem) for problem in problems]
    if result.get("failed"):
        return ["%s: %s" % (title, result.get("msg") or "the check failed")]
    if not result.get("changed"):
        return []
    diff = result.get("diff") or {}
    before, after = diff.get("before") or {}, diff.get("after") or {}
    if after and not before:
        return ["%s does not exist" % title]
    lines: list[str] = []
    for field in list(after) + [name for name in before if name not in after]:
        held, wanted = before.get(field), after.get(field)
        if isinstance(held, list) or isinstance(wanted, list):
            lines += _list_drift(title, field, held or [], wanted or [], names)
        elif held != wanted:
            lines.append("%s has %s %s, the desired state is %s" % (title, field, json.dumps(held), json.dumps(wanted)))
    # A change the diff does not show (a local key to generate, say) is still a difference.
    return lines or ["%s: would %s" % (title, change) for change in result.get("changes") or ["change"]]


def drift_lines(checks: Any, names: Any = None) -> list[str]:
    """One line per difference over checks, a list of {"title", "result"} where result is a registered module result
    (check mode and diff on); names maps Okta ids to labels for the lines."""
    if not isinstance(checks, (list, tuple)) or not all(isinstance(check, dict) and "title" in check for check in checks):
        raise DriftInputError("okta_drift expects a list of {title, result} dicts")
    labels = {str(key): str(value) for key, value in (names or {}).items()}
    lines: list[str] = []
    for check in checks:
        lines += _result_drift(str(check["title"]), check.get("result") or {"skipped": True}, labels)
    return lines
