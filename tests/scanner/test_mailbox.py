import threading

from terminal.scanner.mailbox import LatestOnly


def test_only_the_newest_item_is_kept():
    box = LatestOnly()
    assert box.put(1) is True
    assert box.put(2) is False
    assert box.put(3) is False
    assert box.take(timeout=0) == 3
    assert box.take(timeout=0) is None
    assert box.replaced == 2


def test_close_wakes_a_waiting_taker():
    box = LatestOnly()
    got = []
    taker = threading.Thread(target=lambda: got.append(box.take(timeout=5)))
    taker.start()
    box.close()
    taker.join(2)
    assert not taker.is_alive() and got == [None]


def test_reopen_empties_the_slot():
    box = LatestOnly()
    box.put("old")
    box.close()
    box.reopen()
    assert box.take_nowait() is None
