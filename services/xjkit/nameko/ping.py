"""The shared ``ping`` answer: is the store reachable, is the broker reachable."""


def ping_report(service_name, store_session):
    # the broker is reachable by definition: this answer travelled over it
    store_ok = store_session.ping()
    return {"service": service_name, "store": "ok" if store_ok else "down", "broker": "ok",
            "status": "ok" if store_ok else "degraded"}
