"""What the counter's buttons do: look up, stamp, earn, redeem, undo - each confirmed by a PIN.

Every action opens the PIN pad with the last staff member preselected: at a
busy counter several cashiers share one terminal, so a grant is never
silently reused for the next customer. Service calls run through the
``OperationRunner``; results come back to the page and the banner.

One customer at a time: the card on screen stays until the cashier ends it
(Next customer, Esc), accepts another card, or an action has completed and
the counter has been idle for ``counter_idle_seconds``. A different card the
camera sees meanwhile is only offered (Switch, F6); a typed or wedge-scanned
code always wins, because the cashier meant it.

Sounds go through a small port: any object with ``play(event)``, where event
is "card_read", "success" or "refusal" (``terminal/ui/sounds.py`` plays them).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QDialog, QInputDialog, QMessageBox

from terminal.domain.codes import format_code
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.ledger import Entry
from terminal.scanner.events import CardScan, Rejection
from terminal.scanner.keyboard_text import read_manual_entry
from terminal.services.auth import Grant
from terminal.services.counter import ActionResult, CardView
from terminal.services.owner import UndoOffer
from terminal.ui.context import UiContext, number
from terminal.ui.counter_page import CounterPage
from terminal.ui.earn_dialog import EarnDialog
from terminal.ui.pin_pad import OwnerGrantRequest, PinPadDialog
from terminal.ui.points_payment_dialog import PointsPaymentDialog
from terminal.ui.redeem_dialog import RedeemDialog
from terminal.ui.refusals import describe, refusal_text

# refusals that mean the card on screen was out of date (another till stamped it meanwhile)
STALE_VIEW_REFUSALS = frozenset({ErrorCode.COOLDOWN_ACTIVE, ErrorCode.DAILY_LIMIT_REACHED,
                                 ErrorCode.INSUFFICIENT_BALANCE, ErrorCode.REWARD_OUT_OF_STOCK})
TYPED_SOURCES = frozenset({"wedge", "manual", "typed", "switch"})  # what the cashier chose beats the camera


class SoundPort(Protocol):
    def play(self, event: str) -> None: ...


class CounterFlow(QObject):
    """Signals: ``staff_confirmed(name)`` after any confirmed action; ``card_looked_up(code)``;
    ``ledger_changed()`` after anything was written (the syncer pushes it soon)."""

    staff_confirmed = Signal(str)
    card_looked_up = Signal(str)
    ledger_changed = Signal()

    def __init__(self, ui: UiContext, page: CounterPage, request_owner_grant: OwnerGrantRequest,
                 sounds: SoundPort | None = None) -> None:
        super().__init__(page)
        self.ui = ui
        self.page = page
        self.request_owner_grant = request_owner_grant
        self.sounds = sounds
        self.last_staff_id: str | None = None
        self.dialog: QDialog | None = None  # the one dialog of the flow in hand
        self.busy = False
        self._lookups = 0  # newest look-up; an older one's answer is dropped
        self._typed_pending = False  # a typed or wedge look-up is on its way: the camera only offers
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.timeout.connect(self._idle_over)
        page.set_clock(ui.now, ui.store.tz)
        page.code_field.returnPressed.connect(self.look_up_typed)
        page.code_field.textEdited.connect(self._touched)
        page.look_up.clicked.connect(self.look_up_typed)
        page.next_customer.clicked.connect(self.clear_card)
        page.find_customer.clicked.connect(self.find_customer)
        page.customer_page.clicked.connect(self.show_customer_page)
        page.switch_offer.button.clicked.connect(self.accept_switch)
        page.buttons["stamp"].clicked.connect(self.add_stamp)
        page.buttons["earn"].clicked.connect(self.earn_points)
        page.buttons["redeem"].clicked.connect(self.redeem)
        page.buttons["undo"].clicked.connect(self.undo_last)

    @property
    def view(self) -> CardView | None:
        return self.page.card_panel.view

    @property
    def in_flow(self) -> bool:
        dialog = self.dialog
        return self.busy or (dialog is not None and shiboken6.isValid(dialog) and dialog.isVisible())

    # -- finding the card ----------------------------------------------------------
    def on_scan(self, scan: CardScan) -> None:
        if scan.source in TYPED_SOURCES:
            if not self.in_flow:  # mid-action nothing swaps the card being served
                self.look_up(scan.code, source=scan.source)
            return
        shown = self.view.code if self.view is not None else None
        if scan.code == shown:
            return
        if shown is None and not self._typed_pending and not self.in_flow:
            self.look_up(scan.code, source=scan.source)
        elif scan.code != self.page.switch_offer.code:
            self._offer(scan.code)

    def _offer(self, code: str) -> None:
        """Say which card the camera sees, by code at once and by holder when known; switch on request."""
        offer, counter = self.page.switch_offer, self.ui.services.counter
        offer.offer(code)
        self.ui.runner.run(lambda: counter.card(code), on_success=lambda v: offer.name_holder(v.code, v.holder),
                           on_failure=lambda _: None, owner=offer)  # an unknown card: the code says enough

    def accept_switch(self) -> None:
        """Serve the card the camera offered instead of the one on screen (Switch, F6)."""
        code = self.page.switch_offer.code
        if code is None or self.in_flow:
            return
        self.page.switch_offer.offer(None)
        self.look_up(code, source="switch")

    def on_rejection(self, rejection: Rejection) -> None:
        if self.in_flow or (rejection.source == "camera" and self.view is not None):
            return  # something else in the camera's view says nothing about the customer being served
        self.page.banner.show_refusal(lambda: refusal_text(rejection.error_code, rejection.message))
        self._play("refusal")

    def look_up_typed(self) -> None:
        text = self.page.code_field.text()
        if not text.strip():
            return
        try:
            code = read_manual_entry(text)
        except LoyaltyError as exc:
            refusal = exc  # "exc" is unbound after this block; the banner words it again on a language switch
            self.page.banner.show_refusal(lambda: describe(refusal, self.ui.store.tz))
            self._play("refusal")
            return
        self.page.code_field.clear()
        self.look_up(code, source="typed")

    def look_up(self, code: str, announce: bool = True, source: str = "typed") -> None:
        """Find ``code`` and show it. ``announce`` False refreshes the card on screen quietly (after an
        undo, the owner area): it neither ends nor outruns the look-up of a new customer's card."""
        counter, fetch = self.ui.services.counter, self.ui.fetch_card
        if announce:
            self._begin_lookup(code, source)
        asked = self._lookups

        def find() -> CardView:
            if fetch is not None:
                fetch(code)  # a card first seen at this store: its history comes from the hub first
            return counter.card(code)

        def current() -> bool:
            return self._answer_is_current(asked, code, announce)

        def found(view: CardView) -> None:
            if current():
                self._card_found(view, announce)

        def failed(error: LoyaltyError) -> None:
            if not current():
                return
            if error.code is ErrorCode.CARD_NOT_FOUND and announce:
                self._maybe_collect_offline(code, error)
            else:
                self._refused(error, about_card=False)

        self.ui.runner.run(find, on_success=found, on_failure=failed, owner=self.page)

    def _answer_is_current(self, asked: int, code: str, announce: bool) -> bool:
        if not announce:  # a refresh: still the card on screen, and no new customer on the way
            return asked == self._lookups and self.view is not None and self.view.code == code
        if asked == self._lookups:
            self._typed_pending = False
            return True
        return False

    def _begin_lookup(self, code: str, source: str) -> None:
        """A new customer's look-up: it outruns every look-up before it; a typed code ends a pending switch offer."""
        self._lookups += 1
        self.idle.stop()
        if self.page.switch_offer.replaces is not None:
            self.page.switch_offer.offer(None)  # it was about the blocked card that is leaving
        if source in TYPED_SOURCES:
            self._typed_pending = True
            if self.page.switch_offer.code in (code, None) or source == "switch":
                self.page.switch_offer.offer(None)

    # -- a card the hub knows but this offline till does not --------------------------
    def _maybe_collect_offline(self, code: str, error: LoyaltyError) -> None:
        services = self.ui.services

        def facts() -> tuple[bool, list]:
            offline = services.offline_risk.is_offline()
            return offline, (services.owner_views.programs() if offline else [])

        def decided(answer: tuple[bool, list]) -> None:
            offline, programs = answer
            if not offline or not programs or self.in_flow:
                self._refused(error, about_card=False)
                return
            self._offer_offline_card(code, programs)

        self.ui.runner.run(facts, on_success=decided, on_failure=lambda _: self._refused(error, about_card=False),
                           owner=self.page)

    def _offer_offline_card(self, code: str, programs: list) -> None:
        question = self.tr("Card %1 is not known to this terminal, and the terminal cannot reach the hub to "
                           "look it up. It can collect stamps and points now and redeem once the terminal "
                           "has synced. Let it collect?").replace("%1", code)
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Unknown card while offline"), question,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self.page.window())
        box.setObjectName("OfflineCardQuestion")
        yes = box.button(QMessageBox.StandardButton.Yes)
        box.finished.connect(lambda _: self._offline_answer(code, programs, box.clickedButton() is yes))
        self._open(box)

    def _offline_answer(self, code: str, programs: list, yes: bool) -> None:
        if not yes:
            self.page.banner.show_refusal(
                lambda: self.tr("Card not known here. Enroll the customer, or check the code."))
            return
        names = [details.program.name for details in programs]
        name = names[0]
        if len(names) > 1:
            name, ok = QInputDialog.getItem(self.page.window(), self.tr("Program"),
                                            self.tr("Which program is this card?"), names, 0, False)
            if not ok:
                return
        program_id = programs[names.index(name)].program.program_id
        risk = self.ui.services.offline_risk
        self._with_pin(None, self.tr("Let card %1 collect while offline").replace("%1", code),
                       lambda grant: risk.provisional_card(grant, code, program_id),
                       lambda _code: self.look_up(code))

    def _card_found(self, view: CardView, announce: bool = True) -> None:
        if announce and self.page.switch_offer.code == view.code:
            self.page.switch_offer.offer(None)
        self.page.show_view(view)
        if not announce:
            pass
        elif view.status != "active":
            self.page.banner.show_refusal(self.tr("This card is %1. Ask the owner.").replace(
                "%1", self.page.card_panel.status.text().lower()), self._subject(view))
            self._play("refusal")
            if view.status == "blocked":
                self._name_replacement(view.code)
        else:
            self.page.banner.show_info(lambda: self.tr("Card found. Choose an action."), self._subject(view))
            self._play("card_read")
        self.card_looked_up.emit(view.code)

    def find_customer(self) -> QDialog | None:
        """Search by name, phone or code (the button beside Next customer; F5 opens the window's own);
        the picked card goes on the counter."""
        if self.in_flow:
            return None
        from terminal.ui.customer_search import CustomerSearchDialog  # the counter starts without it

        dialog = CustomerSearchDialog(self.ui.runner, self.ui.services.customers.search,
                                      lambda code: self.look_up(code, source="typed"), self.page.window())
        dialog.setModal(True)
        dialog.finished.connect(dialog.deleteLater)
        dialog.finished.connect(lambda _: self.page.code_field.setFocus())  # ready for the next scan
        dialog.open()
        return dialog

    def show_customer_page(self) -> None:
        """The card's customer page QR, big, for the customer's phone (asked for at the counter)."""
        if self.in_flow or self.view is None:
            return
        from terminal.ui.customer_page_qr import open_customer_page_qr  # the counter starts without it

        self.busy = True

        def shown(dialog: QDialog) -> None:
            self.busy = False
            self.dialog = dialog

        open_customer_page_qr(self.ui.runner, self.ui.services, self.view.code, self.page, shown,
                              lambda error: self._refused(error, about_card=False))

    def _name_replacement(self, code: str) -> None:
        """A blocked card whose balance moved to another: say which, and offer to serve that one."""
        customers, asked = self.ui.services.customers, self._lookups

        def shown(replaced_by: str | None) -> None:
            if replaced_by is None or asked != self._lookups or self.view is None or self.view.code != code:
                return  # not replaced, or another customer's card is on screen by now
            self.page.banner.show_refusal(
                lambda: self.tr("This card was replaced by %1, which holds its balance now.").replace(
                    "%1", format_code(replaced_by)), self._subject(self.view))
            self.page.switch_offer.offer(replaced_by, replaces=code)

        self.ui.runner.run(lambda: customers.customer(code, history_limit=1).replaced_by, on_success=shown,
                           on_failure=lambda _: None, owner=self.page)  # the banner says "blocked" already

    def clear_card(self) -> None:
        """Next customer (Esc): the card leaves the screen; with no card, Esc drops a camera offer."""
        if self.in_flow:
            return
        self.idle.stop()
        if self.view is None or self.page.switch_offer.replaces is not None:
            self.page.switch_offer.offer(None)  # a replacement offer leaves with its blocked card
        self._lookups += 1  # a look-up still on its way is for the customer who left
        self._typed_pending = False
        self.page.show_view(None)
        self.page.banner.show_info(lambda: self.tr("Ready. Scan a card to begin."))

    def _touched(self) -> None:
        """The cashier is typing at the counter: the customer on screen is still being served."""
        if self.idle.isActive():
            self.idle.start()

    def _idle_over(self) -> None:
        if self.in_flow:
            self.idle.start()  # a new action began: the customer is still here
        elif self.view is not None:
            self.clear_card()

    # -- actions ----------------------------------------------------------------------
    def add_stamp(self) -> None:
        view = self._usable("stamp")
        if view is None:
            return
        counter = self.ui.services.counter
        self._with_pin(view, self.tr("Add a stamp for %1").replace("%1", self._who(view)),
                       lambda grant: counter.stamp(grant, view.code), self._stamped)

    def earn_points(self) -> None:
        view = self._usable("earn")
        if view is None:
            return
        self.idle.stop()
        dialog = EarnDialog(self.ui, view.code, self.page.window(), subject=self._subject(view))
        dialog.amount_chosen.connect(lambda amount: self._earn_with_pin(view, amount, dialog.preview_points))
        self._open(dialog)

    def _earn_with_pin(self, view: CardView, amount: int, points: int | None) -> None:
        counter = self.ui.services.counter
        purpose = (self.tr("1 point for %2") if points == 1 else self.tr("%1 points for %2").replace(
            "%1", number(points or 0))).replace("%2", self._who(view))
        self._with_pin(view, purpose, lambda grant: counter.earn(grant, view.code, amount), self._earned)

    def redeem(self) -> None:
        view = self._usable("redeem")
        if view is None:
            return
        self.idle.stop()
        dialog = RedeemDialog(view, self.page.window())
        dialog.reward_chosen.connect(lambda reward_id, name: self._redeem_with_pin(view, reward_id, name))
        dialog.pay_with_points.connect(lambda: self.pay_with_points(view))
        self._open(dialog)

    def pay_with_points(self, view: CardView) -> None:
        """Points as money: the bill, the discount shown, then the PIN; one redeem entry."""
        dialog = PointsPaymentDialog(self.ui, view.code, self.page.window(), subject=self._subject(view))
        dialog.bill_chosen.connect(lambda bill, points, discount: self._pay_with_pin(view, bill, points, discount))
        self._open(dialog)

    def _pay_with_pin(self, view: CardView, bill: int, points: int, discount: int) -> None:
        payments = self.ui.services.points_payment
        purpose = self.tr("%1 off for %2 points (%3)").replace("%1", self.ui.money(discount)).replace(
            "%2", number(points)).replace("%3", self._who(view))
        self._with_pin(view, purpose, lambda grant: payments.pay(grant, view.code, bill, expected_points=points),
                       lambda result: self._paid(result, discount))

    def _paid(self, result: ActionResult, discount: int) -> None:
        self.page.show_view(result.card)
        card = result.card
        self.page.banner.show_success(lambda: self.tr("Take %1 off the bill. Left: %2 points.").replace(
            "%1", self.ui.money(discount)).replace("%2", number(card.balance.points)), self._subject(card))

    def _redeem_with_pin(self, view: CardView, reward_id: str, name: str) -> None:
        counter = self.ui.services.counter
        purpose = self.tr("Redeem %1 for %2").replace("%1", name).replace("%2", self._who(view))
        self._with_pin(view, purpose, lambda grant: counter.redeem(grant, view.code, reward_id),
                       lambda result: self._redeemed(result, name))

    def undo_last(self) -> None:
        view = self.view
        if view is None or self.in_flow:
            return
        owner = self.ui.services.owner
        self.busy = True
        self.idle.stop()
        self.ui.runner.run(lambda: owner.undo_offer(view.code), on_success=lambda o: self._confirm_undo(view, o),
                           on_failure=self._refused, owner=self.page)

    def _confirm_undo(self, view: CardView, offer: UndoOffer | None) -> None:
        self.busy = False
        if offer is None:
            self.page.banner.show_refusal(lambda: self.tr("Nothing to undo on this card."), self._subject(view))
            self._play("refusal")
            return
        entry = offer.entry
        what = self.tr("Undo the %1 of %2 on %3?").replace(
            "%1", self.kind_name(entry.kind)).replace("%2", self.ui.local_time(entry.at)).replace("%3", self._who(view))
        owner = self.ui.services.owner
        reason = self.tr("Undone at the counter")  # the ledger note, in the language of the till that wrote it

        def undo(grant: Grant) -> Entry:
            return owner.undo(grant, entry.entry_id, reason)

        def done(_: Any) -> None:
            self._undone(view, entry)

        if offer.cashier_until is not None and self.ui.now() <= offer.cashier_until:
            # the cashier's own action, seconds ago: their own PIN (an owner's works too)
            purpose = what + " " + self.tr("%1 can confirm with their own PIN until %2; otherwise an owner.").replace(
                "%1", offer.staff_name or "").replace("%2", self.ui.local_time(offer.cashier_until))
            self._with_pin(view, purpose, undo, done, preselect=entry.staff_id)
            return
        # the flow's own owner pad (not the window's), so no other card can be served meanwhile
        owner_confirms = self.tr("An owner confirms.")
        self._with_pin(view, f"{what} {owner_confirms}", undo, done, owners_only=True)

    # -- plumbing -----------------------------------------------------------------------
    def _usable(self, action: str) -> CardView | None:
        if self.in_flow or self.view is None:
            return None
        self.page.refresh_availability()  # as of now (the countdown ticks), in the window's language now
        if not self.page.buttons[action].isEnabled():
            reason = self.page.reasons.get(action)
            if reason:  # its shortcut pressed anyway: say why right away, no PIN asked
                self.page.banner.show_refusal(f"{self.page.labels()[action]}: {reason}", self._subject(self.view))
                self._play("refusal")
            return None
        return self.view

    def _who(self, view: CardView) -> str:
        return view.holder or self.tr("this card")

    def _subject(self, view: CardView | None) -> str:
        """The card and its holder, e.g. "Ann · 7K3QP-9ZX2M": every PIN pad and result names them."""
        if view is None:
            return ""
        holder = view.holder or self.tr("Guest card")
        return f"{holder} · {format_code(view.code)}"

    def _play(self, event: str) -> None:
        if self.sounds is not None:
            self.sounds.play(event)

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        self.idle.stop()
        dialog.setModal(True)
        dialog.finished.connect(dialog.deleteLater)
        dialog.finished.connect(lambda _: self.page.code_field.setFocus())  # ready for the next scan
        dialog.open()

    def _with_pin(self, view: CardView | None, purpose: str, action: Callable[[Grant], Any],
                  done: Callable[[Any], None], preselect: str | None = None, owners_only: bool = False) -> None:
        pad = PinPadDialog(self.ui, purpose, preselect=preselect or self.last_staff_id, owners_only=owners_only,
                           request_owner_grant=self.request_owner_grant, subject=self._subject(view),
                           parent=self.page.window())
        # an owner's confirmation is not the next customer's preselected cashier
        pad.granted.connect(lambda grant: self._run_action(grant, lambda: action(grant), done,
                                                           remember=not owners_only))
        self._open(pad)

    def _run_action(self, grant: Grant, call: Callable[[], Any], done: Callable[[Any], None],
                    remember: bool = False) -> None:
        if remember:
            self.last_staff_id = grant.staff_id
        self.busy = True
        self.idle.stop()

        def succeeded(result: Any) -> None:
            self.busy = False
            self.staff_confirmed.emit(grant.name)
            self.ledger_changed.emit()
            done(result)
            self._play("success")
            self.idle.start(self.ui.settings.counter_idle_seconds * 1000)

        self.ui.runner.run(call, on_success=succeeded, on_failure=self._refused, owner=self.page)

    def _refused(self, error: LoyaltyError, about_card: bool = True) -> None:
        """An action (or, with ``about_card`` False, a look-up) was refused."""
        self.busy = False
        self.page.banner.show_refusal(lambda: describe(error, self.ui.store.tz),
                                      self._subject(self.view) if about_card else "")
        self._play("refusal")
        if about_card and self.view is not None and error.code in STALE_VIEW_REFUSALS:
            self.look_up(self.view.code, announce=False)  # the screen was out of date: show why Add stamp is off

    # -- results ------------------------------------------------------------------------
    def _stamped(self, result: ActionResult) -> None:
        card = result.card
        self.page.show_view(card)
        ready = [o.reward.name for o in card.rewards if o.affordable]

        def text() -> str:
            added = self.tr("Stamp added: %1 of %2 stamps.").replace(
                "%1", number(card.balance.stamps)).replace("%2", number(card.program.stamps_target))
            return added + (" " + self.tr("Ready to redeem: %1.").replace("%1", ", ".join(ready)) if ready else "")

        self.page.banner.show_success(text, self._subject(card))

    def _earned(self, result: ActionResult) -> None:
        card = result.card
        self.page.show_view(card)

        gained = result.entry.points + sum(b.points for b in result.bonuses)  # campaign bonuses included

        def text() -> str:
            earned = (self.tr("+1 point.") if gained == 1
                      else self.tr("+%1 points.").replace("%1", number(gained)))
            balance = (self.tr("Balance: 1 point.") if card.balance.points == 1
                       else self.tr("Balance: %1 points.").replace("%1", number(card.balance.points)))
            return f"{earned} {balance}"

        self.page.banner.show_success(text, self._subject(card))

    def _redeemed(self, result: ActionResult, name: str) -> None:
        card = result.card
        self.page.show_view(card)
        kind, balance = card.program.kind, card.balance

        def text() -> str:  # worded again if the language changes while the banner shows it
            stamps = (self.tr("1 stamp") if balance.stamps == 1
                      else self.tr("%1 stamps").replace("%1", number(balance.stamps)))
            points = (self.tr("1 point") if balance.points == 1
                      else self.tr("%1 points").replace("%1", number(balance.points)))
            if kind.has_stamps and kind.has_points:
                left = self.tr("%1 and %2").replace("%1", stamps).replace("%2", points)
            else:
                left = stamps if kind.has_stamps else points
            return self.tr("Redeemed %1. Left: %2.").replace("%1", name).replace("%2", left)

        self.page.banner.show_success(text, self._subject(card))

    def _undone(self, view: CardView, entry: Entry) -> None:
        self.page.banner.show_success(lambda: self.tr("Undone: the %1 of %2.").replace(
            "%1", self.kind_name(entry.kind)).replace("%2", self.ui.local_time(entry.at)), self._subject(view))
        self.look_up(view.code, announce=False)

    def kind_name(self, kind: str) -> str:
        return {"stamp": self.tr("stamp"), "earn": self.tr("points purchase"), "redeem": self.tr("redemption"),
                "stamp_redeem": self.tr("redemption"), "adjust": self.tr("adjustment")}.get(str(kind), str(kind))
