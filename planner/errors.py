"""Errors a user can act on: each names the sheet, cell or column (or the file or folder), what was expected
and what was found. The exit code of each class is what `planner` exits with."""

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


class UsageError(PlannerError):
    """A command-line argument or option is wrong (a value, a combination, a file or folder given)."""

    exit_code = 2


class OutputError(PlannerError):
    """The results cannot be written where asked: the folder exists, is not the planner's, is not writable,
    is on a read-only file system or a full disk. Something the user can fix, found before the solve."""

    exit_code = 2


class SetupError(PlannerError):
    """The environment is not usable as asked and the user can fix it (a package missing, a server not answering)."""

    exit_code = 2
