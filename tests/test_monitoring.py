"""deploy/monitoring: the alert rules load and fire as meant (promtool check + unit tests), and every
xj_* metric the rules, the dashboard and the adapter name is one the services or the gateway
really export."""
import json
import os
import re
import subprocess
from types import SimpleNamespace

import yaml

from .helpers import required_command

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MONITORING = os.path.join(ROOT, "deploy", "monitoring")
ALERTS = os.path.join(MONITORING, "alerts.yml")
DASHBOARD = os.path.join(MONITORING, "grafana", "xjcloud.json")
# metrics of others the rules may use: RabbitMQ's prometheus plugin, kube-state-metrics, cAdvisor
FOREIGN = re.compile(r"^(rabbitmq_|kube_|container_|process_|python_)")
NAME = re.compile(r"\b(xj:[a-z_:0-9]+|xj_[a-z_0-9]+|[a-z]+_[a-z_0-9]+(?=\s*[{(\[]))")


def promtool():
    return required_command("promtool", "promtool is missing: run `make install` (deploy/scripts/install-system.sh "
                            "installs Debian's prometheus package, which has it)")


def test_promtool_accepts_the_rules():
    result = subprocess.run([promtool(), "check", "rules", ALERTS], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


def test_each_alert_fires_on_its_series_and_not_before():
    result = subprocess.run([promtool(), "test", "rules", "alerts.test.yml"], cwd=MONITORING, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_issue_asks_for_these_alerts():
    rules = [rule for group in yaml.safe_load(open(ALERTS, encoding="utf-8"))["groups"] for rule in group["rules"]]
    alerts = {rule["alert"]: rule["expr"] for rule in rules if "alert" in rule}
    assert "xj_workers_active" in alerts["XjServiceSaturated"]                  # saturation
    assert 'outcome="error"' in " ".join(r.get("expr", "") for r in rules)      # error rate
    assert "xj_outbox_oldest_pending_seconds" in alerts["XjOutboxLag"]          # outbox lag
    assert re.search(r"xj_dead_letters\)?\s*>\s*0", alerts["XjDeadLetters"])    # DLQ > 0
    assert "xj_crl_next_update_seconds" in alerts["XjCrlGoingStale"]            # CRLs going stale
    tested = open(os.path.join(MONITORING, "alerts.test.yml"), encoding="utf-8").read()
    for name in ("XjServiceSaturated", "XjServiceErrors", "XjOutboxLag", "XjDeadLetters", "XjCrlGoingStale",
                 "XjCrlStale"):
        assert f"alertname: {name}" in tested, f"{name} has no promtool unit test"


def exported_metric_names():
    """Every sample name a service (ServiceMetrics, identity's CRL gauges) and the gateway export."""
    from prometheus_client import CollectorRegistry

    from gateway.metrics import Metrics
    from identity.adapters import crl_metrics as crl_module
    from xjkit.nameko.metrics import ServiceMetrics

    names = set()

    def add(registry):
        for family in registry.collect():
            names.add(family.name)
            names.update(sample.name for sample in family.samples)
            if family.type == "histogram":
                names.update(f"{family.name}{suffix}" for suffix in ("_bucket", "_count", "_sum"))
            if family.type == "counter":
                names.add(f"{family.name}_total")

    metrics = ServiceMetrics("test")
    metrics.observe_worker("x", "rpc", "ok", 0.1, "E")
    metrics.observe_relay("made", None)
    metrics.relay_lag.labels("test").observe(1)
    metrics.event_lag.labels("test", "x").observe(1)
    metrics.store_latency.labels("test", "find", "c").observe(0.1)
    metrics.store_failures.labels("test", "find").inc()
    metrics.relay_failures.labels("test").inc()
    metrics.dead_letters.labels("test", "q").set(0)
    metrics.dead_letter_queue_up.labels("test", "q").set(0)
    metrics.dead_letters_checked.labels("test").set(0)
    add(metrics.registry)
    names.update({"xj_outbox_pending_documents", "xj_outbox_oldest_pending_seconds"})  # scrape-time gauges

    class FakeCrl:
        issuer = SimpleNamespace(rfc4514_string=lambda: "CN=x")
        last_update_utc = next_update_utc = __import__("datetime").datetime.now(__import__("datetime").timezone.utc)

    verifier = SimpleNamespace(trust_store=lambda: SimpleNamespace(crls=[FakeCrl()]))
    provider = crl_module.CaVerifier.__new__(crl_module.CaVerifier)
    provider.verifier = verifier
    container = SimpleNamespace(service_name="identity", dependencies=[provider])
    for family in crl_module.crl_metrics(container):
        names.add(family.name)
    gateway = Metrics()
    gateway.observe_rpc("s", "m", "ok", 0.1)
    gateway.requests.labels("GET", "/x", 200).inc()
    gateway.latency.labels("GET", "/x").observe(0.1)
    gateway.in_flight.inc()
    registry = gateway.registry if isinstance(gateway.registry, CollectorRegistry) else None
    add(registry)
    return names


def referenced_names(text):
    return {name for name in NAME.findall(text)
            if not FOREIGN.match(name) and name not in {"label_replace", "histogram_quantile", "label_values"}}


def test_every_metric_the_rules_dashboard_and_adapter_use_is_exported():
    exported = exported_metric_names()
    rules = yaml.safe_load(open(ALERTS, encoding="utf-8"))
    recorded = {rule["record"] for group in rules["groups"] for rule in group["rules"] if "record" in rule}
    texts = {"alerts.yml": " ".join(rule["expr"] for group in rules["groups"] for rule in group["rules"])}
    dashboard = json.load(open(DASHBOARD, encoding="utf-8"))
    texts["grafana/xjcloud.json"] = " ".join(target["expr"] for panel in dashboard["panels"]
                                             for target in panel.get("targets", []))
    texts["grafana/xjcloud.json"] += " " + dashboard["templating"]["list"][1]["definition"]
    texts["prometheus-adapter.yaml"] = open(os.path.join(MONITORING, "prometheus-adapter.yaml")).read()
    for source, text in texts.items():
        names = {name for name in referenced_names(text) if name.startswith("xj")}
        unknown = names - exported - recorded - {"xj_service_queue_messages_ready"}
        assert not unknown, f"{source} names metrics nobody exports: {sorted(unknown)}"
    assert "xj_dead_letters" in exported and "xj_crl_next_update_seconds" in exported


def test_the_dashboard_is_grafana_json_with_one_datasource_variable_and_unique_panel_ids():
    dashboard = json.load(open(DASHBOARD, encoding="utf-8"))
    ids = [panel["id"] for panel in dashboard["panels"]]
    assert len(ids) == len(set(ids))
    graphs = [panel for panel in dashboard["panels"] if panel["type"] != "row"]
    assert len(graphs) >= 20
    for panel in graphs:
        assert panel["targets"] and panel["datasource"]["uid"] == "${datasource}", panel["title"]
    titles = " ".join(panel["title"] for panel in graphs)
    for needed in ("Dead letters", "CRL", "unpublished event", "p95", "upstream"):
        assert needed.lower() in titles.lower(), needed
