# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The base of every okta_* module: the connection options (argspec.CONNECTION), the client, and error reporting.

A module file declares its options, its OAuth scopes and module_result(module); run_module() runs them in a module
process over an AnsibleModule, and the collection's action plugin (plugins/action/in_process.py) runs the same
declarations in the controller's worker over a stand-in with AnsibleModule's interface.

Private to the collection (not a public API): it may change in any release.
"""

from __future__ import annotations

import os

from typing import Any, Callable, NoReturn, Protocol, Sequence

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.saasops.okta_m2m.plugins.module_utils.argspec import CONNECTION, ArgumentSpec
from ansible_collections.saasops.okta_m2m.plugins.module_utils.keys import (
    CRYPTOGRAPHY_IMPORT_ERROR,
    KeyMaterialError,
    load_private_key,
    read_private_key_file,
)
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_auth import (
    JWT_IMPORT_ERROR,
    PrivateKeyJwtAuth,
    SswsAuth,
    split_scopes,
)
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_client import (
    REQUESTS_IMPORT_ERROR,
    CallStats,
    OktaApiError,
    OktaClient,
    OktaConfigError,
    RetryPolicy,
    Transport,
)
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_config import name_options, validate_org_url


# Where a module leaves the token endpoint's DPoP nonce for the next task (see the dpop_nonce option).
DPOP_NONCE_FACT = "okta_m2m_dpop_nonce"


class ModuleRunner(Protocol):
    """What OktaModule uses of the object that runs the module: AnsibleModule, or the worker's stand-in for it."""

    params: dict[str, Any]
    check_mode: bool
    no_log_values: set[str]
    _name: str
    _diff: bool

    def warn(self, warning: str) -> None:
        """Add a warning to the result."""

    def fail_json(self, msg: str, **kwargs: Any) -> NoReturn:
        """End the run with a failed result."""

    def exit_json(self, **kwargs: Any) -> NoReturn:
        """End the run with its result."""


def module_arguments(spec: ArgumentSpec) -> dict[str, Any]:
    """The AnsibleModule keyword arguments of a module with the options of spec: the connection's too, check mode."""
    return dict(CONNECTION.merge(spec).module_kwargs(), supports_check_mode=True)


def refuse_other_orgs_credentials(params: dict[str, Any], org_url: str) -> None:
    """Credentials taken from the environment (as AWX injects them) belong to the org in OKTA_ORG_URL: they are never
    sent to another org that the task names."""
    env_org_url = os.environ.get("OKTA_ORG_URL", "")
    token_from_env = bool(params["api_token"]) and params["api_token"] == os.environ.get("OKTA_API_TOKEN")
    client_from_env = bool(params["client_id"]) and params["client_id"] == os.environ.get("OKTA_CLIENT_ID")
    from_env = token_from_env or client_from_env
    if from_env and env_org_url and validate_org_url(env_org_url, "OKTA_ORG_URL") != org_url:
        raise OktaConfigError(
            "O(org_url) is %s, but the credentials taken from the environment belong to the org in OKTA_ORG_URL (%s): leave "
            "O(org_url) empty or equal to it, or give this org its own O(api_token)" % (org_url, env_org_url))


