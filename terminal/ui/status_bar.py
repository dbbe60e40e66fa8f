"""The status bar: store, terminal, who confirmed last, and the sync indicator."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QEvent
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from sync.status import SyncState, SyncStatus
from terminal.ui.context import number, window_locale
from terminal.ui.retranslating import Retranslating
from terminal.ui.theme import repolish


class SyncIndicator(QLabel):
    """``show_status(SyncStatus | None)``: None means this terminal is not paired with a hub."""

    def __init__(self, tz: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SyncIndicator")
        self.tz = tz
        self.status: SyncStatus | None = None
        self.show_status(None)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.LanguageChange:
            self.show_status(self.status)
        super().changeEvent(event)

    def show_status(self, status: SyncStatus | None) -> None:
        self.status = status
        self.setText(self.describe(status))
        self.setToolTip(self.explain(status))
        self.setProperty("state", "none" if status is None else str(status.state))
        repolish(self)

    def describe(self, status: SyncStatus | None) -> str:
        if status is None:
            return self.tr("Not connected to a hub")
        state = {SyncState.ONLINE: self.tr("Online"), SyncState.OFFLINE: self.tr("Offline"),
                 SyncState.ERROR: self.tr("Sync error")}.get(status.state, str(status.state))
        parts = [state]
        if status.pending:
            parts.append(self.tr("%1 pending").replace("%1", number(status.pending)))
            if status.catchup_done:  # a till back from days offline: show it moving
                parts.append(self.tr("catching up %1%").replace("%1", str(round(status.catchup_fraction * 100))))
        if status.last_sync_at:
            parts.append(self.tr("last sync %1").replace("%1", self._local(status.last_sync_at)))
        else:
            parts.append(self.tr("never synced"))
        if status.clock_warning and status.clock_skew_seconds is not None:
            minutes = str(max(1, abs(status.clock_skew_seconds) // 60))
            parts.append(self.tr("clock %1 min ahead of the hub: check it").replace("%1", minutes)
                         if status.clock_skew_seconds > 0 else
                         self.tr("clock %1 min behind the hub: check it").replace("%1", minutes))
        if status.clock_refused:
            parts.append(self.tr("the hub refused this computer's time: check the computer's clock"))
        if status.records_refused:
            parts.append(self.tr("%1 changes not accepted (Owner → Hub and sync)").replace(
                "%1", number(status.records_refused)))
        return " · ".join(parts)

    def explain(self, status: SyncStatus | None) -> str:
        """The tooltip: why the till is offline, in the window's language (the syncer's reason is
        network detail, errno and all, for the log); a sync error keeps the syncer's own words."""
        if status is None or not status.last_error:
            return ""
        if status.state == SyncState.OFFLINE:
            return self.tr("The hub cannot be reached. This till keeps working and sends its changes "
                           "once the hub answers.")
        return status.last_error

    def _local(self, iso: str) -> str:
        try:
            moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
        except ValueError:
            return iso
        local = moment.astimezone(self.tz)
        today = datetime.now(self.tz).date()
        if local.date() == today:
            return f"{local:%H:%M}"
        day = window_locale().toString(QDate(local.year, local.month, local.day), "d MMM")  # month in its language
        return f"{day} {local:%H:%M}"


class CounterStatusBar(Retranslating, QStatusBar):
    def __init__(self, store_name: str, terminal_id: str, tz: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeGripEnabled(False)
        self.store_name = store_name
        self.terminal_id = terminal_id
        self.last_staff: str | None = None
        self.store_label = QLabel()
        self.terminal_label = QLabel()
        self.staff_label = QLabel()
        self.sync_indicator = SyncIndicator(tz)
        for label in (self.store_label, self.terminal_label, self.staff_label):
            self.addWidget(label)
        self.addPermanentWidget(self.sync_indicator)
        self.retranslate()

    def retranslate(self) -> None:
        self.store_label.setText(self.store_name)
        self.terminal_label.setText(self.tr("Terminal %1").replace("%1", self.terminal_id[:8]))
        self.terminal_label.setToolTip(self.terminal_id)
        self.staff_label.setText(self.tr("Last confirmed by %1").replace("%1", self.last_staff)
                                 if self.last_staff else self.tr("No action confirmed yet"))

    def set_last_staff(self, name: str) -> None:
        self.last_staff = name
        self.retranslate()
