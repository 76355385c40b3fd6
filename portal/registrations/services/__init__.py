"""Registration changes, one audited commit each: requests and renewals (`requests`), status
changes and the daily job's steps (`decisions`), the pass and letters (`paperwork`), and what
they share (`common`: history entry, audit event, row lock, dates, numbering).

Every change adds a RegistrationEvent (date, description, user) to the registration's history
and an audit event. Callers use this package's names.
"""

from portal.registrations.services.common import (
    add_months,
    default_valid_until,
    next_registration_number,
)
from portal.registrations.services.decisions import (
    AUTOMATIC_MESSAGE,
    RENEWED,
    Decision,
    check_transition,
    grant,
    lapse,
    mark_expired,
    note_reminder,
    refuse,
    revoke,
    start_processing,
    take_effect,
    transition,
)
from portal.registrations.services.intake import (
    Applicant,
    IntakeData,
    find_applicant,
    open_intake,
    record_intake,
)
from portal.registrations.services.paperwork import (
    REGISTRATION_FIELDS,
    create_letter,
    letter_values,
    pass_issued,
    pass_returned,
)
from portal.registrations.services.requests import (
    RequestData,
    renew,
    renewal_of,
    request_registration,
    update_details,
)

__all__ = [
    "AUTOMATIC_MESSAGE", "REGISTRATION_FIELDS", "RENEWED", "Applicant", "Decision",
    "IntakeData", "RequestData", "find_applicant", "open_intake", "record_intake",
    "check_transition",
    "add_months", "create_letter", "default_valid_until", "grant", "lapse", "letter_values",
    "mark_expired", "next_registration_number", "note_reminder", "pass_issued",
    "pass_returned", "refuse", "renew", "renewal_of", "request_registration", "revoke",
    "start_processing", "take_effect", "transition", "update_details",
]
