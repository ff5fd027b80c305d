"""The vocabulary of the workbench (spec.md): plain dataclasses and enums, no framework imports."""
from .audit import AuditEntry
from .conflicts import Conflict, ResolutionOption
from .enums import *  # noqa: F401,F403 - the enums are the vocabulary
from . import checks, limits
from .errors import DomainError, NotFoundError, RuleViolation, StaleEditError, ValidationError
from .ids import new_id, new_run_id, opportunity_id
from .orders import Order, OrderConstraints, check_transition
from .scenario import (WEIGHT_PRESETS, GroundStation, PowerModel, Satellite, Target, Workspace,
                       WorkspaceSettings)
from .placement import Placement
from .schedule import Acquisition, ContactWindow, HorizonZones, Opportunity, Plan, PlanItem
from .times import UTC, parse_optional_utc, parse_utc, to_iso, utc_now

__all__ = [
    "AuditEntry", "Conflict", "ResolutionOption", "DomainError", "NotFoundError", "RuleViolation",
    "StaleEditError", "ValidationError", "new_id", "new_run_id", "opportunity_id", "Order",
    "OrderConstraints", "check_transition", "WEIGHT_PRESETS", "GroundStation", "PowerModel",
    "Satellite", "Target", "Workspace", "WorkspaceSettings", "Acquisition", "ContactWindow",
    "HorizonZones", "Opportunity", "Placement", "Plan", "PlanItem", "UTC", "parse_optional_utc", "parse_utc",
    "to_iso", "utc_now",
]
