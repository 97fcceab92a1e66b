#!/usr/bin/env python3
"""Makes the production Secrets of xjcloud with fresh random values, as Kubernetes YAML.

    WECHAT_APPID=wx… WECHAT_SECRET=… python3 deploy/k8s/make-secrets.py --namespace xjcloud > secrets.yaml
    kubectl apply -f secrets.yaml      # then keep secrets.yaml in the vault, not in git

Every Secret the manifests reference, with every key they read (tests/test_k8s_manifests.py
checks both ways). Only WeChat's appid and secret come from outside (WeChat issues them). Run it
once per environment; for a rotation see docs/operations.md ("Key rotation"): never re-run it
blindly over a live system (a new XJ_ID_KEY makes stored ID numbers unreadable).
Stdlib only, so it runs anywhere with Python 3.
"""
import argparse
import base64
import json
import os
import secrets
import sys

SERVICES = ("identity", "employment", "cert", "filing", "publicity")


def token(nbytes=32):
    return secrets.token_urlsafe(nbytes)


def mongo_hosts(replicas):
    return ",".join(f"mongo-{index}.mongo:27017" for index in range(replicas))


def make(namespace, wechat_appid, wechat_secret, mongo_replicas=3):
    rabbit_password, redis_password = token(), token()
    backup_password = token()
    hosts = mongo_hosts(mongo_replicas)
    found = {
        "xj-amqp": {"AMQP_URI": f"pyamqp://xjcloud:{rabbit_password}@rabbitmq:5672/", "XJ_RPC_KEY": token(48)},
        "xj-identity": {"XJ_ID_KEY": secrets.token_hex(32), "WECHAT_APPID": wechat_appid,
                        "WECHAT_SECRET": wechat_secret},
        "xj-gateway": {"XJ_TOKEN_KEY": token(48), "XJ_REDIS_URL": f"redis://:{redis_password}@redis:6379/0"},
        "xj-mongo": {"ROOT_USERNAME": "root", "ROOT_PASSWORD": token(), "BACKUP_PASSWORD": backup_password,
                     "BACKUP_URI": f"mongodb://xj_backup:{backup_password}@{hosts}/?replicaSet=rs0&authSource=admin",
                     # the replica set's internal keyfile: 6 to 1024 base64 characters
                     "KEYFILE": base64.b64encode(secrets.token_bytes(756)).decode()},
        "xj-rabbitmq": {"USERNAME": "xjcloud", "PASSWORD": rabbit_password, "ERLANG_COOKIE": secrets.token_hex(32)},
        "xj-redis": {"redis.conf": f"requirepass {redis_password}\nappendonly yes\ndir /data\nprotected-mode yes\n"},
    }
    for service in SERVICES:
        password, user = token(), f"xj_{service}"
        found[f"xj-{service}-mongo"] = {
            "PASSWORD": password,
            "MONGO_URI": f"mongodb://{user}:{password}@{hosts}/{user}?replicaSet=rs0&authSource={user}"}
    return [{"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
             "metadata": {"name": name, "namespace": namespace,
                          "labels": {"app.kubernetes.io/part-of": "xjcloud"}},
             "stringData": data} for name, data in found.items()]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--namespace", default="xjcloud")
    parser.add_argument("--mongo-replicas", type=int, default=3)
    args = parser.parse_args(argv)
    appid, secret = os.environ.get("WECHAT_APPID"), os.environ.get("WECHAT_SECRET")
    if not appid or not secret:
        print("set WECHAT_APPID and WECHAT_SECRET (the mini-program's, from WeChat)", file=sys.stderr)
        return 2
    for document in make(args.namespace, appid, secret, args.mongo_replicas):
        # JSON is YAML: no dependency needed, and every value is safely quoted
        sys.stdout.write("---\n" + json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
