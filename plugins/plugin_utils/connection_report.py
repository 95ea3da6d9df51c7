# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a converge of the zluri_okta role did and what is left to do, from the results its tasks registered.

Every fact comes from this run's results, and the rotation's phase from the app's keys as Okta holds them, never from
a file an earlier run left. Standard library only: the role's filters import it in every worker that templates one.

Private to the collection (not a public API): it may change in any release.
"""

from __future__ import annotations

from typing import Any

ZLURI_FORM_FIELDS = ("Client ID", "Base URL", "Key ID", "Modulus", "Exponent")

# The phases of a connection, as the app's keys and this run's results tell them.
NOT_CREATED = "not created"
FIRST_HAND_OFF = "new values for Zluri"
CONVERGED = "converged"
ROTATION_STARTED = "rotation started"
ROTATION_FINISHED = "rotation finished"


class ConnectionReportError(ValueError):
    """Input that is not the role's registered results; the message says what is expected."""


def step_result(results: dict[str, Any], name: str) -> dict[str, Any]:
    """The result registered for one step, or {} when the step did not run."""
    value = results.get(name)
    return value if isinstance(value, dict) else {}


def run_changes(results: dict[str, Any]) -> list[str]:
    """The writes of this run (would-be writes in check mode), in the modules' own words, in task order."""
    changes: list[str] = []
    for name, result in results.items():
        if name != "handoff" and isinstance(result, dict) and result.get("changed"):
            changes += [str(change) for change in result.get("changes") or []]
    if step_result(results, "handoff").get("changed"):
        changes.append("new values for Zluri's form in the hand-off")
    return changes


def rotation_phase(results: dict[str, Any]) -> str:
    app = step_result(results, "app")
    if not app.get("client_id"):
        return NOT_CREATED
    active = [key for key in app.get("public_keys") or [] if key.get("status") == "ACTIVE"]
    if len(active) > 1:
        return ROTATION_STARTED
    if app.get("keys_retired"):
        return ROTATION_FINISHED
    if app.get("created") or app.get("keys_added") or step_result(results, "handoff").get("changed"):
        return FIRST_HAND_OFF
    return CONVERGED


def next_step(phase: str, settings: dict[str, Any], form: dict[str, Any], check_mode: bool) -> tuple[str, bool]:
    """What the person running the role must do now, and whether it is a manual step in Zluri."""
    where = settings.get("bundle_path") or "the job's artifacts"
    rerun = "ansible-playbook saasops.okta_m2m.site -i <inventory> -e zluri_okta_hosts=%s" % settings.get("host", "<org>")
    key_id = form.get("Key ID") or "(none yet)"
    if phase == NOT_CREATED:
        return ("Check mode: the app does not exist yet, so there is nothing to enter in Zluri. Run without --check, then "
                "connect Okta in Zluri with the values it hands off.", False)
    if phase == ROTATION_STARTED:
        return ("A key rotation is in progress: the app holds two ACTIVE keys. In Zluri, open the \"Okta (Machine to Machine)\" "
                "connection and enter the new Key ID %s, its Modulus, Exponent and private key (from %s); once Zluri uses it, "
                "finish the rotation: %s -e zluri_okta_rotation=finish" % (key_id, where, rerun), True)
    if phase == ROTATION_FINISHED:
        retired = ", ".join(str(kid) for kid in settings.get("keys_retired") or [])
        return ("Nothing to do in Zluri: it uses key %s; %s %s retired (INACTIVE in Okta, never registered again)."
                % (key_id, "key" if "," not in retired else "keys", retired or "the old key") if not check_mode else
                "Check mode: a real run retires the app's other keys and keeps key %s, which Zluri must use already." % key_id,
                False)
    if phase == FIRST_HAND_OFF:
        return ("In Zluri, open Integrations Catalog, connect \"Okta (Machine to Machine)\" with \"Connect it myself\" and enter "
                "Client ID %s, Base URL, Key ID %s, Modulus, Exponent and the private key (values in %s); Zluri has no API "
                "for this step." % (form.get("Client ID") or "(after the real run)", key_id, where), True)
    return ("Nothing to do in Zluri: nothing changed that Zluri must be told (key %s). If Okta is not connected in Zluri yet, "
            "enter the values in %s." % (key_id, where), False)


