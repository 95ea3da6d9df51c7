# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Okta's two error dialects: the Management API error object and RFC 6749 OAuth errors.

Codes and summaries come from Okta's error catalog (okta-developer-docs data/error-codes.json), the
recordings in fidelity/recordings and docs/okta-api.md section 2.1.
"""
from __future__ import annotations

from typing import Any

from .common import random_text


class OktaApiError(Exception):
    """An error answered as ``{"errorCode","errorSummary","errorLink","errorId","errorCauses"}``."""

    def __init__(self, status: int, code: str, summary: str, causes: tuple[str, ...] = (),
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(summary)
        self.status = status
        self.code = code
        self.summary = summary
        self.causes = causes
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        """The JSON body exactly as Okta shapes it; ``errorId`` is new for every answer, as in the recordings."""
        return {
            "errorCode": self.code,
            "errorSummary": self.summary,
            "errorLink": self.code,
            "errorId": "oae" + random_text(22),
            "errorCauses": [{"errorSummary": cause} for cause in self.causes],
        }


class OAuthError(Exception):
    """An RFC 6749 error ``{"error","error_description"}`` from the token endpoint or DPoP checks."""

    def __init__(self, status: int, error: str, description: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.error = error
        self.description = description
        self.headers = headers or {}

    def body(self) -> dict[str, str]:
        """The JSON body."""
        return {"error": self.error, "error_description": self.description}


def validation_failed(subject: str, *causes: str) -> OktaApiError:
    """E0000001, e.g. ``Api validation failed: label`` with cause ``label: ...``."""
    return OktaApiError(400, "E0000001", "Api validation failed: " + subject, tuple(causes))


def malformed_body() -> OktaApiError:
    """E0000003: the body is not JSON (or not the JSON type the operation needs)."""
    return OktaApiError(400, "E0000003", "The request body was not well-formed.")


def not_found(resource_id: str, type_name: str) -> OktaApiError:
    """E0000007 as recorded: ``Not found: Resource not found: {id} ({Type})``."""
    return OktaApiError(404, "E0000007", "Not found: Resource not found: %s (%s)" % (resource_id, type_name))


def path_not_found() -> OktaApiError:
    """E0000008: no such endpoint."""
    return OktaApiError(404, "E0000008", "The requested path was not found")


def method_not_allowed() -> OktaApiError:
    """E0000022: the path exists, the method does not."""
    return OktaApiError(405, "E0000022", "The endpoint does not support the provided HTTP method")


def access_denied(headers: dict[str, str] | None = None) -> OktaApiError:
    """E0000006: a missing scope or a missing admin permission."""
    return OktaApiError(403, "E0000006", "You do not have permission to perform the requested action", headers=headers)


def invalid_token(headers: dict[str, str] | None = None) -> OktaApiError:
    """E0000011: unknown SSWS token, or an invalid or expired access token."""
    return OktaApiError(401, "E0000011", "Invalid token provided", headers=headers)


def authentication_failed() -> OktaApiError:
    """E0000004: no credentials at all."""
    return OktaApiError(401, "E0000004", "Authentication failed")


def invalid_search(summary: str = "Invalid search criteria.") -> OktaApiError:
    """E0000031: a ``search``/``filter`` expression that does not parse or names an unsupported property."""
    return OktaApiError(400, "E0000031", summary)


def rate_limited(headers: dict[str, str]) -> OktaApiError:
    """E0000047 (429)."""
    return OktaApiError(429, "E0000047", "API call exceeded rate limit due to too many requests.", headers=headers)
