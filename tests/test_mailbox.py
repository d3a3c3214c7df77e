import threading
import time

import pytest

from gaitcoach.mailbox import LatestMailbox, MailboxClosed


def test_live_put_replaces_untaken_item_and_counts_the_drop():
    box = LatestMailbox()
    for i in range(5):
        assert box.put(i)
    assert box.take(timeout_s=0) == 4
    assert box.dropped_count == 4
    assert box.take(timeout_s=0.01) is None


def test_waiting_put_keeps_every_item_in_order():
    box = LatestMailbox()
    taken = []

    def consumer():
        while True:
            try:
                item = box.take()
            except MailboxClosed:
                return
            taken.append(item)
            time.sleep(0.002)

    thread = threading.Thread(target=consumer)
    thread.start()
    for i in range(50):
        assert box.put(i, wait=True, timeout_s=2)
    box.close()
    thread.join(2)
    assert taken == list(range(50))
    assert box.dropped_count == 0


def test_close_wakes_a_waiting_taker_and_refuses_puts():
    box = LatestMailbox()
    woke = threading.Event()

    def taker():
        with pytest.raises(MailboxClosed):
            box.take()
        woke.set()

    thread = threading.Thread(target=taker)
    thread.start()
    time.sleep(0.05)
    box.close()
    thread.join(1)
    assert woke.is_set()
    assert box.put(1) is False
