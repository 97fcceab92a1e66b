"""Backup and restore of xjcloud's service databases (``xj-backup``, ``xj-restore``).

A backup set is a folder:

    <set>/manifest.json               which services the set holds, tool and version
    <set>/<service>/manifest.json     database, collections (count, sha256, indexes), when
    <set>/<service>/<collection>.jsonl  one document per line, MongoDB canonical extended JSON

Canonical extended JSON keeps every BSON type (dates, binary uploads, 64-bit integers, object
ids), so a restore writes back exactly what was read. It works with any server speaking the
MongoDB protocol through pymongo: MongoDB 7 in production (where ``mongodump`` with ``--oplog``
is the point-in-time alternative, see docs/operations.md) and nx-27017 in development and CI.
"""
