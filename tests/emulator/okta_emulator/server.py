# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP plumbing: the threaded server, the per-request pipeline, authentication, and the control API.

Pipeline of an Okta request: concurrency limit -> fault plan (before) -> rate limit -> route -> authenticate ->
authorize -> handler (under the state lock) -> persistence -> after-write faults -> headers, latency, log.
"""
from __future__ import annotations

import collections
import dataclasses
import json
import os
import socket
import ssl
import struct
import sys
import threading
import time
import traceback
import urllib.parse
import uuid
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .api_tokens import ApiTokensApi
from .apps import AppsApi
from .authorization_servers import AuthorizationServersApi
from .authz import authorize
from .config import OrgUrls, Settings, is_loopback_host
from .context import OrgContext
from .directory import DirectoryApi
from .errors import OAuthError, OktaApiError, authentication_failed, invalid_token, rate_limited
from .faults import FaultPlan, FaultRule
from .iam import IamApi
from .jwks_uri import JwksUriFetcher
from .oauth import TokenService
from .ratelimit import RateLimiter, bucket_for, limit_for
from .routing import Principal, Request, Response, Router
from .seed import build_state, complete_org
from .state import OrgState
from .tls import server_context
from .traffic import recorder_from, redact_argv
from .zluri import ZLURI_PREFIX, ZluriStub

CONTROL_PREFIX = "/_emulator/"
HOSTED_JWKS = "jwks"
SERVER_ERROR_SUMMARIES = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}


@dataclasses.dataclass(frozen=True)
class EmulatorOptions:
    """Start-up options (the command line)."""

    host: str = "127.0.0.1"
    port: int = 0
    tls: bool = False
    ca_out: str | None = None
    admin_tokens: tuple[str, ...] = ("emulator-admin-token",)
    readonly_tokens: tuple[str, ...] = ()
    org_admin_tokens: tuple[str, ...] = ()
    seed: str = "demo"
    groups: int = 50000
    state_file: str | None = None
    faults_file: str | None = None
    org_host: str | None = None
    ready_file: str | None = None
    zluri_api_keys: tuple[str, ...] = ("emulator-zluri-key",)
    traffic_dir: str | None = None
    settings: Settings = dataclasses.field(default_factory=Settings)


@dataclasses.dataclass
class Exchange:
    """What the request log and the stats record about one request."""

    seq: int
    method: str
    path: str
    query: str
    started: float
    template: str = ""
    bucket: str | None = None
    principal: str | None = None
    fault: str | None = None
    status: int = 0
    # For a call a rate limit refused: when the refusing window resets (X-Rate-Limit-Reset).
    rate_reset: int | None = None


class RequestLog:
    """Every non-control request, in order, with per-template status counts."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[dict[str, Any]] = []
        self._next_seq = 1
        self._stats: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)

    def next_seq(self) -> int:
        """A sequence number for a new request."""
        with self._lock:
            seq = self._next_seq
            self._next_seq += 1
            return seq

    def record(self, exchange: Exchange) -> None:
        """Store a finished request."""
        entry = {"seq": exchange.seq, "method": exchange.method, "path": exchange.path, "query": exchange.query,
                 "status": exchange.status, "principal": exchange.principal, "bucket": exchange.bucket, "ts": exchange.started,
                 "duration_ms": round((time.time() - exchange.started) * 1000, 2), "fault": exchange.fault,
                 "rate_reset": exchange.rate_reset}
        with self._lock:
            self._entries.append(entry)
            self._stats["%s %s" % (exchange.method, exchange.template or exchange.path)][str(exchange.status)] += 1

    def since(self, seq: int) -> list[dict[str, Any]]:
        """Entries after a sequence number."""
        with self._lock:
            return [entry for entry in self._entries if entry["seq"] > seq]

    def clear(self) -> None:
        """Forget entries and stats (sequence numbers keep growing)."""
        with self._lock:
            self._entries.clear()
            self._stats.clear()

    def stats(self) -> dict[str, dict[str, int]]:
        """Counts by ``METHOD /path/{template}`` and status."""
        with self._lock:
            return {key: dict(counter) for key, counter in sorted(self._stats.items())}


