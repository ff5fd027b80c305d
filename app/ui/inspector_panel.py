"""The Inspector: details and actions for what is selected (one acquisition, many, a conflict,
an order). Every action is a signal; the main window calls the services and reports back with
``show_message`` / ``show_refusals``."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime

from PySide6 import QtCore, QtWidgets

from app.domain import Acquisition, Conflict, Order, Target
from app.services.placement_choices import PlacementChoice

from .inspector.acquisition_page import AcquisitionPage
from .inspector.conflict_page import ConflictPage
from .inspector.order_page import OrderPage
from .inspector.parts import MessageBanner, scrolled
from .inspector.selection_page import SelectionPage

EMPTY_HINT = ("Nothing selected.\n\nClick a bar on the timeline (or drag a rectangle around "
              "several), or pick an order or a conflict in the lists on the left.")


class InspectorPanel(QtWidgets.QStackedWidget):
    """Pages: ``empty``, ``acquisition``, ``selection``, ``conflict``, ``order``."""

    lockRequested = QtCore.Signal(list, str)
    deleteRequested = QtCore.Signal(list)
    moveRequested = QtCore.Signal(str, float)
    swapRequested = QtCore.Signal(str, str)
    resolutionPreviewRequested = QtCore.Signal(str, int)
    resolutionApplyRequested = QtCore.Signal(str, int)
    orderLinkActivated = QtCore.Signal(str)
    acquisitionLinkActivated = QtCore.Signal(str)
    orderEditRequested = QtCore.Signal(str)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self._freeze_cutoff: datetime | None = None
        self.empty_page = QtWidgets.QWidget()
        hint = QtWidgets.QLabel(EMPTY_HINT)
        hint.setWordWrap(True)
        hint.setProperty("role", "hint")
        hint.setAlignment(QtCore.Qt.AlignmentFlag.AlignTop | QtCore.Qt.AlignmentFlag.AlignLeft)
        self.empty_banner = MessageBanner()
        lay = QtWidgets.QVBoxLayout(self.empty_page)
        lay.setContentsMargins(10, 10, 10, 10)
        lay.addWidget(self.empty_banner)
        lay.addWidget(hint)
        lay.addStretch(1)
        self.acquisition_page = AcquisitionPage()
        self.selection_page = SelectionPage()
        self.conflict_page = ConflictPage()
        self.order_page = OrderPage()
        self._pages = {"empty": self.empty_page, "acquisition": scrolled(self.acquisition_page),
                       "selection": scrolled(self.selection_page), "conflict": scrolled(self.conflict_page),
                       "order": scrolled(self.order_page)}
        self._banners = {"empty": self.empty_banner, "acquisition": self.acquisition_page.banner,
                         "selection": self.selection_page.banner, "conflict": self.conflict_page.banner,
                         "order": self.order_page.banner}
        for page in self._pages.values():
            self.addWidget(page)

        for page in (self.acquisition_page, self.selection_page):
            page.lockRequested.connect(self.lockRequested)
            page.deleteRequested.connect(self.deleteRequested)
        self.acquisition_page.moveRequested.connect(self.moveRequested)
        self.acquisition_page.swapRequested.connect(self.swapRequested)
        self.acquisition_page.orderLinkActivated.connect(self.orderLinkActivated)
        self.conflict_page.resolutionPreviewRequested.connect(self.resolutionPreviewRequested)
        self.conflict_page.resolutionApplyRequested.connect(self.resolutionApplyRequested)
        self.conflict_page.acquisitionLinkActivated.connect(self.acquisitionLinkActivated)
        self.order_page.editRequested.connect(self.orderEditRequested)
        self.setMinimumWidth(300)
        self.clear()

    # -------------------------------------------------------------------- API
    def set_edit_context(self, freeze_cutoff: datetime | None) -> None:
        """The frozen-zone cutoff: acquisitions starting before it are shown as not editable."""
        self._freeze_cutoff = freeze_cutoff

    def clear(self) -> None:
        self._show("empty")

    def show_acquisition(self, acq: Acquisition, order: Order | None = None, in_conflict: bool = False) -> None:
        self.acquisition_page.show_acquisition(acq, order, self._freeze_cutoff, in_conflict)
        self._show("acquisition")

    def show_acquisitions(self, acqs: Iterable[Acquisition], orders: Mapping[str, Order] | None = None) -> None:
        """None → empty page, one → its page, many → the selection summary."""
        acqs = list(acqs)
        if not acqs:
            self.clear()
        elif len(acqs) == 1:
            a = acqs[0]
            self.show_acquisition(a, (orders or {}).get(a.order_id or ""))
        else:
            self.selection_page.show_acquisitions(acqs)
            self._show("selection")

    def show_conflict(self, conflict: Conflict, acquisitions: Mapping[str, Acquisition] | None = None) -> None:
        self.conflict_page.show_conflict(conflict, acquisitions)
        self._show("conflict")

    def show_order(self, order: Order, target: Target | None = None) -> None:
        self.order_page.show_order(order, target)
        self._show("order")

    def set_alternatives(self, choices: Iterable[PlacementChoice]) -> None:
        """Fill the "swap to another opportunity" combo of the acquisition page (valid choices only)."""
        self.acquisition_page.set_alternatives(choices)

    def show_refusals(self, refusals: Mapping[str, str], name_of: Callable[[str], str] | None = None) -> None:
        """Report refused items (id → reason in words) on the current page, grouped by reason and
        named by ``name_of(id)``; empty clears."""
        kind = self.current_kind()
        if kind == "selection":
            self.selection_page.show_refusals(refusals, name_of)
        else:
            self._banners[kind].show_refusals(refusals, name_of=name_of)

    def show_message(self, text: str, error: bool = False) -> None:
        """A result or a refusal reason, visible on the current page until dismissed."""
        self._banners[self.current_kind()].show_message(text, error)

    def clear_message(self) -> None:
        self._banners[self.current_kind()].clear()

    def message_text(self) -> str:
        """What the current page's banner says (plain text; empty when hidden)."""
        return self._banners[self.current_kind()].message()

    def current_kind(self) -> str:
        current = self.currentWidget()
        return next(k for k, w in self._pages.items() if w is current)

    def _show(self, kind: str) -> None:
        self.setCurrentWidget(self._pages[kind])
