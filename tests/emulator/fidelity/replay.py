# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Replay recorded Okta traffic (fidelity/recordings) against the emulator and compare the answers.

A cassette is replayed from its first interaction on a fresh org, so its own calls re-create the preconditions (the
role is created before it is read, the group before it is put in a resource set). Recorded ids, hosts, the org id
and the ORN partition are translated to the emulator's as they are learnt from the answers. Each answer must have
the recorded status and the recorded JSON structure: the same keys at every level, the same nesting and the same
value types (null, boolean, number, string, object, array); values themselves (ids, timestamps, hosts, texts) are
not compared, except that error answers must carry the recorded ``errorCode``.
"""
from __future__ import annotations

import dataclasses
import json
import re
import urllib.parse
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import requests
import yaml

# Okta hosts in recorded URLs and bodies (org and -admin hosts of the test orgs, the rewritten test.okta.com).
_OKTA_URL = re.compile(r"https?://[A-Za-z0-9.-]+\.(?:okta|oktapreview|okta-emea|dne-okta|okta-gov|okta-mil)\.com(?::\d+)?")
# Okta object ids: 20 characters, a known prefix (cr0, iam, ire, irb, 0oa, 00u, 00g, oag, pks, ocs, 00o).
_OKTA_ID = re.compile(r"\b(?:cr0|iam|ire|irb|0oa|00u|00g|oag|pks|ocs|00o)[A-Za-z0-9]{17}\b")
_PARTITION = re.compile(r"\born:(?:okta|oktapreview):")


@dataclasses.dataclass
class Interaction:
    """One recorded request and its answer."""

    cassette: str
    line: int
    method: str
    url: str
    request_body: str | None
    status: int
    response_body: str | None

    @property
    def path(self) -> str:
        """The request path."""
        return urllib.parse.urlsplit(self.url).path

    def where(self) -> str:
        """``file:line`` of the request in the cassette."""
        return "%s:%d" % (self.cassette, self.line)

    def response_json(self) -> Any:
        """The decoded answer (None when empty or not JSON)."""
        try:
            return json.loads(self.response_body) if self.response_body else None
        except ValueError:
            return None


def load_cassette(path: Path) -> list[Interaction]:
    """Both formats: go-vcr v2 (terraform-provider-okta) and vcrpy (okta-sdk-python)."""
    text = path.read_text(encoding="utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    document = yaml.load(text, Loader=loader)  # nosec B506 - a safe loader
    nodes = yaml.compose(text, Loader=loader).value
    interactions_node = next(value for key, value in nodes if key.value == "interactions")
    interactions = []
    for item, node in zip(document["interactions"], interactions_node.value):
        request, response = item["request"], item["response"]
        if "uri" in request:  # vcrpy
            body = response["body"]["string"] if isinstance(response.get("body"), dict) else response.get("body")
            interactions.append(Interaction(path.name, node.start_mark.line + 1, request["method"], request["uri"],
                                            request.get("body"), response["status"]["code"], body))
        else:  # go-vcr
            interactions.append(Interaction(path.name, node.start_mark.line + 1, request["method"], request["url"],
                                            request.get("body") or None, response["code"], response.get("body") or None))
    return interactions


def json_type(value: Any) -> str:
    """The JSON type of a decoded value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return {str: "string", dict: "object", list: "array"}.get(type(value), type(value).__name__)


Translate = Callable[[str], str]


def _same(text: str) -> str:
    return text


def _item_key(item: Any, translate: Translate = _same) -> Any:
    """What aligns items of a recorded list with the emulator's: an ORN (ids translated) without partition and org,
    else a label."""
    if not isinstance(item, dict):
        return None
    if isinstance(item.get("orn"), str):
        parts = translate(item["orn"]).split(":")
        return ("orn", tuple(parts[2:3] + parts[4:]))
    for name in ("label", "scopeId", "type", "kid"):
        if isinstance(item.get(name), str):
            return (name, item[name])
    profile = item.get("profile")
    if isinstance(profile, dict) and isinstance(profile.get("name") or profile.get("login"), str):
        return ("profile", profile.get("name") or profile.get("login"))
    return None


