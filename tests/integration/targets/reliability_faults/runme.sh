#!/usr/bin/env bash
# Every fault class the emulator can inject, each on its own org, one converge of the zluri_okta role per org.
set -eux
python run_faults.py
