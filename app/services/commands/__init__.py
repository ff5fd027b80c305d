"""The planner's edits as undoable commands (no Qt): see ``base`` for the protocol and the stack."""
from .acquisition_commands import ApplyResolution, Delete, Move, SetLock, Swap
from .base import Changes, Command, CommandStack
from .order_commands import AddOrder, CancelOrder, EditOrder, PlaceOrder
from .plan_commands import AcceptPlan, CommitPlan, RejectPlan

__all__ = ["Changes", "Command", "CommandStack", "SetLock", "Delete", "Swap", "Move", "ApplyResolution",
           "CommitPlan", "AcceptPlan", "RejectPlan", "AddOrder", "EditOrder", "CancelOrder",
           "PlaceOrder"]
