"""Bounded concurrency for the nameko service: a green pool (the service runs on eventlet).

``sync_registered`` takes any ``map_concurrently(fn, items)`` that returns results in the order
of ``items``; the nameko service passes ``green_map``. A failing call raises when its result is
reached, so the use case still sees every answer (or the first failure) before it writes.
"""
import eventlet


def green_map(fn, items, size=10):
    """``fn`` over ``items`` on at most ``size`` green threads at once, results in order."""
    return eventlet.GreenPool(size).imap(fn, items)
