"""docker-compose.yml, its development override and the images' Dockerfiles, checked without an engine.

`docker-compose config` (Debian's docker-compose 1.29.2, installed by `make install`) validates and
renders the file; the rules below are asserted on what it rendered, so they hold for what compose
would really run. Each compose call gets a clean environment: the developer's shell (or pytest's
XJ_ENV=test) must not leak into the rendering.
"""
import http.server
import json
import os
import re
import subprocess
import sys
import threading

import pytest
import yaml

from .helpers import required_command

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COMPOSE_FILE = os.path.join(ROOT, "docker-compose.yml")
DEV_ENV = "deploy/compose/dev.env"
DEV_OVERRIDE = "deploy/compose/docker-compose.dev.yml"
HEALTHCHECK_SCRIPT = os.path.join(ROOT, "deploy", "docker", "healthcheck.py")

# compose service name -> (folder, module given to `nameko run`)
SERVICES = {
    "identity": ("identity-svc", "identity.service:IdentityService"),
    "employment": ("employment-svc", "employment.service:EmploymentService"),
    "cert": ("cert-svc", "certs.service:CertService"),
    "filing": ("filing-svc", "filing.service:FilingService"),
    "publicity": ("publicity-svc", "publicity.service:PublicityService"),
}
APP_SERVICES = (*SERVICES, "gateway")
BROKER_USERS = ("identity", "employment", "cert", "filing", "publicity", "gateway")
REQUIRED_SECRETS = ("XJ_ID_KEY", "XJ_TOKEN_KEY", "XJ_RPC_KEY", "WECHAT_APPID", "WECHAT_SECRET", "RABBITMQ_ADMIN_PASS",
                    "XJ_REDIS_PASSWORD", *(f"XJ_BROKER_PASS_{user.upper()}" for user in BROKER_USERS))
PROD_SECRETS = {
    "XJ_ID_KEY": "9f" * 32,
    "XJ_TOKEN_KEY": "a-production-token-key-of-at-least-32-characters",
    "XJ_RPC_KEY": "a-production-rpc-key-of-at-least-32-characters",
    "WECHAT_APPID": "wx0123456789abcdef",
    "WECHAT_SECRET": "a-production-wechat-secret",
    "RABBITMQ_ADMIN_PASS": "a-production-rabbitmq-admin-password",
    "XJ_REDIS_PASSWORD": "a-production-redis-password",
    **{f"XJ_BROKER_PASS_{user.upper()}": f"a-production-broker-password-of-{user}" for user in BROKER_USERS},
}
BROKER_AND_STORE_PORTS = {27017, 5672, 15672}
DEV_CMD = ["--env-file", DEV_ENV, "-f", "docker-compose.yml", "-f", DEV_OVERRIDE, "--profile", "dev"]


def docker_compose():
    return required_command("docker-compose", "docker-compose is not installed: run `make install` "
                            "(deploy/scripts/install-system.sh installs Debian's docker-compose, which validates "
                            "the compose file without an engine)")


def compose(*args, **env):
    """`docker-compose <args>` from the repository root with only PATH/HOME/LANG and `env` set."""
    clean = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    clean.update(env)
    return subprocess.run([docker_compose(), *args], cwd=ROOT, env=clean, capture_output=True,
                          text=True, timeout=120)


def render(*args, **env):
    result = compose(*args, "config", **env)
    assert result.returncode == 0, f"docker-compose config failed:\n{result.stderr}"
    return yaml.safe_load(result.stdout)


@pytest.fixture(scope="module")
def dev_config():
    return render(*DEV_CMD)


@pytest.fixture(scope="module")
def prod_config():
    return render(**PROD_SECRETS)


@pytest.fixture(scope="module", params=["prod", "dev"])
def any_config(request, prod_config, dev_config):
    return prod_config if request.param == "prod" else dev_config


def published_ports(service):
    """(host_ip, published, target) for each port a rendered service publishes to the host."""
    found = []
    for port in service.get("ports", []):
        if isinstance(port, dict):
            found.append((port.get("host_ip", ""), str(port.get("published", "")), int(port["target"])))
            continue
        parts = str(port).split("/")[0].split(":")
        if len(parts) == 3:
            found.append((parts[0], parts[1], int(parts[2])))
        elif len(parts) == 2:
            found.append(("", parts[0], int(parts[1])))
        else:
            found.append(("", "", int(parts[0])))  # container port only: a random host port
    return found


