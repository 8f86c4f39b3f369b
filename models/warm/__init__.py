"""A saved plan's decisions as the start of a solve (decisions, start) and the stable re-plan (stable)."""
