# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator's operations and scopes agree with Okta's OpenAPI spec (the contract, or ``$OKTA_OPENAPI_DIR``)."""
from __future__ import annotations

import re
from typing import Any

import pytest

from okta_emulator.config import OrgUrls, Settings
from okta_emulator.context import OrgContext
from okta_emulator.routing import Router
from okta_emulator.scopes import OKTA_API_SCOPES
from okta_emulator.seed import build_state
from okta_emulator.server import Emulator

# Paths of the OAuth spec (token endpoint) rather than the management spec.
OAUTH_SPEC_PATHS = {"/oauth2/v1/token"}


@pytest.fixture(scope="module")
def management_spec() -> dict[str, Any]:
    from fidelity_support import specs  # pylint: disable=import-outside-toplevel
    return specs().documents["management"]  # parsed once per session (and cached as JSON) for every spec test


@pytest.fixture(scope="module")
def router() -> Router:
    routes = Router()
    settings = Settings()
    ctx = OrgContext(build_state("empty", 0), settings, OrgUrls.build("http", "127.0.0.1:1"))
    for api in Emulator.api_modules(ctx):
        api.register(routes)
    return routes


def spec_template(template: str, spec_paths: dict[str, Any]) -> str | None:
    """The spec path whose shape matches an emulator template (parameter names may differ)."""
    shape = re.sub(r"\{[^}]+\}", "{}", template)
    return next((path for path in spec_paths if re.sub(r"\{[^}]+\}", "{}", path) == shape), None)


def test_scopes_are_the_specs(management_spec: dict[str, Any]) -> None:
    flows = management_spec["components"]["securitySchemes"]["oauth2"]["flows"]
    assert OKTA_API_SCOPES == set(next(iter(flows.values()))["scopes"])


def test_every_operation_exists_in_the_spec_with_the_same_scope(management_spec: dict[str, Any], router: Router) -> None:
    for route in router.routes():
        if route.template in OAUTH_SPEC_PATHS:
            continue
        path = spec_template(route.template, management_spec["paths"])
        assert path is not None, route.template
        operation = management_spec["paths"][path].get(route.method.lower())
        assert operation is not None, "%s %s" % (route.method, route.template)
        scopes = {scope for requirement in operation.get("security") or [] for values in requirement.values() for scope in values}
        expected = route.required_scope()
        assert (scopes == {expected}) if expected else not scopes, "%s %s: spec %s, emulator %s" % (
            route.method, route.template, scopes, expected)