def dockerfile_text(config, name):
    build = config["services"][name]["build"]
    return open(os.path.join(build["context"], build["dockerfile"]), encoding="utf-8").read()


def instructions(text):
    """Dockerfile instructions with continuation lines joined and comments dropped."""
    joined = re.sub(r"\\\n", " ", "\n".join(line for line in text.splitlines()
                                             if not line.lstrip().startswith("#")))
    return [line.strip() for line in joined.splitlines() if line.strip()]


def exec_form(instruction, keyword):
    """The JSON array of a CMD / HEALTHCHECK ... CMD instruction."""
    match = re.search(keyword + r"\s+(\[.*\])\s*$", instruction)
    assert match, f"not in exec form: {instruction}"
    return yaml.safe_load(match.group(1))


# --- validation -------------------------------------------------------------------------------

def test_dev_config_validates_with_dev_env_file_override_and_profile():
    result = compose(*DEV_CMD, "config", "-q")
    assert result.returncode == 0, result.stderr


def test_dev_env_file_alone_selects_the_dev_override_and_profile():
    # dev.env sets COMPOSE_FILE and COMPOSE_PROFILES, so the short form renders the same thing
    assert render("--env-file", DEV_ENV) == render(*DEV_CMD)


def test_prod_config_validates_when_the_secrets_come_from_the_environment(prod_config):
    identity = prod_config["services"]["identity"]["environment"]
    assert identity["XJ_ID_KEY"] == PROD_SECRETS["XJ_ID_KEY"]
    assert prod_config["services"]["gateway"]["environment"]["XJ_TOKEN_KEY"] == PROD_SECRETS["XJ_TOKEN_KEY"]


def test_config_without_any_secret_fails_and_names_the_missing_variable():
    result = compose("config", "-q")
    assert result.returncode != 0
    assert any(name in result.stderr for name in REQUIRED_SECRETS), result.stderr


@pytest.mark.parametrize("missing", REQUIRED_SECRETS)
def test_config_without_a_required_secret_fails_naming_it(missing):
    env = {name: value for name, value in PROD_SECRETS.items() if name != missing}
    result = compose("config", "-q", **env)
    assert result.returncode != 0, f"compose rendered without {missing}"
    assert f"set {missing}" in result.stderr, result.stderr


@pytest.mark.parametrize("missing", REQUIRED_SECRETS)
def test_an_empty_required_secret_is_refused_like_a_missing_one(missing):
    result = compose("config", "-q", **{**PROD_SECRETS, missing: ""})
    assert result.returncode != 0
    assert f"set {missing}" in result.stderr, result.stderr


def test_xj_env_defaults_to_prod_and_wechat_to_the_real_api(prod_config):
    services = prod_config["services"]
    for name in (*APP_SERVICES, "stubs"):
        assert services[name]["environment"]["XJ_ENV"] == "prod", name
    assert services["identity"]["environment"]["WECHAT_API_BASE"] == "https://api.weixin.qq.com"


def test_dev_env_runs_in_dev_against_the_stubs(dev_config):
    services = dev_config["services"]
    for name in (*APP_SERVICES, "stubs"):
        assert services[name]["environment"]["XJ_ENV"] == "dev", name
    assert services["identity"]["environment"]["WECHAT_API_BASE"] == "http://stubs:8900"
    for name in ("identity", "cert", "filing"):
        assert services[name]["depends_on"]["stubs"] == {"condition": "service_healthy"}, name


def test_optional_settings_left_unset_are_not_passed_so_config_yml_defaults_apply(prod_config):
    # an empty string would replace the service's own default (nameko's ${VAR:default} only
    # falls back when the variable is absent)
    for name in APP_SERVICES:
        for variable, value in prod_config["services"][name]["environment"].items():
            assert value != "", f"{name}: {variable} is passed as an empty string"


def test_dev_env_gives_identity_the_dev_ca_inside_its_mount(dev_config):
    identity = dev_config["services"]["identity"]
    mount = next(volume for volume in identity["volumes"] if volume.split(":")[1] == "/etc/xj/ca")
    assert mount.split(":")[0] == os.path.join(ROOT, "var", "devca") and mount.endswith(":ro")
    assert identity["environment"]["XJ_CA_ROOTS"].startswith("/etc/xj/ca/")
    assert all(path.startswith("/etc/xj/ca/") for path in identity["environment"]["XJ_CA_CRLS"].split(","))


