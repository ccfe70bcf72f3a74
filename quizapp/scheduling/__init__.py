"""Pure scheduling: SM-2 reviews, the study day, settings and the study queue (no clock, no DB)."""
