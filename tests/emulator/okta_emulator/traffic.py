# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Traffic recording: every Okta exchange, appended as one JSON line, for the spec validator.

Switched on by ``--traffic-dir DIR`` or the environment variable ``OKTA_EMULATOR_TRAFFIC_DIR`` (the integration
targets' ``emulator.sh`` sets it). Each emulator process writes its own file ``DIR/traffic-<time>-<pid>.jsonl``:
a first ``{"kind": "start", ...}`` line, then one ``{"kind": "exchange", ...}`` line per request (the control API
and the Zluri stub are not recorded). ``tests/emulator/spec_check.py`` validates these files against the official
OpenAPI specs (see tests/emulator/README.md, "Spec conformance").

Secrets never reach the file: the ``Authorization`` credential (its scheme stays), DPoP proofs, cookies and the
client assertion become ``REDACTED``; in JSON bodies client secrets, access tokens, passwords and private JWK
members become ``X`` characters of the same length (the names stay, so the validator still sees what was sent,
and length checks still apply).
"""
from __future__ import annotations

import json
import os
import threading
import time
import urllib.parse
from typing import Any

TRAFFIC_DIR_ENV = "OKTA_EMULATOR_TRAFFIC_DIR"
# A free-form label for the run (an integration target's name), copied into the start line.
TRAFFIC_LABEL_ENV = "OKTA_EMULATOR_TRAFFIC_LABEL"
REDACTED = "REDACTED"  # for header values and form members (never validated against a schema)
_SECRET_HEADERS = frozenset({"dpop", "cookie", "set-cookie", "api-key", "x-api-key"})
# Command-line options whose value is a credential (their values never reach the start line).
_SECRET_OPTIONS = frozenset({"--admin-token", "--readonly-token", "--org-admin-token", "--zluri-api-key"})
_SECRET_FIELDS = frozenset({"client_secret", "client_assertion", "access_token", "refresh_token", "id_token", "password",
                            "d", "p", "q", "dp", "dq", "qi", "oth", "k", "value"})


def _mask(value: Any) -> Any:
    """A secret string as ``X`` characters of the same length, so the validator's length and pattern checks still apply."""
    return "X" * len(value) if isinstance(value, str) else value


def _redact(value: Any, parent: str | None = None) -> Any:
    """A JSON value with secret members replaced (``value`` only under ``password``, as Okta's credential shape)."""
    if isinstance(value, dict):
        redacted: dict[str, Any] = {}
        for key, item in value.items():
            secret = key in _SECRET_FIELDS and (key != "value" or parent == "password") and item is not None
            redacted[key] = _mask(item) if secret and not isinstance(item, (dict, list)) else _redact(item, key)
        return redacted
    if isinstance(value, list):
        return [_redact(item, parent) for item in value]
    return value


def redact_argv(argv: list[str]) -> list[str]:
    """The command line with every credential option's value redacted (``--admin-token T`` and ``--admin-token=T``)."""
    redacted = []
    for index, argument in enumerate(argv):
        option = argument.split("=", 1)[0]
        if option in _SECRET_OPTIONS and "=" in argument:
            redacted.append(option + "=" + REDACTED)
        elif index and argv[index - 1] in _SECRET_OPTIONS:
            redacted.append(REDACTED)
        else:
            redacted.append(argument)
    return redacted


def redact_headers(headers: list[tuple[str, str]]) -> list[list[str]]:
    """Header pairs in order; credentials keep only their scheme (``SSWS REDACTED``)."""
    cleaned = []
    for name, value in headers:
        lowered = name.lower()
        if lowered == "authorization":
            scheme = value.split(" ", 1)[0] if " " in value.strip() else ""
            value = ("%s %s" % (scheme, REDACTED)).strip()
        elif lowered in _SECRET_HEADERS:
            value = REDACTED
        cleaned.append([name, value])
    return cleaned


def redact_body(body: bytes, content_type: str | None) -> Any:
    """The request body as recorded: ``{"json": ...}``, ``{"form": "a=b&..."}`` or ``{"text": ...}``; None if empty."""
    if not body:
        return None
    text = body.decode("utf-8", "replace")
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media == "application/x-www-form-urlencoded":
        fields = urllib.parse.parse_qsl(text, keep_blank_values=True)
        return {"form": urllib.parse.urlencode([(key, REDACTED if key in _SECRET_FIELDS else value) for key, value in fields])}
    try:
        return {"json": _redact(json.loads(text))}
    except ValueError:
        return {"text": text[:2000]}


class TrafficRecorder:
    """Appends exchanges to one JSONL file; thread-safe; each line is flushed as it is written."""

    def __init__(self, directory: str, info: dict[str, Any]) -> None:
        os.makedirs(directory, exist_ok=True)
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
        self.path = os.path.join(directory, "traffic-%s-%d.jsonl" % (stamp, os.getpid()))
        self._lock = threading.Lock()
        self._stream = open(self.path, "a", encoding="utf-8")  # pylint: disable=consider-using-with
        self._write({"kind": "start", "pid": os.getpid(), "ts": time.time(), "label": os.environ.get(TRAFFIC_LABEL_ENV), **info})

    def _write(self, entry: dict[str, Any]) -> None:
        line = json.dumps(entry, separators=(",", ":"), default=str)
        with self._lock:
            if not self._stream.closed:  # an answer finishing while the server shuts down is not recorded
                self._stream.write(line + "\n")
                self._stream.flush()

    def record(self, *, seq: int, method: str, path: str, query: str, request_headers: list[tuple[str, str]],
               request_body: bytes, status: int, response_headers: list[tuple[str, str]], response_body: Any,
               template: str, fault: str | None) -> None:
        """One exchange (``status`` 0: the connection was dropped without an answer)."""
        headers = dict((name.lower(), value) for name, value in request_headers)
        self._write({
            "kind": "exchange", "seq": seq, "ts": time.time(), "method": method, "path": path, "query": query,
            "request_headers": redact_headers(request_headers),
            "request_body": redact_body(request_body, headers.get("content-type")),
            "status": status, "response_headers": redact_headers(response_headers),
            "response_body": _redact(response_body), "template": template, "fault": fault,
        })

    def close(self) -> None:
        """Flush and close the file."""
        with self._lock:
            self._stream.close()


def recorder_from(directory: str | None, info: dict[str, Any]) -> TrafficRecorder | None:
    """A recorder for ``--traffic-dir`` or, without it, ``$OKTA_EMULATOR_TRAFFIC_DIR``; None when neither is set."""
    directory = directory or os.environ.get(TRAFFIC_DIR_ENV) or None
    return TrafficRecorder(directory, info) if directory else None
