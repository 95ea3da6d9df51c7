# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Seed orgs: ``empty`` (what a new org has), ``demo`` (a small realistic org), ``large`` (N groups, fast)."""
from __future__ import annotations

import time
from typing import Any

from .common import new_id, okta_timestamp, random_text
from .state import App, AuthorizationServer, Group, OrgState, ResourceSet, User, UserRoleAssignment, WORKFLOWS_RESOURCE_SET_ID

SEEDS = ("empty", "demo", "large")

DEMO_PEOPLE = (
    ("Ada", "Lovelace", "Engineering"), ("Grace", "Hopper", "Engineering"), ("Alan", "Turing", "Engineering"),
    ("Linus", "Torvalds", "Engineering"), ("Margaret", "Hamilton", "Engineering"), ("Katherine", "Johnson", "Finance"),
    ("John", "Nash", "Finance"), ("Mary", "Jackson", "Finance"), ("Claude", "Shannon", "IT"), ("Dennis", "Ritchie", "IT"),
    ("Barbara", "Liskov", "Security"), ("Radia", "Perlman", "Security"), ("Tim", "Berners-Lee", "Sales"),
    ("Vint", "Cerf", "Sales"), ("Frances", "Allen", "Marketing"), ("Hedy", "Lamarr", "Marketing"),
    ("Edsger", "Dijkstra", "Support"), ("Donald", "Knuth", "Support"), ("Sophie", "Wilson", "HR"), ("Ken", "Thompson", "Contractors"),
)
DEMO_GROUPS = ("Engineering", "Finance", "Sales", "Marketing", "HR", "IT", "Security", "Support", "Contractors")


def _org(org_admin: bool) -> OrgState:
    """What every new org has: the admins behind the SSWS tokens, Everyone, the standard Workflows resource set."""
    suffix = random_text(1, "0123456789") + random_text(1, "abcdefghijklmnopqrstuvwxyz") + random_text(1, "0123456789")
    state = OrgState(org_id=new_id("00o", suffix), id_suffix=suffix)
    everyone = Group(state.new_id("00g"), "BUILT_IN", okta_timestamp(0), okta_timestamp(0), okta_timestamp(0),
                     {"name": "Everyone", "description": "All users in your organization"})
    state.add_group(everyone)
    state.super_admin_id = _add_user(state, "Org", "Admin", "admin@example.com").id
    state.read_only_admin_id = _add_user(state, "Read", "Only", "readonly@example.com").id
    state.resource_sets[WORKFLOWS_RESOURCE_SET_ID] = ResourceSet(WORKFLOWS_RESOURCE_SET_ID, "Workflows Resource Set",
                                                                 "A resource set managed by Workflows Administrator", None, None)
    complete_org(state, org_admin)
    return state


def complete_org(state: OrgState, org_admin: bool) -> None:
    """Add what an org of this emulator has and ``state`` lacks (a state file of an older emulator lacks some): the admins'
    standard roles, the Org Administrator behind ``--org-admin-token`` when there is one, the ``default`` authorization
    server."""
    if org_admin and state.org_admin_id not in state.users:
        state.org_admin_id = _add_user(state, "Organization", "Admin", "orgadmin@example.com").id
    held = {(assignment.user_id, assignment.role_type) for assignment in state.user_roles}
    for user_id, role_type in ((state.super_admin_id, "SUPER_ADMIN"), (state.read_only_admin_id, "READ_ONLY_ADMIN"),
                               (state.org_admin_id, "ORG_ADMIN")):
        if user_id in state.users and (user_id, role_type) not in held:
            created = state.users[user_id].created
            state.user_roles.append(UserRoleAssignment(user_id, role_type, created, created))
    if not any(server.default for server in state.authorization_servers.values()):
        _add_default_authorization_server(state)


def _add_default_authorization_server(state: OrgState) -> None:
    """The custom authorization server every org with API Access Management has, named ``default`` (issuer
    ``{org}/oauth2/default``, audience ``api://default``, the description terraform-provider-okta's
    ``okta_auth_server_default`` resource defaults to; it can't be deleted)."""
    created = okta_timestamp(time.time() - 86400 * 30)
    server = AuthorizationServer(state.new_id("aus"), "default", "Default Authorization Server for your Applications",
                                 ["api://default"], "/oauth2/default", created, created, random_text(43), default=True)
    state.authorization_servers[server.id] = server


def _add_user(state: OrgState, first: str, last: str, login: str) -> User:
    created = okta_timestamp(time.time() - 86400 * 30)
    user = User(state.new_id("00u"), "ACTIVE", created, created,
                {"firstName": first, "lastName": last, "email": login, "login": login}, created, created)
    state.users[user.id] = user
    next(group for group in state.groups.values() if group.type == "BUILT_IN").member_ids.append(user.id)
    return user


