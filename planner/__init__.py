"""Site investment planner."""

__version__ = "0.1.0"
