"""The vetted subset of MongoDB operations that repositories may use.

nx-27017 (development and CI) silently gets some operations wrong, so repositories keep to
what the conformance test (services/tests/integration/test_store_conformance.py) pins on
both nx-27017 and MongoDB 7. These checks refuse anything else at the call site, so a query
that would work in production and silently misbehave in CI (or the reverse) never gets written.
Every write is a whole-document insert or replace (under a version check): no partial updates,
whose ``$set`` nx-27017 gets wrong for booleans, dates and array elements (the conformance test
pins those deviations).
"""

FILTER_OPERATORS = frozenset({"$in", "$gt", "$gte", "$lt", "$lte", "$regex", "$options"})


class UnsupportedOperation(ValueError):
    """A repository used an operation outside the vetted subset."""


def contains_bytes(value):
    if isinstance(value, (bytes, bytearray, memoryview)):
        return True
    if isinstance(value, dict):
        return any(contains_bytes(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(contains_bytes(v) for v in value)
    return False


def vet_replacement(document):
    """A whole-document replace may not carry bytes: nx-27017 refuses it (or, as
    find_one_and_replace, silently writes nothing). Binary data is written once, by insert."""
    if contains_bytes(document):
        raise UnsupportedOperation("a replace may not carry bytes: insert binary documents once")
    return document


def vet_filter(query):
    """Equality, range, ``$in`` and ``$regex`` on top-level or dotted paths; nothing else, and no
    bytes values (nx-27017's find never matches them)."""
    if not isinstance(query, dict):
        raise UnsupportedOperation("a filter must be a dict")
    if contains_bytes(query):
        raise UnsupportedOperation("filters on bytes values are outside the vetted subset")
    for path, condition in query.items():
        if path.startswith("$"):
            raise UnsupportedOperation(f"top-level operator {path} is outside the vetted subset")
        if isinstance(condition, dict) and any(key.startswith("$") for key in condition):
            unknown = set(condition) - FILTER_OPERATORS
            if unknown:
                raise UnsupportedOperation(f"filter operators {sorted(unknown)} on {path} are outside the vetted subset")
            if "$in" in condition and not isinstance(condition["$in"], (list, tuple)):
                raise UnsupportedOperation(f"$in on {path} needs a list")
            if "$options" in condition and "$regex" not in condition:
                raise UnsupportedOperation(f"$options on {path} needs $regex")
    return query


