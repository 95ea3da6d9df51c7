# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Okta's two OpenAPI documents, loaded once, and which operation a request is.

By default the documents are the contract kept in the repository (``fidelity/contract``, made from the official
spec by ``fidelity/make_contract.py``: the operations the emulator and the recordings use and what they reference).
``$OKTA_OPENAPI_DIR`` (or a directory given to :class:`Specs`) holding the full official YAML files is used instead.
Parsing the 3.4 MB management YAML takes seconds, so the parsed full document is cached as JSON under
``tests/output/.spec-cache/<sha256>.json`` (``$OKTA_SPEC_CACHE_DIR`` overrides; the key is the YAML's hash, so a
changed spec is parsed again). Building the openapi-core validators happens once per :class:`Specs`.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import tempfile
import urllib.parse
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parents[3]
CONTRACT_DIR = Path(__file__).resolve().with_name("contract")
RECORDINGS_DIR = Path(__file__).resolve().with_name("recordings")
DEFAULT_CACHE_DIR = REPO_ROOT / "tests" / "output" / ".spec-cache"
SPEC_FILES = {"management": "management-minimal.yaml", "oauth": "oauth-minimal.yaml"}
CONTRACT_FILES = {"management": "management.json", "oauth": "oauth.json"}
# The copies the notes describe (docs/okta-api.md 0.1); another file is validated against, with a warning.
# For the contract, the sha256 of the file it was made from (recorded in its info.x-contract-source) is compared.
EXPECTED_SHA256 = {
    "management": "291293032a071bc368f139fea20442cc72e30fe1adfcff3b9753a2b9ddfece52",
    "oauth": "515a2b2a5de3448ae06e661c427b7e987bd066db426563e88c4f2838e2550fb4",
}
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def spec_dir() -> Path:
    """``$OKTA_OPENAPI_DIR`` (the full official documents) or the contract in the repository."""
    return Path(os.environ.get("OKTA_OPENAPI_DIR") or CONTRACT_DIR)


def spec_files(directory: Path) -> dict[str, Path]:
    """The two documents of a directory: the full YAML files where present, else the contract's JSON files."""
    names = SPEC_FILES if all((directory / name).exists() for name in SPEC_FILES.values()) else CONTRACT_FILES
    return {spec: directory / name for spec, name in names.items()}


def load_document(path: Path, cache_dir: Path | None = None) -> tuple[dict[str, Any], str]:
    """The parsed OpenAPI document and the sha256 of its source, through the JSON cache for the full YAML."""
    raw = path.read_bytes()
    if path.suffix == ".json":  # the contract: quick to parse, and it names the file it was made from
        document = json.loads(raw)
        return document, document["info"]["x-contract-source"]["sha256"]
    digest = hashlib.sha256(raw).hexdigest()
    cache = Path(cache_dir or os.environ.get("OKTA_SPEC_CACHE_DIR") or DEFAULT_CACHE_DIR) / ("%s.json" % digest)
    if cache.exists():
        try:
            return json.loads(cache.read_text(encoding="utf-8")), digest
        except ValueError:
            pass
    document = yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # nosec B506 - a safe loader
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=cache.parent, delete=False, suffix=".tmp", encoding="utf-8") as stream:
            json.dump(document, stream, default=str)
        os.replace(stream.name, cache)
    except OSError:
        pass  # a read-only checkout: no cache, just slower
    return document, digest


def normalize(document: dict[str, Any]) -> None:
    """Representation-only rewrites that keep the document's meaning.

    An empty ``content: {}`` on a response says "no body is described" (e.g. ``204 No Content``, or the ``200`` of
    ``POST /api/v1/apps/{appId}/lifecycle/activate``); openapi-core reads it as "a body of no known media type"
    and fails every answer, so the empty map is dropped.
    """
    for path_item in document.get("paths", {}).values():
        for method in HTTP_METHODS:
            for response in ((path_item.get(method) or {}).get("responses") or {}).values():
                if isinstance(response, dict) and response.get("content") == {}:
                    del response["content"]
    for response in document.get("components", {}).get("responses", {}).values():
        if isinstance(response, dict) and response.get("content") == {}:
            del response["content"]


@dataclasses.dataclass(frozen=True)
class Operation:
    """One operation of one spec: ``GET /api/v1/iam/roles/{roleIdOrLabel}``."""

    spec: str
    method: str
    template: str
    definition: dict[str, Any]

    @property
    def key(self) -> str:
        """``METHOD /template``, as the allow-list names operations."""
        return "%s %s" % (self.method, self.template)

    def query_parameters(self, path_item: dict[str, Any], specs: Specs) -> set[str]:
        """Names of the query parameters the operation (or its path item) declares."""
        declared = list(path_item.get("parameters") or []) + list(self.definition.get("parameters") or [])
        resolved = [specs.resolve(self.spec, parameter) for parameter in declared]
        return {parameter["name"] for parameter in resolved if parameter.get("in") == "query"}


