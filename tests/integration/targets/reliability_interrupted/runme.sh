#!/usr/bin/env bash
# Kill the play after each write call in turn (1st ... last), then re-run: same end state, nothing twice, key reused.
set -eux
python run_interrupted.py
