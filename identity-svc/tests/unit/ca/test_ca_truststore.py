"""TrustStore: which CA certificates issue login certificates, and which CRLs count."""

import logging
import os
from datetime import timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding

from identity.adapters.ca import (
    CA_CERT_EXPIRED,
    CA_CERT_REVOKED,
    CA_CERT_UNTRUSTED,
    CaLoginError,
    TrustStore,
    TrustStoreError,
)

import xjdevca
from xjdevca import sm2 as devca_sm2

TRUST_LOGGER = "identity.adapters.ca.trust"


def code_of(call, *args, **kwargs):
    try:
        call(*args, **kwargs)
    except CaLoginError as error:
        return error.code
    return None


@pytest.fixture(scope="module")
def chain(dev_ca, make_cert, helpers):
    """dev RSA root → intermediate → enterprise leaf."""
    root, root_key = dev_ca.root_cert("rsa"), dev_ca.root_key("rsa")
    intermediate, intermediate_key = make_cert(
        root, root_key, "CN=XJ Dev Intermediate CA,O=xjcloud development,C=CN", ca=True,
        key_usage=helpers.key_usage(key_cert_sign=True, crl_sign=True),
    )
    leaf, leaf_key = make_cert(intermediate, intermediate_key, helpers.enterprise_name(),
                               key_usage=helpers.key_usage(digital_signature=True))
    return root, intermediate, intermediate_key, leaf, leaf_key


def login_as(login, helpers, cert_pem, key, **kwargs):
    nonce = os.urandom(32)
    return login(cert_pem=cert_pem, nonce=nonce, signature=helpers.sign_with(key, nonce), **kwargs)


# --- chains -----------------------------------------------------------------------------------


def test_every_certificate_of_the_bundle_is_a_trust_anchor(trust, dev_ca):
    assert {c.subject for c in trust.anchors} == {dev_ca.root_cert("rsa").subject, dev_ca.root_cert("sm2").subject}


def test_leaf_issued_by_an_intermediate_in_the_bundle_logs_in(chain, dev_ca, login, helpers):
    root, intermediate, _, leaf, leaf_key = chain
    trust = TrustStore.from_pem(helpers.pem(root, intermediate))
    verified = login_as(login, helpers, helpers.pem(leaf), leaf_key, trust=trust)
    assert verified.issuer == intermediate.subject.rfc4514_string()


def test_leaf_presenting_its_intermediate_after_it_logs_in_when_a_root_issued_the_intermediate(chain, login, helpers):
    _, intermediate, _, leaf, leaf_key = chain
    assert login_as(login, helpers, helpers.pem(leaf, intermediate), leaf_key).uscc == helpers.USCC


def test_leaf_of_an_intermediate_neither_in_the_bundle_nor_presented_is_untrusted(chain, login, helpers):
    _, _, _, leaf, leaf_key = chain
    assert code_of(login_as, login, helpers, helpers.pem(leaf), leaf_key) == CA_CERT_UNTRUSTED


def test_presented_intermediate_of_an_unrelated_ca_is_untrusted(impostor_ca, make_cert, login, helpers):
    intermediate, intermediate_key = make_cert(
        impostor_ca.root_cert("rsa"), impostor_ca.root_key("rsa"), "CN=XJ Dev Intermediate CA", ca=True
    )
    leaf, leaf_key = make_cert(intermediate, intermediate_key, helpers.enterprise_name())
    assert code_of(login_as, login, helpers, helpers.pem(leaf, intermediate), leaf_key) == CA_CERT_UNTRUSTED


def test_expired_presented_intermediate_refuses_the_login_as_expired(dev_ca, make_cert, login, helpers, now):
    intermediate, intermediate_key = make_cert(
        dev_ca.root_cert("rsa"), dev_ca.root_key("rsa"), "CN=XJ Old Intermediate CA", ca=True,
        not_before=now - timedelta(days=400), days=300,
    )
    leaf, leaf_key = make_cert(intermediate, intermediate_key, helpers.enterprise_name())
    with pytest.raises(CaLoginError) as caught:
        login_as(login, helpers, helpers.pem(leaf, intermediate), leaf_key)
    assert caught.value.code == CA_CERT_EXPIRED and "中级CA" in caught.value.message


def test_presented_intermediate_on_the_roots_crl_refuses_the_login_as_revoked(dev_ca, make_cert, login, helpers,
                                                                              tmp_path):
    intermediate, intermediate_key = make_cert(
        dev_ca.root_cert("rsa"), dev_ca.root_key("rsa"), "CN=XJ Revoked Intermediate CA", ca=True
    )
    leaf, leaf_key = make_cert(intermediate, intermediate_key, helpers.enterprise_name())
    cert_file = tmp_path / "intermediate.pem"
    cert_file.write_text(helpers.pem(intermediate))
    xjdevca.revoke(dev_ca.directory, cert_file)
    trust = TrustStore.from_files(dev_ca.roots_pem, dev_ca.crl_paths)
    assert code_of(login_as, login, helpers, helpers.pem(leaf, intermediate), leaf_key, trust=trust) == CA_CERT_REVOKED


def test_end_entity_certificate_cannot_issue_even_from_the_bundle(dev_ca, make_cert, login, helpers):
    end_entity, end_entity_key = make_cert(dev_ca.root_cert("rsa"), dev_ca.root_key("rsa"), "CN=Not a CA", ca=False)
    leaf, leaf_key = make_cert(end_entity, end_entity_key, helpers.enterprise_name())
    trust = TrustStore.from_pem(helpers.pem(dev_ca.root_cert("rsa"), end_entity))
    assert code_of(login_as, login, helpers, helpers.pem(leaf), leaf_key, trust=trust) == CA_CERT_UNTRUSTED
    assert code_of(login_as, login, helpers, helpers.pem(leaf, end_entity), leaf_key) == CA_CERT_UNTRUSTED


