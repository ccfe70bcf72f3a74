"""Widgets the screens are built from: card views, the shell prompt, grades and charts."""
