# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Derive the fidelity contract (``fidelity/contract/*.json``) from Okta's official OpenAPI documents.

Usage: PYTHONPATH=tests/emulator python tests/emulator/fidelity/make_contract.py SPEC_DIR [--out DIR]

SPEC_DIR holds ``management-minimal.yaml`` and ``oauth-minimal.yaml`` (okta/okta-management-openapi-spec,
``dist/current``). The contract keeps, for each document:

* every path item whose template can match a route of the emulator or a request path of the recordings
  (``fidelity/recordings``), with all its methods: a request is then matched to the same template and operation as
  in the full document (a literal segment still beats a parameter; an unknown method is still unknown);
* every component those path items reference, transitively (``$ref`` and discriminator mappings), and all
  security schemes (operations name them without ``$ref``);
* what validation reads (types, formats, enums, required, nullable, composition, discriminators, security,
  parameters, headers, statuses) and none of the prose: ``description``, ``summary``, ``example``/``examples``,
  ``externalDocs``, tags and ``x-`` vendor extensions are dropped (a response's required ``description`` is kept
  empty so the document stays valid OpenAPI; scope descriptions become empty strings).
"""
from __future__ import annotations

import argparse
import copy
import hashlib
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

EMULATOR_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(EMULATOR_ROOT))

from fidelity.specs import CONTRACT_DIR, CONTRACT_FILES, RECORDINGS_DIR, SPEC_FILES, normalize  # noqa: E402  pylint: disable=wrong-import-position

SOURCE = {
    "repository": "https://github.com/okta/okta-management-openapi-spec",
    "commit": "fdda229e82940cf5af4611ad673ca6a27974e31b",
    "path": "dist/current",
    "release": "2026.06.3",
}
COMMAND = "PYTHONPATH=tests/emulator python tests/emulator/fidelity/make_contract.py SPEC_DIR"
PROSE_KEYS = {"description", "summary", "example", "examples", "externalDocs", "tags", "termsOfService", "contact"}
# Maps whose keys are names chosen by the document (a property may be called "description"): never stripped.
NAME_MAPS = {"properties", "paths", "schemas", "responses", "parameters", "headers", "content", "mapping",
             "securitySchemes", "requestBodies", "encoding", "links", "callbacks", "variables", "patternProperties"}
# Values, not document structure (a default object may have a "description" member): copied as they are.
VALUE_KEYS = {"default", "enum"}
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def emulator_routes() -> list[str]:
    """The path templates the emulator serves (its routes, as registered by every API module)."""
    from okta_emulator.config import OrgUrls, Settings  # pylint: disable=import-outside-toplevel
    from okta_emulator.context import OrgContext  # pylint: disable=import-outside-toplevel
    from okta_emulator.routing import Router  # pylint: disable=import-outside-toplevel
    from okta_emulator.seed import build_state  # pylint: disable=import-outside-toplevel
    from okta_emulator.server import Emulator  # pylint: disable=import-outside-toplevel

    router = Router()
    ctx = OrgContext(build_state("empty", 0), Settings(), OrgUrls.build("http", "127.0.0.1:1"))
    for api in Emulator.api_modules(ctx):
        api.register(router)
    return sorted({route.template for route in router.routes()})


def recorded_paths(directory: Path) -> list[str]:
    """The request paths of every recording (go-vcr and vcrpy cassettes)."""
    from urllib.parse import urlsplit  # pylint: disable=import-outside-toplevel

    paths = set()
    for cassette in sorted(directory.glob("*/*.yaml")):
        document = yaml.safe_load(cassette.read_text(encoding="utf-8")) or {}
        for interaction in document.get("interactions") or []:
            request = interaction.get("request") or {}
            url = request.get("url") or request.get("uri") or ""
            paths.add(urlsplit(url).path)
    return sorted(paths)


def _segments_compatible(template: str, path: str) -> bool:
    """Whether a spec template could match some request that an emulator template or recorded path stands for.

    A segment holding a parameter on either side matches anything: over-inclusion only adds path items, while
    missing one could make a request match another template than the full document would.
    """
    left, right = template.split("/"), path.split("/")
    return len(left) == len(right) and all(a == b or "{" in a or "{" in b for a, b in zip(left, right))


def strip_prose(node: Any, in_name_map: bool = False) -> Any:
    """A copy without prose keys (and without the ``x-`` extensions), keeping every name of the name maps."""
    if isinstance(node, list):
        return [strip_prose(item) for item in node]
    if not isinstance(node, dict):
        return node
    result = {}
    for key, value in node.items():
        if not in_name_map and (key in PROSE_KEYS or key.startswith("x-")):
            continue
        if not in_name_map and key in VALUE_KEYS:
            result[key] = copy.deepcopy(value)
            continue
        result[key] = strip_prose(value, in_name_map=not in_name_map and key in NAME_MAPS)
    return result


def references(node: Any) -> Iterable[str]:
    """Every local reference in a node: ``$ref`` values and discriminator mapping targets."""
    if isinstance(node, list):
        for item in node:
            yield from references(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            elif key == "discriminator" and isinstance(value, dict):
                yield from (target for target in (value.get("mapping") or {}).values() if isinstance(target, str))
                yield from references({k: v for k, v in value.items() if k != "mapping"})
            else:
                yield from references(value)


def _pointer(document: dict[str, Any], ref: str) -> tuple[str, ...]:
    if not ref.startswith("#/"):
        raise SystemExit("make_contract: only local references are supported, found %r" % ref)
    parts = tuple(part.replace("~1", "/").replace("~0", "~") for part in ref[2:].split("/"))
    node: Any = document
    for part in parts:
        node = node[part]
    return parts


def contract(document: dict[str, Any], wanted: list[str]) -> dict[str, Any]:
    """The contract of one document for the wanted paths (emulator templates and recorded request paths)."""
    normalize(document)
    paths = {template: item for template, item in document["paths"].items()
             if any(_segments_compatible(template, path) for path in wanted)}
    result: dict[str, Any] = {key: copy.deepcopy(document[key]) for key in ("openapi", "info", "servers", "security")
                              if key in document}
    result["paths"] = paths
    components = document.get("components") or {}
    result["components"] = {"securitySchemes": components.get("securitySchemes") or {}}
    result = strip_prose(result)
    kept: set[tuple[str, ...]] = set()
    pending = list(references(result))
    while pending:
        parts = _pointer(document, pending.pop())
        if parts[0] != "components" or len(parts) < 3:
            raise SystemExit("make_contract: unexpected reference target %s" % "/".join(parts))
        if parts[:3] in kept:
            continue
        kept.add(parts[:3])
        component = strip_prose(components[parts[1]][parts[2]])
        result["components"].setdefault(parts[1], {})[parts[2]] = component
        pending.extend(references(component))
    for kind, entries in result["components"].items():  # the document's order, so output is stable
        result["components"][kind] = {name: entries[name] for name in components[kind] if name in entries}
    _keep_required_descriptions(result)
    for scheme in result["components"]["securitySchemes"].values():
        for flow in (scheme.get("flows") or {}).values():
            flow["scopes"] = {scope: "" for scope in flow.get("scopes") or {}}
    return result


def _keep_required_descriptions(document: dict[str, Any]) -> None:
    """OpenAPI 3.0 requires ``description`` on a response object: an empty one keeps the document valid."""
    responses = list((document["components"].get("responses") or {}).values())
    for item in document["paths"].values():
        for method in HTTP_METHODS:
            responses.extend(((item.get(method) or {}).get("responses") or {}).values())
    for response in responses:
        if isinstance(response, dict) and "$ref" not in response:
            response.setdefault("description", "")


def main(argv: list[str] | None = None) -> int:
    """Write the contract of both documents."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("spec_dir", type=Path, help="directory with management-minimal.yaml and oauth-minimal.yaml")
    parser.add_argument("--out", type=Path, default=CONTRACT_DIR, help="default: %(default)s")
    arguments = parser.parse_args(argv)
    wanted = emulator_routes() + recorded_paths(RECORDINGS_DIR)
    arguments.out.mkdir(parents=True, exist_ok=True)
    for name, filename in SPEC_FILES.items():
        raw = (arguments.spec_dir / filename).read_bytes()
        document = yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # nosec B506 - a safe loader
        license_name = (document.get("info", {}).get("license") or {}).get("name")
        if license_name != "Apache-2.0":
            raise SystemExit("make_contract: %s says license %r, the contract's notice says Apache-2.0" % (filename, license_name))
        result = contract(document, wanted)
        # JSON has no comments: where the contract comes from travels in the document itself.
        result["info"]["x-contract-source"] = dict(SOURCE, file=filename, sha256=hashlib.sha256(raw).hexdigest(),
                                                   license=license_name, regenerate=COMMAND)
        target = arguments.out / CONTRACT_FILES[name]
        target.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print("%s: %d paths, %d components, %d bytes" % (
            target, len(result["paths"]), sum(map(len, result["components"].values())), target.stat().st_size))
    return 0


if __name__ == "__main__":
    sys.exit(main())
