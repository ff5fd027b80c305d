"""What an order's constraints name must exist among its workspace's satellites (issue 14:
references resolved). A preferred satellite, a sensor type, an imaging mode or a SAR mode that no
satellite has would leave the order unservable with only "filtered by constraint" to say why;
every order boundary (scenario file, order file, ``orders add``, New Order) refuses it instead."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from app.domain import Satellite
from app.domain.enums import Mode


def _listed(names) -> str:
    names = sorted(set(names), key=str.lower)
    return ", ".join(names) if names else "none"


def reference_problem(constraints: Mapping[str, Any], satellites: Sequence[Satellite]) -> tuple[str, str] | None:
    """(constraint key, reason) for the first constraint naming what no satellite has, else None.

    Sensor types compare without case, as the access filter does. Values of the wrong type are
    left to ``OrderConstraints``, which names them."""
    preferred = constraints.get("preferred_satellite")
    if isinstance(preferred, str) and preferred not in {s.id for s in satellites}:
        return "preferred_satellite", (f"unknown satellite {preferred!r}; the workspace has "
                                       f"{_listed(s.id for s in satellites)}")
    sensor = constraints.get("sensor_type")
    if isinstance(sensor, str) and sensor.strip() and \
            sensor.strip().lower() not in {s.sensor_type.lower() for s in satellites}:
        return "sensor_type", (f"no satellite has sensor type {sensor!r}; the workspace has "
                               f"{_listed(s.sensor_type for s in satellites)}")
    mode = constraints.get("mode")
    try:
        mode = Mode(str(mode).upper()) if mode is not None else None
    except ValueError:
        mode = None
    if mode is not None and all(s.mode != mode for s in satellites):
        return "mode", f"no {mode.value} satellite in the workspace"
    sar_mode = constraints.get("sar_mode")
    if isinstance(sar_mode, str) and sar_mode.strip():
        radars = [s for s in satellites if s.mode == Mode.SAR]
        if not radars:
            return "sar_mode", f"SAR mode {sar_mode!r} but no SAR satellite in the workspace"
        # A radar without a list of modes takes any mode (access filter).
        if all(r.sar_modes and sar_mode not in r.sar_modes for r in radars):
            return "sar_mode", (f"no SAR satellite offers mode {sar_mode!r}; they offer "
                                f"{_listed(m for r in radars for m in r.sar_modes)}")
    return None
