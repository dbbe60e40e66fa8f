"""The SyncPort contract, checked on the terminal double and on the real adapter alike."""

from __future__ import annotations

import uuid

import pytest
from real_terminal import RealTerminal
from terminal_double import TerminalDouble, new_card_code, utc_now

import ledger_chain as chain
from sync.port import Ack, RecordKey
from sync.protocol import PROTOCOL_VERSION, Card, Entry, Overdraft, ProgramSettings, PullResponse, Staff
from terminal.store.models import CardBalance


class DoubleHarness:
    def __init__(self, tmp_path):
        self.store = TerminalDouble(tmp_path / "double.db")
        self.port = self.store
        self.program_id = "default"

    def enroll(self) -> str:
        return self.store.enroll()

    def earn(self, card: str) -> None:
        self.store.earn(card, points=10, amount=100)

    def rename_staff(self, staff_id: str | None, name: str) -> str:
        staff_id = staff_id or "s1"
        self.store.set_staff(staff_id, name)
        return staff_id

    def points(self, card: str) -> int:
        return self.store.balance(card)[1]

    def staff_name(self, staff_id: str) -> str:
        return {r["staff_id"]: r["name"] for r in self.store.table("staff")}[staff_id]

    def overdraft_ids(self) -> list[int]:
        return sorted(r["overdraft_id"] for r in self.store.table("overdrafts"))

    def close(self) -> None:
        self.store.close()


class RealHarness:
    def __init__(self, tmp_path):
        self.term = RealTerminal.founded(tmp_path / "real")
        self.port = self.term.port
        self.program_id = self.term.program_id()
        self._grant = self.term.grant()
        self._owner_id = self.term.staff_id("Olga")

    def enroll(self) -> str:
        return self.term.services.enrollment.enroll(self._grant, self.program_id, "Ann").code

    def earn(self, card: str) -> None:
        self.term.services.counter.earn(self._grant, card, 100)

    def rename_staff(self, staff_id: str | None, name: str) -> str:
        staff_id = staff_id or self._owner_id
        grant = self.term.services.auth.verify_pin(self._owner_id, "2741")
        self.term.services.staff.rename(grant, staff_id, name)
        return staff_id

    def points(self, card: str) -> int:
        with self.term.services.ctx.db.read() as session:
            return session.get(CardBalance, card).points

    def staff_name(self, staff_id: str) -> str:
        return next(s.name for s in self.term.services.staff.list() if s.staff_id == staff_id)

    def overdraft_ids(self) -> list[int]:
        from sqlalchemy import text

        with self.term.services.ctx.db.read() as session:
            return sorted(session.execute(text("SELECT overdraft_id FROM sync_overdrafts")).scalars())

    def close(self) -> None:
        self.term.close()


@pytest.fixture(params=["double", "real"])
def h(request, tmp_path):
    harness = (DoubleHarness if request.param == "double" else RealHarness)(tmp_path)
    yield harness
    harness.close()


def _remote_entries(card: str, n: int, points: int = 5) -> list[Entry]:
    tid, prev, made = str(uuid.uuid4()), chain.GENESIS, []
    for seq in range(1, n + 1):
        values = dict(entry_id=str(uuid.uuid4()), terminal_id=tid, seq=seq, card=card, kind="earn",
                      stamps=0, points=points, amount=100, reward_id=None, staff_id="x", reason=None,
                      reverses=None, at=utc_now())
        values["prev_hash"] = prev
        values["hash"] = prev = chain.entry_hash(prev, values)
        made.append(Entry(**values))
    return made


def _page(cursor: int, **parts) -> PullResponse:
    return PullResponse(v=PROTOCOL_VERSION, cursor=cursor, has_more=False, **parts)


def test_outbox_offers_own_entries_in_order_after_the_ack_and_only_unacked_ones(h):
    card = h.enroll()
    for _ in range(4):
        h.earn(card)
    first = h.port.outbox(3)
    assert [e["seq"] for e in first.entries] == [1, 2, 3]
    assert h.port.outbox(3) == first, "reading the outbox changes nothing"
    prev = chain.GENESIS
    for entry in h.port.outbox(100).entries:
        assert entry["prev_hash"] == prev and chain.entry_hash(prev, entry) == entry["hash"]
        assert entry["terminal_id"] == h.port.terminal_id()
        prev = entry["hash"]
    total = h.port.pending_count()
    h.port.record_ack(Ack(entries_through=3))
    assert [e["seq"] for e in h.port.outbox(100).entries] == [4, 5]
    assert h.port.pending_count() == total - 3
    h.port.record_ack(Ack(entries_through=1))  # a hub restored from backup asks again
    assert [e["seq"] for e in h.port.outbox(100).entries] == [2, 3, 4, 5]


