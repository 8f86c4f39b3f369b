"""Data to parameters: sets and parameters of the model derived from a validated Dataset
(plain Python and pandas; no Pyomo, no solver)."""
