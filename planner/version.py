"""The planner's version, in a module of its own so that any module can read it without importing the package
root (planner/__init__.py is the public API's facade, at the top of the dependency order)."""

__version__ = "0.1.0"