class OktaModule:
    """A module run with the Okta connection options: one OktaClient, every secret hidden, every failure precise.

    runner: what validated the arguments and reports the result (ModuleRunner). oauth_scopes: the scopes this module
    needs when it authenticates with OAuth client credentials and the user named none (the token then asks for exactly
    what the module uses).
    """

    def __init__(self, runner: ModuleRunner, oauth_scopes: Sequence[str] = ()) -> None:
        self.runner = runner
        self.params = runner.params
        self.check_mode = runner.check_mode
        self._diff = runner._diff
        self.oauth_scopes = list(oauth_scopes)
        self.option_names = self.params["option_names"]
        self._client: OktaClient | None = None
        self._auths: list[Any] = []
        self._transports: list[Transport] = []
        if REQUESTS_IMPORT_ERROR:
            self.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)

    def warn(self, warning: str) -> None:
        """A warning, with its options named as the caller knows them."""
        self.runner.warn(name_options(warning, self.option_names))

    def fail_json(self, msg: str, **kwargs: Any) -> NoReturn:
        self.runner.fail_json(msg=msg, **kwargs)

    @property
    def client(self) -> OktaClient:
        if self._client is None:
            self._client = self._build_client()
        return self._client

    def build_transport(self, base_url: str | None = None) -> Transport:
        """A transport with the user's TLS, timeout and retry settings, to the org or to another service's base_url.

        One per set of credentials, so each keeps its own call counts and rate-limit state.
        """
        params = self.params
        base_url = base_url or validate_org_url(params["org_url"], "O(org_url)")
        if not 1 <= params["max_api_capacity"] <= 100:
            raise OktaConfigError("max_api_capacity must be between 1 and 100 (percent of a rate-limit bucket), got %s" % params["max_api_capacity"])
        if params["timeout"] <= 0:
            raise OktaConfigError("timeout must be a positive number of seconds")
        if params["max_retries"] < 0 or params["max_retry_wait"] < 0:
            raise OktaConfigError("max_retries and max_retry_wait must not be negative")
        transport = Transport(
            base_url,
            validate_certs=params["validate_certs"],
            ca_path=params["ca_path"],
            timeout=params["timeout"],
            retry=RetryPolicy(
                max_retries=params["max_retries"],
                max_total_wait=params["max_retry_wait"],
                max_api_capacity=params["max_api_capacity"],
            ),
            user_agent_extra="ansible-module/%s" % self.runner._name,
        )
        self._transports.append(transport)
        return transport

    def _build_client(self) -> OktaClient:
        params = self.params
        transport = self.build_transport()
        refuse_other_orgs_credentials(params, transport.org_url)
        if params["api_token"]:
            auth: Any = SswsAuth(params["api_token"])
        elif params["client_id"]:
            auth = PrivateKeyJwtAuth(
                transport,
                client_id=params["client_id"],
                private_key=self._admin_private_key(),
                key_id=params["key_id"],
                scopes=split_scopes(params["scopes"]) or self.oauth_scopes,
                dpop=params["dpop"],
                dpop_nonce=params["dpop_nonce"],
            )
        else:
            raise OktaConfigError(
                "no Okta credentials: set O(api_token) (or OKTA_API_TOKEN), or O(client_id) with O(private_key) or O(private_key_path) "
                "(or OKTA_CLIENT_ID with OKTA_PRIVATE_KEY or OKTA_PRIVATE_KEY_PATH)"
            )
        auth.validate()
        self.track_auth(auth)
        return OktaClient(transport, auth)

    def track_auth(self, auth: Any) -> None:
        """Every authenticator of the run: its secrets are hidden from output, its warnings shown."""
        self._auths.append(auth)

    def _admin_private_key(self) -> Any:
        if JWT_IMPORT_ERROR:
            self.fail_json(msg=missing_required_lib("PyJWT"), exception=JWT_IMPORT_ERROR)
        if CRYPTOGRAPHY_IMPORT_ERROR:
            self.fail_json(msg=missing_required_lib("cryptography"), exception=CRYPTOGRAPHY_IMPORT_ERROR)
        if self.params["private_key"]:
            return load_private_key(self.params["private_key"], option="private_key")
        if self.params["private_key_path"]:
            key, warnings = read_private_key_file(self.params["private_key_path"])
            for warning in warnings:
                self.warn(warning)
            return key
        raise OktaConfigError("client_id needs private_key or private_key_path (or OKTA_PRIVATE_KEY / OKTA_PRIVATE_KEY_PATH)")

    def _prepare_exit(self) -> None:
        """Hide every secret the run minted from the output; show the warnings of its auth methods and its rate-limit waits."""
        for auth in self._auths:
            self.runner.no_log_values.update(secret for secret in auth.secrets() if secret)
            for warning in getattr(auth, "warnings", []):
                self.warn(warning)
            auth.warnings = []
        for transport in self._transports:
            for wait in transport.stats.rate_limit_waits:
                self.warn(wait.explain())
            transport.stats.rate_limit_waits = []

    def api_calls(self) -> dict[str, Any]:
        """The calls of every transport of the run (the admin client's, a credential check's, Zluri's)."""
        total = CallStats()
        for transport in self._transports:
            total.by_endpoint.update(transport.stats.by_endpoint)
            total.retries += transport.stats.retries
            total.waited_seconds += transport.stats.waited_seconds
        return total.summary()

    def run(self, module_result: Callable[[OktaModule], dict[str, Any]]) -> NoReturn:
        """Exit with module_result(self); turn every expected failure into a precise fail_json.

        A result with failed=True (a check that found problems) fails with its msg and keeps the rest.
        """
        names = self.option_names
        try:
            result = module_result(self)
        except (OktaConfigError, KeyMaterialError) as exc:
            self._prepare_exit()
            self.fail_json(msg=name_options(str(exc), names), api_calls=self.api_calls())
        except OktaApiError as exc:
            self._prepare_exit()
            self.fail_json(msg=name_options(str(exc), names), api_calls=self.api_calls(), **exc.details())
        self._prepare_exit()
        if "msg" in result:
            result["msg"] = name_options(result["msg"], names)
        result.setdefault("api_calls", self.api_calls())
        connection_auth = self._client.auth if self._client else None
        dpop_nonce = connection_auth.dpop_nonce_to_carry() if isinstance(connection_auth, PrivateKeyJwtAuth) else None
        if dpop_nonce:
            result["ansible_facts"] = {DPOP_NONCE_FACT: dpop_nonce}
        if result.pop("failed", False):
            self.fail_json(**result)
        self.runner.exit_json(**result)


def run_module(spec: ArgumentSpec, oauth_scopes: Sequence[str], module_result: Callable[[OktaModule], dict[str, Any]]) -> NoReturn:
    """A module's main(): its options (spec), the OAuth scopes it asks for, and module_result, what it does with them."""
    OktaModule(AnsibleModule(**module_arguments(spec)), oauth_scopes).run(module_result)