def test_a_record_edited_again_after_it_was_sent_stays_pending(h):
    staff_id = h.rename_staff(None, "Olivia")
    sent = next(s for s in h.port.outbox(100).staff if s["staff_id"] == staff_id)
    h.rename_staff(staff_id, "Olivia B")
    h.port.record_ack(Ack(records=[RecordKey("staff", staff_id, sent["updated_at"])]))
    pending = [s for s in h.port.outbox(100).staff if s["staff_id"] == staff_id]
    assert [s["name"] for s in pending] == ["Olivia B"]
    h.port.record_ack(Ack(records=[RecordKey("staff", staff_id, pending[0]["updated_at"])]))
    assert not [s for s in h.port.outbox(100).staff if s["staff_id"] == staff_id]


def test_apply_remote_counts_remote_entries_once_skips_own_and_saves_the_cursor(h):
    card = h.enroll()
    own = h.port.outbox(100).entries[0]
    remote = _remote_entries(card, 3)
    page = _page(7, entries=[*remote, Entry(**own)])
    h.port.apply_remote(page)
    h.port.apply_remote(page)  # a repeated page changes nothing
    assert h.points(card) == 15
    assert h.port.pull_cursor() == 7
    assert all(e["terminal_id"] == h.port.terminal_id() for e in h.port.outbox(100).entries)


def test_remote_records_newest_wins_and_a_tie_keeps_the_local_one(h):
    staff_id = h.rename_staff(None, "Local name")
    mine = next(s for s in h.port.outbox(100).staff if s["staff_id"] == staff_id)
    pin_hash = mine["pin_hash"]
    older = Staff(staff_id=staff_id, name="Older", role="owner", active=True, pin_hash=pin_hash,
                  updated_at="2000-01-01T00:00:00.000000Z")
    tie = older.model_copy(update={"name": "Tie", "updated_at": mine["updated_at"]})
    h.port.apply_remote(_page(1, staff=[older, tie]))
    assert h.staff_name(staff_id) == "Local name"
    assert any(s["staff_id"] == staff_id for s in h.port.outbox(100).staff), "still pending"
    newer = older.model_copy(update={"name": "Newer", "updated_at": "2999-01-01T00:00:00.000000Z"})
    h.port.apply_remote(_page(2, staff=[newer]))
    assert h.staff_name(staff_id) == "Newer"
    assert not any(s["staff_id"] == staff_id for s in h.port.outbox(100).staff), "remote is not pending"


def test_remote_cards_and_programs_arrive_and_are_not_pending(h):
    code = new_card_code()
    program = ProgramSettings(program_id="remote-prog", name="Remote", kind="points",
                              settings={"stamps_target": 10, "points_per_unit": 10, "min_amount_minor": 0,
                                        "tiers": [], "rewards": []},
                              updated_at="2999-01-01T00:00:00.000000Z")
    card = Card(code=code, program_id="remote-prog", holder="Far", status="active",
                enrolled_at=utc_now(), updated_at="2999-01-01T00:00:00.000000Z")
    flag = Overdraft(overdraft_id=4, card=code, stamps_balance=0, points_balance=-5, entry_ids=[],
                     flagged_at=utc_now())
    page = _page(3, programs=[program], cards=[card], entries=_remote_entries(code, 2), overdrafts=[flag])
    h.port.apply_remote(page)
    h.port.apply_remote(page)
    outbox = h.port.outbox(100)
    assert code not in [c["code"] for c in outbox.cards]
    assert "remote-prog" not in [p["program_id"] for p in outbox.programs]
    assert h.points(code) == 10
    assert h.overdraft_ids() == [4]


def test_real_adapter_keeps_nothing_of_a_page_that_fails(tmp_path):
    h = RealHarness(tmp_path)
    try:
        card = h.enroll()
        bad = ProgramSettings(program_id="bad", name="Bad", kind="points",
                              settings={"tiers": [{"name": "no threshold"}]},
                              updated_at="2999-01-01T00:00:00.000000Z")
        with pytest.raises(KeyError):
            h.port.apply_remote(_page(9, entries=_remote_entries(card, 2), programs=[bad]))
        assert h.port.pull_cursor() == 0 and h.points(card) == 0
    finally:
        h.close()


def test_real_adapter_parks_entries_until_their_card_arrives(tmp_path):
    h = RealHarness(tmp_path)
    try:
        code = new_card_code()
        h.port.apply_remote(_page(1, entries=_remote_entries(code, 2)))
        card = Card(code=code, program_id=h.program_id, holder=None, status="active",
                    enrolled_at=utc_now(), updated_at="2999-01-01T00:00:00.000000Z")
        h.port.apply_remote(_page(2, cards=[card]))
        assert h.points(code) == 10
        assert h.term.services.reports.verify().ok
    finally:
        h.close()
