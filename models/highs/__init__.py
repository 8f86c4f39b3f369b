"""The seam to HiGHS: the hand-off (Pyomo model to arrays), the session that owns the
``highspy.Highs`` object, the progress monitor and watchdog, and the LP start."""
