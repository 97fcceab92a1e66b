"""TrustStore: certification paths as RFC 5280 §6.1 builds them, and revocation that fails closed."""

import logging
import os
from datetime import datetime, timedelta, timezone

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding

from identity.adapters.ca import (
    CA_CERT_EXPIRED,
    CA_CERT_NOT_ENTERPRISE,
    CA_CERT_REVOKED,
    CA_CERT_UNTRUSTED,
    CA_CRL_UNAVAILABLE,
    CaLoginError,
    CaSelector,
    TrustStore,
    TrustStoreError,
)

import xjdevca
from xjdevca import sm2 as devca_sm2

TRUST_LOGGER = "identity.adapters.ca.trust"
CRLS_LOGGER = "identity.adapters.ca.crls"


def code_of(call, *args, **kwargs):
    try:
        call(*args, **kwargs)
    except CaLoginError as error:
        return error.code
    return None


def refused_with(call, *args, **kwargs) -> CaLoginError:
    with pytest.raises(CaLoginError) as caught:
        call(*args, **kwargs)
    return caught.value


def crl_of(issuer, issuer_key, serials=(), *, this_update=None, next_update=None) -> bytes:
    """A CRL (DER) signed by ``issuer_key``, listing ``serials``."""
    this_update = this_update or datetime.now(timezone.utc) - timedelta(minutes=1)
    builder = (x509.CertificateRevocationListBuilder().issuer_name(issuer.subject).last_update(this_update)
               .next_update(next_update or this_update + timedelta(days=7)))
    for serial in serials:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(this_update).build())
    return builder.sign(issuer_key, hashes.SHA256()).public_bytes(Encoding.DER)


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


@pytest.fixture(scope="module")
def dev_crls(dev_ca):
    return [path.read_bytes() for path in dev_ca.crl_paths]


def login_as(login, helpers, cert_pem, key, **kwargs):
    nonce = os.urandom(32)
    return login(cert_pem=cert_pem, nonce=nonce, signature=helpers.sign_with(key, nonce), **kwargs)


# --- chains -----------------------------------------------------------------------------------


def test_every_certificate_of_the_bundle_is_a_trust_anchor(trust, dev_ca):
    assert {c.subject for c in trust.anchors} == {dev_ca.root_cert("rsa").subject, dev_ca.root_cert("sm2").subject}


def test_leaf_issued_by_an_intermediate_in_the_bundle_logs_in(chain, dev_crls, trust_of, login, helpers):
    root, intermediate, intermediate_key, leaf, leaf_key = chain
    trust = trust_of(helpers.pem(root, intermediate), [*dev_crls, crl_of(intermediate, intermediate_key)])
    verified = login_as(login, helpers, helpers.pem(leaf), leaf_key, trust=trust)
    assert verified.issuer == intermediate.subject.rfc4514_string()


def test_leaf_presenting_its_intermediate_after_it_logs_in_when_a_root_issued_the_intermediate(
    chain, dev_crls, trust_of, login, helpers
):
    _, intermediate, intermediate_key, leaf, leaf_key = chain
    trust = trust_of(crls=[*dev_crls, crl_of(intermediate, intermediate_key)])
    verified = login_as(login, helpers, helpers.pem(leaf, intermediate), leaf_key, trust=trust)
    assert verified.uscc == helpers.USCC
    # the session keeps the leaf and the intermediate, each with the CA that issued it
    assert [key.serial for key in verified.revocation_keys] == [intermediate.serial_number, leaf.serial_number]
    assert [key.is_ca for key in verified.revocation_keys] == [True, False]


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


# --- RFC 5280 §6.1: issuers are CAs that may sign certificates, path lengths hold -------------


