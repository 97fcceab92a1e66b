"""Is this certificate meant for an enterprise's login? (CA_CERT_NOT_ENTERPRISE otherwise)

A certificate logs an enterprise in only when all of these hold:

1. it is an end entity: not a CA certificate (basicConstraints cA=TRUE);
2. it is a signing certificate: keyUsage, when present, has digitalSignature (an SM2 CA lock's
   encryption certificate, or a nonRepudiation-only one, cannot log in);
3. its extendedKeyUsage, when present, contains clientAuth (a serverAuth-only TLS certificate, or
   an email certificate, cannot log in; anyExtendedKeyUsage does not count);
4. its purpose is declared: when the CA that issued it has enterprise-certificate policies
   configured (``XJ_CA_POLICIES``; the nearest CA on the path that has any), the certificate
   carries one of them in certificatePolicies — then a certificate without extendedKeyUsage passes
   on digitalSignature and the policy. A CA without configured policies must mark the purpose with
   extendedKeyUsage clientAuth instead;
5. its subject is not a person: no person-certificate policy of its CA
   (``XJ_CA_PERSON_POLICIES``), and no resident ID number (GB 11643) in serialNumber, OU or CN —
   even when that number happens to pass GB 32100 as a credit code.
"""

from datetime import date

from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID

from .errors import CA_CERT_NOT_ENTERPRISE, CaLoginError
from .path import CertPath
from .settings import CaPolicies
from .subject import find_resident_id

NOT_A_CA = "该证书是CA机构证书，不能用于登录；请使用CA锁中的企业签名证书登录"
NOT_SIGNING = "该证书不是签名证书（密钥用法不含数字签名），请使用CA锁中的签名证书登录"
NO_CLIENT_AUTH = "该证书的用途不是客户端身份认证（如服务器证书、邮件证书），不能用于登录；请使用CA机构签发的企业身份认证证书（CA锁）"
NO_ENTERPRISE_POLICY = "该证书不是CA机构签发的企业证书（证书策略不符），不能用于企业登录；请使用企业证书（CA锁）登录"
PERSON = "该证书是个人证书，不能用于企业登录；请使用CA机构为企业签发的证书（企业CA锁）登录"


def check_enterprise_purpose(path: CertPath, policies: CaPolicies, today: date | None = None) -> None:
    """Raises CaLoginError(CA_CERT_NOT_ENTERPRISE) unless ``path.leaf`` is meant for enterprise login."""
    leaf = path.leaf
    extensions = leaf.extensions
    constraints = _extension(extensions, x509.BasicConstraints)
    if constraints is not None and constraints.ca:
        raise CaLoginError(CA_CERT_NOT_ENTERPRISE, NOT_A_CA)
    usage = _extension(extensions, x509.KeyUsage)
    if usage is not None and not usage.digital_signature:
        raise CaLoginError(CA_CERT_NOT_ENTERPRISE, NOT_SIGNING)
    extended = _extension(extensions, x509.ExtendedKeyUsage)
    if extended is not None and ExtendedKeyUsageOID.CLIENT_AUTH not in extended:
        raise CaLoginError(CA_CERT_NOT_ENTERPRISE, NO_CLIENT_AUTH)
    held = certificate_policies(leaf)
    rule = policies.rule_for(path.cas)
    if held & rule.person:
        raise CaLoginError(CA_CERT_NOT_ENTERPRISE, PERSON)
    if rule.enterprise:
        if not held & rule.enterprise:
            raise CaLoginError(CA_CERT_NOT_ENTERPRISE, NO_ENTERPRISE_POLICY)
    elif extended is None:
        raise CaLoginError(CA_CERT_NOT_ENTERPRISE, NO_CLIENT_AUTH)
    if find_resident_id(leaf.subject, today) is not None:
        raise CaLoginError(CA_CERT_NOT_ENTERPRISE, PERSON)


def certificate_policies(cert: x509.Certificate) -> frozenset[str]:
    found = _extension(cert.extensions, x509.CertificatePolicies)
    return frozenset(info.policy_identifier.dotted_string for info in found or ())


def _extension(extensions: x509.Extensions, kind):
    try:
        return extensions.get_extension_for_class(kind).value
    except x509.ExtensionNotFound:
        return None
