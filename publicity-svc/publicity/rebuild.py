"""``xj-publicity-rebuild``: rebuild the public list from scratch, for operations.

Clears publicity-svc's read model and applies every registration filing-svc holds, page by
page, over RPC, with a progress bar. The list is empty while it runs (minutes for tens of
thousands of enterprises); events that arrive meanwhile are applied as usual and are never
undone, because each registration's serial decides.

    AMQP_URI=pyamqp://…@rabbitmq:5672/ XJ_RPC_KEY=… xj-publicity-rebuild [--page-size 200]
"""
import argparse
import os
import sys

from xjkit.nameko.callers import SignedClusterRpcProxy

BAR_WIDTH = 30


def progress_bar(done, total):
    filled = BAR_WIDTH * done // total if total else BAR_WIDTH
    return f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total}"


def rebuild(proxy, page_size, out=sys.stdout):
    proxy.publicity.clear()
    page, applied, total = 1, 0, None
    while True:
        answer = proxy.filing.public_registrations(page=page, per_page=page_size)
        total = answer["total"]
        if not answer["items"]:
            break
        proxy.publicity.apply_registrations(payloads=answer["items"])
        applied += len(answer["items"])
        out.write("\r" + progress_bar(applied, total))
        out.flush()
        page += 1
    out.write(f"\r{progress_bar(applied, total or 0)}\nrebuilt: {applied} registrations\n")
    return applied


def main(argv=None):
    parser = argparse.ArgumentParser(description="Rebuild publicity-svc's public list from filing-svc.")
    parser.add_argument("--page-size", type=int, default=200)
    parser.add_argument("--timeout", type=float, default=120)
    args = parser.parse_args(argv)
    config = {"AMQP_URI": os.environ.get("AMQP_URI", "pyamqp://guest:guest@127.0.0.1:5672/")}
    with SignedClusterRpcProxy(config, caller="ops", timeout=args.timeout) as proxy:
        rebuild(proxy, args.page_size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
