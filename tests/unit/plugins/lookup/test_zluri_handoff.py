# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role reads the last hand-off through this lookup: the bundle as zluri_connection wrote it, else {}."""

from __future__ import annotations

import json
from pathlib import Path

from ansible_collections.saasops.okta_m2m.plugins.lookup.zluri_handoff import LookupModule
from ansible_collections.saasops.okta_m2m.plugins.module_utils.zluri import write_bundle


def test_bundles_as_written_and_nothing_for_missing_or_broken_files(tmp_path: Path) -> None:
    written = str(tmp_path / "out" / "zluri-handoff.json")
    bundle = {"form": {"Key ID": "k1", "Modulus": "abc"}, "okta": {"app_id": "0oa1", "retired_keys": [{"kid": "old", "thumbprint": "t"}]}}
    write_bundle(written, bundle)
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    found = LookupModule().run([written, str(tmp_path / "missing.json"), str(broken)], variables={})
    assert found == [json.loads(json.dumps(bundle)), {}, {}]
