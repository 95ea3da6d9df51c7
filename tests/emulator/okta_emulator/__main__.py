# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Command line: ``PYTHONPATH=tests/emulator python -m okta_emulator [options]``."""
from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Sequence
from typing import Any

from .config import RATE_LIMIT_PRESETS, Settings, is_loopback_host
from .seed import SEEDS
from .server import Emulator, EmulatorOptions

DESCRIPTION = """\
A stateful stand-in for the parts of Okta (and Zluri) that saasops.okta_m2m touches. It prints
OKTA_EMULATOR_URL=<base url> once it listens. Control API (no auth, loopback only) under /_emulator/:
health, log, state, faults, settings, reset, stats (see tests/emulator/README.md)."""


def build_parser() -> argparse.ArgumentParser:
    """The documented command line."""
    parser = argparse.ArgumentParser(prog="python -m okta_emulator", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    listen = parser.add_argument_group("listening")
    listen.add_argument("--host", default="127.0.0.1", help="loopback address to listen on: 127.0.0.0/8, ::1 or localhost (default %(default)s)")
    listen.add_argument("--port", type=int, default=0, help="port; 0 picks a free one (default)")
    listen.add_argument("--tls", action="store_true", help="serve HTTPS with a self-signed CA generated at start")
    listen.add_argument("--ca-out", metavar="PATH", help="with --tls: write the CA certificate (PEM) here")
    listen.add_argument("--org-host", metavar="HOST[:PORT]",
                        help="host named in links, issuer and token audience (default: the listen host:port; without a port, the "
                             "listen port is added); IAM role links use {first-label}-admin.{rest} when it is a DNS name with a dot")
    listen.add_argument("--ready-file", metavar="PATH", help="write the base URL here once listening")
    listen.add_argument("--traffic-dir", metavar="DIR",
                        help="record every Okta exchange (secrets redacted) as JSON lines in DIR/traffic-<time>-<pid>.jsonl, "
                             "for tests/emulator/spec_check.py (default: $OKTA_EMULATOR_TRAFFIC_DIR; unset: no recording)")
    auth = parser.add_argument_group("credentials")
    auth.add_argument("--admin-token", action="append", metavar="TOKEN",
                      help="SSWS token of a SUPER_ADMIN user (repeatable; default: emulator-admin-token)")
    auth.add_argument("--readonly-token", action="append", metavar="TOKEN", default=[],
                      help="SSWS token of a READ_ONLY_ADMIN user (repeatable)")
    auth.add_argument("--org-admin-token", action="append", metavar="TOKEN", default=[],
                      help="SSWS token of an ORG_ADMIN user, orgadmin@example.com (repeatable; the user exists only with this option)")
    auth.add_argument("--zluri-api-key", action="append", metavar="KEY",
                      help="api-key accepted by the Zluri stub under /zluri (repeatable; default: emulator-zluri-key)")
    org = parser.add_argument_group("org")
    org.add_argument("--seed", choices=SEEDS, default="demo",
                     help="empty: a new org; demo: ~20 users, 10 groups, apps, log events; large: --groups generated groups (default %(default)s)")
    org.add_argument("--groups", type=int, default=50000, help="number of groups for --seed large (default %(default)s)")
    org.add_argument("--state-file", metavar="PATH", help="load the org from here if it exists; save it after every write (atomically)")
    org.add_argument("--public-client-app-admins", action="store_true",
                     help='org setting "Public client app admins": an okta.* grant makes a service app SUPER_ADMIN')
    org.add_argument("--no-api-access-management", action="store_true",
                     help="org without the API Access Management SKU: API_ACCESS_MANAGEMENT_ADMIN can't be assigned")
    behaviour = parser.add_argument_group("behaviour")
    behaviour.add_argument("--latency-ms", type=int, default=0, help="added to every response")
    behaviour.add_argument("--faults", metavar="PATH", help="JSON fault plan (a list of rules) to start with")
    behaviour.add_argument("--rate-limits", choices=RATE_LIMIT_PRESETS, default="default",
                           help="default: 600/min per bucket; developer: developer-org sizes (IAM 100, apps 10, apps/{id} 50, "
                                "others 100); off: no limits (default %(default)s)")
    behaviour.add_argument("--concurrency-limit", type=int, default=75, help="simultaneous requests before 429 (default %(default)s)")
    behaviour.add_argument("--consistency-delay", type=float, default=0.0, metavar="SECONDS",
                           help="new roles, resource sets, apps and groups stay out of lists and searches this long")
    return parser


def options_from(arguments: argparse.Namespace) -> EmulatorOptions:
    """Validated options from parsed arguments."""
    if not is_loopback_host(arguments.host):
        raise SystemExit("okta_emulator: --host must be a loopback address (127.0.0.0/8, ::1, localhost), not %r" % arguments.host)
    settings = Settings(latency_ms=arguments.latency_ms, rate_limits=arguments.rate_limits,
                        public_client_app_admins=arguments.public_client_app_admins,
                        consistency_delay=arguments.consistency_delay, api_access_management=not arguments.no_api_access_management,
                        concurrency_limit=arguments.concurrency_limit)
    return EmulatorOptions(host=arguments.host, port=arguments.port, tls=arguments.tls, ca_out=arguments.ca_out,
                           admin_tokens=tuple(arguments.admin_token or ("emulator-admin-token",)),
                           readonly_tokens=tuple(arguments.readonly_token), org_admin_tokens=tuple(arguments.org_admin_token),
                           seed=arguments.seed, groups=arguments.groups,
                           state_file=arguments.state_file, faults_file=arguments.faults, org_host=arguments.org_host,
                           ready_file=arguments.ready_file, traffic_dir=arguments.traffic_dir,
                           zluri_api_keys=tuple(arguments.zluri_api_key or ("emulator-zluri-key",)), settings=settings)


def _write_atomically(path: str, text: str) -> None:
    temporary = path + ".tmp"
    with open(temporary, "w", encoding="utf-8") as stream:
        stream.write(text)
    os.replace(temporary, path)


def main(argv: Sequence[str] | None = None) -> int:
    """Run until SIGTERM or SIGINT."""
    options = options_from(build_parser().parse_args(argv))
    emulator = Emulator(options)

    def stop(_signum: int, _frame: Any) -> None:
        # shutdown() waits for serve_forever to return, so it must not run in the thread serving.
        threading.Thread(target=emulator.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print("OKTA_EMULATOR_URL=%s" % emulator.listen_url, flush=True)
    if options.ready_file:
        _write_atomically(options.ready_file, emulator.listen_url)
    emulator.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
