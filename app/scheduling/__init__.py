"""Scheduling engine (pure, no Qt, no database): the slew model, the value model, battery and
memory simulation, the five algorithms, conflict detection, workspace planning and plan comparison.
"""
from .compare import compare_plans, plan_changes
from .conflicts import DetectionInput, conflict_id, detect_conflicts, sequence_conflicts, slew_severity, summary
from .planner import (Change, PlanningOutcome, PlanningRequest, PlannedItem, PolicyParams, classify, input_hash,
                      is_protected, plan)
from .problem import Candidate, FixedItem, InitialAttitude, Problem, SatelliteSpec
from .problem_file import load_problem, parse_problem
from .progress import Cancelled
from .slew import Agility, axis_time, feasible, slew_time, slew_times
from .solver import SolveResult, solve
from .value import ValueConfig, ValueModel

__all__ = [
    "compare_plans", "plan_changes", "DetectionInput", "conflict_id", "detect_conflicts", "sequence_conflicts", "slew_severity", "summary", "Change",
    "PlanningOutcome", "PlanningRequest", "PlannedItem", "PolicyParams", "classify", "input_hash", "is_protected",
    "plan", "Candidate", "FixedItem", "InitialAttitude", "Problem", "SatelliteSpec", "load_problem",
    "parse_problem", "Cancelled", "Agility", "axis_time", "feasible", "slew_time", "slew_times", "SolveResult",
    "solve", "ValueConfig", "ValueModel",
]
