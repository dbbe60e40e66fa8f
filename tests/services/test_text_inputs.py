"""Every text a till accepts at input can be pushed: refused at input, or valid on the wire.

A holder's name with NUL was once enrolled and then set the till's card
stream aside for good. Here Hypothesis feeds text to every text input of the
services; after each accepted call, every record the syncer would send (the
StoreSyncPort's outbox) must validate with the protocol's own models.
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from sync.protocol import AuditEvent, Card, Entry, Name, ProgramSettings, Staff, StoreProfile
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.staff import Role
from terminal.services.facade import open_services
from terminal.store.sync_port import StoreSyncPort
from tests.conftest import CASHIER_PIN, OWNER_PIN

_WIRE = {"entries": TypeAdapter(list[Entry]), "audit": TypeAdapter(list[AuditEvent]),
         "cards": TypeAdapter(list[Card]), "programs": TypeAdapter(list[ProgramSettings]),
         "staff": TypeAdapter(list[Staff])}
_TRICKY = ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\t", "\n", "\u202e", "\u200b", "\ufeff", "\u00ad", "\u2066",
           "\u200d", "\u200c", "\ud800", "\udfff", "e", "\u0301", "A", "n", "\u0303", " ", "\u00a0", "\u3000", "é"]
TEXT = st.one_of(st.text(max_size=40),
                 st.text(alphabet=st.sampled_from(_TRICKY), max_size=12),
                 st.lists(st.sampled_from(["Ann", "Kopi", *_TRICKY]), max_size=6).map("".join))
LOOSE = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _outbox_validates(services) -> None:
    outbox = StoreSyncPort(services.ctx.db, services.ctx.clock).outbox(10_000)
    for stream, adapter in _WIRE.items():
        adapter.validate_python([dict(row) for row in getattr(outbox, stream)])


def _refused_or_pushable(services, action) -> None:
    try:
        action()
    except LoyaltyError as exc:
        assert exc.code in (ErrorCode.INVALID_INPUT, ErrorCode.REASON_REQUIRED), exc
        assert exc.message and "\x00" not in exc.message
    _outbox_validates(services)


def test_a_holder_name_with_nul_is_refused_with_a_clear_error(services, owner, program_id):
    with pytest.raises(LoyaltyError) as err:
        services.enrollment.enroll(owner, program_id, "Ann\x00Smith")
    assert err.value.code is ErrorCode.INVALID_INPUT
    assert "control character" in err.value.message and "Retype" in err.value.message
    _outbox_validates(services)


def test_text_is_stored_in_nfc_with_single_spaces(services, owner, program_id):
    view = services.enrollment.enroll(owner, program_id, "  Rene\u0301e \t  Smith ")
    with services.ctx.db.read() as session:
        from terminal.store.models import CardRow
        assert session.get(CardRow, view.code).holder == "Ren\u00e9e Smith"


@LOOSE
@given(text=TEXT)
def test_holder_names(services, owner, program_id, text):
    _refused_or_pushable(services, lambda: services.enrollment.enroll(owner, program_id, text))


@LOOSE
@given(text=TEXT)
def test_staff_names_added_and_renamed(services, owner, text):
    _refused_or_pushable(services, lambda: services.staff.add(owner, text, Role.CASHIER, CASHIER_PIN))
    _refused_or_pushable(services, lambda: services.staff.rename(owner, owner.staff_id, text))


@LOOSE
@given(text=TEXT)
def test_program_reward_and_tier_names(services, owner, program_id, text):
    _refused_or_pushable(services, lambda: services.owner.edit_program(owner, program_id, name=text))
    _refused_or_pushable(services, lambda: services.owner.save_reward(owner, program_id, text, cost_points=10))
    _refused_or_pushable(services, lambda: services.owner.set_tiers(owner, program_id, [(text, 100, 150)]))


@LOOSE
@given(text=TEXT)
def test_adjust_void_and_status_reasons(services, owner, card, text):
    from terminal.domain.programs import CardStatus

    def adjust_then_void() -> None:
        entry = services.owner.adjust(owner, card, 5, text)
        services.owner.void(owner, entry.entry_id, text)

    _refused_or_pushable(services, adjust_then_void)
    _refused_or_pushable(services, lambda: services.card_status.set_status(owner, card, CardStatus.SUSPENDED, text))
    _refused_or_pushable(services, lambda: services.card_status.set_status(owner, card, CardStatus.ACTIVE, text))


@settings(max_examples=15, deadline=None)
@given(text=TEXT)
def test_store_and_owner_names_at_setup(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("store")
    services = open_services(folder)
    try:
        try:
            services.init_store(name=text, timezone="Europe/Berlin", currency="EUR", owner_name=text,
                                owner_pin=OWNER_PIN, template="hybrid")
        except LoyaltyError as exc:
            assert exc.code is ErrorCode.INVALID_INPUT, exc
            return
        facts = services.ctx.store
        StoreProfile(name=facts.name, timezone="Europe/Berlin", currency="EUR")
        _outbox_validates(services)
    finally:
        services.close()


@given(text=TEXT)
def test_input_rule_and_wire_rule_agree(text):
    """What the input keeps is what the wire's Name accepts (when it is not blank)."""
    from terminal.domain.text import check_text

    try:
        kept = check_text(text, "The name")
    except LoyaltyError:
        return
    assert kept == unicodedata.normalize("NFC", kept) and kept == kept.strip()
    if kept:
        TypeAdapter(Name).validate_python(kept[:200])
