# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Custom authorization servers (read only): what proves that an org has API Access Management.

Custom authorization servers are the API Access Management feature ("API Access Management — a requirement for
Custom Authorization Servers — is an optional add-on in production", okta-developer-docs PR #2849), so the
authorization-server API is where its absence shows: without the feature (``--no-api-access-management``) every call
is 401 E0000015 "You do not have permission to access the feature you are requesting" (SPEC
``components.responses.Error-FF-NotEnabled-Response-401``, DD-ERR). With it, the org has the ``default`` server as
every such org does (terraform-provider-okta's ``okta_auth_server_default`` resource reads it by the name ``default``
and never deletes it: "Default authorization server can not be removed").

Operations: SPEC ``listAuthorizationServers`` (``q`` on name and audiences, ``limit`` default and maximum 200,
``after``; ``Link`` header as recorded) and ``getAuthorizationServer`` (by id, or ``default``), scope
okta.authorizationServers.read. Shape as recorded: TF-VCR ``TestAccDataSourceOktaAuthServer_read``
(terraform-provider-okta ``test/fixtures/vcr/idaas/TestAccDataSourceOktaAuthServer_read/oie-00.yaml`` @52b8cfb3, 2025-03),
``default`` included.
"""
from __future__ import annotations

from typing import Any

from .common import parse_timestamp, okta_timestamp
from .context import OrgContext, link_headers, page_after, page_limit
from .errors import OktaApiError, not_found
from .routing import Request, Response, Router
from .state import AuthorizationServer

SERVERS_PAGE = 200
KEY_ROTATION_SECONDS = 90 * 86400


def feature_not_enabled() -> OktaApiError:
    """E0000015 (401): the org lacks the feature (SPEC ``Error-FF-NotEnabled-Response-401``)."""
    return OktaApiError(401, "E0000015", "You do not have permission to access the feature you are requesting")


class AuthorizationServersApi:
    """``GET /api/v1/authorizationServers[/{authServerId}]``."""

    def __init__(self, ctx: OrgContext) -> None:
        self.ctx = ctx

    def register(self, router: Router) -> None:
        """Scope okta.authorizationServers.read."""
        router.add("GET", "/api/v1/authorizationServers", self.list_servers, "okta.authorizationServers")
        router.add("GET", "/api/v1/authorizationServers/{authServerId}", self.get_server, "okta.authorizationServers")

    def _require_feature(self) -> None:
        if not self.ctx.settings.api_access_management:
            raise feature_not_enabled()

    def render(self, server: AuthorizationServer) -> dict[str, Any]:
        """An AuthorizationServer as recorded: signing key rotated AUTO every 90 days, ``default``, the recorded links."""
        api = self.ctx.urls.org("/api/v1/authorizationServers/" + server.id)
        metadata = self.ctx.urls.org("/oauth2/%s/.well-known/" % server.id)
        rotated = parse_timestamp(server.created)
        return {
            "id": server.id, "name": server.name, "description": server.description, "audiences": server.audiences,
            "issuer": self.ctx.urls.org(server.issuer_path), "issuerMode": "ORG_URL", "status": server.status,
            "created": server.created, "lastUpdated": server.last_updated,
            "credentials": {"signing": {"kid": server.signing_kid, "rotationMode": "AUTO", "lastRotated": server.created,
                                        "nextRotation": okta_timestamp(rotated + KEY_ROTATION_SECONDS)}},
            "default": server.default,
            "_links": {
                "rotateKey": {"href": api + "/credentials/lifecycle/keyRotate", "hints": {"allow": ["POST"]}},
                "metadata": [{"name": name, "href": metadata + name, "hints": {"allow": ["GET"]}}
                             for name in ("oauth-authorization-server", "openid-configuration")],
                "keys": {"href": api + "/credentials/keys", "hints": {"allow": ["GET"]}},
                "claims": {"href": api + "/claims", "hints": {"allow": ["GET", "POST"]}},
                "policies": {"href": api + "/policies", "hints": {"allow": ["GET", "POST"]}},
                "self": {"href": api, "hints": {"allow": ["GET", "DELETE", "PUT"]}},
                "scopes": {"href": api + "/scopes", "hints": {"allow": ["GET", "POST"]}},
                "deactivate": {"href": api + "/lifecycle/deactivate", "hints": {"allow": ["POST"]}},
            },
        }

    def list_servers(self, request: Request) -> Response:
        """The org's custom authorization servers (a plain array)."""
        self._require_feature()
        servers = self.ctx.state.authorization_servers
        query = (request.query_value("q") or "").lower()

        def accept(server_id: str) -> bool:
            server = servers[server_id]
            return not query or query in server.name.lower() or any(query in audience.lower() for audience in server.audiences)

        page, more = page_after(sorted(servers), request.query_value("after"), page_limit(request, SERVERS_PAGE, SERVERS_PAGE), accept)
        return Response(200, [self.render(servers[server_id]) for server_id in page],
                        link_headers(self.ctx.urls.org_url, request, page[-1] if more else None))

    def get_server(self, request: Request) -> Response:
        """By id; ``default`` names the default server."""
        self._require_feature()
        wanted = request.param("authServerId")
        servers = self.ctx.state.authorization_servers.values()
        server = next((item for item in servers if item.id == wanted or (wanted == "default" and item.default)), None)
        if server is None:
            raise not_found(wanted, "AuthorizationServer")
        return Response(200, self.render(server))
