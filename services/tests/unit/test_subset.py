"""Repositories can only express the vetted subset of MongoDB operations."""
import pytest

from xjkit.mongo.subset import UnsupportedOperation, vet_filter


@pytest.mark.parametrize("query", [
    {"status": "active"},
    {"n": {"$gte": 1, "$lt": 5}},
    {"kind": {"$in": ["a", "b"]}},
    {"name": {"$regex": "华西", "$options": "i"}},
    {"basic.region": "610100"},
])
def test_filters_inside_the_subset_are_accepted(query):
    assert vet_filter(query) is query


@pytest.mark.parametrize("query", [
    {"$or": [{"a": 1}, {"b": 2}]},
    {"a": {"$ne": 1}},
    {"a": {"$exists": True}},
    {"a": {"$elemMatch": {"b": 1}}},
    {"a": {"$in": "not-a-list"}},
    {"a": {"$options": "i"}},
    {"data": b"\x00\x01"},
    {"data": {"$in": [b"x"]}},
])
def test_filters_outside_the_subset_are_refused(query):
    with pytest.raises(UnsupportedOperation):
        vet_filter(query)


def test_a_replacement_carrying_bytes_is_refused():
    from xjkit.mongo.subset import vet_replacement
    with pytest.raises(UnsupportedOperation):
        vet_replacement({"_id": 1, "chunks": [{"data": b"x"}]})
    assert vet_replacement({"_id": 1, "name": "合同.pdf"}) == {"_id": 1, "name": "合同.pdf"}
