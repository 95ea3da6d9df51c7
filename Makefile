# saasops.okta_m2m: test and CI entry points.
#
#   make demo          THE MAIN JOB: site.yml (the zluri_okta role) against the bundled Okta emulator over
#                      HTTPS; the demo org is kept in .demo/, so a second run is all unchanged
#   make demo-clean    reset the demo org (removes .demo/)
#   make link          put this checkout at collections/ (beside site.yml) so `ansible-playbook site.yml` works here
#   make bench         performance benchmark (not part of make test): API calls and time vs the floor, scale,
#                      20 orgs, rate limits, tokens; prints one table, writes bench/results/bench-*.json
#   make test          every gate below, continuing after failures; one PASS/FAIL line per gate and
#                      a final "N passed, N failed" line; exits non-zero if any gate failed. The integration
#                      gates run in one lane and the other gates beside them (GATE_LANES=1: one at a time)
#   make sanity        sanity-2.19 sanity-2.20 sanity-2.21   (ansible-test sanity --venv, zero ignores)
#   make units         units-2.19 units-2.20 units-2.21      (ansible-test units --venv)
#   make integration   ansible-test integration --venv (ansible-core 2.19, 2.20, 2.21); one target:
#                      make integration-2.19 INTEGRATION_TARGETS=okta_admin_role_info
#                      The ansible-core lines and their Pythons: .ci/core-lines
#   make emulator      pytest tests/emulator/tests
#   make spec-check    the Okta traffic the integration gates recorded, against Okta's official OpenAPI specs
#   make lint          ansible-lint --profile production
#   make changelog     antsibull-changelog lint
#   make importer      ansible-galaxy collection build + galaxy-importer
#   make ee-create     ansible-builder create (build context in tests/output/ee-context)
#   make docs-examples the README's real-org quick start and every module's EXAMPLES, from the built tarball,
#                      against the Okta emulator
#   make docs          the documentation site (antsibull-docs, Sphinx, warnings are errors) in tests/output/docs
#   make <gate>        any single gate by name, e.g. make sanity-2.21, make integration-2.19
#   make venvs         create/refresh .venv-2.19 .venv-2.20 .venv-2.21 .venv-tools .venv-nox (idempotent; the docs
#                      gates make their own). Every venv and gate installs under the pins of .ci/constraints.txt
#                      (how to update them: .ci/README.md)
#   make clean         remove tests/output (venvs stay; `make distclean` removes them and .nox too)
#
# Logs: tests/output/gates/<gate>.log. Implementation: .ci/gates.sh (one gate), .ci/run-gates; sanity,
# units, integration, ansible-lint and build+importer are nox sessions (noxfile.py, antsibull-nox.toml),
# which .venv-nox/bin/nox can also run directly (`nox --list`). Lines, pins, lanes and how to update pins: .ci/README.md.

SHELL := /bin/bash
.DEFAULT_GOAL := help

# LINE PYTHON rows of .ci/core-lines
CORE_LINES := $(shell awk '!/^\#/ && NF { print $$1 }' .ci/core-lines)
core_python = $(shell awk -v line=$(1) '!/^\#/ && $$1 == line { print $$2 }' .ci/core-lines)
SANITY_GATES := $(addprefix sanity-,$(CORE_LINES))
UNITS_GATES := $(addprefix units-,$(CORE_LINES))
INTEGRATION_GATES := $(addprefix integration-,$(CORE_LINES))
OTHER_GATES := emulator spec-check ansible-lint changelog build+importer ee-create docs-examples docs
ALL_GATES := $(SANITY_GATES) $(UNITS_GATES) $(INTEGRATION_GATES) $(OTHER_GATES)

RUN_GATES := bash .ci/run-gates

.PHONY: demo demo-clean link help test sanity units integration emulator lint changelog importer ee-create \
	venvs $(addprefix venv-,$(CORE_LINES)) venv-tools venv-nox clean distclean $(ALL_GATES)

help:
	@sed -n '3,/^$$/p' Makefile | sed 's/^# \{0,1\}//'

# SKIP_GATES: gates `make test` leaves out, e.g. `make test SKIP_GATES=integration-2.21` on a slow
# machine (the skipped gates are named on the console; none are skipped by default).
SKIP_GATES ?=

test:
	@$(if $(strip $(SKIP_GATES)),echo "make test: skipping $(SKIP_GATES) (SKIP_GATES)";) \
	$(RUN_GATES) $(filter-out $(SKIP_GATES),$(ALL_GATES))

sanity:
	@$(RUN_GATES) $(SANITY_GATES)

units:
	@$(RUN_GATES) $(UNITS_GATES)

integration:
	@$(RUN_GATES) $(INTEGRATION_GATES)

lint:
	@$(RUN_GATES) ansible-lint

importer:
	@$(RUN_GATES) build+importer

# emulator, changelog, ee-create, docs, docs-examples and every gate name
$(ALL_GATES):
	@$(RUN_GATES) $@

venvs: $(addprefix venv-,$(CORE_LINES)) venv-tools venv-nox

$(addprefix venv-,$(CORE_LINES)): venv-%:
	@.ci/ensure-venv .venv-$* $(call core_python,$*) .ci/requirements-$*.txt && .ci/install-get-pip-standin .venv-$*

# the tools run with the newest ansible-core line
venv-tools:
	@.ci/ensure-venv .venv-tools 3.13 .ci/requirements-$(lastword $(CORE_LINES)).txt .ci/requirements-tools.txt

venv-nox:
	@.ci/ensure-venv .venv-nox 3.13 .ci/requirements-nox.txt

demo:
	@bash demo/run.sh

demo-clean:
	rm -rf .demo

.PHONY: bench
bench:
	@bash bench/run.sh

link:
	@mkdir -p collections/ansible_collections/saasops && ln -sfn "$(CURDIR)" collections/ansible_collections/saasops/okta_m2m

clean:
	rm -rf tests/output

distclean: clean
	rm -rf $(addprefix .venv-,$(CORE_LINES)) .venv-tools .venv-nox .venv-emulator .venv-demo .venv-docs .venv-docs-examples .nox collections
