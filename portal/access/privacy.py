"""Who handles a woman's AVG rights: the privacyfunctionaris registers, extends and decides
every request; the casemanager assigned to the woman sees the requests about her and adds
her contribution. Nobody else sees the register (it names what a woman asked for)."""

from __future__ import annotations

from portal.access.policy import Rule, only
from portal.access.policy import roles_of as _roles
from portal.roles import Role

REQUEST_ROUTES: dict[str, Rule] = {
    "privacy.requests": only(Role.PRIVACYFUNCTIONARIS, Role.CASEMANAGER),
    "privacy.request_new": only(Role.PRIVACYFUNCTIONARIS),
    "privacy.request_detail": only(Role.PRIVACYFUNCTIONARIS, Role.CASEMANAGER),
    "privacy.request_start": only(Role.PRIVACYFUNCTIONARIS),
    "privacy.request_extend": only(Role.PRIVACYFUNCTIONARIS),
    "privacy.request_decide": only(Role.PRIVACYFUNCTIONARIS),
    "privacy.request_contribute": only(Role.CASEMANAGER),
    "privacy.request_erase": only(Role.PRIVACYFUNCTIONARIS),
    "privacy.holds_page": only(Role.PRIVACYFUNCTIONARIS),
    "privacy.hold_lift": only(Role.PRIVACYFUNCTIONARIS),
    "privacy.destructions": only(Role.PRIVACYFUNCTIONARIS),
    "privacy.destruction_detail": only(Role.PRIVACYFUNCTIONARIS),
    "privacy.destruction_lists": only(Role.PRIVACYFUNCTIONARIS),
    "privacy.destruction_propose": only(Role.PRIVACYFUNCTIONARIS),
    "privacy.destruction_list": only(Role.PRIVACYFUNCTIONARIS),
    "privacy.destruction_hold": only(Role.PRIVACYFUNCTIONARIS),
    "privacy.destruction_execute": only(Role.PRIVACYFUNCTIONARIS),
    "privacy.inzage_start": only(Role.PRIVACYFUNCTIONARIS),
    "privacy.inzage_pack": only(Role.PRIVACYFUNCTIONARIS),
    "privacy.inzage_release": only(Role.PRIVACYFUNCTIONARIS),
    "privacy.inzage_download": only(Role.PRIVACYFUNCTIONARIS),
    "privacy.author_requests": only(Role.DIAGNOSTICUS),
    "privacy.author_answer": only(Role.DIAGNOSTICUS),
}


def handles_requests(user) -> bool:
    return Role.PRIVACYFUNCTIONARIS in _roles(user)


def can_see_request(user, row, client) -> bool:
    """The privacyfunctionaris sees every request; a casemanager those about a woman
    assigned to her (not those of an erased dossier: there is nobody left to assist)."""
    if row is None:
        return False
    return handles_requests(user) or can_contribute(user, row, client)


def can_contribute(user, row, client) -> bool:
    return Role.CASEMANAGER in _roles(user) and client is not None and client.is_assigned(user)
