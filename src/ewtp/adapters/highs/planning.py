"""The capacity plan solved with HiGHS: the whole model passed as arrays in one call.

`passModel` takes the CSR rows the domain built, so building costs the same few numpy
copies whatever the size. With candidates the model is a MIP; its duals are those of the
LP with every binary fixed at its MIP value (the LP that prices the chosen network), and
the saving of each candidate is that LP re-solved with the candidate flipped.
`build_row_by_row` is the naive build (one `addRow` per row) the benchmark compares with.
"""

from __future__ import annotations

import ctypes
import os
import sys
import threading

import highspy
import numpy as np

from ewtp.domain.planning.expansion import OPEN, PlanModel
from ewtp.domain.planning.readout import Solution
from ewtp.services.planning.ports import AbstractPlanSolver

__all__ = ["HighsPlanSolver", "build_row_by_row"]

_DUAL_TOL = 1e-7  # HiGHS's default dual feasibility tolerance
_LP_DUALS = "duals of the LP"
_MIP_DUALS = "duals of the LP with the candidate binaries fixed at their MIP values"


_first = threading.Lock()
_banner_shown = False


def _new_highs() -> highspy.Highs:
    """A `Highs`; the first one of a process prints a banner on the C stdout, which would
    corrupt `--format json` output, so that one is made with fd 1 pointed at /dev/null."""
    global _banner_shown
    with _first:
        if not _banner_shown:
            sys.stdout.flush()
            saved = os.dup(1)
            try:
                null = os.open(os.devnull, os.O_WRONLY)
                os.dup2(null, 1)
                os.close(null)
                h = highspy.Highs()  # type: ignore[no-untyped-call]
                ctypes.CDLL(None).fflush(None)
            finally:
                os.dup2(saved, 1)
                os.close(saved)
            _banner_shown = True
            return h
    return highspy.Highs()  # type: ignore[no-untyped-call]


def _highs(threads: int) -> highspy.Highs:
    h = _new_highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", threads)
    return h


def _lp(model: PlanModel) -> highspy.HighsLp:
    lp = highspy.HighsLp()
    lp.num_col_ = model.num_cols
    lp.num_row_ = model.num_rows
    lp.col_cost_ = model.col_cost
    lp.col_lower_ = np.zeros(model.num_cols)
    lp.col_upper_ = model.col_upper
    lp.row_lower_ = model.row_lower
    lp.row_upper_ = model.row_upper
    lp.offset_ = model.fixed_cost
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_ = model.num_cols
    lp.a_matrix_.num_row_ = model.num_rows
    lp.a_matrix_.start_ = model.row_start.astype(np.int32)
    lp.a_matrix_.index_ = model.row_index
    lp.a_matrix_.value_ = model.row_value
    return lp


def build_row_by_row(model: PlanModel) -> highspy.Highs:
    """The same model built the naive way: a Python call per row (benchmark baseline)."""
    h = _highs(1)
    inf = highspy.kHighsInf
    for j in range(model.num_cols):
        h.addVar(0.0, float(model.col_upper[j]) if np.isfinite(model.col_upper[j]) else inf)
        h.changeColCost(j, float(model.col_cost[j]))
    start, index, value = model.row_start, model.row_index, model.row_value
    for i in range(model.num_rows):
        lo, hi = float(model.row_lower[i]), float(model.row_upper[i])
        s, e = int(start[i]), int(start[i + 1])
        h.addRow(
            lo if np.isfinite(lo) else -inf, hi if np.isfinite(hi) else inf,
            e - s, index[s:e], value[s:e],
        )  # fmt: skip
    return h


def _dual_objective(model: PlanModel, sol: highspy.HighsSolution) -> float:
    """The dual objective of the solution's duals: a lower bound on any plan's cost.

    Each dual multiplies the bound it presses against (lower when positive, upper when
    negative); a dual on an infinite bound means the duals are not feasible.
    """
    y = np.asarray(sol.row_dual, dtype=np.float64)
    z = np.asarray(sol.col_dual, dtype=np.float64)
    row_b = np.where(y > 0, model.row_lower, model.row_upper)
    col_b = np.where(z > 0, np.zeros(model.num_cols), model.col_upper)
    y = np.where(np.abs(y) < _DUAL_TOL, 0.0, y)
    z = np.where(np.abs(z) < _DUAL_TOL, 0.0, z)
    with np.errstate(invalid="ignore"):
        rows = np.where(y == 0, 0.0, y * row_b)
        cols = np.where(z == 0, 0.0, z * col_b)
    return float(rows.sum() + cols.sum() + model.fixed_cost)


