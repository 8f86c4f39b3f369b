"""The optimization model: sets and parameters from a validated Dataset, one module per
constraint family, the objective, solving and result extraction. No Excel here."""

from models.solve import solve_dataset

__all__ = ["solve_dataset"]
