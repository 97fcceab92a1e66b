"""The domain and the service layer of every service import no framework and no driver.

Each module is imported in a fresh interpreter (an import inside this test process would see
whatever pytest and the other tests loaded); then no module of pymongo, bson, nameko, eventlet,
flask or requests may be loaded. A use case that needs a store error catches xjkit.errors', never
pymongo's.
"""
import json
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]
SERVICES = ("identity-svc", "employment-svc", "cert-svc", "filing-svc", "publicity-svc")
LAYERS = ("domain", "service_layer")
FORBIDDEN = ("pymongo", "bson", "nameko", "eventlet", "flask", "requests")

PROBE = """
import importlib, json, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
loaded = sorted({module.split(".")[0] for module in sys.modules})
print(json.dumps(loaded))
"""


def layer_modules():
    for folder in SERVICES:
        source = ROOT / folder
        packages = [path.parent for path in source.glob("*/__init__.py") if path.parent.name != "tests"]
        for package in packages:
            for layer in LAYERS:
                for path in sorted((package / layer).rglob("*.py")):
                    relative = path.relative_to(source).with_suffix("")
                    parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
                    yield folder, ".".join(parts)


MODULES = sorted(set(layer_modules()))


def test_every_service_has_a_domain_and_a_service_layer_to_check():
    services_seen = {folder for folder, _ in MODULES}
    assert services_seen == set(SERVICES)
    assert len(MODULES) > 40


@pytest.mark.parametrize("folder", SERVICES)
def test_the_domain_and_service_layer_load_no_framework_or_driver(folder):
    names = [name for owner, name in MODULES if owner == folder]
    result = subprocess.run([sys.executable, "-c", PROBE, *names], capture_output=True, text=True, timeout=120,
                            cwd=ROOT / folder)
    assert result.returncode == 0, result.stderr
    loaded = set(json.loads(result.stdout))
    assert sorted(loaded & set(FORBIDDEN)) == []
