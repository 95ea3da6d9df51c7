# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection's AWX credential types, validated and injected the way AWX does it.

validate(): the checks AWX makes when a custom credential type is saved (the inputs schema, env variable
names, and a render of every injector with each field set to EXAMPLE and undefined names an error), plus this
collection's rules: env injectors only, and no pair of variables the modules take as mutually exclusive.

inject_env(): what AWX's CredentialType.inject_credential puts into the job's environment for a credential
with the given inputs: a namespace of the inputs that are set (non-empty strings, booleans; unset booleans are
False), every env injector rendered in an immutable Jinja2 sandbox with the default Undefined, so a field
left empty yields an environment variable that is set to the empty string.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

KINDS = ("cloud", "net")  # the kinds AWX accepts for a custom credential type
FIELD_KEYS = {"id", "label", "type", "format", "choices", "help_text", "multiline", "secret", "ask_at_runtime", "default"}
NAME = re.compile(r"^[a-zA-Z_]+[a-zA-Z0-9_]*$")
# AWX refuses every ANSIBLE_* variable and the names of its own job environment; a subset of those here.
ENV_BLOCKLIST = {"PATH", "PYTHONPATH", "VIRTUAL_ENV", "JOB_ID", "INVENTORY_ID", "AD_HOC_COMMAND_ID", "REST_API_URL",
                 "REST_API_TOKEN", "AWX_HOST", "PROJECT_REVISION"}
# Options the modules take as mutually exclusive: an empty variable still counts as set, so one credential
# type must never inject both of a pair.
EXCLUSIVE_ENV = [("OKTA_API_TOKEN", "OKTA_CLIENT_ID"), ("OKTA_PRIVATE_KEY", "OKTA_PRIVATE_KEY_PATH")]


class CredentialTypeError(ValueError):
    pass


def load(path: str) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        ctype = yaml.safe_load(handle)
    validate(ctype, path)
    return ctype


def validate(ctype: Any, where: str = "credential type") -> None:
    def fail(msg: str) -> None:
        raise CredentialTypeError("%s: %s" % (where, msg))

    if not isinstance(ctype, dict) or set(ctype) != {"name", "description", "kind", "inputs", "injectors"}:
        fail("must be a mapping of exactly name, description, kind, inputs, injectors")
    if not isinstance(ctype["name"], str) or not ctype["name"] or not isinstance(ctype["description"], str):
        fail("name and description must be strings")
    if ctype["kind"] not in KINDS:
        fail("kind must be one of %s" % ", ".join(KINDS))
    inputs = ctype["inputs"]
    if not isinstance(inputs, dict) or not set(inputs) <= {"fields", "required"} or "dependencies" in inputs:
        fail("inputs may hold only fields and required")
    ids = []
    for field in inputs.get("fields", []):
        if not isinstance(field, dict) or not {"id", "label"} <= set(field) or not set(field) <= FIELD_KEYS:
            fail("field %r: needs id and label, and may hold only %s" % (field, ", ".join(sorted(FIELD_KEYS))))
        if not NAME.match(field["id"]) or field["id"] == "tower" or field["id"] in ids:
            fail("field id %r is invalid, reserved or repeated" % field["id"])
        # AWX stores a missing type as "string": spelling it out keeps awx.awx.credential_type idempotent
        if field.get("type") not in ("string", "boolean"):
            fail("field %s: type must be given, string or boolean" % field["id"])
        for key in ("choices", "multiline", "format", "secret"):
            if key in field and field["type"] != "string":
                fail("field %s: %s is only for strings" % (field["id"], key))
        if field.get("format") not in (None, "ssh_private_key", "url"):
            fail("field %s: unknown format" % field["id"])
        ids.append(field["id"])
    if not set(inputs.get("required", [])) <= set(ids):
        fail("required names a field that does not exist")
    injectors = ctype["injectors"]
    if not isinstance(injectors, dict) or set(injectors) != {"env"}:
        fail("injectors must be env only")
    example = {field_id: "EXAMPLE" for field_id in ids}
    strict = ImmutableSandboxedEnvironment(undefined=StrictUndefined)
    for var, template in injectors["env"].items():
        if not NAME.match(var) or var.startswith("ANSIBLE_") or var in ENV_BLOCKLIST:
            fail("env variable %s is not allowed in a credential" % var)
        if not isinstance(template, str) or not template.isascii():
            fail("env %s: the template must be an ASCII string" % var)
        try:
            strict.from_string(template).render(example)
        except Exception as exc:  # pylint: disable=broad-exception-caught
            fail("env %s uses an undefined field or bad syntax (%s)" % (var, exc))
    for pair in EXCLUSIVE_ENV:
        if set(pair) <= set(injectors["env"]):
            fail("injects both %s and %s, which the modules take as mutually exclusive" % pair)


def inject_env(ctype: dict[str, Any], inputs: dict[str, Any]) -> dict[str, str]:
    fields = {field["id"]: field for field in ctype["inputs"].get("fields", [])}
    unknown = set(inputs) - set(fields)
    if unknown:
        raise CredentialTypeError("%s has no field %s" % (ctype["name"], ", ".join(sorted(unknown))))
    missing = [name for name in ctype["inputs"].get("required", []) if inputs.get(name) in (None, "")]
    if missing:
        raise CredentialTypeError("%s needs %s" % (ctype["name"], ", ".join(missing)))
    namespace: dict[str, Any] = {}
    for name, value in inputs.items():
        if isinstance(value, bool) or len(value):
            namespace[name] = value
    for name, field in fields.items():
        if field["type"] == "boolean" and name not in inputs:
            namespace[name] = False
    sandbox = ImmutableSandboxedEnvironment()
    return {var: sandbox.from_string(template).render(**namespace) for var, template in ctype["injectors"]["env"].items()}


def secrets(ctype: dict[str, Any], inputs: dict[str, Any]) -> list[str]:
    """The values of the credential's secret fields."""
    return [inputs[field["id"]] for field in ctype["inputs"]["fields"] if field.get("secret") and inputs.get(field["id"])]
