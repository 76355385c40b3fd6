"""Who handles a woman's AVG rights: the privacyfunctionaris, with the casemanager of
that woman. The route rules of the privacy package live here, one table per part; the
object rules (which request, pack or destruction item a user may open) beside them."""

from __future__ import annotations

from portal.access.policy import Rule, only  # noqa: F401
from portal.roles import Role  # noqa: F401

# --- AVG requests register (portal/privacy/request_views.py) ---------------------------
REQUEST_ROUTES: dict[str, Rule] = {}

# --- Inzage pack (portal/privacy/pack_views.py) -----------------------------------------
PACK_ROUTES: dict[str, Rule] = {}

# --- Erasure, retention run, legal holds (portal/privacy/destruction_views.py) ---------
DESTRUCTION_ROUTES: dict[str, Rule] = {}
