#!/usr/bin/env bash
# Two runs of the role against the same org at once: one consistent state without duplicates, or a clean failure.
set -eux
python run_concurrency.py
