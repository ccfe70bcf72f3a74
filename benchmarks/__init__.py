"""Reproducible performance runs for quizapp, side by side with Anki's own engine."""
