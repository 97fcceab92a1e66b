"""The enterprise portal (portal/) in a real browser: Playwright (portal/e2e/) drives Debian's Chromium
against the whole platform started as `make run` starts it, on a business clock frozen at
2026-11-25, then restarts it on the same data on 21 December for the extension.

Covered there: CA login through the helper stub and the software certificate (RSA, SM2) and every
error case of "CA无法登录解决办法"; hiring (the person accepts through the API with a face ticket);
first filing; personnel filing; each change; the records; the booklet; the cost project; the
extension; 422s and rejections on their fields; a real 503; session expiry without losing input;
axe-core on every screen. Screenshots land in test-artifacts/portal/.
"""
import datetime
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time

import pytest

from xjdevca import issue, revoke

from .conftest import ROOT, create_vhost

pytestmark = pytest.mark.e2e

PORTAL = os.path.join(ROOT, "portal")
PLAYWRIGHT = os.path.join(PORTAL, "node_modules", ".bin", "playwright")
DECEMBER = "2026-12-21T10:00:00"
PLAYWRIGHT_TIMEOUT_SECONDS = 900


def error_case_certificates(data_dir):
    """An expired certificate and a revoked one, issued by the platform's dev CA (the revocation
    lands on its CRL, which identity-svc reloads)."""
    devca = os.path.join(data_dir, "devca")
    out = os.path.join(data_dir, "e2e-certs")
    expired = issue(devca, name="甘肃秦川勘察研究院有限公司", uscc="91620100604230413K", algorithm="rsa",
                    out=os.path.join(out, "expired"), days=30,
                    not_before=datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc))
    revoked = issue(devca, name="陕西华西建设监理咨询有限公司", uscc="91610100859574891U", algorithm="sm2",
                    out=os.path.join(out, "revoked"), days=3650,
                    not_before=datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc))
    revoke(devca, revoked.cert_path)
    return {name: {"cert": str(issued.cert_path), "key": str(issued.key_path), "uscc": issued.uscc}
            for name, issued in (("expired", expired), ("revoked", revoked))}


def run_playwright(platform, certificates, artifacts_dir, *args):
    env = {
        **os.environ,
        "XJ_GATEWAY_URL": platform.url,
        "XJ_STUBS_URL": platform.stubs_url,
        "XJ_CA_HELPER_URL": platform.ca_helper_url,
        "XJ_E2E_DATA_DIR": platform.data_dir,
        "XJ_E2E_CERTS": json.dumps(certificates),
        "XJ_ARTIFACTS_DIR": artifacts_dir,
        "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1",
        "CI": "1",
    }
    started = time.monotonic()
    # a process group of its own: whatever ends this test (a failure, a timeout) also ends Chromium
    process = subprocess.Popen([PLAYWRIGHT, "test", *args], cwd=PORTAL, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        output, _ = process.communicate(timeout=PLAYWRIGHT_TIMEOUT_SECONDS)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    print(f"playwright {' '.join(args)}: {time.monotonic() - started:.0f} s\n{output[-4000:]}")
    if process.returncode != 0:
        pytest.fail(f"Playwright failed ({' '.join(args)}):\n{output[-20000:]}", pytrace=False)
    return output


@pytest.mark.timeout(2 * PLAYWRIGHT_TIMEOUT_SECONDS + 300)  # two platforms and two Playwright runs
def test_the_portal_in_a_browser_from_the_ca_login_to_the_december_extension(platform_factory, artifacts_dir):
    if not os.path.isfile(os.path.join(PORTAL, "dist", "index.html")):
        pytest.fail("the portal is not built: run `make build-portal` (make test does it)")
    if not os.path.exists(PLAYWRIGHT):
        pytest.fail("the portal's node packages are missing: run `make install-portal` (make test does it)")
    shutil.rmtree(os.path.join(artifacts_dir, "portal"), ignore_errors=True)
    data_dir = tempfile.mkdtemp(prefix="xj-portal-")
    vhost = create_vhost()

    november = platform_factory(data_dir=data_dir, vhost=vhost)
    certificates = error_case_certificates(data_dir)
    run_playwright(november, certificates, artifacts_dir, "--grep-invert", "@december")
    assert november.stop() == 0

    december = platform_factory(data_dir=data_dir, vhost=vhost, extra_env={"XJ_FAKE_NOW": DECEMBER})
    run_playwright(december, certificates, artifacts_dir, "--grep", "@december")

    shots = sorted(name for name in os.listdir(os.path.join(artifacts_dir, "portal")) if name.endswith(".png"))
    assert len(shots) >= 45, shots