def _add_group(state: OrgState, name: str, description: str, created: str) -> Group:
    group = Group(state.new_id("00g"), "OKTA_GROUP", created, created, created, {"name": name, "description": description})
    state.add_group(group)
    return group


def _app(state: OrgState, name: str, label: str, sign_on_mode: str, settings_app: dict[str, Any]) -> App:
    created = okta_timestamp(time.time() - 86400 * 60)
    document = {
        "accessibility": {"selfService": False, "errorRedirectUrl": None, "loginRedirectUrl": None},
        "visibility": {"autoLaunch": False, "autoSubmitToolbar": False, "hide": {"iOS": False, "web": False}, "appLinks": {"login": True}},
        "features": [], "credentials": {"userNameTemplate": {"template": "${source.login}", "type": "BUILT_IN"}, "signing": {}},
        "universalLogout": None,
        "settings": {"app": settings_app, "notifications": {"vpn": {"network": {"connection": "DISABLED"}, "message": None, "helpUrl": None}},
                     "manualProvisioning": False, "implicitAssignment": False, "notes": {"admin": None, "enduser": None}},
    }
    app = App(state.new_id("0oa"), name, label, "ACTIVE", sign_on_mode, created, created, document)
    state.apps[app.id] = app
    return app


def _demo(state: OrgState) -> None:
    created = okta_timestamp(time.time() - 86400 * 45)
    groups = {name: _add_group(state, name, "%s department" % name, created) for name in DEMO_GROUPS}
    people = []
    for first, last, department in DEMO_PEOPLE:
        user = _add_user(state, first, last, "%s.%s@example.com" % (first.lower(), last.lower().replace("-", "")))
        groups[department].member_ids.append(user.id)
        people.append(user)
    _app(state, "bookmark", "Company Wiki", "BOOKMARK", {"requestIntegration": False, "url": "https://wiki.example.com/"})
    _app(state, "bookmark", "Expense Reports", "BOOKMARK", {"requestIntegration": False, "url": "https://expenses.example.com/"})
    _app(state, "example_salesforce_1", "Salesforce", "SAML_2_0", {})
    # SWA settings: buttonField, passwordField, usernameField and url are all required (SPEC SwaApplicationSettingsApplication).
    swa_settings = {"buttonField": "btn-login", "passwordField": "txtbox-password", "usernameField": "txtbox-username",
                    "url": "https://payroll.example.com/login"}
    _app(state, "template_swa", "Legacy Payroll", "BROWSER_PLUGIN", swa_settings)
    state.domains.append({"id": state.new_id("OcD"), "domain": "login.example.com", "certificateSourceType": "OKTA_MANAGED",
                          "validationStatus": "VERIFIED", "brandId": state.new_id("bnd"), "dnsRecords": [],
                          "publicCertificate": {"subject": "CN=login.example.com", "expiration": okta_timestamp(time.time() + 86400 * 60),
                                                "fingerprint": ":".join(random_text(2, "0123456789ABCDEF") for _byte in range(32))},
                          "_links": {}})
    admin = state.users[state.super_admin_id]
    actor = {"id": admin.id, "type": "User", "alternateId": admin.profile["login"], "displayName": "Org Admin", "detailEntry": None}
    start = time.time() - 3600
    for index, user in enumerate(people[:10]):
        login = user.profile["login"]
        state.record_event("user.session.start", "User login to Okta", actor,
                           {"id": user.id, "type": "User", "alternateId": login, "displayName": login, "detailEntry": None},
                           start + index * 60)
    for index, source in enumerate(("gsuite", "slack", "gsuite")):
        state.zluri_users.append({"user_id": "zl-%s" % random_text(12).lower(), "user_name": "Contractor %d" % (index + 1),
                                  "user_email": "contractor%d@partner.example" % (index + 1), "user_status": "active",
                                  "source_array": [source]})


def _large(state: OrgState, group_count: int) -> None:
    """``group-00001`` ... built in one pass with one timestamp (50,000 groups in well under a second)."""
    created = okta_timestamp(time.time() - 86400 * 10)
    for number in range(1, group_count + 1):
        group = Group(state.new_id("00g"), "OKTA_GROUP", created, created, created,
                      {"name": "group-%05d" % number, "description": "Generated group %d" % number})
        state.groups[group.id] = group
    state.reindex_groups()


def build_state(seed: str, group_count: int, org_admin: bool = False) -> OrgState:
    """A fresh org for a seed name; with ``org_admin``, the Org Administrator behind ``--org-admin-token`` too."""
    state = _org(org_admin)
    if seed == "demo":
        _demo(state)
    elif seed == "large":
        _large(state, group_count)
    return state