@pytest.mark.parametrize(
    "own_extensions",
    [
        {"basic_constraints": False, "key_usage": None},
        {"basic_constraints": False},
        {"key_usage": None},
    ],
    ids=["no-basic-constraints-no-key-usage", "no-basic-constraints", "no-key-usage"],
)
def test_forged_chain_an_enterprise_certificate_cannot_issue_one_for_another_uscc(
    own_extensions, dev_ca, make_cert, login, helpers
):
    """Issue 11, item 1: an enterprise whose CA gave it a leaf without basicConstraints or keyUsage
    signs a leaf for another USCC and presents [forged leaf, own certificate]."""
    own, own_key = make_cert(dev_ca.root_cert("rsa"), dev_ca.root_key("rsa"), helpers.enterprise_name(),
                             **own_extensions)
    assert login_as(login, helpers, helpers.pem(own), own_key).uscc == helpers.USCC  # its own login is fine
    forged, forged_key = make_cert(own, own_key, helpers.enterprise_name(helpers.OTHER_USCC, "陕西华西建设监理咨询有限公司"))
    assert code_of(login_as, login, helpers, helpers.pem(forged, own), forged_key) == CA_CERT_UNTRUSTED


def test_forged_chain_a_ca_flagged_certificate_without_key_cert_sign_cannot_issue(dev_ca, make_cert, login, helpers):
    signer, signer_key = make_cert(dev_ca.root_cert("rsa"), dev_ca.root_key("rsa"), "CN=CA without keyCertSign",
                                   ca=True, key_usage=helpers.key_usage(digital_signature=True, crl_sign=True))
    forged, forged_key = make_cert(signer, signer_key, helpers.enterprise_name(helpers.OTHER_USCC))
    assert code_of(login_as, login, helpers, helpers.pem(forged, signer), forged_key) == CA_CERT_UNTRUSTED


def test_key_cert_sign_without_basic_constraints_ca_cannot_issue(dev_ca, make_cert, login, helpers):
    signer, signer_key = make_cert(dev_ca.root_cert("rsa"), dev_ca.root_key("rsa"), "CN=keyCertSign only",
                                   basic_constraints=False, key_usage=helpers.key_usage(key_cert_sign=True))
    forged, forged_key = make_cert(signer, signer_key, helpers.enterprise_name(helpers.OTHER_USCC))
    assert code_of(login_as, login, helpers, helpers.pem(forged, signer), forged_key) == CA_CERT_UNTRUSTED


@pytest.fixture(scope="module")
def deep_chain(dev_ca, make_cert):
    """dev RSA root → upper (path_length given per test) → lower → leaf, and CRLs for both."""

    def build(upper_path_length):
        upper, upper_key = make_cert(dev_ca.root_cert("rsa"), dev_ca.root_key("rsa"), "CN=Upper CA", ca=True,
                                     path_length=upper_path_length)
        lower, lower_key = make_cert(upper, upper_key, "CN=Lower CA", ca=True)
        return upper, upper_key, lower, lower_key

    return build


@pytest.mark.parametrize("upper_path_length, allowed", [(0, False), (1, True), (None, True)])
def test_path_length_constraint_bounds_the_intermediates_below_a_ca(
    upper_path_length, allowed, deep_chain, dev_crls, make_cert, trust_of, login, helpers
):
    upper, upper_key, lower, lower_key = deep_chain(upper_path_length)
    leaf, leaf_key = make_cert(lower, lower_key, helpers.enterprise_name())
    trust = trust_of(crls=[*dev_crls, crl_of(upper, upper_key), crl_of(lower, lower_key)])
    outcome = code_of(login_as, login, helpers, helpers.pem(leaf, lower, upper), leaf_key, trust=trust)
    assert outcome == (None if allowed else CA_CERT_UNTRUSTED)


def test_path_length_constraint_of_the_trust_anchor_holds_too(dev_ca, make_cert, trust_of, login, helpers):
    root, root_key = make_cert(None, None, "CN=Root with pathlen 0", ca=True, path_length=0)
    intermediate, intermediate_key = make_cert(root, root_key, "CN=Intermediate under pathlen 0", ca=True)
    leaf, leaf_key = make_cert(intermediate, intermediate_key, helpers.enterprise_name())
    direct, direct_key = make_cert(root, root_key, helpers.enterprise_name())
    trust = trust_of(helpers.pem(root), [crl_of(root, root_key), crl_of(intermediate, intermediate_key)],
                     policies=None)
    assert code_of(login_as, login, helpers, helpers.pem(leaf, intermediate), leaf_key, trust=trust) == CA_CERT_UNTRUSTED
    assert login_as(login, helpers, helpers.pem(direct), direct_key, trust=trust).uscc == helpers.USCC