class HighsPlanSolver(AbstractPlanSolver):
    """Dual simplex on one core by default: the plan must be reproducible and cheap."""

    def __init__(
        self, *, threads: int = 1, time_limit: float | None = None, mip_rel_gap: float = 1e-6
    ) -> None:
        self.threads = threads
        self.time_limit = time_limit
        self.mip_rel_gap = mip_rel_gap

    def solve(self, model: PlanModel) -> Solution:
        if model.num_cols == 0:  # every parcel settled outside the LP
            return Solution(
                status="Optimal", x=np.zeros(0), row_dual=np.zeros(model.num_rows),
                objective=model.fixed_cost, dual_bound=model.fixed_cost, relative_gap=0.0,
                is_mip=False, duals=_LP_DUALS,
            )  # fmt: skip
        h = _highs(self.threads)
        if self.time_limit is not None:
            h.setOptionValue("time_limit", self.time_limit)
        h.passModel(_lp(model))
        ys = np.nonzero(model.col_kind == OPEN)[0].astype(np.int32)
        if ys.size == 0:
            h.run()
            return self._lp_solution(h, model)
        h.setOptionValue("mip_rel_gap", self.mip_rel_gap)
        # Measured on the 11.11 week with five candidates: primal heuristics and symmetry
        # detection doubled the MIP time (53 s -> 27 s CPU without them) and found nothing
        # the branch and bound did not; the few binaries make both unnecessary.
        h.setOptionValue("mip_heuristic_effort", 0.0)
        h.setOptionValue("mip_detect_symmetry", False)
        h.changeColsIntegrality(ys.size, ys, np.array([highspy.HighsVarType.kInteger] * ys.size))
        h.run()
        status = h.modelStatusToString(h.getModelStatus())
        info = h.getInfo()
        objective, bound, gap = (
            float(info.objective_function_value),
            float(info.mip_dual_bound),
            float(info.mip_gap),
        )
        y = np.round(np.asarray(h.getSolution().col_value)[ys])
        # A fresh LP with the binaries fixed: re-solving the MIP's object would start
        # without a basis and cost several times the first LP.
        h = _highs(self.threads)
        h.passModel(_lp(model))
        h.changeColsBounds(ys.size, ys, y, y)
        h.run()
        fixed = self._lp_solution(h, model)
        savings: dict[int, float] = {}
        for j, col in enumerate(ys):
            flipped = 1.0 - y[j]
            h.changeColBounds(int(col), flipped, flipped)
            h.run()
            other = float(h.getInfo().objective_function_value)
            h.changeColBounds(int(col), y[j], y[j])
            dep = int(model.col_departure[col])
            savings[dep] = other - fixed.objective if y[j] > 0.5 else fixed.objective - other
        return Solution(
            status=status, x=fixed.x, row_dual=fixed.row_dual, objective=objective,
            dual_bound=bound, relative_gap=gap, is_mip=True, duals=_MIP_DUALS, savings=savings,
        )  # fmt: skip

    @staticmethod
    def _lp_solution(h: highspy.Highs, model: PlanModel) -> Solution:
        status = h.modelStatusToString(h.getModelStatus())
        sol = h.getSolution()
        primal = float(h.getInfo().objective_function_value)
        dual = _dual_objective(model, sol) if sol.dual_valid else float("nan")
        gap = abs(primal - dual) / max(1.0, abs(primal))
        return Solution(
            status=status,
            x=np.asarray(sol.col_value, dtype=np.float64),
            row_dual=np.asarray(sol.row_dual, dtype=np.float64),
            objective=primal,
            dual_bound=dual,
            relative_gap=gap,
            is_mip=False,
            duals=_LP_DUALS,
        )
