"""What-if analyses over one workbook: sweeps of overrides, cost-measure frontiers and
near-optimal alternatives (SPEC §4), run as independent tasks on local worker processes or a
Dask cluster (:mod:`.parallel`)."""