def test_ca_whose_key_usage_lacks_certificate_signing_cannot_issue(dev_ca, make_cert, login, helpers):
    signer, signer_key = make_cert(dev_ca.root_cert("rsa"), dev_ca.root_key("rsa"), "CN=Signing only", ca=True,
                                   key_usage=helpers.key_usage(digital_signature=True))
    leaf, leaf_key = make_cert(signer, signer_key, helpers.enterprise_name())
    trust = TrustStore.from_pem(helpers.pem(signer))
    assert code_of(login_as, login, helpers, helpers.pem(leaf), leaf_key, trust=trust) == CA_CERT_UNTRUSTED


# --- CRLs -------------------------------------------------------------------------------------


def _forged_crl(family, dev_ca, impostor_ca, serial, now):
    """A CRL carrying the dev root's name and listing ``serial``, signed by the impostor root's key."""
    name = dev_ca.root_cert(family).subject
    key = impostor_ca.root_key(family)
    if family == "sm2":
        return devca_sm2.build_crl(issuer_key=key, issuer=name, this_update=now, next_update=now + timedelta(days=7),
                                   revoked=[(serial, now)], extensions=[])
    builder = (
        x509.CertificateRevocationListBuilder().issuer_name(name).last_update(now).next_update(now + timedelta(days=7))
        .add_revoked_certificate(x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(now).build())
    )
    return builder.sign(key, hashes.SHA256())


@pytest.mark.parametrize("algorithm", ["rsa", "sm2"])
def test_crl_whose_signature_does_not_verify_against_the_issuer_is_ignored_with_a_warning(
    algorithm, dev_ca, impostor_ca, certs, login, now, caplog
):
    serial = x509.load_pem_x509_certificate(certs[algorithm].cert_path.read_bytes()).serial_number
    forged = _forged_crl(algorithm, dev_ca, impostor_ca, serial, now)
    trust = TrustStore.from_pem(dev_ca.roots_pem.read_bytes(), [forged.public_bytes(Encoding.DER)])
    with caplog.at_level(logging.WARNING, logger=TRUST_LOGGER):
        assert login(certs[algorithm], trust=trust).uscc
        assert login(certs[algorithm], trust=trust).uscc
    warnings = [r for r in caplog.records if r.name == TRUST_LOGGER and "ignoring a CRL" in r.getMessage()]
    assert len(warnings) == 1  # checked once, then remembered


def test_crl_of_a_ca_outside_the_bundle_is_loaded_with_a_warning(dev_ca, now, caplog):
    stranger, stranger_key = _stranger_ca(now)
    stranger_crl = (
        x509.CertificateRevocationListBuilder().issuer_name(stranger.subject).last_update(now)
        .next_update(now + timedelta(days=7)).sign(stranger_key, hashes.SHA256())
    )
    with caplog.at_level(logging.WARNING, logger=TRUST_LOGGER):
        trust = TrustStore.from_pem(dev_ca.roots_pem.read_bytes(), [stranger_crl.public_bytes(Encoding.DER)])
    assert len(trust.crls) == 1
    assert any("matches no trusted CA" in r.getMessage() for r in caplog.records)


def _stranger_ca(now):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name.from_rfc4514_string("CN=Stranger CA")
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(1).not_valid_before(now).not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    return cert, key


def test_a_pem_file_may_hold_several_crls(dev_ca, issue, login, tmp_path):
    revoked = {algorithm: issue(algorithm) for algorithm in ("rsa", "sm2")}
    for issued in revoked.values():
        xjdevca.revoke(dev_ca.directory, issued.cert_path)
    both = tmp_path / "all.crl.pem"
    both.write_bytes(b"".join(path.read_bytes() for path in dev_ca.crl_paths))
    trust = TrustStore.from_files(dev_ca.roots_pem, [str(both), "", "  "])
    assert len(trust.crls) == 2
    for issued in revoked.values():
        assert code_of(login, issued, trust=trust) == CA_CERT_REVOKED


def test_out_of_date_crl_still_applies_with_a_warning(dev_ca, issue, login, caplog):
    issued = issue("sm2")
    xjdevca.revoke(dev_ca.directory, issued.cert_path)
    trust = TrustStore.from_files(dev_ca.roots_pem, dev_ca.crl_paths)
    crl = x509.load_pem_x509_crl(dev_ca.crl_path("sm2").read_bytes())
    later = crl.next_update_utc + timedelta(days=1)
    with caplog.at_level(logging.WARNING, logger=TRUST_LOGGER):
        assert code_of(login, issued, trust=trust, now=later) == CA_CERT_REVOKED
    assert any("out of date" in r.getMessage() for r in caplog.records)


# --- configuration errors ---------------------------------------------------------------------


def test_missing_or_unreadable_files_are_a_trust_store_error_not_a_login_refusal(dev_ca, tmp_path):
    junk = tmp_path / "junk.pem"
    junk.write_text("nothing here")
    with pytest.raises(TrustStoreError):
        TrustStore.from_files(tmp_path / "missing.pem")
    with pytest.raises(TrustStoreError):
        TrustStore.from_files(dev_ca.crl_path("rsa"))  # a CRL is no roots bundle
    with pytest.raises(TrustStoreError):
        TrustStore.from_files(dev_ca.roots_pem, [tmp_path / "missing.crl"])
    with pytest.raises(TrustStoreError):
        TrustStore.from_files(dev_ca.roots_pem, [junk])
    with pytest.raises(TrustStoreError):
        TrustStore([])
