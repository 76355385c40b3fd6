"""Who sees and changes the budget (subsidies, begroting, realisation) and its posts list.

Procesregie manages and reads the budget: subsidies, begroting, manual entries and the
flexbudget trajecten counted on it (shown by client number only). The beheerder keeps the
list of posts (names, order of adding, active or not) and sees no amounts: naming a post needs
none. Everyone else sees nothing of the budget, not even that a subsidy exists. (The posts pages
are the beheerder's by their ROUTES rule alone: a post holds no amount.)
"""

from __future__ import annotations

from portal.access.policy import roles_of as _roles
from portal.roles import Role

BUDGET_MANAGERS = frozenset({Role.PROCESREGISSEUR})


def can_manage_budget(user) -> bool:
    """Read and change subsidies, their begroting and the manual entries."""
    return bool(_roles(user) & BUDGET_MANAGERS)


def can_see_subsidy(user, subsidy) -> bool:
    return subsidy is not None and can_manage_budget(user)


def can_see_budget_entry(user, entry) -> bool:
    """A manual entry (also a removed one: its history stays readable)."""
    return entry is not None and can_manage_budget(user)
