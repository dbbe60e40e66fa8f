"""Suspending, blocking (lost or stolen) and reactivating a card, with a reason, audited.

Rules for a card's status: a card already in the asked
status is refused (nothing to audit), and a replaced card stays blocked — its
balance lives on the card that replaced it.
"""

from __future__ import annotations

from terminal.domain.codes import format_code, normalize_code
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.programs import CardStatus
from terminal.domain.staff import Permission
from terminal.services import audit
from terminal.services.audit import AuditKind
from terminal.services.auth import Authenticator, Grant
from terminal.services.catalog import load_card
from terminal.services.owner import _check_reason


class CardStatusService:
    def __init__(self, auth: Authenticator) -> None:
        self.auth = auth
        self.ctx = auth.ctx

    def suspend(self, grant: Grant, code_text: str, reason: str) -> CardStatus:
        return self.set_status(grant, code_text, CardStatus.SUSPENDED, reason)

    def block(self, grant: Grant, code_text: str, reason: str) -> CardStatus:
        return self.set_status(grant, code_text, CardStatus.BLOCKED, reason)

    def reactivate(self, grant: Grant, code_text: str, reason: str) -> CardStatus:
        return self.set_status(grant, code_text, CardStatus.ACTIVE, reason)

    def set_status(self, grant: Grant, code_text: str, status: CardStatus, reason: str) -> CardStatus:
        code = normalize_code(code_text)
        reason = _check_reason(reason, "the audit log")  # a status change writes no ledger entry
        status = CardStatus(status)
        with self.ctx.db.write() as session:
            staff = self.auth.require(session, grant, Permission.ADJUST)
            card = load_card(session, code)
            if card.status == status.value:
                raise LoyaltyError(ErrorCode.INVALID_INPUT,
                                   f"Card {format_code(code)} is already {status.value}; nothing changed.")
            if card.replaced_by is not None:
                raise LoyaltyError(
                    ErrorCode.CARD_BLOCKED,
                    f"Card {format_code(code)} was replaced by {format_code(card.replaced_by)}, which holds "
                    "its balance now; it stays blocked.")
            old, card.status = card.status, status.value
            audit.record(session, self.ctx.store.terminal_id, self.auth.checked_now(session),
                         AuditKind.CARD_STATUS_CHANGED, staff.staff_id, code, old=old, new=status.value,
                         reason=reason)
        return status