class Emulator:
    """The emulated org and everything around it; ``serve_forever`` runs it."""

    def __init__(self, options: EmulatorOptions) -> None:
        self.options = options
        self.settings = options.settings
        self._initial_settings = dataclasses.replace(options.settings)
        self.state_lock = threading.RLock()
        self.server = _Server(options.host, options.port, self)
        scheme = "https" if options.tls else "http"
        ca_pem = None
        if options.tls:
            context, ca_pem = server_context(options.ca_out, options.org_host)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True, do_handshake_on_connect=False)
        host = options.host if ":" not in options.host else "[%s]" % options.host
        self.listen_url = "%s://%s:%d" % (scheme, host, self.server.server_address[1])
        self.urls = OrgUrls.build(scheme, _with_port(options.org_host, self.server.server_address[1]) if options.org_host
                                  else self.listen_url.split("://", 1)[1])
        if options.state_file and os.path.exists(options.state_file):
            state = OrgState.load(options.state_file)
            complete_org(state, bool(options.org_admin_tokens))
        else:
            state = self._seed()
        self.ctx = OrgContext(state, self.settings, self.urls)
        self.router = Router()
        modules = self.api_modules(self.ctx)
        for module in modules:
            module.register(self.router)
        self.api_tokens, self.tokens = modules[-2], modules[-1]
        self.tokens.jwks_fetcher = JwksUriFetcher(ca_pem)
        # JWK Sets the control API serves as a vendor would (a jwks_uri's document); apart from the org's state, so that
        # the token endpoint, which holds the state lock, can fetch one from this very server.
        self.hosted_jwks: dict[str, Any] = {}
        self._hosted_jwks_lock = threading.Lock()
        self._install_api_tokens()
        self.zluri = ZluriStub(self.ctx, options.zluri_api_keys)
        self.rate_limiter = RateLimiter()
        self.faults = FaultPlan()
        self._initial_faults: Any = []
        if options.faults_file:
            with open(options.faults_file, encoding="utf-8") as stream:
                self._initial_faults = json.load(stream)
        self.faults.replace(self._initial_faults)
        self.log = RequestLog()
        self.traffic = recorder_from(options.traffic_dir, {"url": self.listen_url, "org_url": self.urls.org_url,
                                                           "seed": options.seed, "argv": redact_argv(sys.argv[1:])})
        self._inflight = 0
        self._inflight_lock = threading.Lock()
        self._persist()

    @staticmethod
    def api_modules(ctx: OrgContext) -> tuple[IamApi, AppsApi, DirectoryApi, AuthorizationServersApi, ApiTokensApi, TokenService]:
        """The Okta API, module by module (the API tokens, then the token service last)."""
        return IamApi(ctx), AppsApi(ctx), DirectoryApi(ctx), AuthorizationServersApi(ctx), ApiTokensApi(ctx), TokenService(ctx)

    def _seed(self) -> OrgState:
        return build_state(self.options.seed, self.options.groups, org_admin=bool(self.options.org_admin_tokens))

    def _install_api_tokens(self) -> None:
        """The command line's SSWS tokens, each an API token of its admin (listed by ``GET /api/v1/api-tokens``)."""
        state, options = self.ctx.state, self.options
        owned = []
        for tokens, user_id, name in ((options.admin_tokens, state.super_admin_id, "Emulator admin token"),
                                      (options.readonly_tokens, state.read_only_admin_id, "Emulator read-only token"),
                                      (options.org_admin_tokens, state.org_admin_id, "Emulator org admin token")):
            owned += [(token, user_id, name if index == 1 else "%s %d" % (name, index)) for index, token in enumerate(tokens, 1)]
        self.api_tokens.install(owned)

    def _persist(self) -> None:
        if self.options.state_file:
            self.ctx.state.save(self.options.state_file)

    def serve_forever(self) -> None:
        """Serve until :meth:`shutdown`."""
        self.server.serve_forever(poll_interval=0.2)

    def shutdown(self) -> None:
        """Stop serving (from another thread or a signal handler's helper thread)."""
        self.server.shutdown()
        self.server.server_close()
        if self.traffic is not None:
            self.traffic.close()

    # Concurrency.

    def enter(self) -> bool:
        """Count an in-flight Okta request; False if the concurrency limit is reached."""
        with self._inflight_lock:
            if self._inflight >= self.settings.concurrency_limit:
                return False
            self._inflight += 1
            return True

    def leave(self) -> None:
        """The request has been answered."""
        with self._inflight_lock:
            self._inflight -= 1

    # The Okta pipeline.

    def process(self, request: Request, exchange: Exchange) -> Response | None:
        """Answer one Okta (or Zluri) request; None means: drop the connection without an answer."""
        zluri = _is_zluri(request.path)
        exchange.bucket = "zluri" if zluri else bucket_for(request.method, request.path)
        rule = self.faults.before(request.method, request.path)
        if rule is not None:
            exchange.fault = rule.fault
            if rule.fault in ("latency", "timeout"):
                time.sleep(rule.seconds)
            else:
                return self._fault_response(rule, exchange.bucket)
        if zluri:
            exchange.template = request.path
            response = self.zluri.handle(request)
        else:
            principal = self._rate_principal(request)
            decision = self.rate_limiter.consume(exchange.bucket, self.settings.rate_limits, self.settings.now(), principal,
                                                 self.settings.principal_rate_limit_percent)
            if not decision.allowed:
                exchange.principal, exchange.rate_reset = principal, decision.reset
                return _error_response(rate_limited(decision.headers()))
            response = self._dispatch(request, exchange)
            response.headers.extend(decision.headers().items())
        after = self.faults.after(request.method, request.path)
        if after is not None:
            exchange.fault = after.fault
            return self._fault_response(after, exchange.bucket)
        return response

    def _fault_response(self, rule: FaultRule, bucket: str) -> Response | None:
        if rule.fault == "reset":
            return None
        if rule.fault in ("429", "concurrency_429"):
            limit = 0 if rule.fault == "concurrency_429" else limit_for(self.settings.rate_limits, bucket)
            reset = int(self.settings.now() + rule.seconds + 0.999)
            return _error_response(rate_limited({"X-Rate-Limit-Limit": str(limit), "X-Rate-Limit-Remaining": "0",
                                                 "X-Rate-Limit-Reset": str(reset)}))
        status = int(rule.fault)
        return _error_response(OktaApiError(status, "E0000009", SERVER_ERROR_SUMMARIES[status]))

    def _dispatch(self, request: Request, exchange: Exchange) -> Response:
        try:
            route, params = self.router.match(request.method, request.path)
            exchange.template = route.template
            request.path_params = params
            with self.state_lock:
                if route.authenticated:
                    request.principal = self._authenticate(request)
                    exchange.principal = request.principal.describe()
                    request.visible = authorize(self.ctx.state, self.urls, request.principal, route, params, request.path)
                response = route.handler(request)
                if not request.is_read() and response.status < 400 and route.template != "/oauth2/v1/token":
                    self._persist()
            return response
        except (OktaApiError, OAuthError) as error:
            return _error_response(error)
        except Exception:  # pylint: disable=broad-exception-caught
            # An emulator bug: answer like Okta's 500 and leave the traceback on stderr for whoever debugs.
            traceback.print_exc()
            return _error_response(OktaApiError(500, "E0000009", SERVER_ERROR_SUMMARIES[500]))

    def _authenticate(self, request: Request) -> Principal:
        if not request.header("authorization"):
            raise authentication_failed()
        scheme, credential = _credential(request)
        admin = self.api_tokens.principal(credential) if scheme == "SSWS" and credential else None
        if admin is not None:
            return admin
        if scheme in ("Bearer", "DPoP") and credential:
            return self.tokens.principal(request, scheme, credential)
        raise invalid_token()

    def _rate_principal(self, request: Request) -> str | None:
        """Whose share of a bucket a call uses: the API token's admin or the access token's client, named as the request
        log names principals; None for a call without credentials this org knows (it counts against the org's bucket only)."""
        scheme, credential = _credential(request)
        if scheme == "SSWS":
            token = self.api_tokens.find(credential) if credential else None
            return "user:" + token.user_id if token is not None else None
        client_id = self.tokens.client_of(credential) if scheme in ("Bearer", "DPoP") and credential else None
        return "client:" + client_id if client_id else None

    # The control API.

    def control(self, method: str, path: str, query: dict[str, list[str]], body: bytes) -> Response:
        """``/_emulator/*``: not part of Okta; for tests, benchmarks and the demo."""
        name = path[len(CONTROL_PREFIX):]
        try:
            payload = json.loads(body) if body.strip() else None
        except ValueError:
            return Response(400, {"error": "the body is not JSON"})
        handlers = {
            ("GET", "health"): lambda: Response(200, {"status": "ok", "url": self.listen_url, "org_url": self.urls.org_url,
                                                      "org_id": self.ctx.state.org_id, "settings": self.settings.public_view()}),
            ("GET", "log"): lambda: Response(200, self.log.since(int(query.get("since", ["0"])[0]))),
            ("DELETE", "log"): self._control_clear_log,
            ("GET", "stats"): lambda: Response(200, self.log.stats()),
            ("GET", "state"): self._control_state,
            ("GET", "faults"): lambda: Response(200, self.faults.describe()),
            ("POST", "faults"): lambda: self._control_faults(payload),
            ("GET", "settings"): lambda: Response(200, self.settings.public_view()),
            ("POST", "settings"): lambda: self._control_settings(payload),
            ("POST", "reset"): self._control_reset,
            ("POST", "api-tokens"): lambda: self._control_seed_api_token(payload),
        }
        if name.startswith(HOSTED_JWKS + "/") and name != HOSTED_JWKS + "/":
            return self._control_hosted_jwks(method, name[len(HOSTED_JWKS) + 1:], payload)
        handler = handlers.get((method, name))
        if handler is None:
            return Response(404, {"error": "unknown control endpoint %s %s" % (method, path)})
        return handler()

    def _control_hosted_jwks(self, method: str, name: str, payload: Any) -> Response:
        """``/_emulator/jwks/{name}``: PUT a JWK Set (``{"keys": [...]}``), GET it as a vendor's jwks_uri answers, DELETE it."""
        with self._hosted_jwks_lock:
            if method == "PUT":
                if not isinstance(payload, dict) or not isinstance(payload.get("keys"), list):
                    return Response(400, {"error": "a JWK Set is a JSON object with a keys array"})
                self.hosted_jwks[name] = payload
                return Response(200, {"url": "%s%s%s/%s" % (self.listen_url, CONTROL_PREFIX, HOSTED_JWKS, name), **payload})
            if method == "GET" and name in self.hosted_jwks:
                return Response(200, self.hosted_jwks[name])
            if method == "DELETE" and name in self.hosted_jwks:
                del self.hosted_jwks[name]
                return Response(204)
        return Response(404, {"error": "no JWK Set %s" % name})

    def _control_clear_log(self) -> Response:
        self.log.clear()
        return Response(204)

    def _control_state(self) -> Response:
        with self.state_lock:
            return Response(200, {"org_url": self.urls.org_url, **self.ctx.state.to_json()})

    def _control_faults(self, payload: Any) -> Response:
        try:
            self.faults.replace(payload)
        except ValueError as error:
            return Response(400, {"error": str(error)})
        return Response(200, self.faults.describe())

    def _control_settings(self, payload: Any) -> Response:
        if not isinstance(payload, dict):
            return Response(400, {"error": "settings must be a JSON object"})
        previous_preset = self.settings.rate_limits
        try:
            self.settings.update(payload)
        except ValueError as error:
            return Response(400, {"error": str(error)})
        if self.settings.rate_limits != previous_preset:
            self.rate_limiter.clear()
        return Response(200, self.settings.public_view())

    def _control_seed_api_token(self, payload: Any) -> Response:
        with self.state_lock:
            try:
                answer = self.api_tokens.seed(payload)
            except ValueError as error:
                return Response(400, {"error": str(error)})
            self._persist()
        return Response(201, answer)

    def _control_reset(self) -> Response:
        """Back to the start: a fresh seed org with the command line's API tokens, the start-up settings and fault plan, no
        access tokens, fresh rate windows."""
        with self.state_lock:
            self.ctx.state = self._seed()
            self._install_api_tokens()
            for field in dataclasses.fields(Settings):
                setattr(self.settings, field.name, getattr(self._initial_settings, field.name))
            self.faults.replace(self._initial_faults)
            self.tokens.forget_tokens()
            with self._hosted_jwks_lock:
                self.hosted_jwks.clear()
            self.rate_limiter.clear()
            self._persist()
        return Response(200, {"status": "reset", "org_id": self.ctx.state.org_id})


