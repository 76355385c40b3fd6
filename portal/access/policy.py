"""Role-level building blocks shared by the access rules."""

from __future__ import annotations

from dataclasses import dataclass

from portal.roles import Role


@dataclass(frozen=True)
class Rule:
    """Who may reach an endpoint: everyone, every signed-in user, or the named roles."""

    public: bool = False
    roles: frozenset[Role] | None = None

    def allows_role(self, role: Role | None) -> bool:
        if self.public:
            return True
        if role is None:
            return False
        return self.roles is None or role in self.roles

    def allows(self, user, roles: frozenset[Role] | None = None) -> bool:
        """`roles`: the user's roles, when the caller has them already (the menu checks
        many rules for one user)."""
        if self.public:
            return True
        if not getattr(user, "is_authenticated", False):
            return False
        return self.roles is None or bool((user.roles if roles is None else roles) & self.roles)


PUBLIC = Rule(public=True)
SIGNED_IN = Rule()


def only(*roles: Role) -> Rule:
    return Rule(roles=frozenset(roles))


def roles_of(user) -> frozenset[Role]:
    """The roles of a signed-in user; nobody else has any."""
    return user.roles if getattr(user, "is_authenticated", False) else frozenset()