class _PathIndex:
    """Path templates as regular expressions; a literal segment beats a parameter (as openapi-core decides)."""

    def __init__(self, paths: dict[str, Any]) -> None:
        compiled = []
        for template in paths:
            parts = re.split(r"(\{[^}/]+\})", template)
            pattern = "".join("([^/]+)" if part.startswith("{") else re.escape(part) for part in parts)
            names = [part[1:-1] for part in parts if part.startswith("{")]
            compiled.append((template.count("{"), template, re.compile("^" + pattern + "$"), names))
        compiled.sort(key=lambda item: (item[0], -len(item[1])))
        self._compiled = compiled

    def match(self, path: str) -> str | None:
        """The template of a request path, or None."""
        found = self.match_variables(path)
        return found[0] if found else None

    def match_variables(self, path: str) -> tuple[str, dict[str, str]] | None:
        """The template of a request path and its path variables, or None."""
        for _count, template, pattern, names in self._compiled:
            found = pattern.match(path)
            if found:
                return template, dict(zip(names, found.groups()))
        return None

    def path_finder_class(self) -> Any:
        """An openapi-core path finder that uses this index (its own scans every template for every request)."""
        from openapi_core.templating.datatypes import TemplateResult  # pylint: disable=import-outside-toplevel
        from openapi_core.templating.paths.datatypes import Path as PathMatch  # pylint: disable=import-outside-toplevel
        from openapi_core.templating.paths.finders import APICallPathFinder  # pylint: disable=import-outside-toplevel

        index = self

        class IndexedPaths:
            """Yields the one matching path item (or none)."""

            def __call__(self, name: str, spec: Any, base_url: str | None = None) -> Any:
                found = index.match_variables(urllib.parse.urlsplit(name).path)
                if found is not None:
                    yield PathMatch(spec / "paths" / found[0], TemplateResult(found[0], found[1]))

        class IndexedPathFinder(APICallPathFinder):
            """openapi-core's finder with the index as its path iterator."""

            paths_iterator = IndexedPaths()

        return IndexedPathFinder


class Specs:
    """Both documents (parsed once) and their path indexes."""

    HOST_URL = "https://subdomain.okta.com"  # the servers' default; every request is checked as sent there

    def __init__(self, directory: Path | None = None, cache_dir: Path | None = None) -> None:
        self.directory = Path(directory or spec_dir())
        self.documents: dict[str, dict[str, Any]] = {}
        self.digests: dict[str, str] = {}
        self._indexes: dict[str, _PathIndex] = {}
        self.files = spec_files(self.directory)
        for name, path in self.files.items():
            document, digest = load_document(path, cache_dir)
            normalize(document)
            self.documents[name], self.digests[name] = document, digest
            self._indexes[name] = _PathIndex(document["paths"])

    def path_finder_class(self, name: str) -> Any:
        """The openapi-core path finder for one spec (see :class:`_PathIndex`)."""
        return self._indexes[name].path_finder_class()

    def warnings(self) -> list[str]:
        """Differences from the spec copies the notes describe."""
        return ["%s: sha256 %s, the notes describe %s" % (self.files[name], digest, EXPECTED_SHA256[name])
                for name, digest in self.digests.items() if digest != EXPECTED_SHA256[name]]

    def operation(self, method: str, path: str) -> tuple[Operation | None, str | None]:
        """The operation for a request (management spec first, then OAuth); else None and the matched template, if any."""
        for name in ("management", "oauth"):
            template = self._indexes[name].match(path)
            if template is None:
                continue
            definition = self.documents[name]["paths"][template].get(method.lower())
            if definition is None:
                return None, template
            return Operation(name, method.upper(), template, definition), template
        return None, None

    def path_item(self, operation: Operation) -> dict[str, Any]:
        """The path item an operation belongs to."""
        return self.documents[operation.spec]["paths"][operation.template]

    def resolve(self, spec: str, schema: dict[str, Any]) -> dict[str, Any]:
        """Follow a local ``$ref``."""
        while "$ref" in schema:
            node: Any = self.documents[spec]
            for part in schema["$ref"].lstrip("#/").split("/"):
                node = node[part]
            schema = node
        return schema
