"""An ASAP order (no window) on a real workspace gets its earliest feasible opportunity when
nothing competes (issue 15 item 5: it used to be scheduled days out, at its best-looking pass)."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.domain.enums import PITCH_ALGORITHMS
from app.persistence import ScheduleDB
from app.services import access_service
from app.services.planning import PlanOptions, planning_inputs, run_planning
from app.services.scenario_file import parse_scenario
from app.services.workspaces import import_scenario


@pytest.mark.parametrize("algorithm", ["best_fit", "roll_pitch_best_fit", "optimal"])
def test_asap_order_alone_gets_its_earliest_opportunity(tmp_path, small_scenario, algorithm):
    doc = small_scenario(n_targets=3, n_orders=1)
    doc["settings"]["horizon_end"] = "2026-08-13T00:00:00Z"  # three days: several passes
    order_doc = doc["orders"][0]
    assert "requested_window_start" not in order_doc  # ASAP: no window at all
    db = ScheduleDB(f"sqlite:///{tmp_path / 'ws.db'}", create=True)
    try:
        ws = import_scenario(db, parse_scenario(doc), "asap")
        result = run_planning(db, ws.id, PlanOptions(algorithm=algorithm, time_limit_s=10.0))
        assert len(result.items) == 1
        item = result.items[0]

        inputs = planning_inputs(db, ws.id, PlanOptions())
        settings = inputs["workspace"].settings
        opps = access_service.order_opportunities(inputs["satellites"], inputs["targets"], inputs["orders"],
                                                  inputs["start"], inputs["end"], settings).by_order[item.order_id]
        cutoff = settings.scenario_clock + timedelta(hours=settings.freeze_window_hours)
        usable = [o for o in opps if o.start >= cutoff and (algorithm in PITCH_ALGORITHMS or o.variant == "max")]
        assert len({o.start for o in usable}) > 2, "the order needs several passes for the test to mean anything"
        earliest = min(usable, key=lambda o: o.start)
        assert item.start == earliest.start, (item.start, earliest.start)
        # ...although a later pass looks at the target more steeply.
        assert min(o.incidence_deg for o in usable) < earliest.incidence_deg
    finally:
        db.close()
