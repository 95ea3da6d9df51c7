# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fidelity checks of the Okta emulator: recorded traffic against the official OpenAPI specs (spec_validator)."""
