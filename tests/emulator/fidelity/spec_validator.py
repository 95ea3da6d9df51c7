# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Validate recorded Okta exchanges against the official OpenAPI specs with openapi-core.

For every recorded exchange (see ``okta_emulator/traffic.py``):

* the request: the operation exists (path and method), security, path/query/header parameters, no query
  parameter the operation does not declare, the body against the request schema (JSON or form-encoded), and no
  body member the schema does not name;
* the response (what the emulator answered): the status is declared by the operation, the body matches that
  status's schema, declared headers are well-formed.

Schemas that use discriminator inheritance (``Application`` by ``signOnMode``, ``TokenRequestOrgAs`` by
``grant_type``) are also checked against the mapped subtype: openapi-schema-validator only applies a
discriminator inside ``oneOf``/``anyOf``/``allOf``, which would leave an app's ``credentials`` and ``settings``
unchecked.

Every finding is a failure unless one entry of ``allowlist.yaml`` (known spec defects, each with its evidence)
covers it. Request findings are enforced for the clients named by ``enforce_clients`` (a ``User-Agent`` regular
expression: the collection's client by default); requests of other clients (test scaffolding probing errors) are
reported but not enforced. Responses are always enforced, except those produced by an injected fault.
"""
from __future__ import annotations

import collections
import dataclasses
import json
import re
import threading
import urllib.parse
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml

from .specs import Operation, Specs

ALLOWLIST_PATH = Path(__file__).with_name("allowlist.yaml")
COLLECTION_CLIENT = r"^saasops\.okta_m2m/"
JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
# Form members that belong to the client-authentication scheme (SPEC-OAUTH securitySchemes), not to the body schema.
CLIENT_AUTH_FIELDS = ("client_assertion", "client_assertion_type", "client_id", "client_secret")

_discriminating = threading.local()


def _inherit_discriminator(validator: Any, discriminator: Any, instance: Any, schema: Any) -> Iterator[Any]:
    """``discriminator`` on a base schema without ``oneOf``/``anyOf``/``allOf``: also validate the mapped subtype."""
    if any(keyword in schema for keyword in ("oneOf", "anyOf", "allOf")) or not validator.is_type(instance, "object"):
        return
    value = instance.get(discriminator.get("propertyName"))
    ref = (discriminator.get("mapping") or {}).get(value) if isinstance(value, str) else None
    if ref is None:
        return  # a value the mapping does not know: the base schema is all the spec says
    active = _discriminating.__dict__.setdefault("active", set())
    key = (id(instance), ref)
    if key in active:
        return  # already inside that subtype (it extends this base through allOf)
    active.add(key)
    try:
        yield from validator.descend(instance, {"$ref": ref})
    finally:
        active.discard(key)


def _form_validator_class() -> Any:
    from jsonschema.validators import extend  # pylint: disable=import-outside-toplevel
    from openapi_schema_validator import OAS30WriteValidator  # pylint: disable=import-outside-toplevel

    return extend(OAS30WriteValidator, {"discriminator": _inherit_discriminator})


def _registry(name: str, document: dict[str, Any]) -> Any:
    """A referencing registry holding one spec as ``urn:okta:<name>`` (for schemas validated outside openapi-core)."""
    from referencing import Registry, Resource  # pylint: disable=import-outside-toplevel
    from referencing.jsonschema import DRAFT4  # pylint: disable=import-outside-toplevel

    return Registry().with_resource("urn:okta:" + name, Resource.from_contents(document, default_specification=DRAFT4))


def undeclared_members(specs: Specs, spec: str, schema: dict[str, Any], instance: Any, path: str = "$", depth: int = 0) -> list[str]:
    """Object members that no (sub)schema names, where no ``additionalProperties`` allows them.

    Composition-aware, unlike a per-schema ``additionalProperties: false``: ``allOf``/``oneOf``/``anyOf`` branches and
    discriminator-mapped subtypes all contribute the names they declare (a name declared in any branch counts).
    """
    if depth > 40:
        return []
    properties: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
    additional: list[Any] = []
    items: list[dict[str, Any]] = []
    seen: set[int] = set()

    def collect(node: dict[str, Any]) -> None:
        node = specs.resolve(spec, node)
        if id(node) in seen:
            return
        seen.add(id(node))
        for name, value in (node.get("properties") or {}).items():
            properties[name].append(value)
        if "additionalProperties" in node and node["additionalProperties"] is not False:
            additional.append(node["additionalProperties"])
        if "items" in node:
            items.append(node["items"])
        for keyword in ("allOf", "oneOf", "anyOf"):
            for branch in node.get(keyword) or []:
                collect(branch)
        discriminator = node.get("discriminator") or {}
        if isinstance(instance, dict) and discriminator.get("propertyName") in instance:
            mapped = (discriminator.get("mapping") or {}).get(instance[discriminator["propertyName"]])
            if isinstance(mapped, str):
                collect({"$ref": mapped})

    collect(schema)
    found: list[str] = []
    if isinstance(instance, dict):
        for name, value in instance.items():
            member_path = "%s.%s" % (path, name)
            if name in properties:
                nested = [undeclared_members(specs, spec, sub, value, member_path, depth + 1) for sub in properties[name]]
                found.extend(sorted(set.intersection(*(set(item) for item in nested))))
            elif additional:
                if all(isinstance(item, dict) and item for item in additional):
                    found.extend(undeclared_members(specs, spec, additional[0], value, member_path, depth + 1))
            elif properties:  # a schema that names no member at all is a free-form object
                found.append(member_path)
    elif isinstance(instance, list) and items:
        for index, value in enumerate(instance):
            found.extend(undeclared_members(specs, spec, items[0], value, "%s[%d]" % (path, index), depth + 1))
    return found


def _schema_validators_factories() -> tuple[Any, Any]:
    from jsonschema.validators import extend  # pylint: disable=import-outside-toplevel
    from openapi_core.validation.schemas.factories import SchemaValidatorsFactory  # pylint: disable=import-outside-toplevel
    from openapi_schema_validator import OAS30ReadValidator, OAS30WriteValidator  # pylint: disable=import-outside-toplevel

    write = extend(OAS30WriteValidator, {"discriminator": _inherit_discriminator})
    read = extend(OAS30ReadValidator, {"discriminator": _inherit_discriminator})
    return SchemaValidatorsFactory(write), SchemaValidatorsFactory(read)


@dataclasses.dataclass
class Finding:
    """One way an exchange departs from the spec."""

    where: str  # request | response
    kind: str
    message: str
    operation: str  # METHOD /template (or METHOD /path when not in the spec)
    status: int
    source: str = ""  # file:line
    label: str = ""  # the integration target / scenario that produced it
    client: str = ""  # the request's User-Agent
    json_path: str = ""
    keyword: str = ""
    enforced: bool = True
    allowed_by: str | None = None

    def group_key(self) -> tuple[str, ...]:
        """Findings that differ only in list indexes, ids or the exchange are reported once."""
        return (self.operation, self.where, str(self.status), self.kind, self.keyword, re.sub(r"\[\d+\]", "[*]", self.json_path),
                re.sub(r"\b[0-9a-zA-Z]{20}\b", "<id>", self.message[:120]), str(self.enforced), self.allowed_by or "")

    def line(self) -> str:
        """One report line."""
        where = "%s %s" % (self.where, self.status) if self.where == "response" else self.where
        location = " at %s" % self.json_path if self.json_path else ""
        return "%s [%s] %s%s: %s  (%s%s; client %s)" % (
            self.operation, where, self.kind, location, self.message, self.source,
            ", " + self.label if self.label else "", self.client or "-")


@dataclasses.dataclass
class AllowEntry:
    """A known spec defect (allowlist.yaml)."""

    id: str
    operation: str | list[str]  # "METHOD /template", a list of them, or "*"
    where: str | list[str]  # request, response or both
    kind: str
    why: str
    evidence: list[Any]
    status: int | list[int] | None = None
    validate_as: int | None = None
    keyword: str | None = None
    path: str | None = None
    message: str | None = None
    check: str | None = None

    def statuses(self) -> list[int]:
        """The statuses an entry names."""
        return [] if self.status is None else [self.status] if isinstance(self.status, int) else list(self.status)

    def covers(self, finding: Finding) -> bool:
        """Whether this entry exempts the finding."""
        operations = [self.operation] if isinstance(self.operation, str) else self.operation
        wheres = [self.where] if isinstance(self.where, str) else self.where
        if not ("*" in operations or finding.operation in operations) or finding.where not in wheres or self.kind != finding.kind:
            return False
        if self.status is not None and finding.status not in self.statuses():
            return False
        if self.keyword is not None and self.keyword != finding.keyword:
            return False
        if self.path is not None and not re.fullmatch(self.path, finding.json_path):
            return False
        return self.message is None or re.search(self.message, finding.message) is not None


class AllowList:
    """The one allow-list of spec defects; nothing else is exempt."""

    REQUIRED = ("id", "operation", "where", "kind", "why", "evidence")

    def __init__(self, entries: list[AllowEntry]) -> None:
        self.entries = entries
        self.used: collections.Counter[str] = collections.Counter()

    @classmethod
    def load(cls, path: Path = ALLOWLIST_PATH) -> AllowList:
        """Read and check allowlist.yaml (every entry needs its evidence)."""
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        entries = []
        for item in raw:
            missing = [name for name in cls.REQUIRED if not item.get(name)]
            if missing:
                raise ValueError("allow-list entry %s lacks %s" % (item.get("id", "?"), ", ".join(missing)))
            entries.append(AllowEntry(**item))
        ids = [entry.id for entry in entries]
        if len(set(ids)) != len(ids):
            raise ValueError("duplicate allow-list ids")
        return cls(entries)

    def find(self, finding: Finding) -> AllowEntry | None:
        """The entry that covers a finding (and count its use)."""
        for entry in self.entries:
            if entry.covers(finding):
                self.used[entry.id] += 1
                return entry
        return None

    def status_substitute(self, operation: str, status: int) -> AllowEntry | None:
        """An entry that lets an undeclared success status be validated as the declared one."""
        for entry in self.entries:
            operations = [entry.operation] if isinstance(entry.operation, str) else entry.operation
            if entry.kind == "status-not-declared" and ("*" in operations or operation in operations) and status in entry.statuses() \
                    and entry.validate_as:
                return entry
        return None


class _Request:
    """openapi-core's Request protocol over a recorded exchange."""

    def __init__(self, method: str, path: str, query: str, headers: list[list[str]], content_type: str, body: bytes | None) -> None:
        from openapi_core.datatypes import RequestParameters  # pylint: disable=import-outside-toplevel
        from werkzeug.datastructures import Headers, ImmutableMultiDict  # pylint: disable=import-outside-toplevel

        self.host_url = Specs.HOST_URL
        self.path = path
        self.method = method.lower()
        self.parameters = RequestParameters(query=ImmutableMultiDict(urllib.parse.parse_qsl(query, keep_blank_values=True)),
                                            header=Headers([tuple(item) for item in headers]), cookie=ImmutableMultiDict(), path={})
        self.content_type = content_type
        self.body = body

    @property
    def full_url_pattern(self) -> str:
        """Not used for matching (openapi-core finds the path itself)."""
        return self.host_url + self.path


class _Response:
    """openapi-core's Response protocol over a recorded answer."""

    def __init__(self, status: int, headers: list[list[str]], body: Any) -> None:
        from werkzeug.datastructures import Headers  # pylint: disable=import-outside-toplevel

        self.status_code = status
        self.headers = Headers([tuple(item) for item in headers])
        self.content_type = (self.headers.get("Content-Type") or "application/json").lower()
        self.data = None if body is None else json.dumps(body).encode("utf-8")


def _header(headers: list[list[str]], name: str) -> str:
    lowered = name.lower()
    return next((value for key, value in headers if key.lower() == lowered), "")


def _schema_errors(error: BaseException) -> list[Any]:
    """The jsonschema errors under an openapi-core validation error (if any)."""
    cause = error.__cause__ or error.__context__
    errors = list(getattr(cause, "schema_errors", None) or getattr(error, "schema_errors", None) or [])
    return errors


def _short(schema_error: Any) -> str:
    """A jsonschema message without a long repr of the offending value."""
    message = str(schema_error.message)
    instance = repr(schema_error.instance)
    if len(instance) > 60 and instance in message:
        message = message.replace(instance, "<%s>" % type(schema_error.instance).__name__)
    return message if len(message) <= 300 else message[:300] + "..."


def _describe(schema_error: Any) -> tuple[str, str, str]:
    """(json path, keyword, message) of a jsonschema error; oneOf/anyOf failures name their deepest sub-errors."""
    path = "$" + "".join("[%d]" % part if isinstance(part, int) else ".%s" % part for part in schema_error.absolute_path)
    message = _short(schema_error)
    if schema_error.context:
        deepest = sorted(schema_error.context, key=lambda item: -len(list(item.absolute_path)))[:3]
        message += " [sub-schema errors: %s]" % "; ".join(
            "%s at $%s" % (_short(item), "".join("[%d]" % part if isinstance(part, int) else ".%s" % part for part in item.absolute_path))
            for item in deepest)
    return path, str(schema_error.validator), message


class SpecValidator:
    """Loads both specs once; validates exchanges; collects findings."""

    def __init__(self, specs: Specs | None = None, allowlist: AllowList | None = None,
                 enforce_clients: str = COLLECTION_CLIENT) -> None:
        from openapi_core.validation.request.validators import (  # pylint: disable=import-outside-toplevel
            V30RequestParametersValidator, V30RequestSecurityValidator, V30RequestValidator)
        from openapi_core.validation.response.validators import V30ResponseValidator  # pylint: disable=import-outside-toplevel
        from jsonschema_path import SchemaPath  # pylint: disable=import-outside-toplevel

        self.specs = specs or Specs()
        self.allowlist = allowlist or AllowList.load()
        self.enforce_clients = re.compile(enforce_clients)
        write, read = _schema_validators_factories()
        self._validators: dict[str, dict[str, Any]] = {}
        for name, document in self.specs.documents.items():
            spec = SchemaPath.from_dict(document)
            options = {"schema_validators_factory": write, "path_finder_cls": self.specs.path_finder_class(name)}
            self._validators[name] = {
                "request": V30RequestValidator(spec, **options),
                "parameters": V30RequestParametersValidator(spec, **options),
                "security": V30RequestSecurityValidator(spec, **options),
                "response": V30ResponseValidator(spec, **{**options, "schema_validators_factory": read}),
            }
        self._form_validator_cls = _form_validator_class()
        self._registries = {name: _registry(name, document) for name, document in self.specs.documents.items()}
        self.findings: list[Finding] = []
        self.exchanges = 0
        self.skipped: collections.Counter[str] = collections.Counter()
        self.operations: collections.Counter[str] = collections.Counter()
        self.collection_operations: collections.Counter[str] = collections.Counter()

    # Reading traffic.

    def validate_paths(self, paths: Iterable[Path]) -> None:
        """Every ``*.jsonl`` file under the given files or directories."""
        files: list[Path] = []
        for path in paths:
            if path.is_dir():
                files.extend(sorted(path.rglob("*.jsonl")))
            elif path.is_file():
                files.append(path)
            else:
                self.skipped["path not found: %s" % path] += 1
        for file in files:
            self.validate_file(file)

    def validate_file(self, file: Path) -> None:
        """One traffic file."""
        label = ""
        with file.open(encoding="utf-8") as stream:
            for number, line in enumerate(stream, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except ValueError:
                    self.skipped["unreadable line (an emulator stopped mid-write)"] += 1
                    continue
                if record.get("kind") == "start":
                    label = record.get("label") or ""
                elif record.get("kind") == "exchange":
                    self.validate_exchange(record, "%s:%d" % (file.name, number), label)

    # One exchange.

    def validate_exchange(self, record: dict[str, Any], source: str = "", label: str = "") -> list[Finding]:
        """Validate one recorded exchange; its findings (also kept in ``self.findings``)."""
        self.exchanges += 1
        method, path, status = record["method"], record["path"], int(record["status"])
        client = _header(record["request_headers"], "User-Agent")
        enforced = bool(self.enforce_clients.search(client))
        operation, template = self.specs.operation(method, path)
        context = {"status": status, "source": source, "label": label, "client": client}
        found: list[Finding] = []
        if operation is None:
            kind = "method-not-in-spec" if template else "path-not-in-spec"
            where = "%s %s" % (method, template or path)
            found.append(Finding("request", kind, "the spec has no such operation", where, enforced=enforced, **context))
            self.skipped["not in the spec"] += 1
            return self._keep(found)
        self.operations[operation.key] += 1
        if enforced:
            self.collection_operations[operation.key] += 1
        request = self._request(record, operation, found, context, enforced)
        if record.get("fault"):
            self.skipped["injected fault: %s" % record["fault"]] += 1
        elif status == 0:
            self.skipped["connection dropped"] += 1
        else:
            self._check_response(record, operation, request, found, context)
        return self._keep(found)

    def _keep(self, found: list[Finding]) -> list[Finding]:
        for finding in found:
            entry = self.allowlist.find(finding)
            finding.allowed_by = entry.id if entry else None
        self.findings.extend(found)
        return found

    def _request(self, record: dict[str, Any], operation: Operation, found: list[Finding], context: dict[str, Any],
                 enforced: bool) -> _Request:
        headers = record["request_headers"]
        content_type = _header(headers, "Content-Type").lower()
        body_record = record.get("request_body") or {}
        body: bytes | None = None
        form_fields: list[tuple[str, str]] | None = None
        if "json" in body_record:
            body = json.dumps(body_record["json"]).encode("utf-8")
        elif "form" in body_record:
            form_fields = urllib.parse.parse_qsl(body_record["form"], keep_blank_values=True)
            body = body_record["form"].encode("utf-8")
        elif "text" in body_record:
            body = body_record["text"].encode("utf-8")
        request = _Request(record["method"], record["path"], record.get("query") or "", headers, content_type, body)
        validators = self._validators[operation.spec]

        def add(kind: str, message: str, json_path: str = "", keyword: str = "") -> None:
            found.append(Finding("request", kind, message, operation.key, json_path=json_path, keyword=keyword, enforced=enforced, **context))

        security_probe = Finding("request", "security", "", operation.key, enforced=enforced, **context)
        postbody = next((entry for entry in self.allowlist.entries if entry.check == "client-auth-form" and entry.covers(security_probe)), None)
        if form_fields is not None:
            # openapi-core decodes a form into the properties its base schema names, which drops every member of a
            # discriminator-mapped subtype (TokenRequestOrgAs -> TokenRequestClientCredentials): validate the form
            # as a whole object here instead.
            if postbody is not None:
                # SPEC-OAUTH models client authentication as HTTP schemes ("postBody") that no header check can
                # verify: check the private_key_jwt members by hand; they are not part of the body schema.
                self.allowlist.used[postbody.id] += 1
                self._check_client_auth_form(form_fields, add)
                form_fields = [(key, value) for key, value in form_fields if key not in CLIENT_AUTH_FIELDS]
            else:
                errors_security = list(validators["security"].iter_errors(request))
                for error in errors_security:
                    self._add_errors("request", error, add)
            for error in validators["parameters"].iter_errors(request):
                self._add_errors("request", error, add)
            self._check_form(operation, dict(form_fields), content_type, add)
        else:
            errors = list(validators["request"].iter_errors(request))
            for error in errors:
                self._add_errors("request", error, add)
            body_schema = self._body_schema(operation, content_type)
            if "json" in body_record and body_schema is not None and not any(
                    error.__class__.__name__ == "InvalidRequestBody" for error in errors):
                for json_path in undeclared_members(self.specs, operation.spec, body_schema, body_record["json"]):
                    add("undeclared-member", "member %s is not named by the request schema" % json_path, json_path)
        declared = operation.query_parameters(self.specs.path_item(operation), self.specs)
        for name in sorted({name for name, _value in urllib.parse.parse_qsl(record.get("query") or "", keep_blank_values=True)} - declared):
            add("undeclared-query", "query parameter %r is not declared by the operation" % name)
        return request

    def _body_schema(self, operation: Operation, content_type: str) -> dict[str, Any] | None:
        body = operation.definition.get("requestBody")
        if body is None:
            return None
        content = self.specs.resolve(operation.spec, body).get("content") or {}
        media = content.get(content_type.split(";", 1)[0].strip())
        return media.get("schema") if media else None

    def _check_form(self, operation: Operation, form: dict[str, str], content_type: str, add: Any) -> None:
        schema = self._body_schema(operation, content_type)
        if schema is None:
            add("content-type", "the operation takes no %r body" % content_type)
            return
        ref = schema["$ref"] if "$ref" in schema else None
        root = {"$ref": "urn:okta:%s%s" % (operation.spec, ref)} if ref else schema
        validator = self._form_validator_cls(root, registry=self._registries[operation.spec])
        for schema_error in validator.iter_errors(form):
            json_path, keyword, message = _describe(schema_error)
            add("body", message, json_path, keyword)
        for json_path in undeclared_members(self.specs, operation.spec, schema, form):
            add("undeclared-member", "form member %s is not named by the request schema" % json_path, json_path)

    @staticmethod
    def _check_client_auth_form(fields: list[tuple[str, str]], add: Any) -> None:
        names = [name for name, _value in fields]
        values = dict(fields)
        if "client_secret" in names:
            add("security", "client_secret in the form: the org authorization server takes private_key_jwt only")
        if values.get("client_assertion_type") != JWT_BEARER or not values.get("client_assertion"):
            add("security", "private_key_jwt needs client_assertion_type=%s and a client_assertion" % JWT_BEARER)
        duplicated = sorted({name for name in names if names.count(name) > 1})
        if duplicated:
            add("parameter", "repeated form members: %s" % ", ".join(duplicated))

    def _check_response(self, record: dict[str, Any], operation: Operation, request: _Request, found: list[Finding],
                        context: dict[str, Any]) -> None:
        status = context["status"]
        response = _Response(status, record["response_headers"], record.get("response_body"))
        validator = self._validators[operation.spec]["response"]

        def add(kind: str, message: str, json_path: str = "", keyword: str = "") -> None:
            found.append(Finding("response", kind, message, operation.key, json_path=json_path, keyword=keyword, **context))

        declared = set(operation.definition.get("responses", {}))
        if str(status) not in declared and "default" not in declared and "%dXX" % (status // 100) not in declared:
            add("status-not-declared", "status %d is not declared (declared: %s)" % (status, ", ".join(sorted(declared))))
            substitute = self.allowlist.status_substitute(operation.key, status)
            if substitute is None:
                return
            response.status_code = int(substitute.validate_as or status)
        for error in validator.iter_errors(request, response):
            self._add_errors("response", error, add)

    @staticmethod
    def _add_errors(where: str, error: BaseException, add: Any) -> None:
        name = error.__class__.__name__
        schema_errors = _schema_errors(error)
        if schema_errors:
            kind = "body" if name in ("InvalidRequestBody", "InvalidData") else "parameter" if "Parameter" in name else "header" if "Header" in name else name
            for schema_error in schema_errors:
                json_path, keyword, message = _describe(schema_error)
                add(kind, message, json_path, keyword)
            return
        cause = error.__cause__
        kinds = {"SecurityNotFound": "security", "InvalidSecurity": "security", "MissingRequiredParameter": "parameter",
                 "MissingRequiredRequestBody": "body", "MediaTypeNotFound": "content-type", "MissingData": "body",
                 "ResponseNotFound": "status-not-declared"}
        kind = kinds.get(name) or kinds.get(cause.__class__.__name__ if cause else "") or name
        message = str(error) if cause is None else "%s: %s" % (name, cause)
        add(kind, message[:400])

    # The report.

    def failures(self) -> list[Finding]:
        """Enforced findings no allow-list entry covers."""
        return [finding for finding in self.findings if finding.enforced and finding.allowed_by is None]

    def report(self, max_lines: int = 200) -> str:
        """A readable report: summary, failures, allowed findings, unenforced findings, unused allow-list entries."""
        failures = self.failures()
        allowed = [finding for finding in self.findings if finding.allowed_by]
        informational = [finding for finding in self.findings if not finding.enforced and finding.allowed_by is None]
        lines = ["Okta spec conformance: %d exchanges, %d operations (%d used by the enforced client); "
                 "%d failures, %d allowed by the allow-list, %d not enforced (other clients)" % (
                     self.exchanges, len(self.operations), len(self.collection_operations), len(failures), len(allowed),
                     len(informational))]
        lines += ["WARNING: " + warning for warning in self.specs.warnings()]
        if self.skipped:
            skipped = ", ".join("%s %d" % item for item in sorted(self.skipped.items()))
            lines.append("not validated (answers of injected faults, dropped connections, missing paths): " + skipped)
        for title, items in (("FAILURES", failures), ("not enforced (requests of other clients)", informational)):
            if not items:
                continue
            groups: dict[tuple[str, ...], list[Finding]] = collections.defaultdict(list)
            for finding in items:
                groups[finding.group_key()].append(finding)
            lines.append("")
            lines.append("%s (%d findings, %d kinds):" % (title, len(items), len(groups)))
            for members in list(groups.values())[:max_lines]:
                lines.append("  %s%s" % (members[0].line(), "  (x%d)" % len(members) if len(members) > 1 else ""))
        if allowed:
            by_entry: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
            for finding in allowed:
                by_entry[str(finding.allowed_by)][finding.operation] += 1
            lines.append("")
            lines.append("allowed by allowlist.yaml (%d findings):" % len(allowed))
            for entry_id, operations in sorted(by_entry.items()):
                used_in = ", ".join("%s x%d" % item for item in sorted(operations.items()))
                lines.append("  %s: %d in %s" % (entry_id, sum(operations.values()), used_in))
        unused = [entry.id for entry in self.allowlist.entries if not self.allowlist.used[entry.id]]
        if unused:
            lines.append("")
            lines.append("allow-list entries not needed by this traffic: %s" % ", ".join(unused))
        lines.append("")
        lines.append("operations validated: " + ", ".join("%s x%d" % item for item in sorted(self.operations.items())))
        return "\n".join(lines)
