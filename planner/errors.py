"""Errors a user can act on: each names the sheet, cell or column, what was expected and what was found."""

from __future__ import annotations


class PlannerError(Exception):
    """Base class for errors shown to the user without a traceback."""

    exit_code = 1


class InputError(PlannerError):
    """The workbook (or another input) has problems; `problems` lists every one of them."""

    exit_code = 2

    def __init__(self, problems: list[str], warnings: list[str] | None = None):
        self.problems = list(problems)
        self.warnings = list(warnings or [])
        n = len(self.problems)
        super().__init__(f"{n} problem{'s' if n != 1 else ''} in the input:\n" + "\n".join(
            f"  - {p}" for p in self.problems))


class SolveError(PlannerError):
    """The solver could not give an answer (infeasible, unbounded, or no solution within the time limit)."""

    exit_code = 1

    def __init__(self, message: str, diagnosis: list[str] | None = None):
        self.diagnosis = list(diagnosis or [])
        super().__init__(message + ("".join(f"\n  - {d}" for d in self.diagnosis)))


class SetupError(PlannerError):
    """The environment is not usable as asked and the user can fix it (a package missing, a server not answering)."""

    exit_code = 2
