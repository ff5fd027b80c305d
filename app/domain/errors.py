"""Errors raised by every layer. All are ``ValueError`` subclasses so callers can catch one type.

A message always names the field (or the rule) and the reason, e.g. ``"priority: must be 1..5, got 9"``.
"""
from __future__ import annotations


class DomainError(ValueError):
    """Base of every refusal the application reports to a planner."""


class ValidationError(DomainError):
    """A value is invalid. ``field`` names it (``"orders[3].priority"``, ``"line 7"``)."""

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}")


class NotFoundError(DomainError):
    """An entity referred to by id or name does not exist."""

    def __init__(self, entity: str, key: str) -> None:
        self.entity = entity
        self.key = key
        super().__init__(f"{entity}: no {entity} {key!r}")


class RuleViolation(DomainError):
    """An edit is refused by a planning rule (locks, states, lifecycle). ``rule`` names it."""

    def __init__(self, rule: str, reason: str) -> None:
        self.rule = rule
        self.reason = reason
        super().__init__(f"{rule}: {reason}")


class StaleEditError(DomainError):
    """Optimistic concurrency: the row changed since it was read (another instance wrote it)."""

    def __init__(self, entity: str, key: str, expected: int, found: int, who: str | None = None,
                 at: str | None = None) -> None:
        self.entity = entity
        self.key = key
        self.expected = expected
        self.found = found
        self.who = who
        self.at = at
        by = f"by {who}" if who else "by someone else"
        when = f" at {at}" if at else ""
        super().__init__(
            f"version: {entity} {key} was changed {by}{when} "
            f"(you edited version {expected}, the database has version {found}); reload and retry"
        )
