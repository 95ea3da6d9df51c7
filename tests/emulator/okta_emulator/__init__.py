# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A stateful stand-in for the parts of Okta (and Zluri) that saasops.okta_m2m touches.

Run it with ``PYTHONPATH=tests/emulator python -m okta_emulator --help``.
"""
from __future__ import annotations

__version__ = "1.0.0"
