#!/usr/bin/env bash
# A table of bad inputs across the modules and the role: each fails naming the input, with no write call to Okta.
set -eux
python run_bad_input.py