def test_a_self_issued_intermediate_does_not_count_against_the_path_length(dev_ca, make_cert, trust_of, login,
                                                                          helpers):
    """A CA's key rollover certificate (same name, new key) is self-issued: RFC 5280 does not count it."""
    upper, upper_key = make_cert(dev_ca.root_cert("rsa"), dev_ca.root_key("rsa"), "CN=Rolling CA", ca=True,
                                 path_length=0)
    rolled, rolled_key = make_cert(upper, upper_key, "CN=Rolling CA", ca=True)
    leaf, leaf_key = make_cert(rolled, rolled_key, helpers.enterprise_name())
    trust = trust_of(crls=[*(p.read_bytes() for p in dev_ca.crl_paths), crl_of(upper, upper_key),
                           crl_of(rolled, rolled_key)])
    assert login_as(login, helpers, helpers.pem(leaf, rolled, upper), leaf_key, trust=trust).uscc == helpers.USCC


def test_a_ca_certificate_cannot_log_in_itself(dev_ca, make_cert, login, helpers):
    ca_leaf, ca_key = make_cert(dev_ca.root_cert("rsa"), dev_ca.root_key("rsa"), helpers.enterprise_name(), ca=True,
                                key_usage=helpers.key_usage(digital_signature=True, key_cert_sign=True),
                                eku=[x509.oid.ExtendedKeyUsageOID.CLIENT_AUTH], policies=[xjdevca.ENTERPRISE_POLICY_OID])
    assert code_of(login_as, login, helpers, helpers.pem(ca_leaf), ca_key) == CA_CERT_NOT_ENTERPRISE


