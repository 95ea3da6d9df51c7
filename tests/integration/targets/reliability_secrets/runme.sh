#!/usr/bin/env bash
# The whole role at -vvvv with --diff, in check mode and for real: no key, token, assertion or proof anywhere but the key files.
set -eux
python run_secrets.py
