"""Progress and cancellation hooks of long runs (no Qt: the workers layer adapts them)."""
from __future__ import annotations

from app.domain.progress import CancelCheck, Cancelled
from app.domain.progress import CountProgress as Progress

__all__ = ["CancelCheck", "Cancelled", "Progress"]
