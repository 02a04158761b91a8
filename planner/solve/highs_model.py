"""Hand a built Pyomo model to HiGHS as matrices (Pyomo's LinearStandardFormCompiler + highspy).

This is the fast Pyomo->HiGHS path: the compiler builds the sparse constraint matrix with Pyomo's
vectorised linear-repn visitor (about 4x faster than the per-constraint hand-over of the persistent
interface, see docs/performance.md), highspy takes it in one call, and solutions are written back to
the Pyomo variables. The HiGHS instance stays alive so that sizes can be fixed and the LP re-solved
from the previous basis (marginal units, full-year re-dispatch).

The objective scale is this layer's business: the Pyomo objective is the NPV in USD, and HiGHS gets it
in million USD (`OBJ_SCALE`), so its tolerances act on numbers of order one. Every objective value this
class returns is in the Pyomo objective's own units.
"""

from __future__ import annotations

from contextlib import contextmanager

import highspy
import numpy as np
import pyomo.core as pyo
from pyomo.common.gc_manager import PauseGC
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler, _LinearStandardFormCompiler_impl

INF = highspy.kHighsInf
OBJ_SCALE = 1e-6  # HiGHS sees an NPV objective in million USD


def _compiler() -> LinearStandardFormCompiler:
    """Pyomo's standard-form compiler, its sparse-matrix hooks set to scipy.sparse imported here.

    Pyomo registers an import hook for SciPy (pyomo/common/dependencies.py: `_finalize_scipy`) that imports
    scipy.stats, scipy.integrate and scipy.spatial as soon as anything imports scipy (~0.6 s, none of them
    used here). scipy.sparse is imported with that hook set aside, and handed to the compiler through the
    class attributes it declares for others to set (pyomo/repn/plugins/standard_form.py), which it fills
    from Pyomo's deferred `scipy` only while they are unset. Pyomo's deferred `scipy` stays unresolved: code
    that uses it later still gets it, hook and all.
    """
    impl = _LinearStandardFormCompiler_impl
    if impl._to_vector is None:
        from pyomo.common.dependencies import DeferredImportCallbackFinder

        hooks = DeferredImportCallbackFinder._callbacks
        held = hooks.pop("scipy", None)
        try:
            import scipy.sparse
        finally:
            if held is not None:
                hooks["scipy"] = held
        impl._csc_matrix, impl._csr_matrix = scipy.sparse.csc_array, scipy.sparse.csr_array
        impl._to_vector = np.fromiter
    return LinearStandardFormCompiler()


