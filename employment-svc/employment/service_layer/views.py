"""What callers see of an employment (the payload of employment.* events is the domain's:
Employment.event_payload)."""


def employment_view(employment):
    return {
        "id": employment.employment_id,
        "person_id": employment.person_id,
        "person_name": employment.person_name,
        "id_card_masked": employment.id_card_masked,
        "enterprise_uscc": employment.enterprise_uscc,
        "enterprise_name": employment.enterprise_name,
        "contract_start": employment.contract_start,
        "contract_end": employment.contract_end,
        "contract_file_id": employment.contract_file_id,
        "status": employment.status,
        "created_at": employment.created_at,
        "decided_at": employment.decided_at,
        "ended_at": employment.ended_at,
        "end_reason": employment.end_reason,
    }

