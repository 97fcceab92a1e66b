"""What the dev CA's certificates carry for the login rules (clientAuth, digitalSignature, the dev
enterprise-certificate policy), the certificates it makes to test refusals, the settings that
name its policies, and CRLs re-signed without losing an entry."""

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

import xjdevca
from xjdevca import cli
from xjstubs.config import DEFAULT_NATIONAL_DATA

USCC = "9151010029141777XB"
NAME = "四川黄河建设集团有限公司"
ID_NUMBER = "11010519491231002X"


def load(path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(Path(path).read_bytes())


def policies_of(cert):
    try:
        found = cert.extensions.get_extension_for_class(x509.CertificatePolicies).value
    except x509.ExtensionNotFound:
        return set()
    return {p.policy_identifier.dotted_string for p in found}


@pytest.mark.parametrize("algorithm", xjdevca.ALGORITHMS)
def test_login_certificates_carry_client_auth_digital_signature_and_the_enterprise_policy(algorithm, ca, tmp_path):
    cert = load(xjdevca.issue(ca.directory, name=NAME, uscc=USCC, algorithm=algorithm, out=tmp_path / "e").cert_path)
    assert cert.extensions.get_extension_for_class(x509.KeyUsage).value.digital_signature
    assert list(cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value) == [
        ExtendedKeyUsageOID.CLIENT_AUTH]
    assert policies_of(cert) == {xjdevca.ENTERPRISE_POLICY_OID}


def test_the_two_policy_oids_differ_and_sit_under_the_uuid_arc():
    assert xjdevca.ENTERPRISE_POLICY_OID != xjdevca.PERSON_POLICY_OID
    assert all(oid.startswith("2.25.") for oid in (xjdevca.ENTERPRISE_POLICY_OID, xjdevca.PERSON_POLICY_OID))


@pytest.mark.parametrize("algorithm", ["rsa", "sm2"])
def test_a_person_certificate_carries_the_id_number_and_the_person_policy(algorithm, ca, tmp_path):
    cert = load(xjdevca.issue(ca.directory, name="张三", uscc=None, person=ID_NUMBER, algorithm=algorithm,
                              out=tmp_path / "p").cert_path)
    assert cert.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)[0].value == ID_NUMBER
    assert cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME) == []
    assert policies_of(cert) == {xjdevca.PERSON_POLICY_OID}


def test_extended_key_usage_and_policy_can_be_chosen_or_left_out(ca, tmp_path):
    server = load(xjdevca.issue(ca.directory, name=NAME, uscc=USCC, eku=("serverAuth",), out=tmp_path / "s").cert_path)
    assert list(server.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value) == [
        ExtendedKeyUsageOID.SERVER_AUTH]
    bare = load(xjdevca.issue(ca.directory, name=NAME, uscc=USCC, eku=(), policy=None, out=tmp_path / "b").cert_path)
    with pytest.raises(x509.ExtensionNotFound):
        bare.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    assert policies_of(bare) == set()
    with pytest.raises(xjdevca.DevCaError):
        xjdevca.issue(ca.directory, name=NAME, uscc=USCC, eku=("timeTravel",))
    with pytest.raises(xjdevca.DevCaError):
        xjdevca.issue(ca.directory, name=NAME, uscc=USCC, person=ID_NUMBER)


def test_environment_names_the_roots_crls_and_the_policies_of_both_roots(ca):
    environment = xjdevca.environment(ca.directory)
    assert environment["XJ_CA_ROOTS"] == str(ca.roots_pem)
    assert environment["XJ_CA_CRLS"].split(",") == [str(p) for p in ca.crl_paths]
    for family in ("rsa", "sm2"):
        subject = ca.root_cert(family).subject.rfc4514_string()
        assert f"{subject}={xjdevca.ENTERPRISE_POLICY_OID}" in environment["XJ_CA_POLICIES"].split(";")
        assert f"{subject}={xjdevca.PERSON_POLICY_OID}" in environment["XJ_CA_PERSON_POLICIES"].split(";")


