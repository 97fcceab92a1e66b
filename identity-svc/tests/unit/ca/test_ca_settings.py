"""identity-svc's CA settings (XJ_CA_*, XJ_CRL_GRACE_SECONDS) and what it refuses at start-up."""
import logging
from datetime import datetime, timezone

import pytest

import xjdevca
from identity.adapters.certificate_verifier import MAX_CRL_GRACE_SECONDS, CaCertificateVerifier, CaSettings
from identity.domain.errors import CaCrlUnavailable, CaLoginUnavailable


def config_of(ca, **overrides):
    environment = xjdevca.environment(ca.directory)
    return {"CA_ROOTS": environment["XJ_CA_ROOTS"], "CA_CRLS": environment["XJ_CA_CRLS"],
            "CA_POLICIES": environment["XJ_CA_POLICIES"], "CA_PERSON_POLICIES": environment["XJ_CA_PERSON_POLICIES"],
            **overrides}


def wall_now():
    return datetime.now(timezone.utc)


def test_without_roots_ca_login_is_off():
    assert CaSettings.from_config({"CA_ROOTS": ""}, "prod") is None


def test_the_grace_period_defaults_to_four_hours_and_is_bounded_in_prod(dev_ca):
    assert CaSettings.from_config(config_of(dev_ca), "prod").crl_grace_seconds == 4 * 3600
    with pytest.raises(RuntimeError) as refused:
        CaSettings.from_config(config_of(dev_ca, CRL_GRACE_SECONDS=MAX_CRL_GRACE_SECONDS + 1), "prod")
    assert "XJ_CRL_GRACE_SECONDS" in str(refused.value)
    assert CaSettings.from_config(config_of(dev_ca, CRL_GRACE_SECONDS=MAX_CRL_GRACE_SECONDS + 1), "dev")
    with pytest.raises(RuntimeError):
        CaSettings.from_config(config_of(dev_ca, CRL_GRACE_SECONDS="-1"), "dev")


@pytest.mark.parametrize("key, variable", [("CA_POLICIES", "XJ_CA_POLICIES"),
                                           ("CA_PERSON_POLICIES", "XJ_CA_PERSON_POLICIES"),
                                           ("CA_CRL_OPTIONAL", "XJ_CA_CRL_OPTIONAL")])
def test_a_malformed_ca_setting_stops_the_service_naming_the_variable(dev_ca, key, variable):
    with pytest.raises(RuntimeError) as refused:
        CaSettings.from_config(config_of(dev_ca, **{key: "CN=Broken=,=x"}), "dev")
    assert variable in str(refused.value)


def test_prod_refuses_to_start_when_a_trusted_ca_has_no_crl(dev_ca):
    verifier = CaCertificateVerifier(CaSettings.from_config(
        config_of(dev_ca, CA_CRLS=str(dev_ca.crl_path("sm2"))), "prod"))
    with pytest.raises(RuntimeError) as refused:
        verifier.check_start("prod", wall_now())
    assert "XJ_CA_CRLS" in str(refused.value) and "XJ Dev Root CA (RSA)" in str(refused.value)


def test_a_ca_allowed_without_a_crl_starts_in_prod(dev_ca):
    rsa_root = dev_ca.root_cert("rsa").subject.rfc4514_string()
    verifier = CaCertificateVerifier(CaSettings.from_config(
        config_of(dev_ca, CA_CRLS=str(dev_ca.crl_path("sm2")), CA_CRL_OPTIONAL=rsa_root), "prod"))
    verifier.check_start("prod", wall_now())


def test_dev_starts_with_a_warning_when_a_trusted_ca_has_no_crl(dev_ca, caplog):
    verifier = CaCertificateVerifier(CaSettings.from_config(config_of(dev_ca, CA_CRLS=""), "dev"))
    with caplog.at_level(logging.WARNING):
        verifier.check_start("dev", wall_now())
    assert "XJ_CA_CRL_OPTIONAL" in caplog.text


def test_unreadable_roots_stop_the_start_and_make_logins_unavailable_not_open(tmp_path, dev_ca):
    roots = tmp_path / "roots.pem"
    roots.write_bytes(dev_ca.roots_pem.read_bytes())
    verifier = CaCertificateVerifier(CaSettings.from_config(config_of(dev_ca, CA_ROOTS=str(roots)), "prod"))
    verifier.check_start("prod", wall_now())
    roots.write_text("gone")
    with pytest.raises(CaLoginUnavailable):
        verifier.verify("pem", "sig", b"n" * 32, wall_now(), wall_now())
    with pytest.raises(RuntimeError) as refused:
        verifier.check_start("prod", wall_now())
    assert "XJ_CA_ROOTS" in str(refused.value)


def test_a_replaced_crl_file_is_reloaded_and_counted_as_a_new_generation(tmp_path, dev_ca, issue):
    crl = tmp_path / "crl-rsa.pem"
    crl.write_bytes(dev_ca.crl_path("rsa").read_bytes())
    verifier = CaCertificateVerifier(CaSettings.from_config(
        config_of(dev_ca, CA_CRLS=f"{crl},{dev_ca.crl_path('sm2')}"), "test"))
    first = verifier.current_generation()
    assert verifier.current_generation() == first  # nothing changed: no reload
    crl.unlink()
    assert verifier.current_generation() == first + 1
    report = verifier.crl_report(wall_now())
    assert report["state"] == "degraded"
    assert {"file": "crl-rsa.pem", "state": "missing"} in report["files"]
    assert "missing" in {entry["state"] for entry in report["cas"]}


def test_a_login_under_a_ca_without_a_usable_crl_is_a_503_domain_error(tmp_path, dev_ca, issue):
    verifier = CaCertificateVerifier(CaSettings.from_config(
        config_of(dev_ca, CA_CRLS=str(tmp_path / "missing.pem")), "test"))
    issued = issue("rsa")
    with pytest.raises(CaCrlUnavailable) as refused:
        verifier.verify(issued.cert_path.read_text(), "QUJD", b"n" * 32, wall_now(), wall_now())
    assert (refused.value.status, refused.value.code) == (503, "CA_CRL_UNAVAILABLE")


def test_sessions_are_still_held_to_the_last_crls_read_while_the_roots_are_unreadable(tmp_path, dev_ca, issue):
    import base64
    import os

    roots = tmp_path / "roots.pem"
    roots.write_bytes(dev_ca.roots_pem.read_bytes())
    verifier = CaCertificateVerifier(CaSettings.from_config(config_of(dev_ca, CA_ROOTS=str(roots)), "test"))
    issued = issue("rsa")
    nonce = os.urandom(32)
    signature = base64.b64encode(xjdevca.sign_nonce(issued.key_path.read_bytes(), nonce)).decode()
    keys = verifier.verify(issued.cert_path.read_text(), signature, nonce, wall_now(), wall_now())["revocation_keys"]
    xjdevca.revoke(dev_ca.directory, issued.cert_path)
    assert verifier.revoked(keys)  # reloaded: the CRL lists it
    roots.write_text("broken")
    assert verifier.revoked(keys)  # the roots broke: still the CRLs last read, never "not revoked"
