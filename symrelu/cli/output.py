"""Shared helpers for command output: stable JSON, and reading a network argument."""

from __future__ import annotations

import json
import sys
from typing import Any


def emit_json(payload: Any) -> None:
    """Write ``payload`` as JSON with sorted keys (stable, diffable) to stdout."""
    sys.stdout.write(json.dumps(payload, indent=2, sort_keys=True) + "\n")


def emit_text(text: str) -> None:
    """Write a report to stdout (reports are the command's product, not log lines)."""
    sys.stdout.write(text.rstrip("\n") + "\n")