def test_refresh_crl_re_signs_both_crls_now_keeping_every_entry_and_counting_up(fresh_ca, tmp_path):
    issued = xjdevca.issue(fresh_ca.directory, name=NAME, uscc=USCC, algorithm="sm2", out=tmp_path / "r")
    long_ago = datetime.now(timezone.utc) - timedelta(days=60)
    xjdevca.revoke(fresh_ca.directory, issued.cert_path, now=long_ago)
    before = x509.load_pem_x509_crl(fresh_ca.crl_path("sm2").read_bytes())
    assert before.next_update_utc < datetime.now(timezone.utc)  # stale
    xjdevca.refresh_crls(fresh_ca.directory)
    after = x509.load_pem_x509_crl(fresh_ca.crl_path("sm2").read_bytes())
    assert after.next_update_utc > datetime.now(timezone.utc) + timedelta(days=29)
    assert [(e.serial_number, e.revocation_date_utc) for e in after] == [
        (e.serial_number, e.revocation_date_utc) for e in before]
    number = lambda crl: crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number  # noqa: E731
    assert number(after) == number(before) + 1
    assert x509.load_pem_x509_crl(fresh_ca.crl_path("rsa").read_bytes()).next_update_utc > after.last_update_utc


def test_sample_keep_current_keeps_todays_samples_and_reissues_older_ones(tmp_path):
    directory = tmp_path / "ca"
    first = xjdevca.sample(directory, DEFAULT_NATIONAL_DATA)
    kept = xjdevca.sample(directory, DEFAULT_NATIONAL_DATA, keep_current=True)
    assert [i.serial for i in kept] == [i.serial for i in first]
    # a sample an older tool made: no enterprise policy
    old = xjdevca.issue(directory, name=first[0].name, uscc=first[0].uscc, policy=None,
                        out=Path(str(first[0].cert_path).removesuffix(".cert.pem")))
    renewed = xjdevca.sample(directory, DEFAULT_NATIONAL_DATA, keep_current=True)
    assert renewed[0].serial not in (old.serial, first[0].serial)
    assert all(xjdevca.ENTERPRISE_POLICY_OID in policies_of(load(i.cert_path)) for i in renewed)


def test_command_line_issue_options_refresh_crl_and_env(ca, tmp_path, capsys):
    argv = ["issue", "--dir", str(ca.directory), "--name", "张三", "--person", ID_NUMBER, "--out", str(tmp_path / "p")]
    assert cli.main(argv) == 0
    assert policies_of(load(tmp_path / "p.cert.pem")) == {xjdevca.PERSON_POLICY_OID}
    argv = ["issue", "--dir", str(ca.directory), "--name", NAME, "--uscc", USCC, "--eku", "serverAuth",
            "--policy", "none", "--out", str(tmp_path / "s")]
    assert cli.main(argv) == 0
    assert policies_of(load(tmp_path / "s.cert.pem")) == set()
    capsys.readouterr()
    assert cli.main(["refresh-crl", "--dir", str(ca.directory)]) == 0
    assert "crl-rsa.pem" in capsys.readouterr().out
    assert cli.main(["env", "--dir", str(ca.directory)]) == 0
    lines = dict(line.split("=", 1) for line in capsys.readouterr().out.splitlines())
    assert lines == xjdevca.environment(ca.directory)
    json.dumps(lines)


def test_the_compose_dev_env_names_the_dev_cas_policies(ca):
    """deploy/compose/dev.env carries what `xj-dev-ca env` prints for the policies (the root names are fixed)."""
    dev_env = Path(__file__).resolve().parents[3] / "deploy" / "compose" / "dev.env"
    lines = dict(line.split("=", 1) for line in dev_env.read_text(encoding="utf-8").splitlines()
                 if line.strip() and not line.startswith("#"))
    expected = xjdevca.policy_settings(ca.directory)
    assert {name: lines[name] for name in expected} == expected
