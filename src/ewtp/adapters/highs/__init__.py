"""HiGHS adapters: the capacity-planning solver."""

from ewtp.adapters.highs.planning import HighsPlanSolver, build_row_by_row

__all__ = ["HighsPlanSolver", "build_row_by_row"]
