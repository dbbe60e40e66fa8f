"""The till's side of the hub's refusals: kept, undone, and shown to the owner in the window's language.

Real tills (open_services on their own data folders) and the real hub over
loopback; the owner's sync page and the status bar under pytest-qt.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtWidgets import QApplication
from real_terminal import RealTerminal

from sync.hub import admin
from sync.status import SyncState, SyncStatus
from terminal.domain.clock import ManualClock
from terminal.services.catalog import list_programs
from terminal.services.sync_link import dismiss_refused_changes, refused_changes
from terminal.ui.i18n import Translations
from terminal.ui.operations import OperationRunner
from terminal.ui.owner.context import OwnerContext
from terminal.ui.owner.sync_page import SyncPage
from terminal.ui.status_bar import SyncIndicator


@pytest.fixture
def runner(qtbot):
    made = OperationRunner()
    yield made
    made.shutdown()


@pytest.fixture
def translations(qtbot):
    made = Translations(QApplication.instance())
    yield made
    made.set_language("en")


@pytest.fixture
def two_stores(hub, hub_engine, merchant, tmp_path):
    """Till A of the store that made the program, till B of a second store that pulled it."""
    a = RealTerminal.founded(tmp_path / "a")
    b = RealTerminal.founded(tmp_path / "b", a.clock)
    try:
        a.pair(hub.url, hub_engine, merchant.store_id, "Main till")
        a.sync()
        b.pair(hub.url, hub_engine, admin.add_store(hub_engine, merchant.merchant_id, "Kiosk"), "Kiosk till")
        b.sync()
        b.sync()
        yield a, b
    finally:
        a.close()
        b.close()


def _program_names(term: RealTerminal) -> dict[str, str]:
    with term.services.ctx.db.read() as session:
        return {p.program_id: p.name for p in list_programs(session)}


def test_a_refused_program_change_is_undone_kept_and_shown_on_the_sync_page(qtbot, runner, translations,
                                                                            two_stores):
    a, b = two_stores
    program_id = a.program_id()
    original = _program_names(a)[program_id]
    assert _program_names(b)[program_id] == original  # B has A's program, merchant-wide
    b.services.owner.edit_program(b.grant(), program_id, name="Free coffee for all", stamps_target=1)
    b.sync()
    assert _program_names(b)[program_id] == original  # the hub's version is back on B
    assert b.port.pending_count() == 0  # and nothing is sent again and again
    [change] = refused_changes(b.services.ctx)
    assert (change.code, change.stream, change.name, change.restored) == (
        "record_forbidden", "programs", "Free coffee for all", True)
    a.sync()
    assert _program_names(a)[program_id] == original  # no other till got B's change

    ctx = OwnerContext(b.services, runner, lambda then: then(b.grant()))
    page = SyncPage(ctx)
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: len(page.refusals.labels) == 1, timeout=10000)
    text = page.refusals.labels[0].text()
    assert "Program “Free coffee for all”" in text
    assert "ask the owner to allow this store" in text and "The hub's version is back" in text
    assert page.refusals.labels[0].toolTip() == change.message  # the hub's own words, for support
    translations.set_language("id")
    qtbot.waitUntil(lambda: "hanya boleh diubah di toko" in page.refusals.labels[0].text(), timeout=5000)
    assert page.refusals.title.text() == "Perubahan yang tidak diterima hub"
    translations.set_language("en")
    page.refusals.dismiss()
    qtbot.waitUntil(lambda: not page.refusals.labels, timeout=5000)
    assert refused_changes(b.services.ctx) == []


def test_once_the_owner_allows_the_store_its_next_change_is_taken_and_leaves_the_list(two_stores, hub_engine,
                                                                                     merchant):
    from sync.hub import record_rules

    a, b = two_stores
    program_id = a.program_id()
    b.services.owner.edit_program(b.grant(), program_id, stamps_target=7)
    b.sync()
    assert [c.code for c in refused_changes(b.services.ctx)] == ["record_forbidden"]
    with hub_engine.begin() as conn:
        record_rules.allow(conn, merchant.merchant_id, program_id, _hub_store_of(hub_engine, b))
    b.clock.advance(timedelta(seconds=1))
    b.services.owner.edit_program(b.grant(), program_id, stamps_target=8)
    b.sync()
    assert refused_changes(b.services.ctx) == []
    a.sync()
    with a.services.ctx.db.read() as session:
        assert next(p for p in list_programs(session) if p.program_id == program_id).stamps_target == 8
    dismiss_refused_changes(b.services.ctx)


def _hub_store_of(engine, term: RealTerminal) -> str:
    import sqlalchemy as sa

    from sync.hub.schema import terminals
    with engine.connect() as conn:
        return conn.execute(sa.select(terminals.c.store_id)
                            .where(terminals.c.terminal_id == term.terminal_id)).scalar_one()


def test_a_till_whose_clock_is_far_ahead_is_told_to_check_it(qtbot, translations, hub, hub_engine, merchant,
                                                            tmp_path):
    ahead = ManualClock(datetime.now(UTC) + timedelta(days=2))
    term = RealTerminal.founded(tmp_path / "t", ahead)
    try:
        term.pair(hub.url, hub_engine, merchant.store_id)
        term.enroll()
        from sync.client import HubClient
        from sync.syncer import Syncer
        with HubClient(hub.url, term.token(), timeout=30) as client:
            status = Syncer(term.port, client).sync_once()
        assert status.clock_refused and status.state is SyncState.ERROR
        assert set(status.set_aside) >= {"entries", "audit"}
        assert term.port.acked() == (0, 0)  # kept on the till, sent once the time is right
    finally:
        term.close()
    indicator = SyncIndicator(ahead.now().tzinfo)
    qtbot.addWidget(indicator)
    indicator.show_status(status)
    assert "check the computer's clock" in indicator.text()
    translations.set_language("id")
    qtbot.waitUntil(lambda: "periksa jam komputer" in indicator.text(), timeout=5000)
    assert "periksa jam komputer" not in SyncIndicator(ahead.now().tzinfo).describe(SyncStatus(SyncState.ONLINE))


def test_a_till_whose_clock_ran_a_day_ahead_no_longer_freezes_a_cards_cooldown_elsewhere(
        hub, hub_engine, merchant, tmp_path):
    from terminal.domain.errors import LoyaltyError

    now = datetime.now(UTC).replace(microsecond=0)
    a = RealTerminal.founded(tmp_path / "a", ManualClock(now))
    b = None
    try:
        a.pair(hub.url, hub_engine, merchant.store_id, "Main till")
        a.services.owner.edit_program(a.grant(), a.program_id(), cooldown_minutes=60)
        code = a.enroll()
        a.sync()
        b = RealTerminal.joined(tmp_path / "b", hub.url, hub_engine, merchant.store_id, ManualClock(now))
        b.clock.advance(timedelta(days=1))  # someone set the kiosk's clock a day ahead
        b.services.counter.stamp(b.grant(), code)
        b.sync()  # its stamp is kept there: the hub does not take it
        assert b.port.acked()[0] < max(seq for _, _, seq, _ in b.ledger(local=True))
        a.clock.advance(timedelta(minutes=1))
        a.sync()
        try:
            a.services.counter.stamp(a.grant(), code)  # the card's cooldown is not frozen here
        except LoyaltyError as exc:
            pytest.fail(f"till A was blocked by a stamp dated tomorrow: {exc}")
    finally:
        a.close()
        if b is not None:
            b.close()
