from datetime import datetime, timedelta, timezone

from app.domain import Order, OrderConstraints
from app.ui.formatting import (constraints_text, duration_text, pitch_text, roll_text, utc_text,
                               window_text)

UTC = timezone.utc


def test_times_are_shown_in_utc_whatever_the_input_zone():
    t = datetime(2026, 8, 7, 11, 15, 26, tzinfo=timezone(timedelta(hours=2)))
    assert utc_text(t) == "2026-08-07 09:15:26Z"
    assert utc_text(None) == "—"


def test_angles_carry_the_sign_convention_in_words():
    assert roll_text(12.345) == "+12.35° (right)"
    assert roll_text(-3) == "-3.00° (left)"
    assert pitch_text(5) == "+5.00° (forward)"
    assert pitch_text(-5) == "-5.00° (backward)"


def test_durations():
    assert duration_text(12) == "12 s"
    assert duration_text(245) == "4 min 05 s"
    assert duration_text(7380) == "2 h 03 min"
    assert duration_text(-30) == "−30 s"


def test_order_window_and_constraints_summary():
    o = Order(id="ord_1", workspace_id="ws", target_id="Athens", priority=2,
              requested_window_end=datetime(2026, 8, 10, tzinfo=UTC),
              constraints=OrderConstraints(max_incidence_deg=40, look_side="RIGHT"))
    assert window_text(o) == "ASAP → 2026-08-10 00:00Z"
    assert window_text(o, compact=True) == "ASAP → 10 Aug 00:00"
    assert constraints_text(o) == "inc ≤ 40°, look RIGHT"
    assert constraints_text(Order(id="o", workspace_id="w", target_id="T")) == "none"


def test_compact_windows_keep_their_meaning_in_few_characters():
    def win(start, end):
        return window_text(Order(id="o", workspace_id="w", target_id="T", requested_window_start=start,
                                 requested_window_end=end), compact=True)
    d = datetime(2026, 8, 10, tzinfo=UTC)
    assert win(d, d + timedelta(days=3)) == "10 Aug → 13 Aug"  # midnight to midnight
    assert win(d.replace(hour=9), d.replace(hour=12, minute=30)) == "10 Aug 09:00 → 12:30"
    assert win(d.replace(hour=9), d + timedelta(days=2, hours=18)) == "10 Aug 09:00 → 12 Aug 18:00"
    assert win(d, None) == "10 Aug 00:00 → open" and win(None, None) == "ASAP → open"