def test_dev_env_keys_are_public_development_keys_that_prod_refuses():
    from gateway.auth import token_key_from_env
    from xjkit.idvault import vault_for_key

    values = dict(line.split("=", 1) for line in open(os.path.join(ROOT, DEV_ENV), encoding="utf-8")
                  .read().splitlines() if line.strip() and not line.startswith("#"))
    prod = {"XJ_ENV": "prod"}
    with pytest.raises(RuntimeError, match="development key"):
        vault_for_key(values["XJ_ID_KEY"], prod)
    with pytest.raises(RuntimeError, match="XJ_TOKEN_KEY"):
        token_key_from_env({**prod, "XJ_TOKEN_KEY": values["XJ_TOKEN_KEY"]})
    assert vault_for_key(values["XJ_ID_KEY"], {"XJ_ENV": "dev"})  # and dev accepts them


# --- the rendered rules -----------------------------------------------------------------------

def test_every_service_and_the_gateway_has_a_healthcheck(any_config):
    for name in APP_SERVICES:
        healthcheck = any_config["services"][name].get("healthcheck")
        assert healthcheck and healthcheck.get("test") and not healthcheck.get("disable"), name
    for name in SERVICES:
        test = any_config["services"][name]["healthcheck"]["test"]
        assert test == ["CMD", "python", "/opt/xj/healthcheck.py", name], name
    assert any_config["services"]["gateway"]["healthcheck"]["test"][-1] == "http://127.0.0.1:8000/healthz"


def test_every_service_and_the_gateway_wait_for_healthy_broker_and_store_and_completed_mongo_init(any_config):
    for name in APP_SERVICES:
        depends_on = any_config["services"][name]["depends_on"]
        assert depends_on["rabbitmq"] == {"condition": "service_healthy"}, name
        assert depends_on["mongo"] == {"condition": "service_healthy"}, name
        assert depends_on["mongo-init"] == {"condition": "service_completed_successfully"}, name


def test_broker_and_store_have_healthchecks_for_the_services_to_wait_on(any_config):
    services = any_config["services"]
    assert services["rabbitmq"]["healthcheck"]["test"] == ["CMD", "rabbitmq-diagnostics", "-q", "ping"]
    assert "db.adminCommand('ping').ok" in services["mongo"]["healthcheck"]["test"]
    assert services["mongo-init"]["depends_on"]["mongo"] == {"condition": "service_healthy"}


def test_gateway_waits_for_every_service_to_be_healthy(any_config):
    depends_on = any_config["services"]["gateway"]["depends_on"]
    for name in SERVICES:
        assert depends_on.get(name) == {"condition": "service_healthy"}, name


def test_stubs_run_only_in_the_dev_profile_and_nothing_in_prod_needs_them(prod_config):
    services = prod_config["services"]
    assert services["stubs"]["profiles"] == ["dev"]
    for name, service in services.items():
        if name != "stubs":
            assert "profiles" not in service, f"{name} would not start by default"
            assert "stubs" not in service.get("depends_on", {}), f"{name} depends on the stubs in prod"


def test_mongo_runs_as_replica_set_rs0_and_services_connect_to_it(any_config):
    services = any_config["services"]
    command = services["mongo"]["command"]
    assert command[command.index("--replSet") + 1] == "rs0"
    assert "--bind_ip_all" in command
    assert services["mongo"]["image"] == "mongo:7"
    for name in SERVICES:
        assert services[name]["environment"]["MONGO_URI"] == "mongodb://mongo:27017/?replicaSet=rs0", name


def test_mongo_init_initiates_rs0_once_and_succeeds_when_already_initiated(any_config):
    init = any_config["services"]["mongo-init"]
    assert init["image"] == "mongo:7"
    assert init.get("restart") == "no", "a one-shot container must not be restarted"
    script = " ".join(init["command"])
    assert "rs.initiate({_id: 'rs0', members: [{_id: 0, host: 'mongo:27017'}]})" in script
    assert "NotYetInitialized" in script and "AlreadyInitialized" in script  # second run: no error
    assert "isWritablePrimary" in script  # exits only once a primary can take writes


def test_rabbitmq_is_3_13_with_management_and_a_stable_node_name_for_its_volume(any_config):
    rabbitmq = any_config["services"]["rabbitmq"]
    assert rabbitmq["image"] == "rabbitmq:3.13-management"
    assert rabbitmq["hostname"] == "rabbitmq"
    assert any(volume.startswith("rabbitmq-data:/var/lib/rabbitmq") for volume in rabbitmq["volumes"])