def align(recorded: list[Any], emulated: list[Any], translate: Translate = _same) -> list[tuple[Any, Any]]:
    """Pairs of recorded and emulated items that describe the same object (by key, else by position)."""
    keyed = {}
    for item in emulated:
        key = _item_key(item)
        if key is not None:
            keyed.setdefault(key, item)
    pairs = []
    for index, item in enumerate(recorded):
        key = _item_key(item, translate)
        if key is not None and key in keyed:
            pairs.append((item, keyed[key]))
        elif key is None and index < len(emulated):
            pairs.append((item, emulated[index]))
    if not pairs and recorded and emulated:
        pairs.append((recorded[0], emulated[0]))  # no common object: at least compare one item of each
    return pairs


def structure_differences(recorded: Any, emulated: Any, path: str = "$", translate: Translate = _same) -> list[str]:
    """Where two JSON values differ in keys, nesting or value types (values themselves are not compared)."""
    if isinstance(recorded, dict) and isinstance(emulated, dict):
        found = ["%s: key %r recorded, not answered" % (path, key) for key in sorted(set(recorded) - set(emulated))]
        found += ["%s: key %r answered, not recorded" % (path, key) for key in sorted(set(emulated) - set(recorded))]
        for key in sorted(set(recorded) & set(emulated)):
            found += structure_differences(recorded[key], emulated[key], "%s.%s" % (path, key), translate)
        return found
    if isinstance(recorded, list) and isinstance(emulated, list):
        found = []
        for recorded_item, emulated_item in align(recorded, emulated, translate):
            found += structure_differences(recorded_item, emulated_item, path + "[]", translate)
        return sorted(set(found))
    if json_type(recorded) != json_type(emulated):
        return ["%s: %s recorded, %s answered" % (path, json_type(recorded), json_type(emulated))]
    return []


@dataclasses.dataclass
class Outcome:
    """The replay of one interaction."""

    interaction: Interaction
    status: int | None = None
    differences: list[str] = dataclasses.field(default_factory=list)
    skipped: str | None = None


