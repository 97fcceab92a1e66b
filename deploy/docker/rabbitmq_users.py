"""One broker user per service, and no guest: run once when RabbitMQ is up (compose's
``rabbitmq-init``). Standard library only, so it runs in any of the project's images.

Through RabbitMQ's management API (``RABBITMQ_API_URL``, admin ``RABBITMQ_ADMIN_USER`` /
``RABBITMQ_ADMIN_PASS``) it creates or updates each user named in ``XJ_BROKER_USERS`` with the
password in ``XJ_BROKER_PASS_<NAME>`` and gives it the vhost ``RABBITMQ_VHOST`` (default ``/``);
with ``XJ_BROKER_REMOVE_GUEST=1`` it deletes ``guest``. Every run leaves the same state, so it can
run at every start. A service's own user makes its connections visible and revocable on their
own; which RPCs a caller may use is decided by the signed allow-list (docs/security.md).
"""
import base64
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

WAIT_SECONDS = 120


def api(method, path, body=None, environ=os.environ):
    url = environ.get("RABBITMQ_API_URL", "http://rabbitmq:15672").rstrip("/") + "/api/" + path
    credentials = f"{environ['RABBITMQ_ADMIN_USER']}:{environ['RABBITMQ_ADMIN_PASS']}".encode()
    request = urllib.request.Request(url, method=method, data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": "Basic " + base64.b64encode(credentials).decode(),
                                              "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return answer.status


def wait_for_api(environ):
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        try:
            return api("GET", "overview", environ=environ)
        except (urllib.error.URLError, OSError) as error:
            if time.monotonic() > deadline:
                raise SystemExit(f"rabbitmq-init: the management API did not answer in {WAIT_SECONDS} s: {error}")
            time.sleep(2)


def main(environ=os.environ):
    wait_for_api(environ)
    vhost = urllib.parse.quote(environ.get("RABBITMQ_VHOST", "/"), safe="")
    names = [name.strip() for name in environ.get("XJ_BROKER_USERS", "").split(",") if name.strip()]
    if not names:
        raise SystemExit("rabbitmq-init: XJ_BROKER_USERS names no user")
    for name in names:
        password = environ.get(f"XJ_BROKER_PASS_{name.upper()}", "")
        if len(password) < 16:
            raise SystemExit(f"rabbitmq-init: XJ_BROKER_PASS_{name.upper()} must be at least 16 characters")
        api("PUT", f"users/{urllib.parse.quote(name, safe='')}", {"password": password, "tags": ""}, environ)
        api("PUT", f"permissions/{vhost}/{urllib.parse.quote(name, safe='')}",
            {"configure": ".*", "write": ".*", "read": ".*"}, environ)
        print(f"rabbitmq-init: user {name} ready")
    if environ.get("XJ_BROKER_REMOVE_GUEST", "").strip().lower() in ("1", "true", "yes"):
        try:
            api("DELETE", "users/guest", environ=environ)
            print("rabbitmq-init: guest removed")
        except urllib.error.HTTPError as error:
            if error.code != 404:
                raise
    return 0


if __name__ == "__main__":
    sys.exit(main())