def test_each_service_reaches_the_broker_by_its_compose_name_as_a_user_of_its_own(prod_config):
    for name in APP_SERVICES:
        uri = prod_config["services"][name]["environment"]["AMQP_URI"]
        assert uri == f"pyamqp://{name}:a-production-broker-password-of-{name}@rabbitmq:5672/", name


def test_nobody_is_guest_on_the_broker_and_rabbitmq_init_makes_the_users_and_removes_guest(any_config):
    assert "guest" not in json.dumps(any_config["services"]["rabbitmq"]).lower()
    for name in APP_SERVICES:
        assert "guest" not in any_config["services"][name]["environment"]["AMQP_URI"]
        assert any_config["services"][name]["depends_on"]["rabbitmq-init"] == {
            "condition": "service_completed_successfully"}, name
    init = any_config["services"]["rabbitmq-init"]
    assert init["entrypoint"] == ["python", "/opt/xj/rabbitmq_users.py"]
    assert init["environment"]["XJ_BROKER_USERS"].split(",") == list(BROKER_USERS)
    assert init["environment"]["XJ_BROKER_REMOVE_GUEST"] == "1"
    assert init["depends_on"] == {"rabbitmq": {"condition": "service_healthy"}}


def test_the_services_sign_their_rpcs_and_the_gateway_counts_in_a_password_protected_redis(prod_config):
    services = prod_config["services"]
    for name in APP_SERVICES:  # the gateway too: the session checks answer it only
        assert services[name]["environment"]["XJ_RPC_KEY"] == PROD_SECRETS["XJ_RPC_KEY"], name
    assert services["gateway"]["environment"]["XJ_REDIS_URL"] == "redis://:a-production-redis-password@redis:6379/0"
    assert services["gateway"]["depends_on"]["redis"] == {"condition": "service_healthy"}
    assert "a-production-redis-password" in services["redis"]["command"]
    assert "healthcheck" in services["redis"] and "ports" not in services["redis"]


def test_no_service_publishes_mongodb_or_amqp_ports_in_prod(prod_config):
    for name, service in prod_config["services"].items():
        for host_ip, published, target in published_ports(service):
            assert target not in BROKER_AND_STORE_PORTS, f"{name} publishes {target}"
            assert published not in {str(port) for port in BROKER_AND_STORE_PORTS}, f"{name} publishes {published}"


def test_dev_override_publishes_mongodb_and_rabbitmq_on_loopback_only(dev_config):
    for name, service in dev_config["services"].items():
        for host_ip, published, target in published_ports(service):
            if target in BROKER_AND_STORE_PORTS:
                assert name in ("mongo", "rabbitmq"), f"{name} publishes {target}"
                assert host_ip == "127.0.0.1", f"{name} publishes {target} on every interface"


def test_only_the_gateway_the_portal_and_the_dev_stubs_publish_ports(any_config):
    publishing = {name for name, service in any_config["services"].items() if published_ports(service)}
    assert publishing - {"mongo", "rabbitmq"} <= {"gateway", "portal", "stubs"}
    assert published_ports(any_config["services"]["gateway"])[0][2] == 8000


def test_services_can_be_scaled_no_fixed_container_names_or_host_ports(any_config):
    for name in SERVICES:
        service = any_config["services"][name]
        assert "container_name" not in service, name
        assert not published_ports(service), name


def test_gateway_keeps_prometheus_samples_in_a_tmpfs(any_config):
    gateway = any_config["services"]["gateway"]
    directory = gateway["environment"]["PROMETHEUS_MULTIPROC_DIR"]
    assert directory in gateway["tmpfs"]


# --- the enterprise portal's web server ------------------------------------------------------

PORTAL_NGINX = os.path.join(ROOT, "portal", "deploy", "nginx.conf")
PORTAL_HEADERS = os.path.join(ROOT, "portal", "deploy", "security-headers.conf")


def test_portal_serves_on_8080_after_the_gateway_is_healthy_read_only_without_capabilities(any_config):
    portal = any_config["services"]["portal"]
    assert portal["build"]["dockerfile"] == "portal/Dockerfile"
    assert [target for _, _, target in published_ports(portal)] == [8080]
    assert portal["depends_on"] == {"gateway": {"condition": "service_healthy"}}
    assert portal["read_only"] is True and "/tmp" in portal["tmpfs"]
    assert portal["cap_drop"] == ["ALL"] and "no-new-privileges:true" in portal["security_opt"]
    assert portal["healthcheck"]["test"][-1] == "http://127.0.0.1:8080/portal/"
    assert "profiles" not in portal  # production runs it


