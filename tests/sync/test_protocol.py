"""The wire format: strict, versioned, and safe for every database."""

from __future__ import annotations

import uuid

import pytest
from pydantic import ValidationError

import ledger_chain as chain
from sync.protocol import Card, Entry, PushRequest, Staff

TERMINAL = str(uuid.uuid4())


def entry(**changes) -> dict:
    values = dict(entry_id=str(uuid.uuid4()), terminal_id=TERMINAL, seq=1, card="7K3QP9ZX2M",
                  kind="earn", stamps=0, points=25, amount=1250, reward_id=None, staff_id="s1",
                  reason=None, reverses=None, at="2024-05-01T09:30:00.123456Z")
    values.update(prev_hash=chain.GENESIS, hash=chain.entry_hash(chain.GENESIS, values))
    values.update(changes)
    return values


def test_a_good_entry_round_trips_and_keeps_its_hash():
    parsed = Entry.model_validate_json(Entry(**entry()).model_dump_json())
    values = parsed.model_dump()
    assert chain.entry_hash(values["prev_hash"], values) == values["hash"]


@pytest.mark.parametrize("change", [
    {"seq": "1"}, {"seq": 1.0}, {"seq": 0}, {"points": True}, {"amount": 12.5},
    {"kind": "gift"}, {"card": "7K3QP9ZX2"}, {"card": "7K3QP9ZX2U"}, {"at": "2024-05-01 09:30:00"},
    {"at": "2024-05-01T09:30:00Z"}, {"hash": "F" * 64}, {"entry_id": "not-a-uuid"},
    {"reason": "nul\x00byte"}, {"extra": 1}, {"points": 2**60},
])
def test_malformed_entries_are_refused(change):
    with pytest.raises(ValidationError):
        Entry(**entry(**change))


def test_only_version_1_is_spoken():
    with pytest.raises(ValidationError) as refused:
        PushRequest.model_validate({"v": 2, "terminal_id": TERMINAL})
    assert refused.value.errors()[0]["loc"] == ("v",)
    assert PushRequest.model_validate({"v": 1, "terminal_id": TERMINAL}).entries == []


def test_records_carry_hashes_not_pins():
    with pytest.raises(ValidationError):
        Staff(staff_id="s1", name="Sam", role="cashier", active=True, pin_hash="1234",
              updated_at="2024-05-01T09:30:00.000000Z")
    with pytest.raises(ValidationError):
        Card(code="7K3QP9ZX2M", program_id="p", holder=None, status="lost",
             enrolled_at="2024-05-01T09:30:00.000000Z", updated_at="2024-05-01T09:30:00.000000Z")
