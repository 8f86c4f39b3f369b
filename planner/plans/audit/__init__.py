"""Audit of a saved plan without the solver: an independent re-implementation, in pandas,
of the SPEC's constraints and costs (one module per family), run on the plan's own
Input copies and decision sheets. Entry points are in :mod:`planner.plans.check`."""