def test_portal_dockerfile_builds_with_node_20_and_serves_the_build_with_unprivileged_nginx(dev_config):
    lines = instructions(dockerfile_text(dev_config, "portal"))
    stages = [line for line in lines if line.startswith("FROM ")]
    assert stages[0].startswith("FROM node:20-") and stages[0].endswith(" AS build")
    assert stages[-1].startswith("FROM nginxinc/nginx-unprivileged:")
    assert "RUN npm ci --loglevel=error" in lines and "RUN npm run build" in lines  # the lock file, the checks
    assert "COPY --from=build /src/portal/dist /usr/share/nginx/html/portal" in lines
    assert "COPY portal/deploy/nginx.conf /etc/nginx/conf.d/default.conf" in lines
    final = lines[lines.index(stages[-1]):]
    users = [line for line in final if line.startswith("USER ")]
    assert users and users[-1].split()[1] not in ("root", "0")
    healthcheck = [line for line in final if line.startswith("HEALTHCHECK ")]
    assert exec_form(healthcheck[0], "CMD")[-1] == "http://127.0.0.1:8080/portal/"


def test_portal_nginx_falls_back_to_the_app_and_proxies_the_api_to_the_gateway():
    conf = open(PORTAL_NGINX, encoding="utf-8").read()
    assert "listen 8080;" in conf
    assert "server gateway:8000;" in conf and "proxy_pass http://xj_gateway;" in conf
    assert re.search(r"location ~ \^/\(api/\|public/", conf), "the API and the public pages go to the gateway"
    assert "try_files $uri /portal/index.html;" in conf  # the app's routes
    assert "try_files $uri =404;" in conf  # a missing asset is not the app's page
    # the client's address replaces whatever X-Forwarded-For a client sent (the gateway trusts the first)
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in conf
    assert "client_max_body_size 11m;" in conf
    # every location that adds a header includes the security headers (nginx does not inherit them)
    for block in re.findall(r"location [^{]+\{[^}]*\}", conf):
        if "add_header" in block:
            assert "security-headers.conf" in block, block


def test_portal_pages_may_call_only_the_local_ca_helper_besides_their_own_origin():
    headers = open(PORTAL_HEADERS, encoding="utf-8").read()
    csp = re.search(r'Content-Security-Policy "([^"]+)"', headers).group(1)
    assert "connect-src 'self' http://127.0.0.1:21051 https://127.0.0.1:21061;" in csp
    assert "script-src 'self';" in csp and "frame-ancestors 'none'" in csp


def test_dockerignore_keeps_the_portals_node_modules_and_build_out_of_the_context():
    patterns = open(os.path.join(ROOT, ".dockerignore"), encoding="utf-8").read().splitlines()
    assert "portal/node_modules" in patterns and "portal/dist" in patterns


# --- Dockerfiles ------------------------------------------------------------------------------

def test_every_dockerfile_compose_builds_exists_with_the_repository_root_as_context(any_config):
    for name, service in any_config["services"].items():
        if "build" not in service:
            continue
        build = service["build"]
        assert os.path.realpath(build["context"]) == os.path.realpath(ROOT), name
        assert os.path.isfile(os.path.join(ROOT, build["dockerfile"])), f"{name}: {build['dockerfile']} is missing"
    built = {name for name, service in any_config["services"].items() if "build" in service}
    assert built == {*APP_SERVICES, "stubs", "portal"}


@pytest.mark.parametrize("name", list(SERVICES))
def test_each_service_is_built_from_the_one_service_recipe_with_its_folder_module_and_name(dev_config, name):
    folder, module = SERVICES[name]
    build = dev_config["services"][name]["build"]
    assert build["dockerfile"] == "deploy/docker/service.Dockerfile"
    assert build["args"] == {"FOLDER": folder, "SERVICE": name, "MODULE": module}
    assert os.path.isfile(os.path.join(ROOT, folder, "config.yml"))
    package, _, service_class = module.partition(":")
    assert f"class {service_class}" in open(os.path.join(ROOT, folder, *package.split(".")) + ".py",
                                            encoding="utf-8").read()


