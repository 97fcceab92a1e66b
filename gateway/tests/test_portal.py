"""The portal's runtime settings (GET /api/v1/portal/settings) and the built app served at /portal/."""
import datetime

import pytest

from xjkit.clock import SHANGHAI, FixedClock

from gateway.app import settings_from_env

INDEX = "<!doctype html><html><head><title>企业服务平台</title></head><body><div id=app></div></body></html>"


@pytest.fixture
def built(tmp_path, app):
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text(INDEX, encoding="utf-8")
    (tmp_path / "assets" / "index-3f2a1b.js").write_text("console.log(1)", encoding="utf-8")
    (tmp_path / "favicon.svg").write_text("<svg/>", encoding="utf-8")
    app.config["XJ_PORTAL_DIR"] = str(tmp_path)
    return tmp_path


@pytest.fixture
def frozen(app):
    app.config["XJ_BUSINESS_CLOCK"] = FixedClock(datetime.datetime(2026, 12, 21, 9, 0, tzinfo=SHANGHAI))


def test_the_gateways_business_clock_is_made_once_from_the_settings_and_xj_fake_now_moves_it():
    settings = settings_from_env({"XJ_ENV": "test", "XJ_FAKE_NOW": "2026-12-21T09:00:00", "XJ_TOKEN_KEY": "k" * 32})
    assert settings["XJ_BUSINESS_CLOCK"].today() == datetime.date(2026, 12, 21)


@pytest.mark.parametrize("env", ["dev", "test"])
def test_dev_and_test_allow_the_software_certificate_and_point_at_the_helper_stub(client, monkeypatch, env, frozen):
    monkeypatch.setenv("XJ_ENV", env)
    monkeypatch.setenv("XJ_CA_HELPER_URL", "http://127.0.0.1:45123/")
    response = client.get("/api/v1/portal/settings")
    assert response.status_code == 200
    assert response.get_json() == {"env": env, "today": "2026-12-21", "software_certificate": True,
                                   "ca_helper_urls": ["http://127.0.0.1:45123"]}
    assert response.headers["Cache-Control"] == "no-store"


def test_prod_refuses_the_software_certificate_and_uses_the_real_helpers_fixed_addresses(client, monkeypatch):
    monkeypatch.setenv("XJ_ENV", "prod")
    monkeypatch.setenv("XJ_CA_HELPER_URL", "http://evil.example:1")  # ignored outside dev/test
    body = client.get("/api/v1/portal/settings").get_json()
    assert body["env"] == "prod" and body["software_certificate"] is False
    assert body["ca_helper_urls"] == ["http://127.0.0.1:21051", "https://127.0.0.1:21061"]


def test_settings_are_public_and_documented_in_the_openapi_document(client):
    spec = client.get("/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/portal/settings"]["get"]
    assert "security" not in operation
    schema = spec["components"]["schemas"]["PortalSettings"]
    assert set(schema["properties"]) == {"env", "today", "software_certificate", "ca_helper_urls"}


def test_portal_root_redirects_to_the_slash(client, built):
    response = client.get("/portal")
    assert response.status_code == 308 and response.headers["Location"].endswith("/portal/")


@pytest.mark.parametrize("path", ["/portal/", "/portal/login", "/portal/filings/first/construction"])
def test_every_route_of_the_app_gets_index_html_uncached_with_a_strict_csp(client, built, path, monkeypatch):
    monkeypatch.setenv("XJ_ENV", "test")
    monkeypatch.setenv("XJ_CA_HELPER_URL", "http://127.0.0.1:45123")
    response = client.get(path)
    assert response.status_code == 200
    assert response.get_data(as_text=True) == INDEX
    assert response.headers["Cache-Control"] == "no-cache"
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "frame-ancestors 'none'" in csp
    assert "connect-src 'self' http://127.0.0.1:45123;" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_hashed_assets_are_cached_for_a_year_and_other_files_for_an_hour(client, built):
    asset = client.get("/portal/assets/index-3f2a1b.js")
    assert asset.status_code == 200 and asset.get_data(as_text=True) == "console.log(1)"
    assert asset.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "javascript" in asset.headers["Content-Type"]
    assert client.get("/portal/favicon.svg").headers["Cache-Control"] == "public, max-age=3600"


@pytest.mark.parametrize("path", ["/portal/assets/index-000000.js", "/portal/missing.png"])
def test_a_missing_file_is_a_404_not_the_apps_page(client, built, path):
    response = client.get(path)
    assert response.status_code == 404 and "<html" not in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/portal/../gateway/app.py", "/portal/%2e%2e/%2e%2e/etc/passwd",
                                  "/portal/assets/../../secret.txt"])
def test_nothing_outside_the_build_is_served(client, built, path):
    (built.parent / "secret.txt").write_text("secret", encoding="utf-8")
    response = client.get(path)
    assert "secret" not in response.get_data(as_text=True)
    assert response.status_code in (200, 404)  # at most the app's page, never the file


def test_without_a_build_the_portal_says_how_to_build_it(client, app, tmp_path):
    app.config["XJ_PORTAL_DIR"] = str(tmp_path / "nothing")
    response = client.get("/portal/")
    assert response.status_code == 503
    assert "make run" in response.get_data(as_text=True)
