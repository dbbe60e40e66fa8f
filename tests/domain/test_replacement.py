"""What a card replacement's pair carries: the balance and the lifetime points, mirrored."""

from hypothesis import given
from hypothesis import strategies as st

from terminal.domain.ledger import Balance, EntryKind, lifetime_delta, purchase_amount
from terminal.domain.programs import Tier, tier_for
from terminal.domain.replacement import mirrors, replacement_pair

TIERS = (Tier("Silver", 1000, 125), Tier("Gold", 5000, 150))


def test_the_pair_moves_stamps_points_and_lifetime_from_the_old_card_to_the_new():
    pair = replacement_pair(Balance(stamps=3, points=1200, lifetime_points=5400))
    out, came = pair.transfer_out, pair.transfer_in
    assert (out.kind, out.stamps, out.points, out.amount) == (EntryKind.TRANSFER_OUT, -3, -1200, -5400)
    assert (came.kind, came.stamps, came.points, came.amount) == (EntryKind.TRANSFER_IN, 3, 1200, 5400)
    assert pair.lifetime_points == 5400
    assert lifetime_delta(came.kind, came.points, None, amount=came.amount) == 5400
    assert lifetime_delta(out.kind, out.points, None, amount=out.amount) == -5400
    assert tier_for(TIERS, 0 + lifetime_delta(came.kind, came.points, None, amount=came.amount)).name == "Gold"


def test_a_transfer_amount_is_lifetime_points_not_money():
    assert purchase_amount(EntryKind.TRANSFER_IN, 5400) is None
    assert purchase_amount(EntryKind.TRANSFER_OUT, -5400) is None
    assert purchase_amount(EntryKind.EARN, 1250) == 1250


def test_a_pair_written_before_lifetime_moved_counts_none_and_still_mirrors():
    assert lifetime_delta(EntryKind.TRANSFER_IN, 1200, None, amount=None) == 0
    assert mirrors((-3, -1200, None), (3, 1200, None))


@given(st.integers(-10**6, 10**6), st.integers(-10**9, 10**9), st.integers(0, 10**9))
def test_any_pair_mirrors_and_keeps_the_two_cards_totals(stamps, points, lifetime):
    pair = replacement_pair(Balance(stamps, points, lifetime))
    out, came = pair.transfer_out, pair.transfer_in
    assert mirrors((out.stamps, out.points, out.amount), (came.stamps, came.points, came.amount))
    moved = [lifetime_delta(e.kind, e.points, None, amount=e.amount) for e in (out, came)]
    assert sum(moved) == 0 and moved[1] == lifetime
    assert out.stamps + came.stamps == 0 and out.points + came.points == 0


def test_a_pair_that_gives_back_less_does_not_mirror():
    assert not mirrors((-3, -1200, -5400), (3, 1200, 5000))
    assert not mirrors((-3, -1200, -5400), (3, 1100, 5400))
    assert not mirrors((-3, -1200, -5400), (2, 1200, 5400))
