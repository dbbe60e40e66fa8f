"""The owner's Customers page: find a customer, see and edit their card, change its status, replace it.

One customer at a time: balance, tier, contact details (editable), status
with suspend / block / reactivate (a reason, a confirmation naming the
consequence), replacing a blocked card, the link between a replaced card and
its replacement both ways, and the history with the balance after each entry.
Every action answers on the line right under its own buttons.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QDate, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from terminal.domain.codes import format_code
from terminal.domain.errors import LoyaltyError
from terminal.domain.programs import CardStatus
from terminal.services.customers import CustomerView
from terminal.services.replace import Replacement
from terminal.ui.context import number, window_locale
from terminal.ui.customer_refusals import describe_customer
from terminal.ui.customer_search import CustomerSearch, status_text
from terminal.ui.owner.confirm import unbroken_code
from terminal.ui.owner.context import OwnerContext
from terminal.ui.owner.widgets import FeedbackLabel, entry_kind_labels, fill_table, make_table


def _signed(n: int) -> str:
    """+1.500 or -20 in the window's locale; "" for no change."""
    return "" if not n else ("+" if n > 0 else "-") + number(abs(n))


def _refused(label: FeedbackLabel) -> Callable[[LoyaltyError], None]:
    return lambda error: label.show_error(describe_customer(error))


