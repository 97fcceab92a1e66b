"""Certificate purpose (issue 11, item 3): only certificates meant for an enterprise's login log in.

A serverAuth-only certificate, a person's certificate (by the CA's person policy or by a resident
ID number in the subject, even one that passes GB 32100), a certificate without the CA's
enterprise policy: CA_CERT_NOT_ENTERPRISE (401) with a message saying which certificate to use.
"""

import json

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from identity.adapters.ca import CA_CERT_NOT_ENTERPRISE, CaLoginError, CaPolicies, TrustStoreError
from identity.adapters.ca.subject import find_resident_id
from xjkit.testdata import make_id_card
from xjkit.validators import check_uscc
from xjstubs.config import DEFAULT_NATIONAL_DATA

import xjdevca

ALGORITHMS = ("rsa", "ecdsa", "sm2")
OTHER_POLICY = "1.2.156.999.1"


def resident_id_passing_gb_32100() -> str:
    """A valid resident ID number that is also a valid credit code (about one in 340 are)."""
    for seq in range(100, 1000):
        candidate = make_id_card(region="510104", birth="19600101", seq=f"{seq:03d}")
        if check_uscc(candidate) is None:
            return candidate
    raise AssertionError("no such number in the range searched")


ID_AS_USCC = resident_id_passing_gb_32100()


def not_enterprise(login, *args, **kwargs) -> CaLoginError:
    with pytest.raises(CaLoginError) as caught:
        login(*args, **kwargs)
    assert caught.value.code == CA_CERT_NOT_ENTERPRISE, caught.value
    assert caught.value.status == 401
    assert "请" in caught.value.message  # says what to do
    return caught.value


# --- extended key usage and key usage ---------------------------------------------------------


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_a_server_auth_only_certificate_is_not_meant_for_enterprise_login(algorithm, issue, login):
    error = not_enterprise(login, issue(algorithm, eku=("serverAuth",)))
    assert "客户端身份认证" in error.message


def test_an_email_protection_certificate_is_not_meant_for_enterprise_login(issue, login):
    not_enterprise(login, issue("rsa", eku=("emailProtection",)))


def test_client_auth_beside_other_extended_key_usages_logs_in(issue, login):
    assert login(issue("ecdsa", eku=("serverAuth", "clientAuth"))).uscc


def test_any_extended_key_usage_alone_does_not_count_as_client_auth(dev_ca, make_cert, login, helpers):
    cert, key = make_cert(dev_ca.root_cert("rsa"), dev_ca.root_key("rsa"), helpers.enterprise_name(),
                          eku=[ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE])
    not_enterprise(login, cert_pem=helpers.pem(cert), signature=helpers.sign_with(key, b"n" * 32), nonce=b"n" * 32)


def test_a_non_repudiation_only_certificate_is_not_a_login_certificate(dev_ca, make_cert, login, helpers):
    cert, key = make_cert(dev_ca.root_cert("rsa"), dev_ca.root_key("rsa"), helpers.enterprise_name(),
                          key_usage=helpers.key_usage(content_commitment=True))
    error = not_enterprise(login, cert_pem=helpers.pem(cert), nonce=b"n" * 32,
                           signature=helpers.sign_with(key, b"n" * 32))
    assert "签名证书" in error.message


# --- enterprise-certificate policy per CA (XJ_CA_POLICIES) -------------------------------------


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_without_the_cas_enterprise_policy_a_client_auth_certificate_is_refused(algorithm, issue, login):
    error = not_enterprise(login, issue(algorithm, policy=None))
    assert "证书策略" in error.message


def test_digital_signature_and_the_enterprise_policy_log_in_without_extended_key_usage(issue, login):
    """The decision documented in the README: the enterprise policy declares the purpose."""
    assert login(issue("sm2", eku=())).uscc


def test_a_ca_without_configured_policies_needs_client_auth(issue, trust_of, login):
    no_policies = trust_of(policies=CaPolicies())
    assert login(issue("rsa", policy=None), trust=no_policies).uscc
    error = not_enterprise(login, issue("rsa", eku=(), policy=None), trust=no_policies)
    assert "客户端身份认证" in error.message


def test_policies_are_configured_per_ca(dev_ca, issue, trust_of, login):
    """Another policy for the RSA root only: its certificates need that one, the SM2 root's keep theirs."""
    rsa_root = dev_ca.root_cert("rsa").subject.rfc4514_string()
    sm2_root = dev_ca.root_cert("sm2").subject.rfc4514_string()
    trust = trust_of(policies=CaPolicies.parse(f"{rsa_root}={OTHER_POLICY};{sm2_root}={xjdevca.ENTERPRISE_POLICY_OID}"))
    not_enterprise(login, issue("rsa"), trust=trust)
    assert login(issue("sm2"), trust=trust).uscc


def test_a_ca_is_named_by_its_subject_key_identifier_too(dev_ca, issue, trust_of, login):
    root = dev_ca.root_cert("rsa")
    ski = root.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest.hex(":").upper()
    trust = trust_of(policies=CaPolicies.parse(f"{ski}={OTHER_POLICY}|{xjdevca.ENTERPRISE_POLICY_OID}"))
    assert login(issue("rsa"), trust=trust).uscc
    trust = trust_of(policies=CaPolicies.parse(f"{ski}={OTHER_POLICY}"))
    not_enterprise(login, issue("rsa"), trust=trust)


