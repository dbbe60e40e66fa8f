"""Confirmation and repeat suppression, driven by an explicit clock (no sleeps)."""

from terminal.scanner.confirm import Confirmer


def run(confirmer, reads):
    return [t for t, key in reads if confirmer.offer(key, t)]


def test_needs_two_consistent_reads():
    c = Confirmer(reads=2, window_s=1.0)
    assert run(c, [(0.0, "A"), (0.1, "A")]) == [0.1]


def test_reads_too_far_apart_do_not_confirm():
    c = Confirmer(reads=2, window_s=1.0)
    assert run(c, [(0.0, "A"), (1.5, "A")]) == []
    assert run(c, [(2.0, "A")]) == [2.0]


def test_a_different_code_in_between_starts_over():
    c = Confirmer(reads=2)
    assert run(c, [(0.0, "A"), (0.1, "B"), (0.2, "A"), (0.3, "A")]) == [0.3]


def test_three_reads_when_configured():
    c = Confirmer(reads=3)
    assert run(c, [(0.0, "A"), (0.1, "A"), (0.2, "A")]) == [0.2]


def test_same_card_is_quiet_for_the_repeat_window_after_it_leaves():
    c = Confirmer(reads=2, repeat_window_s=2.0)
    assert run(c, [(0.0, "A"), (0.1, "A")]) == [0.1]
    # held in view for five more seconds: still one scan
    assert run(c, [(0.1 + 0.1 * i, "A") for i in range(1, 50)]) == []
    # taken away at 5.0, shown again 1.9 s later: still the same visit
    assert run(c, [(6.9, "A"), (7.0, "A")]) == []
    # away for 2 s and more: a new scan
    assert run(c, [(9.1, "A"), (9.2, "A")]) == [9.2]


def test_repeat_window_is_configurable():
    c = Confirmer(reads=1, repeat_window_s=0.5)
    assert run(c, [(0.0, "A"), (0.4, "A"), (1.0, "A")]) == [0.0, 1.0]


def test_another_card_is_reported_straight_away():
    c = Confirmer(reads=2)
    assert run(c, [(0.0, "A"), (0.1, "A"), (0.2, "B"), (0.3, "B")]) == [0.1, 0.3]


def test_reset_forgets_everything():
    c = Confirmer(reads=2)
    run(c, [(0.0, "A"), (0.1, "A")])
    c.reset()
    assert run(c, [(0.2, "A"), (0.3, "A")]) == [0.3]


def test_first_read_time_is_kept_for_timings():
    c = Confirmer(reads=2)
    c.offer("A", 3.0)
    assert c.offer("A", 3.25)
    assert c.first_read_at() == 3.0
