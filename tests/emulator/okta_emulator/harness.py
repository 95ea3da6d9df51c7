# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Start and stop the emulator from tests (``start_emulator``) or from shell scripts:

    python -m okta_emulator.harness start --pidfile F --urlfile F [--cafile F] [--logfile F] [emulator options]
    python -m okta_emulator.harness stop --pidfile F

The process is always stopped by its PID (SIGTERM, then SIGKILL after a grace period).
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from typing import Any

EMULATOR_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_ADMIN_TOKEN = "emulator-admin-token"
STOP_GRACE_SECONDS = 10.0


def option_arguments(options: dict[str, Any]) -> list[str]:
    """Keyword options as command-line flags: ``seed="demo"`` -> ``--seed demo``, ``tls=True`` -> ``--tls``,
    lists repeat the flag."""
    arguments: list[str] = []
    for name, value in options.items():
        flag = "--" + name.replace("_", "-")
        if value is True:
            arguments.append(flag)
        elif isinstance(value, (list, tuple)):
            for item in value:
                arguments += [flag, str(item)]
        elif value is not None and value is not False:
            arguments += [flag, str(value)]
    return arguments


def _environment() -> dict[str, str]:
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [EMULATOR_DIR, environment.get("PYTHONPATH")]))
    return environment


def _wait_for_ready(ready_file: str, process: subprocess.Popen[bytes], error_file: str, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.path.exists(ready_file):
            with open(ready_file, encoding="utf-8") as stream:
                return stream.read().strip()
        if process.poll() is not None:
            with open(error_file, encoding="utf-8", errors="replace") as stream:
                raise RuntimeError("the emulator exited with %s:\n%s" % (process.returncode, stream.read()))
        time.sleep(0.02)
    process.kill()
    raise RuntimeError("the emulator did not get ready within %.0fs" % timeout)


def stop_pid(pid: int, grace: float = STOP_GRACE_SECONDS) -> None:
    """SIGTERM the process, wait for it to go, SIGKILL it if it does not."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        try:
            finished, _status = os.waitpid(pid, os.WNOHANG)
            if finished == pid:
                return
        except ChildProcessError:
            # Not our child (started by another harness process): poll for its disappearance.
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
        time.sleep(0.05)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


class RunningEmulator:
    """A started emulator: its URL, PID, CA file and admin token, and the control API."""

    def __init__(self, url: str, process: subprocess.Popen[bytes], workdir: tempfile.TemporaryDirectory[str],
                 ca_path: str | None, admin_token: str) -> None:
        self.url = url
        self.pid = process.pid
        self.ca_path = ca_path
        self.admin_token = admin_token
        self._process = process
        self._workdir = workdir
        self._ssl_context = ssl.create_default_context(cafile=ca_path) if ca_path else None

    def control(self, method: str, name: str, payload: Any = None) -> Any:
        """Call ``/_emulator/{name}``; the decoded JSON answer (None for 204)."""
        data = None if payload is None else json.dumps(payload).encode("utf-8")
        request = urllib.request.Request(self.url + "/_emulator/" + name, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30, context=self._ssl_context) as response:
                body = response.read()
        except urllib.error.HTTPError as error:
            raise RuntimeError("control API %s %s failed: %s %s" % (method, name, error.code, error.read().decode())) from None
        return json.loads(body) if body else None

    def log(self, since: int = 0) -> list[dict[str, Any]]:
        """The request log after sequence number ``since``."""
        return self.control("GET", "log?since=%d" % since)

    def clear_log(self) -> None:
        """Empty the request log."""
        self.control("DELETE", "log")

    def state(self) -> dict[str, Any]:
        """All objects of the org."""
        return self.control("GET", "state")

    def stats(self) -> dict[str, dict[str, int]]:
        """Request counts by method, path template and status."""
        return self.control("GET", "stats")

    def set_faults(self, rules: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Replace the fault plan."""
        return self.control("POST", "faults", rules)

    def settings(self, **changes: Any) -> dict[str, Any]:
        """Change runtime settings (no arguments: read them)."""
        return self.control("POST", "settings", changes) if changes else self.control("GET", "settings")

    def reset(self) -> None:
        """Back to the seed org, start-up settings and fault plan."""
        self.control("POST", "reset")

    def seed_api_token(self, owner: str, **fields: Any) -> dict[str, Any]:
        """An API token of ``owner`` (login or id): ``name``, ``token`` (the secret), ``created_days_ago``,
        ``last_used_days_ago``, ``network``; the token as ``GET /api/v1/api-tokens/{id}`` answers it, plus ``token``."""
        return self.control("POST", "api-tokens", {"owner": owner, **fields})

    def host_jwks(self, name: str, keys: list[dict[str, Any]]) -> str:
        """Serve ``{"keys": keys}`` at ``/_emulator/jwks/{name}``, as a vendor publishes its keys; the URL, for an app's
        ``jwks_uri``."""
        return str(self.control("PUT", "jwks/" + name, {"keys": keys})["url"])

    def stop(self) -> None:
        """Stop by PID and remove the working directory."""
        stop_pid(self.pid)
        self._process.wait(timeout=STOP_GRACE_SECONDS)
        self._workdir.cleanup()

    def __enter__(self) -> RunningEmulator:
        return self

    def __exit__(self, *_exc_info: object) -> None:
        self.stop()


def start_emulator(timeout: float = 30.0, **options: Any) -> RunningEmulator:
    """Start ``python -m okta_emulator`` with these options (``seed="empty"``, ``tls=True``, ...) and wait until it
    listens. With ``tls=True`` and no ``ca_out``, the CA is written into a private temporary directory."""
    workdir = tempfile.TemporaryDirectory(prefix="okta-emulator-")
    ready_file = os.path.join(workdir.name, "url")
    error_file = os.path.join(workdir.name, "stderr.log")
    if options.get("tls") and not options.get("ca_out"):
        options["ca_out"] = os.path.join(workdir.name, "ca.pem")
    admin_tokens = options.get("admin_token") or [DEFAULT_ADMIN_TOKEN]
    command = [sys.executable, "-m", "okta_emulator", *option_arguments(options), "--ready-file", ready_file]
    with open(error_file, "wb") as errors:
        process = subprocess.Popen(command, env=_environment(), stdout=subprocess.DEVNULL, stderr=errors)  # pylint: disable=consider-using-with
    url = _wait_for_ready(ready_file, process, error_file, timeout)
    token = admin_tokens[0] if isinstance(admin_tokens, (list, tuple)) else admin_tokens
    return RunningEmulator(url, process, workdir, options.get("ca_out"), token)


def _start_detached(arguments: argparse.Namespace, emulator_arguments: list[str]) -> int:
    ready_file = arguments.urlfile + ".ready"
    if os.path.exists(ready_file):
        os.unlink(ready_file)
    if arguments.cafile:
        emulator_arguments += ["--tls", "--ca-out", arguments.cafile]
    log_path = arguments.logfile or arguments.pidfile + ".log"
    with open(log_path, "ab") as log:
        command = [sys.executable, "-m", "okta_emulator", *emulator_arguments, "--ready-file", ready_file]
        process = subprocess.Popen(command, env=_environment(), stdin=subprocess.DEVNULL, stdout=log, stderr=log,  # pylint: disable=consider-using-with
                                   start_new_session=True)
    url = _wait_for_ready(ready_file, process, log_path, arguments.timeout)
    os.replace(ready_file, arguments.urlfile)
    with open(arguments.pidfile, "w", encoding="utf-8") as stream:
        stream.write(str(process.pid))
    print(url)
    return 0


def _stop(arguments: argparse.Namespace) -> int:
    try:
        with open(arguments.pidfile, encoding="utf-8") as stream:
            pid = int(stream.read().strip())
    except FileNotFoundError:
        print("no pid file %s: nothing to stop" % arguments.pidfile, file=sys.stderr)
        return 0
    stop_pid(pid)
    os.unlink(arguments.pidfile)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """``start`` / ``stop`` for shell-based integration targets."""
    parser = argparse.ArgumentParser(prog="python -m okta_emulator.harness", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    start = commands.add_parser("start", help="start detached; write the PID and URL files; other options go to the emulator")
    start.add_argument("--pidfile", required=True)
    start.add_argument("--urlfile", required=True)
    start.add_argument("--cafile", help="serve HTTPS and write the CA certificate here")
    start.add_argument("--logfile", help="the emulator's stdout and stderr (default: PIDFILE.log)")
    start.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for it to listen")
    stop = commands.add_parser("stop", help="stop the emulator whose PID is in the file")
    stop.add_argument("--pidfile", required=True)
    arguments, emulator_arguments = parser.parse_known_args(argv)
    if arguments.command == "start":
        return _start_detached(arguments, [item for item in emulator_arguments if item != "--"])
    if emulator_arguments:
        parser.error("unrecognized arguments: %s" % " ".join(emulator_arguments))
    return _stop(arguments)


if __name__ == "__main__":
    sys.exit(main())
