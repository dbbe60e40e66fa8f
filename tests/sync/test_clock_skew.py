"""The till's clock against the hub's (issue 12, item 5): measured from the hub's Date header on any
answer, shown as a warning beyond two minutes, and refusing stamps beyond hub_clock_refuse_minutes."""

from datetime import UTC, datetime, timedelta

import pytest

from sync.client import HubClient, HubRefused
from sync.status import SyncState, SyncStatus


@pytest.mark.sqlite_only
@pytest.mark.parametrize("offset", [timedelta(days=1), timedelta(minutes=-16), timedelta(0)])
def test_the_difference_from_the_hub_is_measured_on_any_answer(hub, offset):
    client = HubClient(hub.url, "not-a-token", now=lambda: datetime.now(UTC) + offset)
    try:
        assert client.clock_skew is None
        with pytest.raises(HubRefused):  # even a refusal carries the hub's time
            client.pull(0)
        assert client.clock_skew is not None
        assert abs(client.clock_skew - offset) < timedelta(seconds=3)  # the header has whole seconds
    finally:
        client.close()


def test_the_status_warns_beyond_two_minutes_either_way():
    assert not SyncStatus(SyncState.ONLINE).clock_warning
    assert not SyncStatus(SyncState.ONLINE, clock_skew_seconds=120).clock_warning
    assert SyncStatus(SyncState.ONLINE, clock_skew_seconds=121).clock_warning
    assert SyncStatus(SyncState.ONLINE, clock_skew_seconds=-121).clock_warning


def test_a_paired_till_a_day_ahead_of_the_hub_warns_and_refuses_stamps(hub, hub_engine, merchant, tmp_path):
    from real_terminal import RealTerminal
    from sync_helpers import wait_for

    from terminal.domain.clock import ManualClock
    from terminal.domain.errors import ErrorCode, LoyaltyError
    from terminal.services.sync_link import SyncLink

    # the attack seen: the clock moved a day forward (then 16 minutes per stamp) to stamp at will
    till = RealTerminal.founded(tmp_path / "a", ManualClock(datetime.now(UTC) + timedelta(days=1)))
    try:
        till.pair(hub.url, hub_engine, merchant.store_id, "Till A")
        code = till.enroll("Ann")
        till.link = SyncLink(till.services)
        assert till.link.start()
        till.link.sync_now()
        wait_for(lambda: till.link.status is not None and till.link.status.clock_skew_seconds is not None,
                 what="the till measures the hub's clock")
        status = till.link.status
        assert abs(status.clock_skew_seconds - 86_400) < 5 and status.clock_warning
        with pytest.raises(LoyaltyError) as err:
            till.services.counter.stamp(till.grant(), code)
        assert err.value.code is ErrorCode.CLOCK_SKEW
        till.services.counter.earn(till.grant(), code, 1_000)  # only stamps are refused by the difference
        assert till.link.stop()
        assert till.services.counter.hub_skew is None  # unpaired or stopped: nothing to compare with
    finally:
        till.close()
