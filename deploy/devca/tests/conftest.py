"""Fixtures for the dev CA tool's tests."""
import shutil
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

DEVCA_DIR = Path(__file__).resolve().parents[1]
if str(DEVCA_DIR) not in sys.path:  # these sources, installed (`make install`) or not
    sys.path.insert(0, str(DEVCA_DIR))

import xjdevca  # noqa: E402

OPENSSL = shutil.which("openssl")


def _openssl_has_sm2() -> bool:
    if OPENSSL is None:
        return False
    probe = subprocess.run([OPENSSL, "genpkey", "-algorithm", "SM2"], capture_output=True)
    return probe.returncode == 0


OPENSSL_SM2 = _openssl_has_sm2()


@pytest.fixture(scope="session")
def ca(tmp_path_factory):
    """A dev CA shared by the tests that do not change its roots."""
    return xjdevca.init_ca(tmp_path_factory.mktemp("dev-ca"))


@pytest.fixture
def fresh_ca(tmp_path):
    return xjdevca.init_ca(tmp_path / "ca")


@pytest.fixture
def openssl():
    """openssl(*args, cwd=None) -> CompletedProcess (not checked); skips without SM2-capable openssl."""
    if not OPENSSL_SM2:
        pytest.skip("needs an openssl command with SM2 (OpenSSL >= 1.1.1)")

    def _run(*args, cwd=None, input=None):
        return subprocess.run([OPENSSL, *map(str, args)], cwd=cwd, capture_output=True, input=input)

    return _run


@pytest.fixture
def now():
    return datetime.now(timezone.utc).replace(microsecond=0)
