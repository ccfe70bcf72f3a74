"""Shared helpers for the deck tests: fixture paths and a one-line loader for inline YAML."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data" / "deck"
