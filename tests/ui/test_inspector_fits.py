"""Issue 15 item 6: every Inspector page fits the dock's width at 1366×768 (nothing runs past the
right edge, no horizontal scrolling, buttons in sight), and the explanation says each thing once."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from PySide6 import QtCore, QtWidgets

from app.domain import Placement
from app.domain.enums import OrderStatus
from app.services.explain import Change, Explanation, Suggestion
from app.ui.inspector_panel import InspectorPanel
from app.ui.screen_fit import MIN_INSPECTOR, dock_widths

from test_inspector_panel import ORDER, T0, make_acq

#: The Inspector's width in a 1366 px window (the left panel asks for ~420 px of names and times;
#: the window gives the Inspector no less than its minimum), and its minimum itself.
WIDTHS = sorted({dock_widths(1366, 420, 360)[1], MIN_INSPECTOR})


def _overflowing(area: QtWidgets.QScrollArea) -> list[str]:
    """Visible widgets of the page whose right edge passes the scroll area's viewport."""
    vp = area.viewport()
    right = vp.width()
    out = []
    for w in area.widget().findChildren(QtWidgets.QWidget):
        if not w.isVisibleTo(area) or w.width() <= 0:
            continue
        edge = w.mapTo(vp, QtCore.QPoint(w.width(), 0)).x()
        if edge > right:
            text = w.text() if hasattr(w, "text") else ""
            out.append(f"{type(w).__name__} {text[:40]!r} ends at {edge} > {right}")
    return out


def _explanation() -> Explanation:
    place = Placement("PLEIADES-NEO-4", T0, T0 + timedelta(seconds=20), 12.0, 0.0, incidence_deg=25.0,
                      look_side="RIGHT", pass_direction="DESCENDING")
    where = ("Athens", "PLEIADES-NEO-4_Athens_20260808T120000_max")
    plan = Suggestion(Change("plan", "Plan it (Plan ▸ Plan…, incremental): nothing needs to change"), place, *where)
    widen = Suggestion(Change("widen", "Widen the requested window by 1 day 6 h to Wednesday 12 August 05:35Z"),
                       place, *where)
    return Explanation(ORDER.id, "Athens", "not_planned",
                       "Not planned yet: it fits as Athens · PLEIADES-NEO-4 · Wed 12 Aug 05:35Z.",
                       ("PLEIADES-NEO-4 passes 14 times in the window; incidence limit ≤ 35° rules out 9",),
                       (plan, widen))


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", ["order", "acquisition", "conflict"])
def test_every_page_fits_the_dock_width(qtbot, schedule, kind, width):
    panel = InspectorPanel()
    qtbot.addWidget(panel)
    panel.resize(width, 700)
    panel.show()
    if kind == "order":
        order = replace(ORDER, status=OrderStatus.NEW, notes="a long note " * 8,
                        external_ref="REQ-0060-VERY-LONG-EXTERNAL-REFERENCE")
        panel.show_order(order)
        panel.order_page.explain.set_explanation(_explanation())
        assert len(panel.order_page.explain.apply_buttons) == 2
    elif kind == "acquisition":
        panel.show_acquisition(make_acq())
    else:
        conflict = max(schedule.conflicts, key=lambda c: len(c.resolution_options))
        panel.show_conflict(conflict, schedule.by_id)
    panel.show_message("Refused: the acquisition is hard-locked and inside the frozen zone, so it cannot "
                       "be moved or deleted until someone unlocks it", error=True)
    qtbot.wait(50)
    area = panel.currentWidget()
    assert isinstance(area, QtWidgets.QScrollArea)
    assert area.horizontalScrollBarPolicy() == QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    assert area.widget().width() <= area.viewport().width()
    assert _overflowing(area) == []


def test_explanation_says_not_planned_once_and_the_order_id_is_a_detail(qtbot):
    panel = InspectorPanel()
    qtbot.addWidget(panel)
    panel.resize(MIN_INSPECTOR, 700)
    panel.show()
    panel.show_order(replace(ORDER, status=OrderStatus.NEW))
    view = panel.order_page.explain
    view.set_explanation(_explanation())
    assert view.title.text() == "Not planned yet"
    assert view.reason.text() == "It fits as Athens · PLEIADES-NEO-4 · Wed 12 Aug 05:35Z."
    form = panel.order_page.form
    assert form.keys()[0] == "target" and form.keys()[-1] == "id"
    assert form.value("id") == ORDER.id and ORDER.id in panel.order_page.header.toolTip()
