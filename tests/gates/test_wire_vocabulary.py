"""The wire's vocabularies (sync.protocol Literals) and the terminal's enums name the same values.

Neither side may import the other (import contracts), so this test is what ties them: a kind
added to one side only would be refused by the hub, or stored by a terminal that cannot read it.
"""

from __future__ import annotations

import enum
from typing import get_args

import pytest

from sync import protocol
from terminal.domain.ledger import EntryKind
from terminal.domain.programs import CardStatus, ProgramKind
from terminal.domain.staff import Role

PAIRS = [
    (protocol.EntryKindName, EntryKind),
    (protocol.CardStatusName, CardStatus),
    (protocol.ProgramKindName, ProgramKind),
    (protocol.StaffRoleName, Role),
]


@pytest.mark.parametrize(("wire", "domain"), PAIRS, ids=[d.__name__ for _, d in PAIRS])
def test_wire_literal_names_the_domain_enum(wire: object, domain: type[enum.StrEnum]) -> None:
    assert sorted(get_args(wire)) == sorted(member.value for member in domain)


def test_the_wire_models_use_the_named_vocabularies() -> None:
    fields = {
        (protocol.Entry, "kind"): protocol.EntryKindName,
        (protocol.Card, "status"): protocol.CardStatusName,
        (protocol.ProgramSettings, "kind"): protocol.ProgramKindName,
        (protocol.Staff, "role"): protocol.StaffRoleName,
        (protocol.Flag, "kind"): protocol.FlagKindName,  # the hub's flags (sync/hub/flags.py); no domain enum
    }
    for (model, name), literal in fields.items():
        assert model.model_fields[name].annotation == literal, f"{model.__name__}.{name}"


def test_record_refusal_codes_are_named_once_and_worded_by_the_till() -> None:
    from pathlib import Path

    codes = set(get_args(protocol.RecordRefusalCode))
    assert codes == {"record_forbidden", "clock_ahead", "clock_too_old", "record_unservable"}
    assert protocol.RecordRefusal.model_fields["code"].annotation == protocol.RecordRefusalCode
    assert set(protocol.CLOCK_REFUSAL_CODES) <= codes
    # the owner's sync page says each one in the window's language, not the hub's English
    page = (Path(__file__).parents[2] / "terminal" / "ui" / "owner" / "hub_refusals.py").read_text()
    assert all(f'"{code}"' in page for code in codes)


def test_signature_refusals_are_the_named_codes() -> None:
    """The hub refuses pushes for their signatures only with the codes the wire names."""
    import re
    from pathlib import Path

    import sync.hub.signing as hub_signing

    source = Path(hub_signing.__file__).read_text(encoding="utf-8")
    raised = set(re.findall(r'HubError\(\d+, "([a-z_]+)"', source))
    assert raised == set(get_args(protocol.SignatureErrorName))


def test_signed_records_and_receipts_use_the_chain_streams() -> None:
    from ledger_chain import signing

    assert get_args(protocol.ChainStreamName) == signing.STREAMS
    assert protocol.Receipt.model_fields["stream"].annotation == protocol.ChainStreamName
    assert set(protocol.Receipt.model_fields) == {*signing.RECEIPT_FIELDS, "sig"}


def test_staff_pin_reset_is_optional_and_left_out_when_not_asked() -> None:
    """An older peer's Staff has no ``pin_reset_required``: it still validates, and ours omits it unless set."""
    field = protocol.Staff.model_fields["pin_reset_required"]
    assert field.annotation is bool and field.default is False
    member = {"staff_id": "s1", "name": "Sam", "role": "cashier", "active": True,
              "pin_hash": "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
              "updated_at": "2026-01-01T00:00:00.000000Z"}
    assert "pin_reset_required" not in protocol.Staff.model_validate(member).model_dump(mode="json")
    asked = protocol.Staff.model_validate({**member, "pin_reset_required": True}).model_dump(mode="json")
    assert asked["pin_reset_required"] is True


def test_optional_push_fields_default_to_none_and_the_till_status_is_named():
    """Fields added to the push after version 1 are optional and left out when unset, so an older hub
    (which forbids fields it does not know) still reads a push that does not use them."""
    assert protocol.PUSH_OPTIONAL_FIELDS == ("status",)
    for name in protocol.PUSH_OPTIONAL_FIELDS:
        assert protocol.PushRequest.model_fields[name].default is None
    assert protocol.PushRequest.model_fields["status"].annotation == protocol.TillStatus | None
    assert set(protocol.TillStatus.model_fields) == {"pending_entries", "pending_audit", "app_version"}
    bare = protocol.PushRequest(v=1, terminal_id="6f1c2e1a-0d5e-4b7a-9c1e-2a3b4c5d6e7f")
    assert not set(protocol.PUSH_OPTIONAL_FIELDS) & set(bare.model_dump())
