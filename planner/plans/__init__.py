"""Saved plans: reading a plan back, comparing plans, and the independent audit (`check`)."""