def test_an_unknown_critical_extension_makes_an_intermediate_unusable(dev_ca, make_cert, login, helpers, now):
    key = dev_ca.root_key("rsa")
    intermediate_key = ec.generate_private_key(ec.SECP256R1())
    intermediate = (
        x509.CertificateBuilder().subject_name(x509.Name.from_rfc4514_string("CN=Odd CA"))
        .issuer_name(dev_ca.root_cert("rsa").subject).public_key(intermediate_key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(helpers.key_usage(key_cert_sign=True, crl_sign=True), critical=True)
        .add_extension(x509.UnrecognizedExtension(x509.ObjectIdentifier("1.3.6.1.4.1.99999.1"), b"\x05\x00"),
                       critical=True)
        .sign(key, hashes.SHA256())
    )
    leaf, leaf_key = make_cert(intermediate, intermediate_key, helpers.enterprise_name())
    assert code_of(login_as, login, helpers, helpers.pem(leaf, intermediate), leaf_key) == CA_CERT_UNTRUSTED


# --- CRLs: revocation fails closed ------------------------------------------------------------


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
def test_a_crl_whose_signature_does_not_verify_refuses_logins_under_that_ca_with_crl_unavailable(
    algorithm, dev_ca, impostor_ca, issue, trust_of, login, now, caplog
):
    issued = issue(algorithm)
    serial = x509.load_pem_x509_certificate(issued.cert_path.read_bytes()).serial_number
    forged = _forged_crl(algorithm, dev_ca, impostor_ca, serial, now).public_bytes(Encoding.DER)
    other_family = "rsa" if algorithm == "sm2" else "sm2"
    trust = trust_of(crls=[forged, dev_ca.crl_path(other_family).read_bytes()])
    with caplog.at_level(logging.WARNING, logger=CRLS_LOGGER):
        assert code_of(login, issued, trust=trust) == CA_CRL_UNAVAILABLE
        assert code_of(login, issued, trust=trust) == CA_CRL_UNAVAILABLE
    warnings = [r for r in caplog.records if r.name == CRLS_LOGGER and "does not verify" in r.getMessage()]
    assert len(warnings) == 1  # checked once, then remembered
    state = {entry["ca"]: entry["state"] for entry in trust.crl_report(now)}
    assert state[dev_ca.root_cert(algorithm).subject.rfc4514_string()] == "bad_signature"


@pytest.mark.parametrize("algorithm", ["rsa", "sm2"])
def test_a_forged_crl_beside_the_genuine_one_is_ignored(algorithm, dev_ca, impostor_ca, issue, trust_of, login, now):
    issued = issue(algorithm)
    serial = x509.load_pem_x509_certificate(issued.cert_path.read_bytes()).serial_number
    forged = _forged_crl(algorithm, dev_ca, impostor_ca, serial, now).public_bytes(Encoding.DER)
    trust = trust_of(crls=[forged, *(path.read_bytes() for path in dev_ca.crl_paths)])
    assert login(issued, trust=trust).uscc


def test_crl_of_a_ca_outside_the_bundle_is_kept_for_intermediates_presented_at_login(dev_ca, now):
    stranger, stranger_key = _stranger_ca(now)
    stranger_crl = (
        x509.CertificateRevocationListBuilder().issuer_name(stranger.subject).last_update(now)
        .next_update(now + timedelta(days=7)).sign(stranger_key, hashes.SHA256())
    )
    trust = TrustStore.from_pem(dev_ca.roots_pem.read_bytes(), [stranger_crl.public_bytes(Encoding.DER)])
    assert len(trust.crls) == 1


def _stranger_ca(now):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name.from_rfc4514_string("CN=Stranger CA")
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(1).not_valid_before(now).not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    return cert, key


def test_a_pem_file_may_hold_several_crls(dev_ca, issue, login, policies, tmp_path):
    revoked = {algorithm: issue(algorithm) for algorithm in ("rsa", "sm2")}
    for issued in revoked.values():
        xjdevca.revoke(dev_ca.directory, issued.cert_path)
    both = tmp_path / "all.crl.pem"
    both.write_bytes(b"".join(path.read_bytes() for path in dev_ca.crl_paths))
    trust = TrustStore.from_files(dev_ca.roots_pem, [str(both), "", "  "], policies=policies)
    assert len(trust.crls) == 2
    for issued in revoked.values():
        assert code_of(login, issued, trust=trust) == CA_CERT_REVOKED


def test_a_crl_past_next_update_is_used_within_the_grace_period_then_refuses_every_login_under_its_ca(
    dev_ca, issue, policies, login, caplog
):
    revoked, fine = issue("sm2"), issue("sm2")
    xjdevca.revoke(dev_ca.directory, revoked.cert_path)
    trust = TrustStore.from_files(dev_ca.roots_pem, dev_ca.crl_paths, policies=policies,
                                  crl_grace=timedelta(hours=4))
    next_update = x509.load_pem_x509_crl(dev_ca.crl_path("sm2").read_bytes()).next_update_utc
    within_grace = next_update + timedelta(hours=3, minutes=59)
    with caplog.at_level(logging.WARNING, logger=TRUST_LOGGER):
        assert code_of(login, revoked, trust=trust, wall_now=within_grace) == CA_CERT_REVOKED
        assert login(fine, trust=trust, wall_now=within_grace).uscc
    assert any("grace period" in r.getMessage() for r in caplog.records)
    past_grace = next_update + timedelta(hours=4, seconds=1)
    error = refused_with(login, fine, trust=trust, wall_now=past_grace)
    assert (error.code, error.status) == (CA_CRL_UNAVAILABLE, 503) and "过期" in error.message
    assert code_of(login, revoked, trust=trust, wall_now=past_grace) == CA_CRL_UNAVAILABLE
    report = {entry["ca"]: entry for entry in trust.crl_report(past_grace)}
    sm2_root = dev_ca.root_cert("sm2").subject.rfc4514_string()
    assert report[sm2_root]["state"] == "stale" and report[sm2_root]["next_update"] == next_update
    assert {entry["ca"]: entry["state"] for entry in trust.crl_report(within_grace)}[sm2_root] == "overdue"


def test_crl_freshness_is_judged_by_the_wall_clock_not_the_business_instant(dev_ca, issue, trust, login, now):
    """The business clock may stand a year ahead (XJ_FAKE_NOW); a current CRL stays current."""
    issued = issue("rsa", now=now + timedelta(days=400))
    assert login(issued, now=now + timedelta(days=400), wall_now=now).uscc


def test_a_missing_crl_file_refuses_logins_under_its_ca_until_it_is_back(dev_ca, issue, policies, login, tmp_path):
    rsa_crl = tmp_path / "crl-rsa.pem"
    trust = TrustStore.from_files(dev_ca.roots_pem, [rsa_crl, dev_ca.crl_path("sm2")], policies=policies)
    assert [(f.state, f.path) for f in trust.crl_files] == [("missing", str(rsa_crl)), ("ok", str(dev_ca.crl_path("sm2")))]
    error = refused_with(login, issue("rsa"), trust=trust)
    assert (error.code, error.status) == (CA_CRL_UNAVAILABLE, 503)
    assert login(issue("sm2"), trust=trust).uscc  # the other CA's logins go on
    rsa_crl.write_bytes(dev_ca.crl_path("rsa").read_bytes())
    trust = TrustStore.from_files(dev_ca.roots_pem, [rsa_crl, dev_ca.crl_path("sm2")], policies=policies)
    assert login(issue("rsa"), trust=trust).uscc


def test_an_unreadable_crl_file_refuses_logins_under_its_ca(dev_ca, issue, policies, login, tmp_path):
    junk = tmp_path / "junk.crl"
    junk.write_text("nothing here")
    trust = TrustStore.from_files(dev_ca.roots_pem, [junk, dev_ca.crl_path("sm2")], policies=policies)
    assert trust.crl_files[0].state == "unreadable"
    assert code_of(login, issue("ecdsa"), trust=trust) == CA_CRL_UNAVAILABLE


def test_a_ca_without_any_crl_refuses_its_logins_unless_allowed_without_one(dev_ca, issue, policies, login, now):
    trust = TrustStore.from_files(dev_ca.roots_pem, [dev_ca.crl_path("sm2")], policies=policies)
    assert code_of(login, issue("rsa"), trust=trust) == CA_CRL_UNAVAILABLE
    assert trust.anchors_without_crl(now) == [dev_ca.root_cert("rsa")]
    rsa_root = dev_ca.root_cert("rsa").subject.rfc4514_string()
    allowed = TrustStore.from_files(dev_ca.roots_pem, [dev_ca.crl_path("sm2")], policies=policies,
                                    crl_optional=[CaSelector.parse(rsa_root, "XJ_CA_CRL_OPTIONAL")])
    assert login(issue("rsa"), trust=allowed).uscc
    assert allowed.anchors_without_crl(now) == []
    assert {e["ca"]: e["state"] for e in allowed.crl_report(now)}[rsa_root] == "not_required"


def test_revoked_keys_of_a_login_are_found_on_a_crl_published_later(dev_ca, issue, trust, login, policies):
    issued = issue("sm2")
    verified = login(issued)
    assert trust.revoked(verified.revocation_keys) is None
    xjdevca.revoke(dev_ca.directory, issued.cert_path)
    later = TrustStore.from_files(dev_ca.roots_pem, dev_ca.crl_paths, policies=policies)
    assert later.revoked(verified.revocation_keys) == verified.revocation_keys[-1]


# --- configuration errors ---------------------------------------------------------------------


def test_missing_or_unreadable_roots_are_a_trust_store_error_not_a_login_refusal(dev_ca, tmp_path):
    with pytest.raises(TrustStoreError):
        TrustStore.from_files(tmp_path / "missing.pem")
    with pytest.raises(TrustStoreError):
        TrustStore.from_files(dev_ca.crl_path("rsa"))  # a CRL is no roots bundle
    with pytest.raises(TrustStoreError):
        TrustStore([])
