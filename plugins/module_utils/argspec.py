# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Argument specs that carry their constraints, and the ones the modules share.

The pattern of community.crypto's module_utils/argspec.py: options that belong together (the connection, the app a
module works on, the credentials of an app under test, state) travel with their mutually_exclusive, required_one_of
and required_if rules, so a module that takes them cannot forget a rule, and a rule is written once.

Private to the collection (not a public API): it may change in any release.
"""

from __future__ import annotations

import copy
from typing import Any, Sequence

from ansible.module_utils.basic import env_fallback

from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_auth import DPOP_MODES
from ansible_collections.saasops.okta_m2m.plugins.module_utils.zluri_access import ZLURI_SCOPES

CONSTRAINTS = ("mutually_exclusive", "required_together", "required_one_of", "required_if", "required_by")


class ArgumentSpec:
    """Options and the AnsibleModule constraints between them. merge() builds a new spec; shared specs stay as they are."""

    def __init__(self, argument_spec: dict[str, dict[str, Any]] | None = None, mutually_exclusive: Sequence[Sequence[str]] = (),
                 required_together: Sequence[Sequence[str]] = (), required_one_of: Sequence[Sequence[str]] = (),
                 required_if: Sequence[Sequence[Any]] = (), required_by: dict[str, Sequence[str]] | None = None) -> None:
        self.argument_spec: dict[str, dict[str, Any]] = dict(argument_spec or {})
        self.mutually_exclusive = list(mutually_exclusive)
        self.required_together = list(required_together)
        self.required_one_of = list(required_one_of)
        self.required_if = list(required_if)
        self.required_by: dict[str, Sequence[str]] = dict(required_by or {})

    def merge(self, *others: ArgumentSpec) -> ArgumentSpec:
        """A new spec with the options and constraints of this one and of others (a later option of the same name wins)."""
        merged = ArgumentSpec()
        for spec in (self,) + others:
            merged.argument_spec.update(copy.deepcopy(spec.argument_spec))
            merged.mutually_exclusive += spec.mutually_exclusive
            merged.required_together += spec.required_together
            merged.required_one_of += spec.required_one_of
            merged.required_if += spec.required_if
            merged.required_by.update(spec.required_by)
        return merged

    def module_kwargs(self) -> dict[str, Any]:
        """The AnsibleModule keyword arguments: argument_spec and the constraints that are set."""
        kwargs: dict[str, Any] = {"argument_spec": self.argument_spec}
        for name in CONSTRAINTS:
            if getattr(self, name):
                kwargs[name] = getattr(self, name)
        return kwargs


# Where the modules reach Okta and as whom (doc fragment saasops.okta_m2m.okta).
CONNECTION = ArgumentSpec(
    {
        "org_url": {"type": "str", "fallback": (env_fallback, ["OKTA_ORG_URL"])},
        "api_token": {"type": "str", "no_log": True, "fallback": (env_fallback, ["OKTA_API_TOKEN"])},
        "client_id": {"type": "str", "fallback": (env_fallback, ["OKTA_CLIENT_ID"])},
        "private_key": {"type": "str", "no_log": True, "fallback": (env_fallback, ["OKTA_PRIVATE_KEY"])},
        "private_key_path": {"type": "path", "fallback": (env_fallback, ["OKTA_PRIVATE_KEY_PATH"])},
        "key_id": {"type": "str", "fallback": (env_fallback, ["OKTA_PRIVATE_KEY_ID"])},
        "scopes": {"type": "list", "elements": "str", "fallback": (env_fallback, ["OKTA_SCOPES"])},
        "dpop": {"type": "str", "choices": list(DPOP_MODES), "default": "auto"},
        "dpop_nonce": {"type": "str"},
        "validate_certs": {"type": "bool", "default": True},
        "ca_path": {"type": "path"},
        "timeout": {"type": "float", "default": 30.0},
        "max_retries": {"type": "int", "default": 4},
        "max_retry_wait": {"type": "float", "default": 300.0},
        "max_api_capacity": {"type": "int", "default": 100},
        "option_names": {"type": "dict", "default": {}},
    },
    mutually_exclusive=[("api_token", "client_id"), ("private_key", "private_key_path")],
)

STATE = ArgumentSpec({"state": {"type": "str", "choices": ["present", "absent"], "default": "present"}})

# The options that name an app; a module that needs an app needs one of them, and a label excludes an id.
APP_REFERENCE_OPTIONS = ("app", "app_client_id", "app_id")
_APP_OPTIONS: dict[str, dict[str, Any]] = {"app": {"type": "str"}, "app_id": {"type": "str"}, "app_client_id": {"type": "str"}}
_APP_EXCLUSIVE = [("app", "app_client_id"), ("app", "app_id")]
APP_KEY_OPTIONS = ("app_key_path", "app_key_content")


def _requirement(options: Sequence[str], required: bool, required_when: Sequence[tuple[str, Any]]) -> dict[str, list[Any]]:
    """One of options: always (required), or when another option has a value (required_when: (option, value) pairs)."""
    return {"required_one_of": [tuple(options)] if required else [],
            "required_if": [(option, value, tuple(options), True) for option, value in required_when]}


def app_reference(required: bool = False, required_when: Sequence[tuple[str, Any]] = ()) -> ArgumentSpec:
    """The app a module works on (doc fragment saasops.okta_m2m.okta.app): by label, app id or client id.

    A verified reference is not read again, so it must carry both ids: the app id for /api/v1/apps paths, the client
    id for /oauth2/v1/clients paths (they differ for an app created with a custom client_id).
    """
    needed = _requirement(APP_REFERENCE_OPTIONS, required, required_when)
    return ArgumentSpec(
        dict(_APP_OPTIONS, app_client_id_verified={"type": "bool", "default": False}),
        mutually_exclusive=_APP_EXCLUSIVE,
        required_one_of=needed["required_one_of"],
        required_if=[("app_client_id_verified", True, ("app_id", "app_client_id"))] + needed["required_if"],
    )


def app_credentials(required: bool = False, required_when: Sequence[tuple[str, Any]] = (), key_optional: bool = False) -> ArgumentSpec:
    """The credentials of an M2M app under test (doc fragment saasops.okta_m2m.okta.app_credentials): the app and its key.

    required and required_when apply to both: a module that mints the app's token needs the app and its key; with
    key_optional only to the app (a module that checks without the key when it is not given, as for a key a vendor holds).
    """
    app = _requirement(APP_REFERENCE_OPTIONS, required, required_when)
    key = _requirement(APP_KEY_OPTIONS, required and not key_optional, () if key_optional else required_when)
    return ArgumentSpec(
        dict(
            _APP_OPTIONS,
            app_key_path={"type": "path"},
            app_key_content={"type": "str", "no_log": True},
            app_key_id={"type": "str"},
            check_scopes={"type": "list", "elements": "str", "default": list(ZLURI_SCOPES)},
        ),
        mutually_exclusive=_APP_EXCLUSIVE + [APP_KEY_OPTIONS],
        required_one_of=app["required_one_of"] + key["required_one_of"],
        required_if=app["required_if"] + key["required_if"],
    )
