"""The vetted subset of MongoDB operations that repositories may use.

nx-27017 (development and CI) silently gets some operations wrong, so repositories keep to
what the conformance test (services/tests/integration/test_store_conformance.py) pins on
both nx-27017 and MongoDB 7. These checks refuse anything else at the call site, so a query
that would work in production and silently misbehave in CI (or the reverse) never gets written.
"""

import datetime

FILTER_OPERATORS = frozenset({"$in", "$gt", "$gte", "$lt", "$lte", "$regex", "$options"})
UPDATE_OPERATORS = frozenset({"$set", "$inc"})


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


def _refused_set_value(value):
    # nx-27017 stores a $set boolean as 0/1 and a $set datetime as a naive string
    return isinstance(value, (bool, datetime.date))


def vet_update(update):
    """``$set``/``$inc`` on top-level fields only (nx-27017 drops ``$set`` on ``a.0.b``), and no
    booleans or dates in ``$set``: write those with a whole-document replace."""
    if not update or not isinstance(update, dict):
        raise UnsupportedOperation("an update must be a non-empty dict")
    unknown = set(update) - UPDATE_OPERATORS
    if unknown:
        raise UnsupportedOperation(f"update operators {sorted(unknown)} are outside the vetted subset")
    for operator, fields in update.items():
        for name in fields:
            if "." in name or name.startswith("$"):
                raise UnsupportedOperation(f"{operator} on {name!r}: only top-level fields may be updated")
            if name in ("_id", "version"):
                raise UnsupportedOperation(f"{operator} may not touch {name}")
            if operator == "$set" and _refused_set_value(fields[name]):
                raise UnsupportedOperation(f"$set of a {type(fields[name]).__name__} on {name!r}: "
                                           "use a whole-document replace")
    return update
