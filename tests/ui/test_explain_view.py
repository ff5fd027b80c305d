"""The Inspector's "why not" section (issue 15): reason, suggestions, Apply, no raw ids."""
from __future__ import annotations

import shutil

import pytest
from PySide6 import QtWidgets
from PySide6.QtTest import QTest

from app.persistence import ScheduleDB
from app.services import explain as ex, orders as order_svc
from app.services.demo import ensure_demo
from app.services.workspaces import resolve_workspace
from app.ui.explain_view import ExplainView


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("explainview") / "demo.db"
    db = ScheduleDB(path)
    ensure_demo(db, schedule=True)
    db.close()
    return path


def test_a_filtered_order_reads_as_words_and_apply_emits_the_suggestion(qtbot, demo_file, tmp_path):
    path = tmp_path / "d.db"
    shutil.copy(demo_file, path)
    db = ScheduleDB(path)
    try:
        ws = resolve_workspace(db, "demo")
        o = order_svc.add_order(db, ws.id, "Luanda", 2, window_start="2026-08-12T00:00:00Z",
                                window_end="2026-08-12T00:20:00Z")
        e = ex.explain(db, ws.id, o.id)
    finally:
        db.close()
    v = ExplainView()
    qtbot.addWidget(v)
    v.resize(380, 400)
    v.show()
    QTest.qWaitForWindowExposed(v)
    v.set_explanation(e)
    qtbot.wait(20)  # widgets added to a shown layout appear on the next event loop pass
    texts = " ".join(lbl.text() for lbl in v.findChildren(QtWidgets.QLabel) if lbl.isVisible())
    assert v.title.text() == "Filtered by its constraints"
    assert "requested window" in texts and "Widen the requested window by" in texts
    assert "Luanda · " in texts
    assert "ord_" not in texts and "acq_" not in texts and "@" not in texts
    assert len(v.apply_buttons) == len(e.suggestions) >= 1
    # A suggestion's tooltip leads with where and how it would image (the ids only after it).
    tips = [lbl.toolTip() for lbl in v.findChildren(QtWidgets.QLabel) if " · roll " in lbl.toolTip()]
    first = e.suggestions[0].acquisition
    assert len(tips) == len(e.suggestions) and tips[0].startswith(f"{first.start:%a %d %b %H:%M}")
    assert f"for {first.duration_s:.0f} s on {first.satellite_id}" in tips[0]
    assert tips[0].index("opportunity id") > tips[0].index("roll")
    with qtbot.waitSignal(v.applyRequested) as got:
        v.apply_buttons[0].click()
    assert got.args[0] is e.suggestions[0]
    v.set_busy("Luanda (priority 2)")
    assert v.apply_buttons == [] and "Checking Luanda" in v.reason.text()
