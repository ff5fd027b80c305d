"""Inspector page for one order."""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from app.domain import Order, Target

from ..explain_view import ExplainView
from ..formatting import attempts_text, constraints_text, order_name, utc_text, window_text
from .parts import FieldForm, MessageBanner, header_label


class OrderPage(QtWidgets.QWidget):
    editRequested = QtCore.Signal(str)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.order: Order | None = None
        self.header = header_label()
        self.form = FieldForm()
        for key, label in (("target", "Target"), ("location", "Location"),
                           ("priority", "Priority"), ("status", "Status"), ("attempts", "Failed attempts"),
                           ("window", "Window (UTC)"),
                           ("constraints", "Constraints"), ("source", "Source"), ("ref", "External ref"),
                           ("notes", "Notes"), ("created", "Created / updated"), ("version", "Version"),
                           ("id", "Order id")):
            self.form.add(key, label)
        self.edit_button = QtWidgets.QPushButton("Edit Order…")
        self.edit_button.clicked.connect(lambda: self.order and self.editRequested.emit(self.order.id))
        self.banner = MessageBanner()
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.header)
        layout.addWidget(self.banner)
        layout.addWidget(self.form)
        row = QtWidgets.QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.edit_button)
        layout.addLayout(row)
        # Why an Inbox order is not scheduled and what would make it fit (filled on a worker).
        self.explain = ExplainView()
        self.explain.hide()
        layout.addWidget(self.explain)
        layout.addStretch(1)

    def show_order(self, order: Order, target: Target | None = None) -> None:
        self.order = order
        self.header.setText(f"Order for {order.target_id}")
        # The raw id is a detail (last line, and the header's tooltip), not the first thing read.
        self.header.setToolTip(f"order id {order.id}")
        f = self.form
        f.set("id", order.id)
        f.set("target", order.target_id)
        f.set("location", f"{target.lat:.4f}°, {target.lon:.4f}°" if target else "—")
        f.set("priority", f"{order.priority} (1 = highest, 5 = lowest)")
        f.set("status", order.status.value)
        f.set("attempts", attempts_text(order) or "none")
        f.set("window", window_text(order))
        f.set("constraints", constraints_text(order))
        f.set("source", order.source.value)
        f.set("ref", order.external_ref or "—")
        f.set("notes", order.notes or "—")
        f.set("created", f"{utc_text(order.created_at)} / {utc_text(order.updated_at)}")
        f.set("version", str(order.version))
        self.banner.clear()
        waiting = order.status.value == "new"
        self.explain.setVisible(waiting)
        if waiting:
            self.explain.set_busy(order_name(order))
