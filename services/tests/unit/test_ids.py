"""Ids made inside a keyed request are the same each time the request runs (the takeover after a
crash finds the objects it made); outside one they are random."""
from xjkit import ids
from xjkit.errors import ConcurrencyConflict
from xjkit.retry import retry_on_conflict


def test_outside_a_keyed_request_ids_are_random():
    assert len({ids.new_id() for _ in range(100)}) == 100
    assert not ids.made_by_this_request(ids.new_id())


def test_a_keyed_request_makes_the_same_ids_every_time_it_runs():
    def run(seed):
        with ids.keyed_run(seed):
            return [ids.new_id() for _ in range(3)]
    first = run("ent:make_offer:k1:fp")
    assert run("ent:make_offer:k1:fp") == first and len(set(first)) == 3
    assert set(run("ent:make_offer:k2:fp")).isdisjoint(first)
    assert all(len(i) == 32 and int(i, 16) >= 0 for i in first)


def test_only_ids_of_the_running_request_count_as_made_by_it():
    with ids.keyed_run("a"):
        made = ids.new_id()
        assert ids.made_by_this_request(made)
        assert not ids.made_by_this_request(ids.new_id.__name__)
    assert not ids.made_by_this_request(made)


def test_a_try_repeated_after_a_conflict_makes_the_same_ids_as_the_first_try():
    tries = []

    def work():
        tries.append(ids.new_id())
        if len(tries) < 3:
            raise ConcurrencyConflict()
        return ids.new_id()
    with ids.keyed_run("s"):
        before = ids.new_id()
        after = retry_on_conflict(work, sleep=lambda _: None)
    with ids.keyed_run("s"):  # the same request again, without conflicts
        assert ids.new_id() == before
        assert retry_on_conflict(work, sleep=lambda _: None) == after
    assert tries[0] == tries[1] == tries[2] == tries[3]