def _is_zluri(path: str) -> bool:
    return path == ZLURI_PREFIX or path.startswith(ZLURI_PREFIX + "/")


def _with_port(host: str, port: int) -> str:
    """``--org-host`` without a port means the listen port (links must still reach the emulator)."""
    bare = host.rsplit("]", 1)[-1] if host.startswith("[") else host
    return host if ":" in bare else "%s:%d" % (host, port)


def _credential(request: Request) -> tuple[str, str]:
    """The Authorization header's scheme and credential."""
    header = request.header("authorization") or ""
    scheme, _separator, credential = header.partition(" ")
    credential = credential.strip()
    if not credential and header.startswith("SSWS") and len(header) > 4:
        # The official Python SDK (okta 3.x) sends "SSWS<token>" without the space (Configuration.auth_settings:
        # authorization_mode + access_token); the PY-VCR cassettes were recorded against Okta by that client.
        scheme, credential = "SSWS", header[4:].strip()
    return scheme, credential


def _error_response(error: OktaApiError | OAuthError) -> Response:
    return Response(error.status, error.body(), list(error.headers.items()))


class _Server(ThreadingHTTPServer):
    """Threaded, loopback-only, IPv4 or IPv6."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, host: str, port: int, emulator: Emulator) -> None:
        if not is_loopback_host(host):
            raise ValueError("refusing to listen on %r: only 127.0.0.0/8, ::1 and localhost are allowed" % host)
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.emulator = emulator
        super().__init__((host, port), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that hang up mid-answer (or fail the TLS handshake) are not server errors worth a traceback."""
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError, ssl.SSLError)):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    """One connection; keeps it alive between requests (HTTP/1.1)."""

    protocol_version = "HTTP/1.1"
    # Headers and body leave in separate writes; with Nagle on, the client's delayed ACK adds ~40 ms per answer.
    disable_nagle_algorithm = True
    server: _Server

    def do_GET(self) -> None:  # pylint: disable=invalid-name
        """Every method goes through the same pipeline."""
        self._serve()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

    def version_string(self) -> str:
        """``Server: nginx``, as Okta answers."""
        return "nginx"

    def log_message(self, format: str, *args: Any) -> None:  # pylint: disable=redefined-builtin
        """Quiet: the request log (``GET /_emulator/log``) records every request."""

    def date_time_string(self, timestamp: float | None = None) -> str:
        """``Date`` on Okta's (possibly skewed) clock, so ``X-Rate-Limit-Reset - Date`` stays meaningful."""
        return formatdate(self.server.emulator.settings.now() if timestamp is None else timestamp, usegmt=True)

    def setup(self) -> None:
        """Finish the TLS handshake here, in the connection's own thread, not in the accept loop."""
        if isinstance(self.request, ssl.SSLSocket):
            self.request.settimeout(10)
            self.request.do_handshake()
            self.request.settimeout(None)
        super().setup()

    def _serve(self) -> None:
        emulator = self.server.emulator
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if url.path.startswith(CONTROL_PREFIX):
            loopback = is_loopback_host(self.client_address[0])
            answer = emulator.control(self.command, url.path, query, body) if loopback else Response(403, {"error": "loopback only"})
            self._write(answer, uuid.uuid4().hex)
            return
        exchange = Exchange(emulator.log.next_seq(), self.command, url.path, url.query, time.time())
        scheme = emulator.urls.org_url.split("://")[0]
        request = Request(self.command, url.path, query, {key.lower(): value for key, value in self.headers.items()},
                          _header_lists(self.headers.items()), body, "%s://%s" % (scheme, self.headers.get("Host", "")))
        request_id = uuid.uuid4().hex
        response: Response | None
        if not emulator.enter():
            concurrency_headers = {"X-Rate-Limit-Limit": "0", "X-Rate-Limit-Remaining": "0",
                                   "X-Rate-Limit-Reset": str(int(emulator.settings.now()) + 1)}
            response = _error_response(rate_limited(concurrency_headers))
            exchange.fault = "concurrency_limit"
        else:
            try:
                response = emulator.process(request, exchange)
                if emulator.settings.latency_ms:
                    time.sleep(emulator.settings.latency_ms / 1000)
            finally:
                emulator.leave()
        if response is None:
            exchange.status = 0
            self._reset_connection()
        else:
            exchange.status = response.status
            try:
                self._write(response, request_id)
            except OSError:
                # The client gave up (e.g. after a "timeout" fault): the request still belongs in the log.
                self.close_connection = True
        emulator.log.record(exchange)
        if emulator.traffic is not None and not _is_zluri(url.path):
            emulator.traffic.record(
                seq=exchange.seq, method=self.command, path=url.path, query=url.query, request_headers=list(self.headers.items()),
                request_body=body, status=exchange.status, response_headers=_sent_headers(response, request_id),
                response_body=None if response is None else response.body, template=exchange.template, fault=exchange.fault)

    def _write(self, response: Response, request_id: str) -> None:
        payload = response.payload()
        self.send_response(response.status)
        self.send_header("X-Okta-Request-Id", request_id)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(payload)))
        for name, value in response.headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def _reset_connection(self) -> None:
        """Close with RST (SO_LINGER 0) and no answer, like a connection lost mid-request."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
        except OSError:
            pass


def _sent_headers(response: Response | None, request_id: str) -> list[tuple[str, str]]:
    """The headers an answer went out with (as ``_write`` sends them, less ``Date``/``Server``/``Content-Length``)."""
    if response is None:
        return []
    return [("X-Okta-Request-Id", request_id), ("Content-Type", response.content_type), *response.headers]


def _header_lists(items: Any) -> dict[str, list[str]]:
    """Headers that may repeat (``DPoP``), lower-cased name -> values."""
    lists: dict[str, list[str]] = collections.defaultdict(list)
    for name, value in items:
        lists[name.lower()].append(value)
    return dict(lists)
