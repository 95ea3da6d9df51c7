# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Recorded-traffic parity: every cassette in fidelity/recordings replayed against the emulator.

Each cassette is replayed from its first call on a fresh org (fidelity/replay.py): its own calls re-create the
preconditions, recorded ids and hosts are translated as they are learnt. Every answer must have the recorded status
and JSON structure (keys, nesting, value types), and error answers the recorded errorCode, errorSummary and
errorCauses. The cassettes are kept unchanged in the repository
(fidelity/recordings/README.md), so a finding's file:line is the same as in the upstream recording.

Two tables below are the only exceptions, each with its reason: endpoints the emulator deliberately does not
implement (tests/emulator/README.md), and members whose presence changed between the recordings' dates, where the
newest recording wins.
"""
from __future__ import annotations

import collections
import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from fidelity_support import specs
from helpers import CASSETTES
from okta_emulator.harness import RunningEmulator, start_emulator

# Recorded endpoints the emulator deliberately does not implement (README: "Deliberately not implemented").
NOT_IMPLEMENTED = (
    (r"^/api/v1/apps/[^/]+/credentials/secrets", "client secrets: the collection's apps use private_key_jwt only"),
    (r"^/api/v1/internal/", "Terraform's internal endpoint (NOTES 6.1: not needed for service apps)"),
    (r"^/api/v1/policies$|^/api/v1/apps/[^/]+/policies/", "policies and app policy assignment (Terraform only)"),
)


@dataclasses.dataclass(frozen=True)
class EraDifference:
    """A member whose presence changed between recordings: older cassettes differ from the newest, which the emulator
    follows."""

    cassettes: str  # regular expression on the cassette file name
    difference: str  # regular expression on the difference
    why: str


OLDER_SHAPES = (
    EraDifference(r"mm-oie-2022-10-07-max", r"^\$: key 'isCloneable' answered, not recorded$|^\$: key '(orn|universalLogout)' answered",
                  "recorded 2023-07; roles carry isCloneable in PY-VCR TestRoleAPIResource (2025-09) and TF-VCR "
                  "AdminRoleCustom_read (2026-03), apps carry orn and universalLogout in TF-VCR serviceWithJWKS (2026-03)"),
    EraDifference(r"mm-oie-2022-10-07-max", r"^\$\._links: key 'self' answered, not recorded$|^\$\.resources\[\]\._links: key 'resource'",
                  "recorded 2023-07 (NOTES 4.2: 2023 traffic had no resource link); TF-VCR ResourceSet_crud (2025) lists "
                  "resources with self and resource links; SPEC example ResourceSetBindingMembersResponse has members' self"),
    EraDifference(r"AdminRoleCustom_crud", r"^\$: key 'isCloneable' answered, not recorded$",
                  "recorded 2025-03; isCloneable appears from PY-VCR TestRoleAPIResource (2025-09) on"),
    EraDifference(r"AppOAuthApplication_apiScope", r"^\$: key 'universalLogout' answered|^\$\.settings: key 'emOptInStatus' answered",
                  "recorded 2025-03; apps carry universalLogout and settings.emOptInStatus in TF-VCR serviceWithJWKS (2026-03)"),
    EraDifference(r"AppOAuthApplication_apiScope", r"^\$\.settings: key 'op4wEnabled' recorded, not answered$",
                  "a 2025-03 org flag of /.well-known/okta-organization; no later recording (2025-07 .. 2026-03) has it"),
    EraDifference(r"readWithResources|AppOAuthRoleAssignment|test_sso_public_keys_lifecycle",
                  r"^\$\.universalLogout: null recorded, object answered$|^\$\.settings(\.oauthClient)?: key '(emOptInStatus|participate_slo)' answered",
                  "recorded 2025-07 .. 2026-02; the newest app recording, TF-VCR serviceWithJWKS (2026-03), has the "
                  "universalLogout object, settings.emOptInStatus and settings.oauthClient.participate_slo"),
)

# The error answers the issue names, each replayed from a recording: (cassette, method, path regex, status, errorCode).
RECORDED_ERRORS = (
    ("TestRoleAPIResource.test_role_error_handling.yaml", "POST", r"^/api/v1/iam/roles$", 400, "E0000001"),  # duplicate label
    ("TestRoleAPIResource.test_role_error_handling.yaml", "GET", r"^/api/v1/iam/roles/", 404, "E0000007"),
    ("TestResourceSetAPIResource.test_resource_set_error_handling.yaml", "POST", r"^/api/v1/iam/resource-sets$", 400, "E0000001"),
    ("TestResourceSetAPIResource.test_resource_set_error_handling.yaml", "GET", r"^/api/v1/iam/resource-sets/", 404, "E0000007"),
    ("TestApplicationSSOPublicKeysResource.test_sso_public_keys_lifecycle.yaml", "POST", r"/credentials/jwks$", 400, "E0000001"),
    ("TestResourceSetAPIResource.test_resource_set_bindings_basic_operations.yaml", "POST", r"/bindings$", 404, "E0000007"),
)


def _cassettes() -> list[Path]:
    return sorted(CASSETTES.glob("*/*.yaml"))


def _not_implemented(interaction: object) -> str | None:
    path = getattr(interaction, "path")
    return next((why for pattern, why in NOT_IMPLEMENTED if re.search(pattern, path)), None)


@pytest.fixture(scope="module")
def replay_emulator() -> Iterator[RunningEmulator]:
    """A fresh org per cassette (reset), no rate limits (a cassette's pace is not the point here)."""
    with start_emulator(seed="empty", rate_limits="off") as emulator:
        yield emulator


@pytest.fixture(scope="module")
def replayed(replay_emulator: RunningEmulator) -> dict[str, list[object]]:
    """Every cassette replayed once: cassette name -> outcomes."""
    from fidelity.replay import Replayer, load_cassette  # pylint: disable=import-outside-toplevel
    replayer = Replayer(replay_emulator.url, replay_emulator.admin_token, replay_emulator.reset,
                        lambda: replay_emulator.control("GET", "health")["org_id"], _not_implemented)
    try:
        return {path.name: replayer.replay(load_cassette(path)) for path in _cassettes()}
    finally:
        replayer.close()


@pytest.mark.parametrize("cassette", [path.name for path in _cassettes()] or ["(no cassettes)"])
def test_cassette_replays_with_the_recorded_answers(cassette: str, replayed: dict[str, list[object]]) -> None:
    problems = []
    for outcome in replayed[cassette]:
        for difference in getattr(outcome, "differences"):
            if not any(re.search(era.cassettes, cassette) and re.search(era.difference, difference) for era in OLDER_SHAPES):
                interaction = getattr(outcome, "interaction")
                problems.append("%s %s %s: %s" % (interaction.where(), interaction.method, interaction.path, difference))
    assert not problems, "\n".join(problems)


def test_every_recorded_endpoint_is_replayed_or_documented(replayed: dict[str, list[object]]) -> None:
    """Each (method, spec operation, status) of the cassettes was replayed, or is a documented exclusion."""
    documents = specs()
    replayed_keys: dict[tuple[str, str, int], int] = collections.Counter()
    excluded: dict[tuple[str, str, int], str] = {}
    for outcomes in replayed.values():
        for outcome in outcomes:
            interaction = getattr(outcome, "interaction")
            operation, template = documents.operation(interaction.method, interaction.path)
            key = (interaction.method, operation.template if operation else template or interaction.path, interaction.status)
            if getattr(outcome, "skipped"):
                excluded[key] = getattr(outcome, "skipped")
            else:
                replayed_keys[key] += 1
    assert len(replayed_keys) >= 50, sorted(replayed_keys)
    assert not set(excluded) & set(replayed_keys)
    assert set(excluded.values()) <= {why for _pattern, why in NOT_IMPLEMENTED}


@pytest.mark.parametrize("cassette,method,path,status,code", RECORDED_ERRORS)
def test_recorded_error_answers_are_reproduced(cassette: str, method: str, path: str, status: int, code: str,
                                               replayed: dict[str, list[object]]) -> None:
    matching = [outcome for outcome in replayed[cassette]
                if getattr(outcome, "interaction").method == method and re.search(path, getattr(outcome, "interaction").path)
                and getattr(outcome, "interaction").status == status]
    assert matching, "no recorded %s %s %s in %s" % (method, path, status, cassette)
    for outcome in matching:
        assert getattr(outcome, "status") == status and not getattr(outcome, "differences"), getattr(outcome, "differences")
        assert code in (getattr(outcome, "interaction").response_body or "")
