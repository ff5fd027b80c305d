"""Plan dialog in a planner's words (issue 15): no raw option names, one line of help per choice."""
from datetime import datetime, timezone

from PySide6 import QtWidgets
from PySide6.QtTest import QTest

from app.domain.enums import QualityModel, ScoreFunction, ValueSource
from app.ui.dialogs.plan_dialog import HELP, PlanDialog

UTC = timezone.utc


def test_choices_read_as_words_and_each_has_its_help(qtbot):
    d = PlanDialog(datetime(2026, 8, 10, tzinfo=UTC), datetime(2026, 8, 17, tzinfo=UTC), mode="reshuffle")
    qtbot.addWidget(d)
    d.show()
    QTest.qWaitForWindowExposed(d)
    qtbot.wait(20)
    raw = {m.value for e in (ValueSource, QualityModel, ScoreFunction) for m in e} | {"target_priority", "P / G / T"}
    for combo in d.findChildren(QtWidgets.QComboBox):
        for i in range(combo.count()):
            assert combo.itemText(i) not in raw, combo.itemText(i)
    shown = {lbl.text() for lbl in d.findChildren(QtWidgets.QLabel) if lbl.isVisible()}
    assert set(HELP.values()) <= shown
    assert "P / G / T" not in shown and "Value source" not in shown
    for text in HELP.values():
        lbl = next(lbl for lbl in d.findChildren(QtWidgets.QLabel) if lbl.text() == text)
        assert lbl.width() >= lbl.sizeHint().width()  # never cut
    # The data behind the words is unchanged.
    config = d.config()
    assert config["value_source"] in {m.value for m in ValueSource}
    assert config["quality_model"] in {m.value for m in QualityModel}
