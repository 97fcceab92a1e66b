"""xjkit.polling: the one way the launcher, tests and benchmarks wait for something."""
import socket

import pytest

from xjkit.polling import free_port, poll, port_open, wait_for_port, wait_until


def test_poll_returns_the_first_value_that_satisfies_and_reads_no_more():
    values = iter([0, 0, 3, 4])
    assert poll(lambda: next(values), timeout=5, interval=0) == 3
    assert next(values) == 4


def test_poll_returns_the_last_unsatisfying_value_after_the_timeout():
    assert poll(lambda: [], timeout=0.05, interval=0.01) == []
    assert wait_until(lambda: False, timeout=0.05, interval=0.01) is False


def test_a_listening_port_is_seen_and_a_free_one_is_refused_in_time():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        assert port_open(port)
        wait_for_port(port, timeout=1)
    with pytest.raises(RuntimeError, match="nothing listens"):
        wait_for_port(free_port(), timeout=0.3)