def connection_report(results: Any, settings: Any) -> dict[str, Any]:
    """The converge's summary (for set_stats: no secret), its lines (for the output) and its warnings.

    results: the registered results by step (key, app, role, resource_set, grants, roles, promoted, handoff);
    settings: the role's choices (org_url, host, tier, app_label, role_label, resource_set_label, standard_roles,
    scopes, require_dpop, bundle_path, key_max_age_days, check_mode).
    """
    if not isinstance(results, dict) or not isinstance(settings, dict):
        raise ConnectionReportError("expects the registered results by step and the role's settings, both dicts")
    key, app, handoff = step_result(results, "key"), step_result(results, "app"), step_result(results, "handoff")
    check_mode = bool(settings.get("check_mode"))
    handed = handoff.get("form") or {}
    form = {name: handed.get(name, "") for name in ZLURI_FORM_FIELDS}
    if not form["Key ID"]:
        form.update({"Key ID": key.get("kid", ""), "Modulus": key.get("n", ""), "Exponent": key.get("e", "")})
    form["Client ID"] = form["Client ID"] or app.get("client_id", "")
    form["Base URL"] = form["Base URL"] or settings.get("org_url", "")
    in_use = next((item for item in app.get("public_keys") or [] if item.get("kid") == form["Key ID"]), {})
    age = in_use.get("age_days")
    phase = rotation_phase(results)
    step, manual = next_step(phase, dict(settings, keys_retired=app.get("keys_retired")), form, check_mode)
    changes = run_changes(results)
    summary = {
        "org_url": form["Base URL"],
        "tier": settings.get("tier"),
        "app_label": settings.get("app_label"),
        "client_id": app.get("client_id", ""),
        "key_id": form["Key ID"],
        "key_fingerprint": key.get("fingerprint", ""),
        "key_age_days": age,
        "key_max_age_days": settings.get("key_max_age_days"),
        "dpop_required": bool(settings.get("require_dpop")),
        "custom_role_id": (step_result(results, "role").get("role") or {}).get("id", ""),
        "resource_set_id": (step_result(results, "resource_set").get("resource_set") or {}).get("id", ""),
        "scopes": list(settings.get("scopes") or []),
        "verified": bool((handoff.get("verification") or {}).get("ok")),
        "zluri_form": form,
        "bundle_path": settings.get("bundle_path") or "",
        "bundle_written": bool(handoff.get("bundle_written")) and not check_mode,
        "phase": phase,
        "changes": changes,
        "check_mode": check_mode,
        "manual_action_required": manual,
        "next_step": step,
    }
    warnings = key_age_warnings(form["Key ID"], age, settings)
    return {"summary": summary, "lines": summary_lines(summary, settings) + ["WARNING: " + warning for warning in warnings], "warnings": warnings}


def key_age_warnings(key_id: str, age: Any, settings: dict[str, Any]) -> list[str]:
    limit = int(settings.get("key_max_age_days") or 0)
    if not limit or age is None or int(age) <= limit:
        return []
    return ["The key %s of the app '%s' was registered %s days ago, more than zluri_okta_key_max_age_days (%d). Rotate it: "
            "ansible-playbook saasops.okta_m2m.site -i <inventory> -e zluri_okta_hosts=%s -e zluri_okta_rotation=start, enter "
            "the new values in Zluri, then run it again with -e zluri_okta_rotation=finish."
            % (key_id, settings.get("app_label"), age, limit, settings.get("host", "<org>"))]


def summary_lines(summary: dict[str, Any], settings: dict[str, Any]) -> list[str]:
    changes = summary["changes"]
    if changes:
        first = ("Would change: " if summary["check_mode"] else "Changed: ") + "; ".join(changes)
    else:
        first = "%s nothing: the org and the local files were already as the role leaves them." % (
            "Would change" if summary["check_mode"] else "Changed")
    age = summary["key_age_days"]
    limit = summary["key_max_age_days"]
    return [
        first,
        "Okta org %s: API Services app '%s' (client id %s)" % (summary["org_url"], summary["app_label"], summary["client_id"] or "not created: check mode"),
        "Custom role '%s' (%s tier) on resource set '%s', plus %s" % (
            settings.get("role_label"), summary["tier"], settings.get("resource_set_label"),
            ", ".join(settings.get("standard_roles") or []) or "no standard role"),
        "Scopes granted: %s" % " ".join(summary["scopes"]),
        "Key id %s; DPoP %s" % (summary["key_id"] or "none yet", "required" if summary["dpop_required"] else "off, as Zluri connects without DPoP"),
        "Key age: %s" % ("not registered yet: check mode" if age is None else "%s days (rotate after %s)" % (age, limit) if limit else "%s days" % age),
        "Credentials verified as Zluri will use them: %s" % ("yes" if summary["verified"] else "no"),
        "Hand-off: %s" % ("written to %s" % summary["bundle_path"] if summary["bundle_written"] else summary["bundle_path"] or "the job's artifacts"),
        "Next: " + summary["next_step"],
    ]


def teardown_changes(results: dict[str, Any]) -> list[str]:
    """What a teardown's steps removed, in their own words, and the local files its looped file step deleted."""
    changes = run_changes({name: result for name, result in results.items() if name != "files"})
    return changes + ["delete %s" % item.get("path") for item in step_result(results, "files").get("results") or [] if item.get("changed")]


def teardown_lines(results: Any, check_mode: bool) -> list[str]:
    """What a teardown removed (would remove, in check mode), and the step left in Zluri."""
    if not isinstance(results, dict):
        raise ConnectionReportError("expects the registered results by step, a dict")
    changes = teardown_changes(results)
    zluri = ("Disconnect Okta in Zluri first, if it is still connected: in Zluri, open Integrations, find the \"Okta (Machine to "
             "Machine)\" connection and disconnect it (Zluri has no API for this step); once the app is gone its syncs fail.")
    if check_mode:
        return [("Would remove: " + "; ".join(changes)) if changes else "Would remove nothing: the Zluri connection is not in this org.", zluri]
    done = ("Removed: " + "; ".join(changes)) if changes else "Removed nothing: the Zluri connection was not in this org."
    return [done, "In Zluri, disconnect the \"Okta (Machine to Machine)\" connection if it is still there: it can no longer sync."]
