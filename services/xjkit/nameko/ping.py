"""The shared ``ping`` answer: is the store reachable, is the broker reachable, and what waits for
an operator (dead letters, events stuck in an outbox) — reported, not required for readiness."""


def ping_report(service_name, store_session, telemetry=None):
    # the broker is reachable by definition: this answer travelled over it
    store_ok = store_session.ping()
    report = {"service": service_name, "store": "ok" if store_ok else "down", "broker": "ok",
              "status": "ok" if store_ok else "degraded"}
    dead_letters = telemetry.dead_letters() if telemetry is not None else None
    if isinstance(dead_letters, dict):
        report["dead_letters"] = sum(dead_letters.values())
    stuck = store_session.outbox_stuck() if hasattr(store_session, "outbox_stuck") else None
    if isinstance(stuck, int):
        report["outbox_stuck"] = stuck
    return report
