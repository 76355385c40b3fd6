"""The main menu of a page: the entries her roles open, their addresses and the entry the page
lies under, decided once per page instead of in the template."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, request, url_for

from portal import access


@dataclass(frozen=True)
class MenuEntry:
    endpoint: str
    label: str
    url: str


@dataclass(frozen=True)
class Menu:
    entries: list[MenuEntry]
    current: str  # the address of the entry this page lies under; "" when none

    @classmethod
    def of(cls, user) -> Menu:
        """Her menu on the current page; empty for a visitor (or outside a request)."""
        if not getattr(user, "is_authenticated", False):
            return cls([], "")
        entries = [MenuEntry(endpoint, label, _address(endpoint))
                   for endpoint, label in access.menu_for(user)]
        return cls(entries, _longest_under(entries, request.path))


def _longest_under(entries: list[MenuEntry], path: str) -> str:
    """The longest menu address that is this path or a folder above it ('/' only itself)."""
    current = ""
    for entry in entries:
        url = entry.url
        if (path == url or (url != "/" and path.startswith(url))) and len(url) > len(current):
            current = url
    return current


def _address(endpoint: str) -> str:
    """url_for of a menu endpoint (none takes arguments), built once per script root: the
    URL map does not change while the app serves."""
    built = current_app.extensions.setdefault("menu_addresses", {})
    key = (request.script_root, endpoint)
    if key not in built:
        built[key] = url_for(endpoint)
    return built[key]
