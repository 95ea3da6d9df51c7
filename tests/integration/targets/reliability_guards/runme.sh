#!/usr/bin/env bash
# The SUPER_ADMIN guard, TLS verification, and a Bearer token where DPoP was expected.
set -eux
python run_guards.py
