# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Validate recorded Okta traffic against Okta's OpenAPI specs (the contract in tests/emulator/fidelity/contract).

    python tests/emulator/spec_check.py [--spec-dir DIR] [--enforce-clients REGEX] [--report FILE] PATH...

PATH: traffic files (``*.jsonl``, written by the emulator with ``--traffic-dir`` / ``$OKTA_EMULATOR_TRAFFIC_DIR``)
or directories searched for them. Exit status: 0 when every enforced finding is covered by
tests/emulator/fidelity/allowlist.yaml, 1 otherwise, 2 when there is nothing to validate (or the spec is absent).
Needs openapi-core (tests/emulator/requirements.txt).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from fidelity.spec_validator import COLLECTION_CLIENT, SpecValidator  # noqa: E402  pylint: disable=wrong-import-position
from fidelity.specs import Specs, spec_dir, spec_files  # noqa: E402  pylint: disable=wrong-import-position


def main(argv: list[str] | None = None) -> int:
    """Validate, print the report, return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", type=Path, help="traffic files or directories")
    parser.add_argument("--spec-dir", type=Path, default=None,
                        help="the full official YAML documents (default: $OKTA_OPENAPI_DIR, else the contract in the repository)")
    parser.add_argument("--enforce-clients", default=COLLECTION_CLIENT,
                        help="User-Agent regex of the clients whose requests must conform (default: the collection's, %(default)s)")
    parser.add_argument("--report", type=Path, help="also write the report here")
    parser.add_argument("--allow-empty", action="store_true", help="exit 0 when no exchange was found")
    arguments = parser.parse_args(argv)
    directory = arguments.spec_dir or spec_dir()
    if not all(path.exists() for path in spec_files(directory).values()):
        print("spec_check: the OpenAPI specs are not in %s" % directory, file=sys.stderr)
        return 2
    started = time.monotonic()
    validator = SpecValidator(Specs(directory), enforce_clients=arguments.enforce_clients)
    loaded = time.monotonic()
    validator.validate_paths(arguments.paths)
    report = validator.report()
    report += "\n(specs loaded in %.1fs, traffic validated in %.1fs)" % (loaded - started, time.monotonic() - loaded)
    print(report)
    if arguments.report:
        arguments.report.parent.mkdir(parents=True, exist_ok=True)
        arguments.report.write_text(report + "\n", encoding="utf-8")
    if not validator.exchanges:
        print("spec_check: no recorded exchange under %s" % ", ".join(map(str, arguments.paths)), file=sys.stderr)
        return 0 if arguments.allow_empty else 2
    return 1 if validator.failures() else 0


if __name__ == "__main__":
    sys.exit(main())
