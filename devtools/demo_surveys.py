"""The demo region's surveys (called by devtools.demo.load_demo with its world)."""

from __future__ import annotations

from typing import Any


def load(world: dict[str, Any]) -> None:
    """Add this app's demo records; safe to run again (load_demo is idempotent)."""
