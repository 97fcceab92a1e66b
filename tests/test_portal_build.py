"""The portal's typed API client matches the gateway's OpenAPI document, and its pure TypeScript
logic (amounts, ID numbers, dates, DER, the software certificate's signatures…) passes its vitest
unit tests. Both need the portal's node packages (`make install-portal`)."""
import os
import subprocess
import sys

import pytest

from .conftest import ROOT

PORTAL = os.path.join(ROOT, "portal")


def node_packages():
    if not os.path.exists(os.path.join(PORTAL, "node_modules", ".bin", "vitest")):
        pytest.fail("the portal's node packages are missing: run `make install-portal` (make test does it)")


def test_the_generated_api_types_match_the_gateways_openapi_document():
    node_packages()
    result = subprocess.run(["node", "scripts/gen-api-types.mjs", "--check"], cwd=PORTAL, capture_output=True,
                            text=True, timeout=180, env={**os.environ, "XJ_PYTHON": sys.executable})
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_portals_unit_tests_pass():
    node_packages()
    result = subprocess.run([os.path.join(PORTAL, "node_modules", ".bin", "vitest"), "run", "--reporter=dot"],
                            cwd=PORTAL, capture_output=True, text=True, timeout=300,
                            env={**os.environ, "NO_COLOR": "1", "CI": "1"})
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-4000:]
