"""deploy/k8s, checked offline: rendered with `kubectl kustomize`, validated against Kubernetes'
schemas (kubernetes-validate, strict), linted with checkov (only the findings deploy/k8s/README.md
justifies may remain), and the rules of the issue asserted on what was rendered: probes,
resources, security context, spread, PDBs, HPAs, graceful termination, Secrets, and who can reach
whom under the NetworkPolicies. The tools live in .venv-tools (`make install-tools`)."""
import functools
import ipaddress
import json
import os
import re
import subprocess
import sys

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
K8S = os.path.join(ROOT, "deploy", "k8s")
TOOLS = os.path.join(ROOT, ".venv-tools", "bin")
KUBERNETES_VERSIONS = ("1.33.0", "1.37.0")
SERVICES = ("identity", "employment", "cert", "filing", "publicity")
APPS = (*SERVICES, "gateway", "portal")
NAMESPACES = {"prod": "xjcloud", "dev": "xjcloud-dev"}
OUTSIDE_CALLERS = {"identity", "cert", "filing"}  # WeChat; the national platform (twice)


def tool(name):
    path = os.path.join(TOOLS, name)
    if not os.path.exists(path):
        pytest.fail(f"{path} is missing: run `make install` (it installs deploy/k8s/tools-requirements.txt)")
    return path


