"""Replacing a blocked card: a new card takes over its balance through a pair of ledger entries.

In one transaction: the old card (blocked, lost or stolen) gets a
``transfer_out`` of its whole balance and lifetime points, the new card a
``transfer_in`` of the same amounts whose ``reverses`` names the
``transfer_out`` (so the hub and every till see the pair; what each entry
carries is ``terminal.domain.replacement.replacement_pair``), and the old
card's ``replaced_by`` names the new one. The old card stays blocked for good. The new card is either enrolled
here (a pre-printed card, the old card's program and contact details) or an
enrolled card of the same program that holds nothing yet.
"""

from __future__ import annotations

from dataclasses import dataclass

from terminal.domain.codes import format_code, normalize_code
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.ledger import Entry, EntryKind
from terminal.domain.programs import CardStatus
from terminal.domain.replacement import replacement_pair
from terminal.domain.staff import Permission
from terminal.services import audit
from terminal.services.audit import AuditKind
from terminal.services.auth import Authenticator, Grant
from terminal.services.catalog import load_card
from terminal.services.owner import _check_reason
from terminal.store import ledger
from terminal.store.card_search import index_card
from terminal.store.models import CardBalance, CardRow


@dataclass(frozen=True)
class Replacement:
    old: str
    new: str
    stamps: int
    points: int
    transfer_out: Entry
    transfer_in: Entry
    enrolled: bool  # the new card was enrolled by the replacement
    lifetime_points: int = 0  # moved with the balance, so the new card keeps the tier


def _refuse(message: str, code: ErrorCode = ErrorCode.INVALID_INPUT) -> LoyaltyError:
    return LoyaltyError(code, message)


class ReplaceService:
    def __init__(self, auth: Authenticator) -> None:
        self.auth = auth
        self.ctx = auth.ctx

    def replace(self, grant: Grant, old_text: str, new_text: str, reason: str) -> Replacement:
        old_code, new_code = normalize_code(old_text), normalize_code(new_text)
        reason = _check_reason(reason)
        if old_code == new_code:
            raise _refuse("The new card must be a different card from the one it replaces.")
        tid = self.ctx.store.terminal_id
        with self.ctx.db.write() as session:
            staff = self.auth.require(session, grant, Permission.ADJUST)
            now = self.auth.checked_now(session)
            old = load_card(session, old_code)
            if old.replaced_by is not None:
                raise _refuse(f"Card {format_code(old_code)} was already replaced by "
                              f"{format_code(old.replaced_by)}.")
            if old.status != CardStatus.BLOCKED.value:
                raise _refuse(f"Card {format_code(old_code)} is {old.status}: block it first (lost or "
                              "stolen), then replace it.")
            new = session.get(CardRow, new_code)
            enrolled = new is None
            if new is None:
                new = CardRow(code=new_code, program_id=old.program_id, holder=old.holder, phone=old.phone,
                              email=old.email, birthday=old.birthday, contact_consent=old.contact_consent,
                              status=CardStatus.ACTIVE.value, enrolled_at=now)
                session.add(new)
                session.flush()
                session.add(CardBalance(code=new_code, stamps=0, points=0, lifetime_points=0))
                session.flush()
                index_card(session.connection(), new_code, {"holder": new.holder, "phone": new.phone,
                                                            "email": new.email})
                ledger.append(session, terminal_id=tid, card=new_code, kind=EntryKind.ENROLL, at=now,
                              staff_id=staff.staff_id, reason=None)
            else:
                self._check_takes_over(session, old, new)
            bal = ledger.balance(session, old_code)
            pair = replacement_pair(bal)
            out = ledger.append(session, terminal_id=tid, card=old_code, kind=pair.transfer_out.kind, at=now,
                                stamps=pair.transfer_out.stamps, points=pair.transfer_out.points,
                                amount=pair.transfer_out.amount, staff_id=staff.staff_id, reason=reason)
            came = ledger.append(session, terminal_id=tid, card=new_code, kind=pair.transfer_in.kind, at=now,
                                 stamps=pair.transfer_in.stamps, points=pair.transfer_in.points,
                                 amount=pair.transfer_in.amount, staff_id=staff.staff_id, reason=reason,
                                 reverses=out.entry_id)
            old.replaced_by = new_code
            audit.record(session, tid, now, AuditKind.CARD_REPLACED, staff.staff_id, old_code, new=new_code,
                         stamps=bal.stamps, points=bal.points, lifetime_points=pair.lifetime_points, reason=reason)
        return Replacement(old_code, new_code, bal.stamps, bal.points, out, came, enrolled, pair.lifetime_points)

    @staticmethod
    def _check_takes_over(session, old: CardRow, new: CardRow) -> None:  # noqa: ANN001
        shown = format_code(new.code)
        if new.status != CardStatus.ACTIVE.value or new.replaced_by is not None:
            raise _refuse(f"Card {shown} is {new.status}; the new card must be an active card.")
        if new.program_id != old.program_id:
            raise _refuse(f"Card {shown} belongs to another program; use a card of the same program, "
                          "or a new pre-printed card.")
        bal = ledger.balance(session, new.code)
        if bal.stamps or bal.points:
            raise _refuse(f"Card {shown} already holds {bal.stamps} stamps and {bal.points} points; "
                          "use a new card.")
        if not (new.holder or new.phone or new.email):  # an unnamed card takes the customer's details
            new.holder, new.phone, new.email = old.holder, old.phone, old.email
            new.birthday, new.contact_consent = old.birthday, old.contact_consent
            session.flush()
            index_card(session.connection(), new.code, {"holder": new.holder, "phone": new.phone,
                                                        "email": new.email})