class HighsModel:
    """A Pyomo model compiled into one highspy.Highs instance."""

    def __init__(self, m: pyo.ConcreteModel, scale: float = OBJ_SCALE):
        with PauseGC():  # the row and column maps below make ~10^5 objects: no collection walks the model meanwhile
            self._compile(m, scale)

    def _compile(self, m: pyo.ConcreteModel, scale: float) -> None:
        self.scale = scale  # HiGHS's objective = scale x the Pyomo objective
        info = _compiler().write(m, mixed_form=True, set_sense=None)
        self.columns = info.columns
        self.col_index = {id(v): i for i, v in enumerate(self.columns)}
        self.row_index: dict[int, list[int]] = {}  # id(constraint data) -> its rows (a ranged constraint has two)
        for i, row in enumerate(info.rows):
            self.row_index.setdefault(id(row.constraint), []).append(i)
        n = len(self.columns)
        lp = highspy.HighsLp()
        lp.num_col_ = n
        lp.num_row_ = len(info.rows)
        obj = next(iter(m.component_data_objects(pyo.Objective, active=True)))
        self.maximize = obj.sense == pyo.maximize
        lp.sense_ = highspy.ObjSense.kMaximize if self.maximize else highspy.ObjSense.kMinimize
        c = info.c.toarray()[0] if info.c.shape[0] else np.zeros(n)
        lp.col_cost_ = c * scale
        lp.offset_ = scale * float(info.c_offset[0]) if len(info.c_offset) else 0.0
        lower = np.array([-INF if v.lb is None else v.lb for v in self.columns], dtype=float)
        upper = np.array([INF if v.ub is None else v.ub for v in self.columns], dtype=float)
        lp.col_lower_, lp.col_upper_ = lower, upper
        sense = np.array([s for _, s in info.rows], dtype=int)
        rhs = np.asarray(info.rhs, dtype=float)
        lp.row_lower_ = np.where(sense == 1, -INF, rhs)
        lp.row_upper_ = np.where(sense == -1, INF, rhs)
        a = info.A.tocsc()
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = a.indptr
        lp.a_matrix_.index_ = a.indices
        lp.a_matrix_.value_ = a.data
        self.integer_cols = [i for i, v in enumerate(self.columns) if v.is_integer()]
        self.root_basis = None  # a root LP basis a re-priced solve starts from (planner/solve/bnb.py: Repriced)
        if self.integer_cols:
            integrality = np.zeros(n, dtype=np.uint8)
            integrality[self.integer_cols] = 1  # kInteger
            lp.integrality_ = [highspy.HighsVarType(int(x)) for x in integrality]
        self.h = highspy.Highs()
        self.h.setOptionValue("output_flag", False)
        self.h.passModel(lp)
        self.n_rows, self.n_cols = lp.num_row_, n

    @property
    def is_mip(self) -> bool:
        return bool(self.integer_cols)

    def load(self, x=None) -> None:
        """Write HiGHS's current solution (or the column values `x`) into the Pyomo variables."""
        x = self.h.getSolution().col_value if x is None else x
        for v, val in zip(self.columns, x, strict=True):
            v.set_value(float(val), skip_validation=True)

    def objective(self) -> float:
        """The objective of HiGHS's current solution, in the Pyomo objective's units."""
        return float(self.h.getInfo().objective_function_value) / self.scale

    def refresh_objective(self, m: pyo.ConcreteModel) -> None:
        """Hand HiGHS the objective's coefficients again, after the model's mutable Params changed."""
        from pyomo.repn import generate_standard_repn

        obj = next(iter(m.component_data_objects(pyo.Objective, active=True)))
        repn = generate_standard_repn(obj.expr, compute_values=True, quadratic=False)
        cost = np.zeros(self.n_cols)
        for v, coef in zip(repn.linear_vars, repn.linear_coefs, strict=True):
            cost[self.col_index[id(v)]] += coef
        self.h.changeColsCost(self.n_cols, np.arange(self.n_cols, dtype=np.int32), cost * self.scale)
        self.h.changeObjectiveOffset(float(repn.constant) * self.scale)

    def relax_integers(self) -> None:
        """Make every integer column continuous (an LP, e.g. once the integers are fixed by their bounds)."""
        n = len(self.integer_cols)
        self.h.changeColsIntegrality(n, np.array(self.integer_cols, dtype=np.int32), np.zeros(n, dtype=np.uint8))
        self.integer_cols = []

    @contextmanager
    def columns_held(self, cols, values):
        """Within the block, the columns `cols` fixed at `values` (lower = upper) and continuous (their integrality
        relaxed, and left out of `integer_cols`: with every integer column held, the model is an LP); their
        bounds, integrality and `integer_cols` as they were afterwards, also on an error."""
        h, idx = self.h, np.asarray(cols, dtype=np.int32)
        n = len(idx)
        if not n:
            yield
            return
        _, _, _, lb0, ub0, _ = h.getCols(n, idx)
        integrality0 = np.array([int(h.getColIntegrality(int(i))[1]) for i in idx], dtype=np.uint8)
        ints0 = self.integer_cols
        fixed = np.asarray(values, dtype=float)
        h.changeColsBounds(n, idx, fixed, fixed)
        h.changeColsIntegrality(n, idx, np.zeros(n, dtype=np.uint8))
        held = set(idx.tolist())
        self.integer_cols = [i for i in ints0 if i not in held]
        try:
            yield
        finally:
            h.changeColsBounds(n, idx, lb0, ub0)
            h.changeColsIntegrality(n, idx, integrality0)
            self.integer_cols = ints0

    def fix_columns(self, values: list[tuple[pyo.Var, float]]) -> None:
        """Set lower = upper = value for the (Pyomo variable, value) pairs whose variable is a column here."""
        cols = [(self.col_index[id(v)], float(x)) for v, x in values if id(v) in self.col_index]
        if cols:
            idx = np.array([i for i, _ in cols], dtype=np.int32)
            val = np.array([x for _, x in cols])
            self.h.changeColsBounds(len(idx), idx, val, val)
