"""What callers see of a certificate (the payload of cert.* events is the domain's: Certificate.event_payload)."""


def certificate_view(certificate):
    return {
        "id": certificate.certificate_id,
        "kind": certificate.kind,
        "enterprise_uscc": certificate.enterprise_uscc,
        "person_id": certificate.person_id,
        "person_name": certificate.person_name,
        "id_card_masked": certificate.id_card_masked,
        "cert_no": certificate.cert_no,
        "type": certificate.type,
        "specialties": list(certificate.specialties or []),
        "level": certificate.level,
        "issuer": certificate.issuer,
        "issued_on": certificate.issued_on,
        "valid_until": certificate.valid_until,
        "status": certificate.status,
        "filed": certificate.filed,
        "source": certificate.source,
        "synced_at": certificate.synced_at,
        "file_id": (certificate.details or {}).get("file_id"),
    }