@functools.lru_cache(maxsize=None)
def rendered_text(overlay):
    result = subprocess.run([tool("kubectl"), "kustomize", os.path.join(K8S, "overlays", overlay)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


@functools.lru_cache(maxsize=None)
def rendered(overlay):
    return [doc for doc in yaml.safe_load_all(rendered_text(overlay)) if doc]


def of_kind(overlay, kind):
    return {doc["metadata"]["name"]: doc for doc in rendered(overlay) if doc["kind"] == kind}


def pod_spec(doc):
    if doc["kind"] == "CronJob":
        return doc["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return doc["spec"]["template"]["spec"]


def pod_labels(doc):
    if doc["kind"] == "CronJob":
        return doc["spec"]["jobTemplate"]["spec"]["template"]["metadata"]["labels"]
    return doc["spec"]["template"]["metadata"]["labels"]


def workloads(overlay):
    return [doc for doc in rendered(overlay) if doc["kind"] in ("Deployment", "StatefulSet", "Job", "CronJob")]


@pytest.fixture(scope="module", params=["prod", "dev"])
def overlay(request):
    return request.param


# --- the tools ------------------------------------------------------------------------------------

# kubernetes-validate's own validate(), run in .venv-tools; its schema loader re-reads the large
# definitions file for every resource, so it is memoised here (the same schemas, read once)
VALIDATE = """
import functools, json, sys, yaml
import kubernetes_validate.utils as kv
kv.schema_contents = functools.lru_cache(maxsize=None)(kv.schema_contents)
failures, count = [], 0
for version in sys.argv[2:]:
    for doc in yaml.safe_load_all(open(sys.argv[1])):
        if not doc:
            continue
        count += 1
        try:
            kv.validate(doc, version, strict=True)
        except Exception as error:
            failures.append(f"{version} {doc['kind']}/{doc['metadata']['name']}: {error}")
print(json.dumps({"failures": failures, "count": count}))
"""


def test_both_overlays_validate_strictly_against_the_kubernetes_schemas(tmp_path, overlay):
    path = tmp_path / f"{overlay}.yaml"
    path.write_text(rendered_text(overlay))
    result = subprocess.run([tool("python"), "-c", VALIDATE, str(path), *KUBERNETES_VERSIONS],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["count"] == len(rendered(overlay)) * len(KUBERNETES_VERSIONS)
    assert not report["failures"], "\n".join(report["failures"])


def test_the_schema_validation_can_fail(tmp_path):
    broken = [doc for doc in rendered("prod") if doc["kind"] == "Deployment"][:1]
    broken[0]["spec"]["template"]["spec"]["containers"][0]["livenessProbe"]["httpGet"]["port"] = {"x": 1}
    broken[0]["spec"]["replicas"] = "two"
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump_all(broken))
    result = subprocess.run([tool("python"), "-c", VALIDATE, str(path), KUBERNETES_VERSIONS[0]],
                            capture_output=True, text=True, timeout=300)
    assert json.loads(result.stdout)["failures"]
    rendered.cache_clear()  # the documents above were changed in place


def justified_checks():
    """{check id: why} from the table "Checkov findings we accept" of deploy/k8s/README.md."""
    text = open(os.path.join(K8S, "README.md"), encoding="utf-8").read()
    section = text.split("### Checkov findings we accept", 1)[1]
    return {match.group(1): match.group(2) for match in re.finditer(r"^\| (CKV\w+) \|[^|]*\| (.+) \|$", section, re.M)}


def checkov_failures(directory):
    """Failed (check, resource) of both overlays, rendered into ``directory``: one checkov run."""
    for overlay in ("prod", "dev"):
        with open(os.path.join(directory, f"{overlay}.yaml"), "w", encoding="utf-8") as handle:
            handle.write(rendered_text(overlay))
    result = subprocess.run([tool("checkov"), "-d", directory, "--framework", "kubernetes", "--quiet", "--compact",
                             "-o", "json", "--skip-download"], capture_output=True, text=True, timeout=600)
    assert result.returncode in (0, 1), result.stderr
    reports = json.loads(result.stdout)
    reports = reports if isinstance(reports, list) else [reports]
    assert sum(report["summary"]["passed"] for report in reports) > 1000  # it really ran its checks
    return {(check["check_id"], check["resource"]) for report in reports
            for check in report["results"]["failed_checks"]}


def test_checkov_finds_nothing_that_the_readme_does_not_justify(tmp_path):
    justified = justified_checks()
    assert justified and all(len(why) > 40 for why in justified.values())
    failed = checkov_failures(str(tmp_path))
    assert {resource.split(".")[1] for _, resource in failed} == {"xjcloud", "xjcloud-dev"}  # both were read
    unjustified = sorted(f"{check} {resource}" for check, resource in failed if check not in justified)
    assert not unjustified, "\n".join(unjustified)
    stale = set(justified) - {check for check, _ in failed}
    assert not stale, f"justified in the README but no longer failing: {stale}"


# --- what every application workload has ------------------------------------------------------

def test_every_service_the_gateway_and_the_portal_have_a_deployment(overlay):
    assert set(APPS) <= set(of_kind(overlay, "Deployment"))


@pytest.mark.parametrize("name", APPS)
def test_each_deployment_has_probes_resources_and_a_locked_down_security_context(name):
    deployment = of_kind("prod", "Deployment")[name]
    spec = pod_spec(deployment)
    assert spec["automountServiceAccountToken"] is False
    assert spec["securityContext"]["runAsNonRoot"] is True and spec["securityContext"]["runAsUser"] >= 10000
    assert spec["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    for container in spec["containers"]:
        for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
            assert probe in container, (name, probe)
        for kind in ("requests", "limits"):
            assert {"cpu", "memory"} <= set(container["resources"][kind]), (name, kind)
        context = container["securityContext"]
        assert context["readOnlyRootFilesystem"] is True and context["allowPrivilegeEscalation"] is False
        assert context["capabilities"]["drop"] == ["ALL"]
        assert ":" in container["image"] and not container["image"].endswith(":latest")
    keys = {constraint["topologyKey"] for constraint in spec["topologySpreadConstraints"]}
    assert keys == {"topology.kubernetes.io/zone", "kubernetes.io/hostname"}
    assert deployment["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0


@pytest.mark.parametrize("name", SERVICES)
def test_a_nameko_service_is_probed_on_its_metrics_port_and_given_time_to_finish_its_workers(name):
    spec = pod_spec(of_kind("prod", "Deployment")[name])
    [container] = spec["containers"]
    assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "metrics"}
    assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "metrics"}
    assert {"name": "metrics", "containerPort": 9100} in container["ports"]
    assert spec["terminationGracePeriodSeconds"] >= 30  # > the 10 s RPC timeout of a running worker
    config = of_kind("prod", "ConfigMap")["xj-config"]["data"]
    assert config["METRICS_PORT"] == "9100" and config["METRICS_HOST"] == "0.0.0.0"
    annotations = of_kind("prod", "Deployment")[name]["spec"]["template"]["metadata"]["annotations"]
    assert annotations["prometheus.io/port"] == "9100" and annotations["prometheus.io/scrape"] == "true"


@pytest.mark.parametrize("name", ["gateway", "portal"])
def test_the_http_front_ends_stop_taking_traffic_before_they_stop(name):
    spec = pod_spec(of_kind("prod", "Deployment")[name])
    [container] = spec["containers"]
    sleep = container["lifecycle"]["preStop"]["sleep"]["seconds"]
    assert 0 < sleep < spec["terminationGracePeriodSeconds"]


def selects(selector, labels):
    if "matchLabels" in selector and any(labels.get(k) != v for k, v in selector["matchLabels"].items()):
        return False
    for expression in selector.get("matchExpressions", []):
        value = labels.get(expression["key"])
        if expression["operator"] == "In" and value not in expression["values"]:
            return False
        if expression["operator"] == "NotIn" and value in expression["values"]:
            return False
    return True


def test_every_workload_of_more_than_one_replica_has_a_disruption_budget():
    budgets = of_kind("prod", "PodDisruptionBudget").values()
    for doc in workloads("prod"):
        if doc["kind"] in ("Deployment", "StatefulSet") and doc["spec"].get("replicas", 1) > 1:
            labels = pod_labels(doc)
            assert any(selects(b["spec"]["selector"], labels) for b in budgets), doc["metadata"]["name"]


def test_every_deployment_has_an_hpa_in_prod_and_the_readme_says_which_signal_and_why():
    hpas = of_kind("prod", "HorizontalPodAutoscaler")
    readme = open(os.path.join(K8S, "README.md"), encoding="utf-8").read()
    for name in APPS:
        hpa = hpas[name]
        assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": name}
        assert hpa["spec"]["minReplicas"] >= 2 and hpa["spec"]["maxReplicas"] > hpa["spec"]["minReplicas"]
        types = {metric["type"] for metric in hpa["spec"]["metrics"]}
        assert "Resource" in types
        if "External" in types:
            [external] = [m["external"] for m in hpa["spec"]["metrics"] if m["type"] == "External"]
            assert external["metric"] == {"name": "xj_service_queue_messages_ready",
                                          "selector": {"matchLabels": {"service": name}}}
        row = re.search(rf"^\| {name} \| (.+)$", readme, re.M)
        assert row, f"the README's scaling table has no row for {name}"
        replicas, signal, why = [cell.strip() for cell in row.group(1).strip(" |").split("|")]
        assert replicas == f"{hpa['spec']['minReplicas']}–{hpa['spec']['maxReplicas']}", name
        assert ("queue" in signal) == ("External" in types) and len(why) > 20, name
    assert not of_kind("dev", "HorizontalPodAutoscaler")
    # the queue-depth services scale on what prometheus-adapter provides
    adapter = open(os.path.join(ROOT, "deploy", "monitoring", "prometheus-adapter.yaml"), encoding="utf-8").read()
    assert "xj_service_queue_messages_ready" in adapter


def test_mongodb_is_a_replica_set_and_rabbitmq_a_cluster_of_three_in_prod_one_in_dev():
    for overlay, replicas in (("prod", 3), ("dev", 1)):
        sets = of_kind(overlay, "StatefulSet")
        assert sets["mongo"]["spec"]["replicas"] == replicas and sets["rabbitmq"]["spec"]["replicas"] == replicas
        assert "--replSet" in pod_spec(sets["mongo"])["containers"][0]["args"]
        init = pod_spec(of_kind(overlay, "Job")["mongo-init"])["containers"][0]
        assert {"name": "MONGO_REPLICAS", "value": str(replicas)} in init["env"]
        conf = of_kind(overlay, "ConfigMap")["rabbitmq-config"]["data"]["rabbitmq.conf"]
        # peer discovery finds the nodes by their names in this overlay's namespace
        assert f".rabbitmq-headless.{NAMESPACES[overlay]}.svc.cluster.local" in conf


# --- secrets --------------------------------------------------------------------------------------

SECRETISH = re.compile(r"KEY|SECRET|PASSWORD|PASS$|URI$|URL$|COOKIE|TOKEN")


def secret_references(overlay):
    found = set()
    for doc in workloads(overlay):
        spec = pod_spec(doc)
        for container in spec.get("initContainers", []) + spec["containers"]:
            for variable in container.get("env", []):
                ref = (variable.get("valueFrom") or {}).get("secretKeyRef")
                if ref:
                    found.add((ref["name"], ref["key"]))
                else:
                    assert not (SECRETISH.search(variable["name"]) and "value" in variable
                                and variable["name"] not in ("XJ_GATEWAY_URL", "XJ_PUBLIC_BASE_URL")), \
                        f"{doc['metadata']['name']}: {variable['name']} has a value in the manifest"
        for volume in spec.get("volumes", []):
            if "secret" in volume:
                found.update((volume["secret"]["secretName"], item["key"]) for item in volume["secret"]["items"])
    return found


def test_prod_defines_no_secret_and_make_secrets_makes_exactly_the_ones_referenced():
    assert not of_kind("prod", "Secret")
    result = subprocess.run([sys.executable, os.path.join(K8S, "make-secrets.py"), "--namespace", "xjcloud"],
                            capture_output=True, text=True, timeout=60,
                            env={**os.environ, "WECHAT_APPID": "wx0123456789abcdef", "WECHAT_SECRET": "s" * 32})
    assert result.returncode == 0, result.stderr
    made = [doc for doc in yaml.safe_load_all(result.stdout) if doc]
    provided = {(doc["metadata"]["name"], key) for doc in made for key in doc["stringData"]}
    referenced = secret_references("prod") - {("xj-tls", "tls.crt"), ("xj-tls", "tls.key")}
    assert referenced == provided
    identity = next(doc for doc in made if doc["metadata"]["name"] == "xj-identity")["stringData"]
    assert len(bytes.fromhex(identity["XJ_ID_KEY"])) >= 32
    again = subprocess.run([sys.executable, os.path.join(K8S, "make-secrets.py")], capture_output=True, text=True,
                           env={**os.environ, "WECHAT_APPID": "wx0123456789abcdef", "WECHAT_SECRET": "s" * 32})
    assert again.stdout != result.stdout  # fresh random values every time


def test_make_secrets_output_is_valid_kubernetes(tmp_path):
    result = subprocess.run([sys.executable, os.path.join(K8S, "make-secrets.py")], capture_output=True, text=True,
                            env={**os.environ, "WECHAT_APPID": "wx0123456789abcdef", "WECHAT_SECRET": "s" * 32})
    (tmp_path / "secrets.yaml").write_text(result.stdout)
    check = subprocess.run([tool("kubernetes-validate"), "--strict", "--quiet", "-k", KUBERNETES_VERSIONS[0],
                            str(tmp_path / "secrets.yaml")], capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr


def test_make_secrets_refuses_to_run_without_the_wechat_credentials():
    env = {key: value for key, value in os.environ.items() if not key.startswith("WECHAT_")}
    result = subprocess.run([sys.executable, os.path.join(K8S, "make-secrets.py")], capture_output=True,
                            text=True, env=env)
    assert result.returncode == 2 and "WECHAT_APPID" in result.stderr


def test_dev_secrets_are_generated_only_in_dev_and_hold_the_keys_prod_refuses():
    secrets = of_kind("dev", "Secret")
    assert {name.rsplit("-", 1)[0] for name in secrets} >= {"xj-amqp", "xj-identity", "xj-gateway", "xj-mongo"}
    referenced = {name for name, _ in secret_references("dev")} - {"xj-tls"}
    assert referenced <= set(secrets)  # kustomize rewrote every reference to the generated name
    import base64
    from gateway.auth import DEV_TOKEN_KEY
    from xjkit.idvault import DEV_ID_KEY
    identity = next(doc for name, doc in secrets.items() if name.startswith("xj-identity-") and "mongo" not in name)
    gateway = next(doc for name, doc in secrets.items() if name.startswith("xj-gateway-"))
    assert base64.b64decode(identity["data"]["XJ_ID_KEY"]) == DEV_ID_KEY
    assert base64.b64decode(gateway["data"]["XJ_TOKEN_KEY"]).decode() == DEV_TOKEN_KEY


def test_each_service_uses_its_own_database_user_that_can_only_use_its_own_database():
    for name in SERVICES:
        [container] = pod_spec(of_kind("prod", "Deployment")[name])["containers"]
        mongo = next(v for v in container["env"] if v["name"] == "MONGO_URI")
        assert mongo["valueFrom"]["secretKeyRef"] == {"name": f"xj-{name}-mongo", "key": "MONGO_URI"}
    script = of_kind("prod", "ConfigMap")["mongo-init"]["data"]["init.js"]
    assert '[{role: "readWrite", db: database}]' in script and 'const database = "xj_" + service;' in script


# --- who can reach whom ---------------------------------------------------------------------------

class Peer:
    def __init__(self, name, namespace, labels, ip):
        self.name, self.namespace, self.labels, self.ip = name, namespace, labels, ipaddress.ip_address(ip)


def peers(overlay):
    namespace = NAMESPACES[overlay]
    found = {}
    for index, doc in enumerate(workloads(overlay)):
        found[doc["metadata"]["name"]] = Peer(doc["metadata"]["name"], namespace, pod_labels(doc), f"10.1.0.{index + 1}")
    found["ingress-controller"] = Peer("ingress-controller", "ingress-nginx", {"app": "ingress-nginx"}, "10.2.0.1")
    found["prometheus"] = Peer("prometheus", "monitoring", {"app": "prometheus"}, "10.2.0.2")
    found["kube-dns"] = Peer("kube-dns", "kube-system", {"k8s-app": "kube-dns"}, "10.2.0.3")
    found["other-namespace"] = Peer("other-namespace", "default", {"app": "x"}, "10.2.0.4")
    found["internet"] = Peer("internet", None, {}, "203.0.113.10")
    return found


def peer_matches(rule_peer, peer, policy_namespace):
    if "ipBlock" in rule_peer:
        block = rule_peer["ipBlock"]
        return peer.namespace is None and peer.ip in ipaddress.ip_network(block["cidr"]) and not any(
            peer.ip in ipaddress.ip_network(excluded) for excluded in block.get("except", []))
    if peer.namespace is None:
        return False
    if "namespaceSelector" in rule_peer:
        if not selects(rule_peer["namespaceSelector"], {"kubernetes.io/metadata.name": peer.namespace}):
            return False
    elif peer.namespace != policy_namespace:
        return False
    return "podSelector" not in rule_peer or selects(rule_peer["podSelector"], peer.labels)


def port_matches(rule, port):
    if "ports" not in rule:
        return True
    return any(p.get("protocol", "TCP") == "TCP" and p["port"] <= port <= p.get("endPort", p["port"])
               for p in rule["ports"])


def allowed(policies, namespace, subject, other, port, direction):
    """Whether the NetworkPolicies of ``namespace`` let ``subject`` send (Egress) to / receive
    (Ingress) from ``other`` on TCP ``port``; pods no policy of that direction selects are open."""
    if subject.namespace != namespace:
        return True  # not governed by our policies
    relevant = [p for p in policies if direction in p["spec"].get("policyTypes", [])
                and selects(p["spec"]["podSelector"], subject.labels)]
    if not relevant:
        return True
    key, side = ("egress", "to") if direction == "Egress" else ("ingress", "from")
    return any(port_matches(rule, port) and (side not in rule or any(
        peer_matches(r, other, namespace) for r in rule[side]))
        for policy in relevant for rule in policy["spec"].get(key) or [])


def reachable(overlay, source, target, port):
    policies = list(of_kind(overlay, "NetworkPolicy").values())
    namespace = NAMESPACES[overlay]
    every = peers(overlay)
    a, b = every[source], every[target]
    return allowed(policies, namespace, a, b, port, "Egress") and allowed(policies, namespace, b, a, port, "Ingress")


DATA = {"mongo": 27017, "rabbitmq": 5672, "redis": 6379}


def test_from_outside_the_cluster_only_the_gateway_and_the_portal_are_reachable(overlay):
    every = peers(overlay)
    for target, peer in every.items():
        if peer.namespace != NAMESPACES[overlay]:
            continue
        for port in (8000, 8080, 9100, 27017, 5672, 15672, 6379, 8900):
            expected = (target, port) in {("gateway", 8000), ("portal", 8080)}
            assert reachable(overlay, "ingress-controller", target, port) is expected, (target, port)
            assert not reachable(overlay, "internet", target, port), (target, port)
            assert not reachable(overlay, "other-namespace", target, port), (target, port)


# publicity-svc bumps the public cache's version in Redis after every change of the public list
REDIS_WRITERS = {"publicity"}


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_reaches_only_the_broker_the_store_dns_and_the_outside_system_it_calls(overlay, service):
    assert reachable(overlay, service, "rabbitmq", 5672) and reachable(overlay, service, "mongo", 27017)
    assert reachable(overlay, service, "kube-dns", 53)
    assert reachable(overlay, service, "redis", 6379) is (service in REDIS_WRITERS)
    for other in (*APPS, "redis"):
        if other != service:
            for port in (8000, 8080, 9100, 6379):
                if (other, port) == ("redis", 6379) and service in REDIS_WRITERS:
                    continue
                assert not reachable(overlay, service, other, port), (other, port)
    assert reachable(overlay, service, "internet", 443) is (service in OUTSIDE_CALLERS)
    assert not reachable(overlay, service, "internet", 80)
    assert not reachable(overlay, service, "other-namespace", 443)  # private ranges are excluded
    if overlay == "dev":
        assert reachable(overlay, service, "stubs", 8900)


def test_the_gateway_reaches_the_broker_and_redis_but_no_store_and_the_portal_only_the_gateway(overlay):
    assert reachable(overlay, "gateway", "rabbitmq", 5672) and reachable(overlay, "gateway", "redis", 6379)
    assert not reachable(overlay, "gateway", "mongo", 27017)
    assert not reachable(overlay, "gateway", "internet", 443)
    assert reachable(overlay, "portal", "gateway", 8000)
    for target, port in (("rabbitmq", 5672), ("mongo", 27017), ("redis", 6379), ("internet", 443)):
        assert not reachable(overlay, "portal", target, port), target


def test_the_data_stores_accept_only_their_clients(overlay):
    every = peers(overlay)
    for store, port in DATA.items():
        for source in every:
            if source in (store, "prometheus"):
                continue
            expected = {"mongo": set(SERVICES) | {"mongo-init", "mongo-backup"},
                        "rabbitmq": set(SERVICES) | {"gateway"}, "redis": {"gateway"} | REDIS_WRITERS}[store]
            assert reachable(overlay, source, store, port) is (source in expected), (source, store)


def test_prometheus_reaches_every_metrics_port(overlay):
    for service in SERVICES:
        assert reachable(overlay, "prometheus", service, 9100)
    assert reachable(overlay, "prometheus", "gateway", 8000) and reachable(overlay, "prometheus", "rabbitmq", 15692)


def test_the_ingress_never_routes_metrics_or_health_endpoints():
    [ingress] = of_kind("prod", "Ingress").values()
    paths = [path["path"] for rule in ingress["spec"]["rules"] for path in rule["http"]["paths"]]
    assert "/portal" in paths and "/api" in paths and "/public" in paths
    for hidden in ("/metrics", "/healthz", "/readyz", "/"):
        assert hidden not in paths
    assert ingress["spec"]["tls"][0]["secretName"] == "xj-tls"
