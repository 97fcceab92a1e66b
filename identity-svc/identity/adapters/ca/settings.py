"""Per-CA settings: which CA a setting names, and the certificate policies that mark its enterprise
(and person) certificates.

A CA is named by its subject DN in RFC 4514 form (``CN=XJ Dev Root CA (RSA),O=…,C=CN``, as
``openssl x509 -noout -subject -nameopt RFC2253`` prints it) or by the hex of its
subjectKeyIdentifier (colons optional). Lists of settings are separated by ``;``::

    XJ_CA_POLICIES="CN=Some CA,O=Some CA Co.,C=CN=1.2.156.1.2.3|1.2.156.1.2.4;0A1B2C…=1.2.156.9.9"

Each entry is ``<CA>=<OID>[|<OID>…]``; the last ``=`` separates the CA from its OIDs (OIDs hold no
``=``). A DN that itself contains ``;`` must be given by its subjectKeyIdentifier.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from cryptography import x509

from .errors import TrustStoreError

_OID = re.compile(r"[0-2](\.(0|[1-9][0-9]*))+")
_HEX = re.compile(r"[0-9A-Fa-f]+")


@dataclass(frozen=True)
class CaSelector:
    """One CA named in a setting: by subject DN or by subjectKeyIdentifier."""

    text: str
    dn: str | None = None  # normalised RFC 4514
    key_id: bytes | None = None

    @classmethod
    def parse(cls, text: str, variable: str) -> "CaSelector":
        text = text.strip()
        if "=" in text:
            try:
                name = x509.Name.from_rfc4514_string(text)
            except ValueError as exc:
                raise TrustStoreError(f"{variable}: {text!r} is not an RFC 4514 DN ({exc})") from None
            return cls(text, dn=name.rfc4514_string())
        compact = re.sub(r"[\s:]", "", text)
        if not compact or not _HEX.fullmatch(compact) or len(compact) % 2:
            raise TrustStoreError(f"{variable}: {text!r} is neither a CA subject DN nor a subjectKeyIdentifier in hex")
        return cls(text, key_id=bytes.fromhex(compact))

    def matches(self, ca: x509.Certificate) -> bool:
        if self.dn is not None:
            return ca.subject.rfc4514_string() == self.dn
        try:
            ski = ca.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
        except (x509.ExtensionNotFound, ValueError):
            return False
        return ski == self.key_id


def parse_ca_list(text: str | None, variable: str) -> tuple[CaSelector, ...]:
    """``<CA>;<CA>…`` (for example XJ_CA_CRL_OPTIONAL)."""
    return tuple(CaSelector.parse(item, variable) for item in _entries(text))


@dataclass(frozen=True)
class PolicyRule:
    """What the certificate policies of a login certificate must (and must not) hold."""

    enterprise: frozenset[str] = frozenset()  # one of these is required, when any is configured
    person: frozenset[str] = frozenset()  # any of these marks a person's certificate


@dataclass(frozen=True)
class CaPolicies:
    """Enterprise-certificate policies per CA (``XJ_CA_POLICIES``) and person-certificate policies
    per CA (``XJ_CA_PERSON_POLICIES``)."""

    enterprise: tuple[tuple[CaSelector, frozenset[str]], ...] = ()
    person: tuple[tuple[CaSelector, frozenset[str]], ...] = field(default=())

    @classmethod
    def parse(cls, enterprise_text: str | None = "", person_text: str | None = "") -> "CaPolicies":
        return cls(_policy_entries(enterprise_text, "XJ_CA_POLICIES"),
                   _policy_entries(person_text, "XJ_CA_PERSON_POLICIES"))

    def rule_for(self, cas: Sequence[x509.Certificate]) -> PolicyRule:
        """The rule for a certificate issued by ``cas[0]`` (its issuer first, the trust anchor last).
        Enterprise policies come from the nearest CA that has any configured, so naming a root
        covers the intermediates under it unless they are named themselves; person policies of
        every CA on the path count."""
        enterprise = frozenset()
        for ca in cas:
            found = [oids for selector, oids in self.enterprise if selector.matches(ca)]
            if found:
                enterprise = frozenset().union(*found)
                break
        person = frozenset().union(*(oids for ca in cas for selector, oids in self.person if selector.matches(ca)))
        return PolicyRule(enterprise, person)

    def configured_for(self, ca: x509.Certificate) -> bool:
        return any(selector.matches(ca) for selector, _ in self.enterprise)


def _policy_entries(text: str | None, variable: str):
    entries = []
    for item in _entries(text):
        selector_text, equals, oids_text = item.rpartition("=")
        if not equals or not selector_text.strip():
            raise TrustStoreError(f"{variable}: {item!r} is not <CA DN or subjectKeyIdentifier>=<OID>[|<OID>…]")
        oids = [oid.strip() for oid in oids_text.split("|") if oid.strip()]
        bad = [oid for oid in oids if not _OID.fullmatch(oid)]
        if not oids or bad:
            raise TrustStoreError(f"{variable}: {oids_text!r} is not a list of policy OIDs (dotted numbers, '|' between)")
        entries.append((CaSelector.parse(selector_text, variable), frozenset(oids)))
    return tuple(entries)


def _entries(text: str | None) -> Iterable[str]:
    return [item.strip() for item in re.split(r"[;\n]", text or "") if item.strip()]
