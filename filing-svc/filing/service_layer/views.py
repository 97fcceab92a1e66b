"""What callers see of registrations and cases (the public payload of the registration events is the
domain's: Registration.public_payload)."""
from filing.domain.businesses import ENTERPRISE_TYPES


def registration_view(registration, today):
    return {
        "uscc": registration.uscc,
        "enterprise_type": registration.enterprise_type,
        "enterprise_type_label": ENTERPRISE_TYPES[registration.enterprise_type],
        "enterprise_name": registration.enterprise_name,
        "status": registration.status_on(today),
        "approved_at": registration.approved_at,
        "valid_until": registration.valid_until,
        "basic": registration.basic,
        "manager": registration.manager,
        "tech_manager": registration.tech_manager,
        "attachments": registration.attachments,
        "qualifications": registration.qualifications,
        "personnel": registration.personnel,
        "cost_projects": registration.cost_projects,
        "booklet_no": registration.booklet_no,
        "updated_at": registration.updated_at,
    }


def case_view(case):
    return {
        "id": case.case_id, "business": case.business, "enterprise_type": case.enterprise_type,
        "status": case.status, "reasons": case.reasons, "submitted_at": case.submitted_at,
        "reviewed_at": case.reviewed_at, "changes": case.changes, "data": case.data,
    }

