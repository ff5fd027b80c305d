"""One placement value object (issue #10 item 1): opportunities, plan items and acquisitions carry
the same Placement, translated to and from the stored column names in one place."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain import Acquisition, Opportunity, Placement, PlanItem, ValidationError
from app.scheduling.placements import PlacementArrays, epochs_of_text

UTC = timezone.utc
angles = st.floats(-60.0, 60.0, allow_nan=False)


@st.composite
def placements(draw):
    start = draw(st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 1, 1))).replace(tzinfo=UTC)
    end = start + timedelta(seconds=draw(st.floats(0.0, 120.0)))
    return Placement(draw(st.sampled_from(["SAT-1", "SAT-2"])), start, end, draw(angles), draw(angles), draw(angles),
                     draw(angles), None, draw(st.one_of(st.none(), st.floats(0.0, 60.0))),
                     draw(st.sampled_from([None, "LEFT", "RIGHT"])), draw(st.sampled_from([None, "ASCENDING"])))


@given(placements())
def test_the_three_shapes_carry_the_same_placement(p):
    cols = p.stored_fields()
    acq = Acquisition(id="acq_1", workspace_id="ws", target_id="T", **cols)
    item = PlanItem(id="pi", plan_id="plan", opportunity_id="o", target_id="T", **cols)
    opp = Opportunity("o", p.satellite_id, "T", p.start, p.end, p.roll_deg, p.pitch_deg, p.roll_end_deg,
                      p.pitch_end_deg, incidence_deg=p.incidence_deg, look_side=p.look_side,
                      pass_direction=p.pass_direction)
    assert acq.placement == item.placement == opp.placement == p


@given(st.lists(placements(), min_size=1, max_size=5))
def test_the_epoch_adapter_reads_stored_text_as_the_datetimes_say(ps):
    texts = [p.start.strftime("%Y-%m-%dT%H:%M:%S.%fZ") for p in ps]
    # microseconds survive exactly; the epoch is the datetime's own timestamp
    assert epochs_of_text(texts).tolist() == pytest.approx([p.start.timestamp() for p in ps], abs=1e-6)
    acqs = [Acquisition(id=f"a{k}", workspace_id="ws", target_id="T", **p.stored_fields()) for k, p in enumerate(ps)]
    arrays = PlacementArrays.from_acquisitions(acqs)
    assert arrays.roll1.tolist() == [p.roll_end_deg for p in ps] and arrays.satellite_ids == [p.satellite_id for p in ps]


def test_a_placement_ending_before_it_starts_is_refused():
    t = datetime(2026, 8, 7, tzinfo=UTC)
    with pytest.raises(ValidationError, match="placement.end: must not be before start"):
        Placement("SAT-1", t, t - timedelta(seconds=1), 0.0)


@given(st.lists(placements(), min_size=1, max_size=5), st.booleans())
def test_the_epoch_adapter_reads_other_iso_forms_alike(ps, short_first):
    # The stored form (27 characters, Z) is parsed in one numpy pass; any other width goes the slow way.
    stored = [p.start.strftime("%Y-%m-%dT%H:%M:%S.%fZ") for p in ps]
    mixed = list(stored)
    if short_first:
        mixed[0] = ps[0].start.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
    expected = [p.start.timestamp() for p in ps]
    if short_first:
        expected[0] = ps[0].start.replace(microsecond=0).timestamp()
    assert epochs_of_text(mixed).tolist() == pytest.approx(expected, abs=1e-6)
    assert epochs_of_text(stored).tolist() == pytest.approx([p.start.timestamp() for p in ps], abs=1e-6)
