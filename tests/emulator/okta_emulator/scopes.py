# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Okta API scopes an app can be granted: ``components.securitySchemes.oauth2`` of the Management API spec
(management-minimal.yaml 2026.06.3, kept in fidelity/contract/management.json). A test checks this list against the spec."""
from __future__ import annotations

OKTA_API_SCOPES = frozenset({
    "okta.agentPools.manage", "okta.agentPools.read", "okta.apiTokens.manage", "okta.apiTokens.read", "okta.appGrants.manage", "okta.appGrants.read",
    "okta.apps.interclientTrust.manage", "okta.apps.interclientTrust.read", "okta.apps.manage", "okta.apps.read", "okta.authenticators.manage",
    "okta.authenticators.read", "okta.authorizationServers.manage", "okta.authorizationServers.read", "okta.behaviors.manage", "okta.behaviors.read",
    "okta.botProtection.manage", "okta.botProtection.read", "okta.brands.manage", "okta.brands.read", "okta.captchas.manage", "okta.captchas.read",
    "okta.customTelephonyProvider.manage", "okta.customTelephonyProvider.read", "okta.deviceAssurance.manage", "okta.deviceAssurance.read",
    "okta.deviceIntegrations.manage", "okta.deviceIntegrations.read", "okta.devicePostureChecks.manage", "okta.devicePostureChecks.read",
    "okta.devices.manage", "okta.devices.read", "okta.directories.groups.manage", "okta.directories.groups.read", "okta.domains.manage",
    "okta.domains.read", "okta.dr.manage", "okta.dr.read", "okta.emailDomains.manage", "okta.emailDomains.read", "okta.emailServers.manage",
    "okta.emailServers.read", "okta.eventHooks.manage", "okta.eventHooks.read", "okta.features.manage", "okta.features.read", "okta.groups.manage",
    "okta.groups.read", "okta.identitySources.manage", "okta.identitySources.read", "okta.idps.manage", "okta.idps.read", "okta.inlineHooks.manage",
    "okta.inlineHooks.read", "okta.linkedObjects.manage", "okta.linkedObjects.read", "okta.logStreams.manage", "okta.logStreams.read", "okta.logs.read",
    "okta.networkZones.manage", "okta.networkZones.read", "okta.oauthIntegrations.manage", "okta.oauthIntegrations.read", "okta.orgs.manage",
    "okta.orgs.read", "okta.personal.adminSettings.manage", "okta.personal.adminSettings.read", "okta.policies.manage", "okta.policies.read",
    "okta.principalRateLimits.manage", "okta.principalRateLimits.read", "okta.profileMappings.manage", "okta.profileMappings.read",
    "okta.pushProviders.manage", "okta.pushProviders.read", "okta.rateLimits.manage", "okta.rateLimits.read", "okta.realmAssignments.manage",
    "okta.realmAssignments.read", "okta.realms.manage", "okta.realms.read", "okta.roles.manage", "okta.roles.read", "okta.schemas.manage",
    "okta.schemas.read", "okta.securityEventsProviders.manage", "okta.securityEventsProviders.read", "okta.serviceAccounts.manage",
    "okta.serviceAccounts.okta.manage", "okta.serviceAccounts.okta.read", "okta.serviceAccounts.read", "okta.sessions.manage", "okta.sessions.read",
    "okta.templates.manage", "okta.templates.read", "okta.threatInsights.manage", "okta.threatInsights.read", "okta.trustedOrigins.manage",
    "okta.trustedOrigins.read", "okta.uischemas.manage", "okta.uischemas.read", "okta.userRisk.manage", "okta.userRisk.read", "okta.userTypes.manage",
    "okta.userTypes.read", "okta.users.manage", "okta.users.read", "ssf.manage", "ssf.read"
})
