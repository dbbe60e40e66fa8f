"""Hub and sync: which hub this terminal syncs with, pairing it, and the cards overdrawn at the hub.

Pairing lives here, behind the owner's PIN, because it sends the store's
history and PIN key to the hub. ``paired(PairingResult)`` tells the window
to (re)start the syncer.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from terminal.domain.clock import from_iso
from terminal.services.sync_link import LinkInfo, link_info
from terminal.ui.overdrafts_page import OverdraftsPage
from terminal.ui.owner.context import OwnerContext
from terminal.ui.owner.hub_refusals import HubRefusals
from terminal.ui.owner.widgets import FeedbackLabel
from terminal.ui.pairing_dialog import PairingDialog
from terminal.ui.placement import centre_on_parent


class SyncPage(QWidget):
    paired = Signal(object)  # PairingResult

    def __init__(self, ctx: OwnerContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.link_label = QLabel()
        self.link_label.setObjectName("LinkInfo")
        self.link_label.setWordWrap(True)
        self.pair_button = QPushButton(self.tr("Connect to a hub…"))
        self.pair_button.clicked.connect(self.open_pairing)
        self.feedback = FeedbackLabel()
        services = ctx.services
        self.overdrafts = OverdraftsPage(services.overdrafts, ctx.runner, None, self)
        self.refusals = HubRefusals(ctx, self)  # changes made here the hub did not take
        row = QHBoxLayout()
        row.addWidget(self.link_label, 1)
        row.addWidget(self.pair_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.feedback)
        layout.addWidget(self.refusals)
        layout.addWidget(self.overdrafts, 1)

    def refresh(self) -> None:
        ctx = self.ctx.services.ctx
        self.ctx.run(lambda: link_info(ctx), on_success=self._show_link, on_failure=self._failed, owner=self)

    def _show_link(self, info: LinkInfo | None) -> None:
        if info is None:
            self.link_label.setText(self.tr("This terminal is not connected to a hub: it works on its own. "
                                            "Connect it to share cards, staff and programs with other tills."))
            self.pair_button.setVisible(True)
            self.overdrafts.setVisible(False)
            self.refusals.show_changes([])
            return
        last = from_iso(info.last_sync_at) if info.last_sync_at else None
        self.link_label.setText(self.tr("Syncs with %1 (store %2). Last sync: %3.").replace(
            "%1", info.hub_url).replace("%2", info.store_name or info.hub_store_id).replace(
            "%3", self.ctx.local_time(last) if last else self.tr("not yet")))
        self.pair_button.setVisible(False)  # pairing again would fork the store's history
        self.overdrafts.setVisible(True)
        self.refusals.refresh()
        self.overdrafts.tz = self.ctx.store.tz if self.ctx.store else None
        # the owner's grant reaches the overdraft list; the page asks the hub in the background
        self.ctx.run_granted(lambda grant: grant, on_success=self.overdrafts.show_for,
                             on_failure=self._failed, owner=self)

    def _failed(self, error) -> None:  # noqa: ANN001
        self.feedback.show_error(error)

    def open_pairing(self) -> PairingDialog:
        dialog = PairingDialog(self.ctx.services, self.ctx.runner, self)
        dialog.paired.connect(self._paired)
        dialog.finished.connect(dialog.deleteLater)
        centre_on_parent(dialog)
        dialog.open()
        return dialog

    def _paired(self, result) -> None:  # noqa: ANN001
        self.feedback.show_ok(self.tr("Paired with %1.").replace("%1", result.store_name))
        self.paired.emit(result)
        self.refresh()