class Replayer:
    """Replays cassettes against one emulator (reset before each cassette), translating ids as it learns them."""

    def __init__(self, base_url: str, admin_token: str, reset: Callable[[], None], org_id: Callable[[], str],
                 skip: Callable[[Interaction], str | None]) -> None:
        self.base_url = base_url
        self.session = requests.Session()
        self.session.headers.update({"Authorization": "SSWS " + admin_token, "Accept": "application/json",
                                     "User-Agent": "okta-emulator-fidelity-replay/1.0"})
        self._reset = reset
        self._org_id = org_id
        self._skip = skip
        self.ids: dict[str, str] = {}

    def close(self) -> None:
        """Close the HTTP session."""
        self.session.close()

    # Translation of recorded values into the emulator's.

    def translate(self, text: str) -> str:
        """Hosts, partition and every learnt id of a recorded URL or body, as the emulator knows them."""
        text = _OKTA_URL.sub(self.base_url, text)
        text = _PARTITION.sub("orn:okta:", text)
        return _OKTA_ID.sub(lambda found: self.ids.get(found.group(0), found.group(0)), text)

    def learn(self, recorded: Any, emulated: Any) -> None:
        """Map recorded ids to the emulator's, walking both answers together."""
        if isinstance(recorded, dict) and isinstance(emulated, dict):
            for key in ("id", "client_id", "clientId", "role", "resource-set"):
                if isinstance(recorded.get(key), str) and isinstance(emulated.get(key), str):
                    self.ids.setdefault(recorded[key], emulated[key])
            for key in set(recorded) & set(emulated):
                self.learn(recorded[key], emulated[key])
        elif isinstance(recorded, list) and isinstance(emulated, list):
            for pair in align(recorded, emulated, self.translate):
                self.learn(*pair)

    # Replay.

    def replay(self, interactions: Iterable[Interaction]) -> list[Outcome]:
        """One cassette on a fresh org."""
        self._reset()
        interactions = list(interactions)
        # The recorded org is one org: every org id in its ORNs is the emulator's.
        org_id = self._org_id()
        self.ids = {found: org_id for interaction in interactions
                    for found in re.findall(r"\born:[a-z]+:[a-z]+:(00o[A-Za-z0-9]{17})",
                                            interaction.url + (interaction.request_body or "") + (interaction.response_body or ""))}
        outcomes = []
        for interaction in interactions:
            reason = self._skip(interaction)
            if reason:
                outcomes.append(Outcome(interaction, skipped=reason))
                continue
            outcomes.append(self._one(interaction))
        return outcomes

    def _error_differences(self, recorded: dict[str, Any], emulated: dict[str, Any]) -> list[str]:
        """Error answers: the same errorCode, errorSummary and errorCauses texts (recorded ids translated)."""
        found = []
        for name in ("errorCode", "errorSummary"):
            expected = self.translate(str(recorded.get(name)))
            if expected != emulated.get(name):
                found.append("%s %r recorded, %r answered" % (name, expected, emulated.get(name)))
        causes = [self.translate(str(cause.get("errorSummary"))) for cause in recorded.get("errorCauses") or [] if isinstance(cause, dict)]
        answered = [cause.get("errorSummary") for cause in emulated.get("errorCauses") or [] if isinstance(cause, dict)]
        if causes != answered:
            found.append("errorCauses %r recorded, %r answered" % (causes, answered))
        return found

    def _added_out_of_band(self, interaction: Interaction, recorded: Any, response: requests.Response) -> bool:
        """A resource the recording lists that no recorded call added was added out of band (TF-VCR
        ResourceSet_Issue_1735_drift_detection): add it the same way, as the precondition of what follows."""
        if interaction.method != "GET" or not interaction.path.endswith("/resources") or response.status_code != 200:
            return False
        if not isinstance(recorded, dict) or not isinstance(recorded.get("resources"), list):
            return False
        present = {item.get("orn") for item in response.json().get("resources", [])}
        missing = [self.translate(item["orn"]) for item in recorded["resources"] if isinstance(item, dict) and item.get("orn")
                   and self.translate(item["orn"]) not in present]
        if not missing:
            return False
        path = urllib.parse.urlsplit(self.translate(interaction.url)).path
        return self.session.request("PATCH", self.base_url + path, json={"additions": missing}, timeout=20).status_code == 200

    def _one(self, interaction: Interaction) -> Outcome:
        parts = urllib.parse.urlsplit(self.translate(interaction.url))
        url = self.base_url + parts.path + ("?" + parts.query if parts.query else "")
        body = self.translate(interaction.request_body) if interaction.request_body else None
        headers = {"Content-Type": "application/json"} if body else {}
        response = self.session.request(interaction.method, url, data=body.encode("utf-8") if body else None, headers=headers,
                                        timeout=20)
        recorded = interaction.response_json()
        if self._added_out_of_band(interaction, recorded, response):
            response = self.session.request(interaction.method, url, timeout=20)
        outcome = Outcome(interaction, status=response.status_code)
        emulated = response.json() if response.content else None
        if response.status_code != interaction.status:
            outcome.differences.append("status %d recorded, %d answered (%s)" % (interaction.status, response.status_code,
                                                                                 response.text[:300]))
            return outcome
        if recorded is not None or emulated is not None:
            outcome.differences += structure_differences(recorded, emulated, translate=self.translate)
            if isinstance(recorded, dict) and "errorCode" in recorded and isinstance(emulated, dict):
                outcome.differences += self._error_differences(recorded, emulated)
            self.learn(recorded, emulated)
        return outcome
