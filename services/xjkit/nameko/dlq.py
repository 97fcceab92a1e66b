"""``xj-dlq``: the dead-letter queues of the event handlers (see ``xjkit.nameko.handlers``).

    xj-dlq list                                  every xj.dlq.* queue with its message count
    xj-dlq show xj.dlq.publicity.on_registration_changed [--limit 20]
    xj-dlq replay xj.dlq.publicity.on_registration_changed [--limit N]

``show`` reads without taking (the messages go back to the queue). ``replay`` sends each message
back to the handler's own queue (header ``x-xj-queue``) with its try count reset, and removes it
from the dead-letter queue only once the broker confirmed the copy. Fix the cause first: a
message that fails again comes back after ``EVENT_MAX_ATTEMPTS`` tries.

The broker: ``--amqp`` (default ``$AMQP_URI``, else the local guest broker); ``list`` reads the
queue names from the management API (``--api``, default ``$RABBIT_API_URI`` or :15672).
"""
import argparse
import base64
import json
import os
import sys
import urllib.parse
import urllib.request

from kombu import Connection, Exchange, Producer, Queue

from xjkit.nameko.handlers import ATTEMPTS_HEADER, DLQ_PREFIX, ERROR_HEADER, QUEUE_HEADER

DEFAULT_AMQP = "amqp://guest:guest@127.0.0.1:5672/"
DEFAULT_API = "http://127.0.0.1:15672"


def _vhost(amqp_uri):
    path = urllib.parse.urlparse(amqp_uri).path
    return urllib.parse.unquote(path[1:]) if len(path) > 1 else "/"


def list_queues(amqp_uri, api_uri, auth=None):
    """[(queue, messages)] of every dead-letter queue of the vhost."""
    parsed = urllib.parse.urlparse(amqp_uri)
    auth = auth or (urllib.parse.unquote(parsed.username or "guest"), urllib.parse.unquote(parsed.password or "guest"))
    vhost = urllib.parse.quote(_vhost(amqp_uri), safe="")
    request = urllib.request.Request(f"{api_uri}/api/queues/{vhost}?columns=name,messages", headers={
        "Authorization": "Basic " + base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode("ascii")})
    with urllib.request.urlopen(request, timeout=10) as response:
        queues = json.loads(response.read())
    return sorted((q["name"], q.get("messages") or 0) for q in queues if q["name"].startswith(DLQ_PREFIX))


def _describe(message):
    headers = message.headers or {}
    return {"queue": headers.get(QUEUE_HEADER), "attempts": headers.get(ATTEMPTS_HEADER),
            "error": headers.get(ERROR_HEADER), "payload": message.payload}


def show(amqp_uri, queue, limit=20):
    """Up to ``limit`` messages of ``queue``, left in place."""
    found = []
    with Connection(amqp_uri, connect_timeout=10) as connection:
        channel = connection.channel()
        for _ in range(limit):
            message = _get(channel, queue)
            if message is None:
                break
            found.append(_describe(message))
        channel.close()  # unacknowledged: every message goes back to the queue
    return found


def _get(channel, queue):
    return Queue(queue, channel=channel, no_declare=True).get(no_ack=False)


def replay(amqp_uri, queue, limit=None):
    """Send the messages of ``queue`` back to their handlers; returns how many."""
    replayed = 0
    with Connection(amqp_uri, connect_timeout=10) as connection:
        channel = connection.channel()
        channel.confirm_select()
        producer = Producer(channel, exchange=Exchange(""))
        while limit is None or replayed < limit:
            message = _get(channel, queue)
            if message is None:
                break
            headers = dict(message.headers or {})
            target = headers.get(QUEUE_HEADER)
            if not target:
                message.reject(requeue=True)
                raise SystemExit(f"a message in {queue} does not name its handler's queue ({QUEUE_HEADER})")
            headers[ATTEMPTS_HEADER] = 0
            headers.pop("x-death", None)
            producer.publish(message.body, routing_key=target, headers=headers, content_type=message.content_type,
                             content_encoding=message.content_encoding, delivery_mode=2)
            message.ack()
            replayed += 1
    return replayed


def main(argv=None):
    parser = argparse.ArgumentParser(prog="xj-dlq", description="Dead-letter queues of the event handlers")
    parser.add_argument("--amqp", default=os.environ.get("AMQP_URI", DEFAULT_AMQP))
    parser.add_argument("--api", default=os.environ.get("RABBIT_API_URI", DEFAULT_API))
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="every dead-letter queue and its message count")
    show_parser = commands.add_parser("show", help="the messages of one queue (left in place)")
    show_parser.add_argument("queue")
    show_parser.add_argument("--limit", type=int, default=20)
    replay_parser = commands.add_parser("replay", help="send the messages back to their handler")
    replay_parser.add_argument("queue")
    replay_parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args(argv)
    if args.command == "list":
        for name, messages in list_queues(args.amqp, args.api):
            print(f"{messages:6d}  {name}")
    elif args.command == "show":
        for item in show(args.amqp, args.queue, args.limit):
            print(json.dumps(item, ensure_ascii=False, default=str))
    else:
        print(f"replayed {replay(args.amqp, args.queue, args.limit)} message(s) from {args.queue}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