def test_the_service_recipe_runs_nameko_on_the_module_and_pings_the_service_it_was_built_for(dev_config):
    lines = instructions(dockerfile_text(dev_config, "identity"))
    assert {"ARG FOLDER", "ARG SERVICE", "ARG MODULE"} <= set(lines)
    assert any("XJ_SERVICE=${SERVICE}" in line and "XJ_SERVICE_MODULE=${MODULE}" in line
               for line in lines if line.startswith("ENV "))
    cmd = [line for line in lines if line.startswith("CMD ")]
    assert len(cmd) == 1 and exec_form(cmd[0], "CMD") == [
        "sh", "-c", 'exec nameko run --config config.yml "$XJ_SERVICE_MODULE"']
    assert "COPY ${FOLDER}/config.yml /opt/xj/service/config.yml" in lines
    assert "WORKDIR /opt/xj/service" in lines
    assert any(line.startswith("RUN ") and '"/src/services[nameko]"' in line and "/src/service" in line
               and "-c /src/constraints.txt" in line for line in lines)
    healthcheck = [line for line in lines if line.startswith("HEALTHCHECK ")]
    assert exec_form(healthcheck[0], "CMD") == ["sh", "-c", 'exec python /opt/xj/healthcheck.py "$XJ_SERVICE"']


def test_gateway_dockerfile_runs_gunicorn_on_all_interfaces_port_8000(dev_config):
    lines = instructions(dockerfile_text(dev_config, "gateway"))
    cmd = [line for line in lines if line.startswith("CMD ")]
    assert exec_form(cmd[0], "CMD") == ["gunicorn", "--config", "gunicorn.conf.py", "--bind", "0.0.0.0:8000",
                                        "gateway.app:create_app()"]
    assert any("PROMETHEUS_MULTIPROC_DIR=" in line for line in lines if line.startswith("ENV "))


@pytest.mark.parametrize("name", [*APP_SERVICES, "stubs"])
def test_every_image_is_slim_bookworm_non_root_in_shanghai_time_with_the_healthcheck_script(dev_config, name):
    lines = instructions(dockerfile_text(dev_config, name))
    assert [line for line in lines if line.startswith("FROM ")] == [
        "FROM python:3.11-slim-bookworm AS build", "FROM python:3.11-slim-bookworm"]
    final = lines[max(i for i, line in enumerate(lines) if line.startswith("FROM "))]
    final_stage = lines[lines.index(final):]
    env = " ".join(line for line in final_stage if line.startswith("ENV "))
    for setting in ("PYTHONDONTWRITEBYTECODE=1", "PYTHONUNBUFFERED=1", "TZ=Asia/Shanghai"):
        assert setting in env, f"{name}: {setting}"
    users = [line for line in final_stage if line.startswith("USER ")]
    assert users and users[-1].split()[1].split(":")[0] not in ("root", "0"), name
    assert "COPY deploy/docker/healthcheck.py /opt/xj/healthcheck.py" in final_stage, name


def test_images_default_to_prod_and_the_stubs_image_to_dev(dev_config):
    for name in APP_SERVICES:
        assert "XJ_ENV=prod" in dockerfile_text(dev_config, name), name
    assert "XJ_ENV=dev" in dockerfile_text(dev_config, "stubs")


def test_dockerignore_keeps_virtualenvs_data_and_caches_out_of_the_build_context():
    patterns = open(os.path.join(ROOT, ".dockerignore"), encoding="utf-8").read().splitlines()
    for pattern in (".venv", ".venv-store", "var", "test-artifacts", ".git", "**/__pycache__",
                    "**/*.egg-info", "bench/results"):
        assert pattern in patterns, pattern
    for kept in ("services", "constraints.txt", "deploy", *(folder for folder, _ in SERVICES.values()), "gateway"):
        assert kept not in patterns, kept


# --- the healthcheck script itself (stdlib HTTP mode; nameko mode without a broker) ------------

def run_healthcheck(*args, **env):
    return subprocess.run([sys.executable, HEALTHCHECK_SCRIPT, *args], capture_output=True, text=True,
                          timeout=60, env={**os.environ, **env})


@pytest.fixture
def http_server():
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200 if self.path == "/healthz" else 503)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_healthcheck_script_is_healthy_only_on_http_200(http_server):
    assert run_healthcheck(f"{http_server}/healthz").returncode == 0
    failed = run_healthcheck(f"{http_server}/readyz")
    assert failed.returncode == 1 and "503" in failed.stdout


def test_healthcheck_script_is_unhealthy_when_the_broker_is_unreachable():
    result = run_healthcheck("filing", AMQP_URI="pyamqp://guest:guest@127.0.0.1:1/", XJ_HEALTHCHECK_TIMEOUT="2")
    assert result.returncode == 1
    assert "unhealthy" in result.stdout and "filing" in result.stdout


def test_healthcheck_script_needs_a_target():
    assert run_healthcheck().returncode == 2
