# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A scripted stand-in for requests.Session, so the client is tested without a network."""

from __future__ import annotations

import json
from typing import Any, Callable
from urllib.parse import parse_qs

import requests


class FakeResponse:
    def __init__(self, status: int = 200, body: Any = None, headers: dict[str, str] | None = None) -> None:
        self.status_code = status
        self.headers = dict(headers or {})
        self.content = b"" if body is None else json.dumps(body).encode("utf-8")

    def json(self) -> Any:
        return json.loads(self.content)

    @property
    def text(self) -> str:
        return self.content.decode("utf-8")


class SentRequest:
    def __init__(self, method: str, url: str, headers: dict[str, str], data: Any) -> None:
        self.method = method
        self.url = url
        self.headers = headers
        self.data = data
        self.verify: Any = True

    @property
    def json(self) -> Any:
        return json.loads(self.data)

    @property
    def form(self) -> dict[str, str]:
        if isinstance(self.data, dict):
            return self.data
        return {key: values[0] for key, values in parse_qs(self.data).items()}


class FakeSession:
    """Answers each request with the next scripted item: a FakeResponse, an exception, or a callable(request)."""

    def __init__(self, script: list[Any] | None = None) -> None:
        self.script = list(script or [])
        self.sent: list[SentRequest] = []
        self.headers: dict[str, str] = {}
        self.verify: Any = True

    def add(self, *items: Any) -> FakeSession:
        self.script.extend(items)
        return self

    def request(self, method: str, url: str, headers: dict[str, str] | None = None, data: Any = None, timeout: float | None = None,
                allow_redirects: bool = True, verify: Any = True) -> FakeResponse:
        sent = SentRequest(method, url, dict(headers or {}), data)
        sent.verify = verify
        self.sent.append(sent)
        if not self.script:
            raise AssertionError("unexpected request %s %s" % (method, url))
        item = self.script.pop(0)
        if isinstance(item, BaseException):
            raise item
        if isinstance(item, Callable) and not isinstance(item, FakeResponse):
            return item(sent)
        return item


def connection_reset() -> requests.exceptions.ConnectionError:
    return requests.exceptions.ConnectionError("('Connection aborted.', RemoteDisconnected('Remote end closed connection without response'))")


def connection_refused() -> requests.exceptions.ConnectionError:
    return requests.exceptions.ConnectionError("HTTPConnectionPool: Max retries exceeded (Caused by NewConnectionError('Connection refused'))")
