"""Who sees registrations: the contact person works with them; others see only a status."""

from __future__ import annotations

from portal.access.dossiers import (  # noqa: F401 - dossier rules about registrations
    can_see_registration_status,
    can_view_client,
    had_intake,
)
from portal.access.policy import roles_of as _roles
from portal.roles import Role


def can_manage_registrations(user) -> bool:
    """The registratiecontactpersoon records requests, decisions, passes and day passes."""
    return Role.REGISTRATIECONTACTPERSOON in _roles(user)


def can_view_registration(user, registration) -> bool:
    return (registration is not None and can_manage_registrations(user)
            and can_view_client(user, registration.client))