def test_a_policy_named_on_the_root_covers_its_intermediates_unless_they_have_their_own(
    dev_ca, make_cert, trust_of, login, helpers
):
    root, root_key = dev_ca.root_cert("rsa"), dev_ca.root_key("rsa")
    intermediate, intermediate_key = make_cert(root, root_key, "CN=Policy Intermediate CA", ca=True)
    leaf, leaf_key = make_cert(intermediate, intermediate_key, helpers.enterprise_name())
    crls = [path.read_bytes() for path in dev_ca.crl_paths] + [_empty_crl(intermediate, intermediate_key)]
    nonce = b"n" * 32
    attempt = dict(cert_pem=helpers.pem(leaf, intermediate), nonce=nonce, signature=helpers.sign_with(leaf_key, nonce))
    assert login(trust=trust_of(crls=crls), **attempt).uscc  # the root's policy applies below it
    own = CaPolicies.parse(f"{root.subject.rfc4514_string()}={xjdevca.ENTERPRISE_POLICY_OID};"
                           f"{intermediate.subject.rfc4514_string()}={OTHER_POLICY}")
    not_enterprise(login, trust=trust_of(crls=crls, policies=own), **attempt)


def _empty_crl(issuer, key):
    from datetime import datetime, timedelta, timezone

    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.serialization import Encoding
    now = datetime.now(timezone.utc)
    return (x509.CertificateRevocationListBuilder().issuer_name(issuer.subject).last_update(now)
            .next_update(now + timedelta(days=1)).sign(key, hashes.SHA256()).public_bytes(Encoding.DER))


@pytest.mark.parametrize("setting", ["CN=Some CA=not-an-oid", "=1.2.3", "no-equals-sign", "zz:zz=1.2.3"])
def test_a_malformed_policy_setting_is_refused_naming_the_variable(setting):
    for arguments, variable in (((setting,), "XJ_CA_POLICIES"), (("", setting), "XJ_CA_PERSON_POLICIES")):
        with pytest.raises(TrustStoreError) as refused:
            CaPolicies.parse(*arguments)
        assert variable in str(refused.value)


# --- persons are not enterprises --------------------------------------------------------------


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_a_person_certificate_of_the_ca_is_not_an_enterprise(algorithm, issue, login):
    """The CA marks it with its person-certificate policy (XJ_CA_PERSON_POLICIES)."""
    person = issue(algorithm, uscc=None, person=make_id_card(), name="张三")
    error = not_enterprise(login, person)
    assert "个人证书" in error.message


def test_the_person_policy_wins_even_beside_the_enterprise_policy_and_a_uscc(dev_ca, make_cert, login, helpers):
    cert, key = make_cert(dev_ca.root_cert("rsa"), dev_ca.root_key("rsa"), helpers.enterprise_name(),
                          policies=[xjdevca.ENTERPRISE_POLICY_OID, xjdevca.PERSON_POLICY_OID])
    not_enterprise(login, cert_pem=helpers.pem(cert), nonce=b"n" * 32, signature=helpers.sign_with(key, b"n" * 32))


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_a_resident_id_number_that_passes_gb_32100_does_not_make_an_enterprise(algorithm, issue, login):
    """Issue 11: a personal certificate whose serialNumber is an ID number that happens to pass
    GB 32100 got an enterprise account. Even issued under the enterprise policy it is refused."""
    assert check_uscc(ID_AS_USCC) is None
    issued = issue(algorithm, uscc=ID_AS_USCC, name="张三")
    error = not_enterprise(login, issued)
    assert "个人证书" in error.message


@pytest.mark.parametrize("value", [
    f"SF{ID_AS_USCC}", f"041@Z{make_id_card(seq='202')}@张三@00000001", f"张三 {make_id_card(birth='19851231')}",
])
def test_a_resident_id_number_inside_a_longer_subject_value_is_found(value):
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, value)])
    assert find_resident_id(subject) is not None


def test_no_credit_code_of_the_national_dataset_reads_as_a_resident_id_number():
    for enterprise in json.loads(DEFAULT_NATIONAL_DATA.read_text(encoding="utf-8"))["enterprises"]:
        subject = x509.Name([x509.NameAttribute(NameOID.SERIAL_NUMBER, enterprise["uscc"]),
                             x509.NameAttribute(NameOID.COMMON_NAME, f"041@{enterprise['uscc']}@00000001")])
        assert find_resident_id(subject) is None, enterprise["uscc"]


def test_a_number_failing_gb_11643_is_not_a_person(issue, login):
    """Eighteen digits with a wrong check digit are not an ID number: the USCC check decides."""
    bogus = make_id_card()[:-1] + ("0" if make_id_card()[-1] != "0" else "1")
    subject = x509.Name([x509.NameAttribute(NameOID.SERIAL_NUMBER, bogus)])
    assert find_resident_id(subject) is None
