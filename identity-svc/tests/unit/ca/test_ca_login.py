"""verify_login: the rules of an enterprise CA-certificate login, with certificates of the dev CA."""

import base64
import dataclasses
import os
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

from identity.adapters.ca import (
    CA_CERT_EXPIRED,
    CA_CERT_NOT_ENTERPRISE,
    CA_CERT_REVOKED,
    CA_CERT_UNTRUSTED,
    CA_NO_USCC,
    CA_SIGNATURE_INVALID,
    CaLoginError,
    TrustStore,
    VerifiedCertificate,
    verify_login,
)

import xjdevca

ALGORITHMS = ("rsa", "ecdsa", "sm2")


def refused(code, call, *args, **kwargs) -> CaLoginError:
    with pytest.raises(CaLoginError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value
    assert caught.value.message and any("\u4e00" <= ch <= "\u9fff" for ch in caught.value.message)
    return caught.value


# --- success ----------------------------------------------------------------------------------


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_certificate_of_a_trusted_root_with_the_nonce_signed_by_its_key_logs_in(algorithm, certs, login, helpers):
    issued = certs[algorithm]
    cert = x509.load_pem_x509_certificate(issued.cert_path.read_bytes())

    verified = login(issued)

    assert verified.uscc == helpers.USCC
    assert verified.subject_name == helpers.NAME
    assert verified.algorithm == algorithm
    assert verified.serial_hex == format(cert.serial_number, "x")
    assert verified.issuer == cert.issuer.rfc4514_string()
    assert ("SM2" if algorithm == "sm2" else "RSA") in verified.issuer
    assert verified.not_before == cert.not_valid_before_utc and verified.not_after == cert.not_valid_after_utc
    assert verified.fingerprint_sha256 == cert.fingerprint(hashes.SHA256()).hex()


def test_verified_certificate_is_immutable(certs, login):
    verified = login(certs["rsa"])
    assert isinstance(verified, VerifiedCertificate)
    with pytest.raises(dataclasses.FrozenInstanceError):
        verified.uscc = "x"


@pytest.mark.parametrize("algorithm", ["ecdsa", "sm2"])
def test_raw_r_s_signature_of_64_bytes_is_accepted_as_well_as_der(algorithm, certs, login):
    nonce = os.urandom(32)
    der = xjdevca.sign_nonce(certs[algorithm].key_path.read_bytes(), nonce)
    r, s = decode_dss_signature(der)
    raw = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    assert login(certs[algorithm], nonce=nonce, signature=base64.b64encode(raw).decode()).algorithm == algorithm


def test_url_safe_unpadded_or_wrapped_base64_signature_is_accepted(certs, login, helpers):
    nonce = os.urandom(32)
    standard = helpers.sign(certs["rsa"], nonce)
    url_safe = standard.replace("+", "-").replace("/", "_").rstrip("=")
    wrapped = "\r\n".join(standard[i : i + 64] for i in range(0, len(standard), 64))
    assert login(certs["rsa"], nonce=nonce, signature=url_safe).uscc
    assert login(certs["rsa"], nonce=nonce, signature=wrapped).uscc


def test_headerless_base64_der_certificate_is_accepted(certs, login):
    der = x509.load_pem_x509_certificate(certs["sm2"].cert_path.read_bytes()).public_bytes(
        serialization.Encoding.DER
    )
    assert login(certs["sm2"], cert_pem=base64.b64encode(der).decode()).algorithm == "sm2"


def test_login_works_with_a_now_in_any_timezone(certs, login, now):
    assert login(certs["rsa"], now=now.astimezone(ZoneInfo("Asia/Shanghai"))).uscc


# --- signature --------------------------------------------------------------------------------


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_signature_made_by_another_key_of_the_same_algorithm_is_refused(algorithm, certs, issue, login, helpers):
    other = issue(algorithm)  # same CA, same enterprise, other key
    nonce = os.urandom(32)
    refused(CA_SIGNATURE_INVALID, login, certs[algorithm], nonce=nonce, signature=helpers.sign(other, nonce))


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_tampered_signature_is_refused(algorithm, certs, login, helpers):
    nonce = os.urandom(32)
    signature = bytearray(base64.b64decode(helpers.sign(certs[algorithm], nonce)))
    signature[-3] ^= 0x01
    refused(CA_SIGNATURE_INVALID, login, certs[algorithm], nonce=nonce, signature=base64.b64encode(signature).decode())


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_signature_over_another_nonce_is_refused(algorithm, certs, login, helpers):
    signature = helpers.sign(certs[algorithm], os.urandom(32))
    refused(CA_SIGNATURE_INVALID, login, certs[algorithm], nonce=os.urandom(32), signature=signature)


@pytest.mark.parametrize("signature", ["", "not base64!", "QUJD", "A" * 5000])
def test_empty_malformed_or_oversized_signature_is_refused(signature, certs, login):
    refused(CA_SIGNATURE_INVALID, login, certs["rsa"], signature=signature)


def test_sm2_signature_with_an_out_of_range_r_or_s_is_refused(certs, login):
    n = int("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123", 16)
    for r, s in ((0, 1), (1, 0), (n, 1), (1, n)):
        raw = r.to_bytes(32, "big") + s.to_bytes(32, "big")
        refused(CA_SIGNATURE_INVALID, login, certs["sm2"], signature=base64.b64encode(raw).decode())


def test_sm2_signature_with_s_plus_n_is_refused(certs, login):
    n = int("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123", 16)
    nonce = os.urandom(32)
    r, s = decode_dss_signature(xjdevca.sign_nonce(certs["sm2"].key_path.read_bytes(), nonce))
    malleated = encode_dss_signature(r, s + n)  # the same DER shape as an SM2 signature
    refused(CA_SIGNATURE_INVALID, login, certs["sm2"], nonce=nonce, signature=base64.b64encode(malleated).decode())


def test_encryption_only_certificate_is_not_meant_for_enterprise_login(dev_ca, make_cert, login, helpers):
    """SM2 CA locks hold a signing and an encryption certificate: only the signing one logs in."""
    cert, key = make_cert(
        dev_ca.root_cert("rsa"),
        dev_ca.root_key("rsa"),
        helpers.enterprise_name(),
        key_usage=helpers.key_usage(key_encipherment=True, data_encipherment=True),
    )
    nonce = os.urandom(32)
    signature = helpers.sign_with(key, nonce)
    error = refused(CA_CERT_NOT_ENTERPRISE, login, cert_pem=helpers.pem(cert), nonce=nonce, signature=signature)
    assert "签名证书" in error.message


# --- trust ------------------------------------------------------------------------------------


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_certificate_of_an_unrelated_ca_with_the_same_root_names_is_untrusted(algorithm, issue, impostor_ca, login):
    issued = issue(algorithm, ca=impostor_ca)
    assert (
        x509.load_pem_x509_certificate(issued.cert_path.read_bytes()).issuer
        == impostor_ca.root_cert("sm2" if algorithm == "sm2" else "rsa").subject
    )
    refused(CA_CERT_UNTRUSTED, login, issued)


def test_self_signed_certificate_is_untrusted(make_cert, login, helpers):
    cert, key = make_cert(None, None, helpers.enterprise_name())
    nonce = os.urandom(32)
    signature = helpers.sign_with(key, nonce)
    refused(CA_CERT_UNTRUSTED, login, cert_pem=helpers.pem(cert), nonce=nonce, signature=signature)


GARBAGE = [
    "",
    "hello",
    "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n",
    "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n",
    "企业证书",
    "A" * 70000,
]


@pytest.mark.parametrize("cert_pem", GARBAGE, ids=["empty", "text", "pem-junk", "pem-not-base64", "chinese", "huge"])
def test_garbage_instead_of_a_certificate_is_untrusted_with_a_message(cert_pem, login):
    error = refused(CA_CERT_UNTRUSTED, login, cert_pem=cert_pem, signature="QUJD")
    assert "证书" in error.message


def test_a_crl_or_a_key_instead_of_a_certificate_is_untrusted(dev_ca, certs, login):
    refused(CA_CERT_UNTRUSTED, login, cert_pem=dev_ca.crl_path("rsa").read_text(), signature="QUJD")
    refused(CA_CERT_UNTRUSTED, login, cert_pem=certs["rsa"].key_path.read_text(), signature="QUJD")


# --- validity ---------------------------------------------------------------------------------


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_expired_certificate_is_refused_with_its_end_date(algorithm, issue, login):
    issued = issue(algorithm, expired=True)
    error = refused(CA_CERT_EXPIRED, login, issued)
    end = x509.load_pem_x509_certificate(issued.cert_path.read_bytes()).not_valid_after_utc
    assert "已过期" in error.message and end.strftime("%Y-%m-%d %H:%M") in error.message


@pytest.mark.parametrize("algorithm", ["rsa", "sm2"])
def test_not_yet_valid_certificate_is_refused_as_expired_saying_when_it_starts(algorithm, issue, login, now):
    issued = issue(algorithm, not_before=now + timedelta(days=3))
    error = refused(CA_CERT_EXPIRED, login, issued)
    assert "尚未生效" in error.message
    assert (now + timedelta(days=3)).strftime("%Y-%m-%d %H:%M") in error.message  # in now's timezone
    shanghai = refused(CA_CERT_EXPIRED, login, issued, now=now.astimezone(ZoneInfo("Asia/Shanghai")))
    assert (now + timedelta(days=3, hours=8)).strftime("%Y-%m-%d %H:%M") in shanghai.message


def test_validity_is_judged_at_the_given_now_not_the_system_clock(certs, login, now):
    cert = x509.load_pem_x509_certificate(certs["rsa"].cert_path.read_bytes())
    refused(CA_CERT_EXPIRED, login, certs["rsa"], now=cert.not_valid_after_utc + timedelta(seconds=1))
    refused(CA_CERT_EXPIRED, login, certs["rsa"], now=cert.not_valid_before_utc - timedelta(seconds=1))
    assert login(certs["rsa"], now=cert.not_valid_after_utc).uscc  # the last second still counts


def test_naive_now_is_a_programming_error(certs, trust):
    with pytest.raises(ValueError):
        verify_login(certs["rsa"].cert_path.read_text(), "QUJD", b"n" * 16, trust, datetime.now())


# --- revocation -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def revoked(issue, dev_ca):
    """One revoked certificate per root family, and the CRL files as PEM and DER."""
    out = {algorithm: issue(algorithm) for algorithm in ("rsa", "sm2")}
    for issued in out.values():
        xjdevca.revoke(dev_ca.directory, issued.cert_path)
    return out


def _crl_files(dev_ca, tmp_path, form):
    if form == "pem":
        return dev_ca.crl_paths
    paths = []
    for family, source in zip(("rsa", "sm2"), dev_ca.crl_paths):
        path = tmp_path / f"crl-{family}.der"
        path.write_bytes(x509.load_pem_x509_crl(source.read_bytes()).public_bytes(serialization.Encoding.DER))
        paths.append(path)
    return paths


@pytest.mark.parametrize("form", ["pem", "der"])
@pytest.mark.parametrize("algorithm", ["rsa", "sm2"])
def test_certificate_on_its_roots_crl_is_refused_as_revoked(algorithm, form, revoked, dev_ca, login, tmp_path):
    trust = TrustStore.from_files(dev_ca.roots_pem, _crl_files(dev_ca, tmp_path, form))
    error = refused(CA_CERT_REVOKED, login, revoked[algorithm], trust=trust)
    assert "吊销" in error.message


@pytest.mark.parametrize("form", ["pem", "der"])
@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_certificate_not_on_the_crl_logs_in_while_the_crl_lists_others(algorithm, form, revoked, issue, dev_ca, login,
                                                                        tmp_path):
    trust = TrustStore.from_files(dev_ca.roots_pem, _crl_files(dev_ca, tmp_path, form))
    assert all(len(list(crl)) >= 1 for crl in trust.crls)
    assert login(issue(algorithm), trust=trust).algorithm == algorithm


# --- USCC -------------------------------------------------------------------------------------


@pytest.mark.parametrize("algorithm", ["rsa", "sm2"])
def test_certificate_without_a_uscc_is_refused(algorithm, issue, login):
    refused(CA_NO_USCC, login, issue(algorithm, uscc=None))


def test_uscc_with_a_bad_check_digit_is_refused_as_no_uscc(issue, login, helpers):
    bad = helpers.USCC[:-1] + ("A" if helpers.USCC[-1] != "A" else "B")
    issued = issue("rsa", uscc=bad, allow_invalid_uscc=True)
    assert x509.load_pem_x509_certificate(issued.cert_path.read_bytes()).subject.get_attributes_for_oid(
        x509.oid.NameOID.SERIAL_NUMBER
    )[0].value == bad
    refused(CA_NO_USCC, login, issued)


def test_each_enterprise_logs_in_with_its_own_uscc(issue, login, helpers):
    assert login(issue("sm2", uscc=helpers.OTHER_USCC, name="陕西华西建设监理咨询有限公司")).uscc == helpers.OTHER_USCC


# --- order of the checks ----------------------------------------------------------------------


def test_checks_run_in_order_trust_validity_revocation_uscc_signature(issue, impostor_ca, dev_ca, login):
    # untrusted beats expired
    refused(CA_CERT_UNTRUSTED, login, issue("rsa", ca=impostor_ca, expired=True))
    # expired beats revoked
    expired = issue("rsa", expired=True)
    xjdevca.revoke(dev_ca.directory, expired.cert_path)
    trust = TrustStore.from_files(dev_ca.roots_pem, dev_ca.crl_paths)
    refused(CA_CERT_EXPIRED, login, expired, trust=trust)
    # revoked beats no USCC
    no_uscc = issue("rsa", uscc=None)
    xjdevca.revoke(dev_ca.directory, no_uscc.cert_path)
    trust = TrustStore.from_files(dev_ca.roots_pem, dev_ca.crl_paths)
    refused(CA_CERT_REVOKED, login, no_uscc, trust=trust)
    # no USCC beats a bad signature
    refused(CA_NO_USCC, login, issue("rsa", uscc=None), signature="QUJD")


def test_error_has_a_stable_code_and_a_chinese_message():
    error = CaLoginError(CA_CERT_REVOKED)
    assert (error.code, error.message) == (CA_CERT_REVOKED, "证书已被CA机构吊销")
    assert str(error) == "CA_CERT_REVOKED: 证书已被CA机构吊销"
    assert CaLoginError(CA_NO_USCC, "自定义").message == "自定义"
    with pytest.raises(ValueError):
        CaLoginError("CA_SOMETHING_ELSE")
