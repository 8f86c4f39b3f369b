"""trust-planner: optimization-based sourcing planner for critical minerals and APIs."""

__version__ = "0.1.0"