class CustomersPage(QWidget):
    """``customer_shown(CustomerView)`` each time a customer's card has been (re)loaded."""

    customer_shown = Signal(object)

    def __init__(self, ctx: OwnerContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customersPage")
        self.ctx = ctx
        self.view: CustomerView | None = None
        self.confirmation: QMessageBox | None = None
        services = ctx.services
        self.search = CustomerSearch(ctx.runner, services.customers.search)
        self.search.results.setMaximumHeight(130)
        self.search.picked.connect(self.open_card)
        self.search.results.itemSelectionChanged.connect(self._selection_changed)
        self.feedback = FeedbackLabel()  # the page's own line: loading a customer

        self.title = QLabel()
        self.title.setObjectName("customerTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.links = QLabel()
        self.links.setTextFormat(Qt.TextFormat.RichText)
        self.links.linkActivated.connect(self.open_card)

        self.name_field = QLineEdit()
        self.phone_field = QLineEdit(placeholderText=self.tr("e.g. +62 812-3456-7890"))
        self.email_field = QLineEdit(placeholderText=self.tr("e.g. name@example.com"))
        self.birthday_field = QLineEdit(placeholderText=self.tr("YYYY-MM-DD, or MM-DD without the year"))
        self.consent_box = QCheckBox(self.tr("Agrees to be contacted (offers, birthday wishes)"))
        for field, limit in ((self.name_field, 120), (self.phone_field, 32), (self.email_field, 254),
                             (self.birthday_field, 10)):
            field.setMaxLength(limit)
        self.save_button = QPushButton(self.tr("Save contact details"))
        self.save_button.clicked.connect(self.save_contact)
        self.contact_feedback = FeedbackLabel()
        contact = QGroupBox()  # the tab names it
        # Two fields a row: the form, its Save button and its message fit under the tabs at 768 pixels.
        form = QGridLayout(contact)
        for index, (label, field) in enumerate(((self.tr("Name"), self.name_field),
                                                (self.tr("Phone"), self.phone_field),
                                                (self.tr("E-mail"), self.email_field),
                                                (self.tr("Birthday"), self.birthday_field))):
            row, column = divmod(index, 2)
            form.addWidget(QLabel(label), row, column * 2)
            form.addWidget(field, row, column * 2 + 1)
        form.setColumnStretch(1, 1)
        form.setColumnStretch(3, 1)
        form.addWidget(self.consent_box, 2, 0, 1, 4)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(self.save_button)
        buttons_row.addWidget(self.contact_feedback, 1)
        form.addLayout(buttons_row, 3, 0, 1, 4)

        self.reason_field = QLineEdit(placeholderText=self.tr("Reason (goes in the audit log)"))
        self.reason_field.setMaxLength(300)
        self.suspend_button = QPushButton(self.tr("Suspend"))
        self.block_button = QPushButton(self.tr("Block (lost or stolen)"))
        self.reactivate_button = QPushButton(self.tr("Reactivate"))
        self.suspend_button.clicked.connect(lambda: self.change_status(CardStatus.SUSPENDED))
        self.block_button.clicked.connect(lambda: self.change_status(CardStatus.BLOCKED))
        self.reactivate_button.clicked.connect(lambda: self.change_status(CardStatus.ACTIVE))
        self.new_card_field = QLineEdit(placeholderText=self.tr("New card: scan or type its code"))
        self.replace_button = QPushButton(self.tr("Move balance to the new card"))
        self.replace_button.clicked.connect(self.replace_card)
        self.status_feedback = FeedbackLabel()
        status = QGroupBox()
        status_layout = QVBoxLayout(status)
        status_layout.addWidget(self.reason_field)
        buttons = QHBoxLayout()
        for button in (self.suspend_button, self.block_button, self.reactivate_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        status_layout.addLayout(buttons)
        replace_row = QHBoxLayout()
        replace_row.addWidget(self.new_card_field, 1)
        replace_row.addWidget(self.replace_button)
        status_layout.addLayout(replace_row)
        status_layout.addWidget(self.status_feedback)

        self.history = make_table([self.tr("When"), self.tr("What"), self.tr("Stamps"), self.tr("Points"),
                                   self.tr("Balance after"), self.tr("Staff"), self.tr("Reason")])
        self.history.setObjectName("customerHistory")
        self.history.setMinimumHeight(160)

        # Tabs keep the history, the contact form and the status controls within a 768-pixel screen.
        self.tabs = QTabWidget()
        self.tabs.setObjectName("customerTabs")
        self.tabs.addTab(self.history, self.tr("History (newest first)"))
        self.tabs.addTab(self._top_aligned(contact), self.tr("Contact details"))
        self.tabs.addTab(self._top_aligned(status), self.tr("Card status"))
        self.details = QWidget()
        details = QVBoxLayout(self.details)
        details.setContentsMargins(0, 0, 0, 0)
        details.addWidget(self.title)
        details.addWidget(self.summary)
        details.addWidget(self.links)
        details.addWidget(self.tabs, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Find a customer by name, phone number, e-mail or card code.")))
        layout.addWidget(self.search)
        layout.addWidget(self.feedback)
        layout.addWidget(self.details, 1)
        self.details.setVisible(False)

    @staticmethod
    def _top_aligned(group: QGroupBox) -> QWidget:
        holder = QWidget()
        layout = QVBoxLayout(holder)
        layout.addWidget(group)
        layout.addStretch(1)
        return holder

    # -- loading -------------------------------------------------------------------
    def refresh(self) -> None:
        if self.view is not None:
            self.open_card(self.view.card.code)
        else:
            self.search.field.setFocus()

    def _selection_changed(self) -> None:
        row = self.search.results.currentRow()
        if 0 <= row < len(self.search.matches):
            self.open_card(self.search.matches[row].code)

    def open_card(self, code: str, then: Callable[[], None] | None = None) -> None:
        """Load ``code``'s page; ``then`` runs once it shows (a message that loading would clear)."""
        def shown(view: CustomerView) -> None:
            self._show(view)
            if then is not None:
                then()

        self.ctx.run(lambda: self.ctx.services.customers.customer(code), shown, _refused(self.feedback), self)

    def _show(self, view: CustomerView) -> None:
        changed = self.view is None or self.view.card.code != view.card.code
        self.view = view
        card = view.card
        self.feedback.clear_message()
        self.title.setText(f"{view.contact.holder or self.tr('(no name)')} · {format_code(card.code)}")
        parts = [self.tr("Program: %1").replace("%1", card.program.name),
                 self.tr("Status: %1").replace("%1", status_text(card.status))]
        if card.program.kind.has_stamps:
            parts.append(self.tr("Stamps: %1 of %2").replace("%1", str(card.balance.stamps))
                         .replace("%2", str(card.program.stamps_target)))
        if card.program.kind.has_points:
            parts.append(self.tr("Points: %1").replace("%1", number(card.balance.points)))
            parts.append(self.tr("Tier: %1").replace("%1", card.tier.name if card.tier else self.tr("none")))
            if card.expiring.points > 0 and card.expiring.first_day is not None:
                first = card.expiring.first_day
                day = window_locale().toString(QDate(first.year, first.month, first.day),
                                               QLocale.FormatType.ShortFormat)
                parts.append(self.tr("Expiring in the next 30 days: %1 points (the first on %2)")
                             .replace("%1", number(card.expiring.points)).replace("%2", day))
        self.summary.setText("   ·   ".join(parts))
        links = []
        if view.replaced_by:
            links.append(self.tr("Replaced by card %1").replace(
                "%1", f'<a href="{view.replaced_by}">{format_code(view.replaced_by)}</a>'))
        for old in view.replaces:
            links.append(self.tr("Replaces card %1").replace("%1", f'<a href="{old}">{format_code(old)}</a>'))
        self.links.setText(" · ".join(links))
        self.links.setVisible(bool(links))
        if changed:
            self.contact_feedback.clear_message()
            self.status_feedback.clear_message()
            self.reason_field.clear()
            self.new_card_field.clear()
        self.name_field.setText(view.contact.holder or "")
        self.phone_field.setText(view.contact.phone or "")
        self.email_field.setText(view.contact.email or "")
        self.birthday_field.setText(view.contact.birthday or "")
        self.consent_box.setChecked(view.contact.consent)
        status = CardStatus(card.status)
        replaced = view.replaced_by is not None
        self.suspend_button.setEnabled(status is CardStatus.ACTIVE)
        self.block_button.setEnabled(status is not CardStatus.BLOCKED)
        self.reactivate_button.setEnabled(status is not CardStatus.ACTIVE and not replaced)
        self.replace_button.setEnabled(status is CardStatus.BLOCKED and not replaced)
        self.new_card_field.setEnabled(self.replace_button.isEnabled())
        self.replace_button.setToolTip("" if self.replace_button.isEnabled() else
                                       self.tr("Only a blocked card that was not replaced yet can be replaced."))
        self._fill_history(view)
        self._mark_in_results(card.code)
        self.details.setVisible(True)
        self.customer_shown.emit(view)

    def _mark_in_results(self, code: str) -> None:
        # A card opened by a link or a replacement is marked in the matches (or nothing is), quietly.
        results = self.search.results
        results.blockSignals(True)
        codes = [m.code for m in self.search.matches]
        if code in codes:
            results.selectRow(codes.index(code))
        else:
            results.clearSelection()
        results.blockSignals(False)

    def _fill_history(self, view: CustomerView) -> None:
        kinds = entry_kind_labels()
        has_stamps, has_points = view.card.program.kind.has_stamps, view.card.program.kind.has_points
        rows = []
        for line in view.history:
            after = []
            if has_stamps:
                after.append(self.tr("%1 stamps").replace("%1", str(line.stamps_after)))
            if has_points:
                after.append(self.tr("%1 points").replace("%1", number(line.points_after)))
            rows.append([self.ctx.local_time(line.at), kinds.get(line.kind, str(line.kind)),
                         _signed(line.stamps), _signed(line.points),
                         ", ".join(after), line.staff_name or "", line.reason or ""])
        fill_table(self.history, rows)
        self.history.setColumnHidden(2, not has_stamps)  # a points program has no stamps column, and back
        self.history.setColumnHidden(3, not has_points)

    # -- contact details ---------------------------------------------------------------
    def save_contact(self) -> None:
        if self.view is None:
            return
        code = self.view.card.code
        holder, phone, email = self.name_field.text(), self.phone_field.text(), self.email_field.text()
        birthday, consent = self.birthday_field.text(), self.consent_box.isChecked()
        customers = self.ctx.services.customers
        self.contact_feedback.clear_message()
        self.ctx.run_granted(lambda grant: customers.update_contact(grant, code, holder=holder, phone=phone,
                                                                    email=email, birthday=birthday,
                                                                    consent=consent),
                             lambda _: self._contact_saved(code), _refused(self.contact_feedback), self)

    def _contact_saved(self, code: str) -> None:
        self.contact_feedback.show_ok(self.tr("Contact details saved."))
        self.open_card(code)

    # -- status ------------------------------------------------------------------------
    def change_status(self, status: CardStatus) -> None:
        if self.view is None:
            return
        reason = self.reason_field.text().strip()
        if len(reason) < 3:
            self.status_feedback.show_error(self.tr("Type the reason first (a few words); it goes in the audit "
                                                    "log."))
            self.reason_field.setFocus()
            return
        shown = unbroken_code(self.view.card.code)
        holder = self.view.contact.holder
        question = self._status_question_of(status) if holder else self._status_question(status)
        question = question.replace("%1", shown).replace("%2", holder or "")
        code = self.view.card.code
        card_status = self.ctx.services.card_status

        def done(_: object) -> None:
            self.reason_field.clear()
            self.status_feedback.show_ok({
                CardStatus.SUSPENDED: self.tr("Card %1 is suspended."),
                CardStatus.BLOCKED: self.tr("Card %1 is blocked. To move its balance, scan or type the new "
                                            "card and press Move balance."),
                CardStatus.ACTIVE: self.tr("Card %1 is active again."),
            }[status].replace("%1", shown))
            self._mark_status(code, status)
            # once the page shows the blocked card (its Block button disabled), the next step for a
            # lost card: the new card's code
            self.open_card(code, self.new_card_field.setFocus if status is CardStatus.BLOCKED else None)

        self._confirm(question, lambda: self.ctx.run_granted(
            lambda grant: card_status.set_status(grant, code, status, reason), done,
            _refused(self.status_feedback), self))

    def _status_question(self, status: CardStatus) -> str:
        return {
            CardStatus.SUSPENDED: self.tr("Suspend card %1? It can no longer collect or redeem until you "
                                          "reactivate it."),
            CardStatus.BLOCKED: self.tr("Block card %1 as lost or stolen? It can no longer collect or redeem. "
                                        "Next you can move its balance to a new card; until then you can still "
                                        "reactivate it if it turns up."),
            CardStatus.ACTIVE: self.tr("Reactivate card %1? It can collect and redeem again."),
        }[status]

    def _status_question_of(self, status: CardStatus) -> str:
        """The question naming the card's holder (%2)."""
        return {
            CardStatus.SUSPENDED: self.tr("Suspend card %1 of %2? It can no longer collect or redeem until you "
                                          "reactivate it."),
            CardStatus.BLOCKED: self.tr("Block card %1 of %2 as lost or stolen? It can no longer collect or "
                                        "redeem. Next you can move its balance to a new card; until then you can "
                                        "still reactivate it if it turns up."),
            CardStatus.ACTIVE: self.tr("Reactivate card %1 of %2? It can collect and redeem again."),
        }[status]

    def replace_card(self) -> None:
        if self.view is None:
            return
        new_text = self.new_card_field.text().strip()
        if not new_text:
            self.status_feedback.show_error(self.tr("Scan or type the new card's code first."))
            self.new_card_field.setFocus()
            return
        reason = self.reason_field.text().strip() or self.tr("Card replaced")
        view, old = self.view, self.view.card.code
        amounts = []
        if view.card.program.kind.has_stamps:
            amounts.append(self.tr("%1 stamps").replace("%1", str(view.card.balance.stamps)))
        if view.card.program.kind.has_points:
            amounts.append(self.tr("%1 points").replace("%1", number(view.card.balance.points)))
        tier = view.card.tier if view.card.program.kind.has_points else None
        question = (self.tr("Move %1 from card %2 to card %3? Card %2 stays blocked for good.")
                    .replace("%1", " + ".join(amounts)).replace("%2", unbroken_code(old))
                    .replace("%3", unbroken_code(new_text)))
        if tier is not None:
            question += " " + self.tr("Card %1 keeps the tier %2.").replace("%1", unbroken_code(new_text)).replace(
                "%2", tier.name)
        replace = self.ctx.services.replace

        def done(result: Replacement) -> None:
            self.new_card_field.clear()
            self.reason_field.clear()
            message = (self.tr("Card %1 now holds the balance of %2.")
                       .replace("%1", unbroken_code(result.new)).replace("%2", unbroken_code(result.old)))
            # beside the button, once the new card shows (showing another card clears its lines)
            self.open_card(result.new, lambda: self.status_feedback.show_ok(message))

        self._confirm(question, lambda: self.ctx.run_granted(
            lambda grant: replace.replace(grant, old, new_text, reason), done, _refused(self.status_feedback),
            self))

    def _mark_status(self, code: str, status: CardStatus) -> None:
        """The search results show the card's new status without searching again (which would pick row 0)."""
        for row, match in enumerate(self.search.matches):
            item = self.search.results.item(row, 3)
            if match.code == code and item is not None:
                item.setText(status_text(status))

    def _confirm(self, question: str, proceed: object) -> None:
        # Not modal-blocking: the box is opened and answered through signals (tests press its buttons).
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Please confirm"), question,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.setTextFormat(Qt.TextFormat.PlainText)  # a holder's name is shown as typed, never as markup
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Yes, go ahead"))
        box.button(QMessageBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.confirmation = box

        def answered(button: int) -> None:
            self.confirmation = None
            if button == QMessageBox.StandardButton.Yes and callable(proceed):
                proceed()

        box.finished.connect(answered)
        box.finished.connect(box.deleteLater)
        box.open()
