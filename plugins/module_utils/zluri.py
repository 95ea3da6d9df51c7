# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Zluri side: the hand-off bundle for Zluri's "Okta (Machine to Machine)" form, and the Zluri API client.

Zluri publishes no API that creates a catalog connection (ZLURI-NOTES.md), so the bundle carries the exact
form values and UI steps, and the only API use is the optional evidence check (List Users by source okta).

Private to the collection (not a public API): it may change in any release.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import dataclass
from typing import Any, Callable

from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_client import OktaApiError, OktaConfigError, Response, Transport

ZLURI_API_URL = "https://api-ext.zluri.com"
ZLURI_INTEGRATION = "Okta (Machine to Machine)"
BUNDLE_SCHEMA = "saasops.okta_m2m/zluri-handoff/v1"
# Zluri allows 100 requests a minute per key; polls never come closer than this.
MIN_POLL_INTERVAL_SECONDS = 0.6
MANUAL_STEP = (
    "In Zluri, open Integrations Catalog, connect \"%s\" with \"Connect it myself\" and enter the values from the "
    "hand-off bundle %s; Zluri has no API for this step." % (ZLURI_INTEGRATION, "%s")
)
REMOVAL_STEP = (
    "In Zluri, open Integrations, find the \"%s\" connection and disconnect it by hand; Zluri has no API for this step."
    % ZLURI_INTEGRATION
)


def ui_steps(connection_name: str, zluri_scopes: list[str]) -> list[str]:
    """Zluri's own guide, in order, with this connection's values named."""
    scopes = ", ".join(zluri_scopes) if zluri_scopes else "the scopes your Zluri plan needs"
    return [
        "Sign in to Zluri as an admin and open Integrations Catalog.",
        "Search for \"okta\" and choose Connect under \"%s\"." % ZLURI_INTEGRATION,
        "Select the scopes to grant Zluri: %s." % scopes,
        "Choose \"Connect it myself\".",
        "Enter Client ID, Private key, Base URL, Key ID, Modulus and Exponent exactly as in \"form\" below "
        "(Private key: paste the PEM content of the named file).",
        "Name the connection \"%s\", add the description, and finish." % connection_name,
        "Wait for Zluri's first sync (it can take hours); users from source okta then appear in Zluri.",
    ]


def build_bundle(form: dict[str, Any], zluri_scopes: list[str], connection: dict[str, str], okta: dict[str, Any],
                 verification: dict[str, Any] | None) -> dict[str, Any]:
    """The hand-off document. Deterministic: no timestamps, so an unchanged org gives an unchanged file."""
    return {
        "schema": BUNDLE_SCHEMA,
        "zluri_integration": ZLURI_INTEGRATION,
        "manual_action_required": True,
        "form": form,
        "zluri_scopes": zluri_scopes,
        "connection": connection,
        "steps": ui_steps(connection["name"], zluri_scopes),
        "okta": okta,
        "verification": verification,
    }


def values_for_zluri(bundle: dict[str, Any]) -> dict[str, Any]:
    """The values a person types into Zluri's form, by field; "Private key" names where the key is, not the key, so it
    is the key's id and public values that say whether Zluri must be given a new key."""
    form = bundle.get("form") or {}
    return {field: value for field, value in form.items() if field != "Private key"}


def redact_bundle(bundle: dict[str, Any]) -> dict[str, Any]:
    """The bundle as results and diffs may show it: an embedded private key is replaced by a marker."""
    shown = json.loads(json.dumps(bundle))
    private_key = shown.get("form", {}).get("Private key")
    if isinstance(private_key, dict) and "pem" in private_key:
        private_key["pem"] = "(embedded; not shown)"
    return shown


def read_bundle(path: str) -> dict[str, Any] | None:
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {}


def write_bundle(path: str, bundle: dict[str, Any]) -> None:
    """Write the bundle 0600 in a 0700 directory, through a temp file and an atomic replace."""
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, mode=0o700, exist_ok=True)
    os.chmod(directory, 0o700)
    fd, temp_path = tempfile.mkstemp(prefix=".zluri-bundle-", dir=directory)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(bundle, handle, indent=2, sort_keys=True)
            handle.write("\n")
        os.replace(temp_path, path)
    except BaseException:
        os.unlink(temp_path)
        raise


class ZluriApiKeyAuth:
    """Zluri's external API: header api-key."""

    def __init__(self, api_key: str) -> None:
        self.api_key = api_key
        self.warnings: list[str] = []

    def validate(self) -> None:
        if not self.api_key or any(ch.isspace() for ch in self.api_key.strip()):
            raise OktaConfigError("zluri_api_key must be a non-empty Zluri API key without spaces")

    def headers_for(self, method: str, url: str) -> dict[str, str]:
        return {"api-key": self.api_key.strip()}

    def should_retry(self, response: Response) -> bool:
        return False

    def refusal_hint(self) -> str:
        return "Zluri refused the API key (zluri_api_key, or ZLURI_API_KEY)"

    def secrets(self) -> list[str]:
        return [self.api_key]


def zluri_error(response: Response, auth: ZluriApiKeyAuth) -> OktaApiError:
    """Zluri's errors are not uniform: read message, errors[].msg, error and code (ZLURI-NOTES.md)."""
    body = response.body if isinstance(response.body, dict) else {}
    parts = [body.get("message"), body.get("error"), body.get("code")]
    parts += [entry.get("msg") for entry in body.get("errors") or [] if isinstance(entry, dict)]
    detail = "; ".join(str(part) for part in parts if part) or (response.body if isinstance(response.body, str) else "")
    error = OktaApiError("Zluri API POST /v2/users returned HTTP %d%s" % (response.status, ": " + detail if detail else ""),
                         status=response.status, method="POST", path="/v2/users")
    return error.add_hint(auth.refusal_hint()) if response.status in (401, 403) else error


@dataclass
class Evidence:
    found: bool
    users_from_okta: int
    polls: int
    waited_seconds: float

    def as_dict(self) -> dict[str, Any]:
        return {"found": self.found, "users_from_okta": self.users_from_okta, "polls": self.polls, "waited_seconds": round(self.waited_seconds, 1)}


class ZluriClient:
    def __init__(self, transport: Transport, auth: ZluriApiKeyAuth) -> None:
        self.transport = transport
        self.auth = auth

    def count_users_from_source(self, keyword: str = "okta") -> int:
        """List Users filtered by source: the only API-visible sign that Zluri's Okta connection produces data."""
        body = {"filter_by": [{"field_id": "source_array", "negative": False,
                               "field_values": [{"key": "keyword", "value_type": "string", "value": [keyword]}]}]}
        url = self.transport.url_for("/v2/users", {"page": 1, "page_size": 1})
        # A list query sent as POST: repeating it is harmless.
        response = self.transport.send("POST", url, auth=self.auth, json_body=body, retry_unsafe=True)
        if not 200 <= response.status < 300:
            raise zluri_error(response, self.auth)
        answer = response.body if isinstance(response.body, dict) else {}
        return int(answer.get("count") or len(answer.get("items") or []))

    def wait_for_okta_users(self, timeout: float, interval: float, sleep: Callable[[float], None] = time.sleep,
                            clock: Callable[[], float] = time.monotonic) -> Evidence:
        """Poll politely until users from source okta appear or timeout passes (one poll at least)."""
        interval = max(interval, MIN_POLL_INTERVAL_SECONDS)
        started = clock()
        polls = 0
        while True:
            polls += 1
            count = self.count_users_from_source()
            waited = clock() - started
            if count or waited + interval > timeout:
                return Evidence(bool(count), count, polls, waited)
            sleep(interval)
