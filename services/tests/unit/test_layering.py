"""House rule: ``domain/`` and ``service_layer/`` import no framework or driver. Proven in a clean
interpreter, which imports every such module of the five services and then looks at what got
loaded."""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
PACKAGES = {"identity-svc": "identity", "employment-svc": "employment", "cert-svc": "certs",
            "filing-svc": "filing", "publicity-svc": "publicity"}
FORBIDDEN = ("pymongo", "bson", "nameko", "eventlet", "flask", "requests", "kombu", "amqp")


def layer_modules():
    modules = []
    for folder, package in PACKAGES.items():
        for layer in ("domain", "service_layer"):
            directory = os.path.join(ROOT, folder, package, layer)
            for name in sorted(os.listdir(directory)):
                if name.endswith(".py"):
                    modules.append(f"{package}.{layer}" + ("" if name == "__init__.py" else f".{name[:-3]}"))
    return modules


def test_no_domain_or_service_layer_module_loads_a_framework_or_driver():
    modules = layer_modules()
    assert len(modules) > 20
    script = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({FORBIDDEN!r}))))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": ""})
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
