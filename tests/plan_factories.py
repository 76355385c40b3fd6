"""Plans and plan letters for the route sweeps (made directly, without the forms)."""

from __future__ import annotations

from portal.auth.models import User
from portal.extensions import db
from portal.plans import letter
from portal.plans.models import PlanGoal, PlanVersion


def make_plan_letter(client, author_id: int):
    """A one-goal concept plan for the client and its letter in her dossier."""
    author = db.session.get(User, author_id)
    version = PlanVersion(client_id=client.id, number=1, created_by_id=author.id)
    version.goals.append(PlanGoal(position=1, own_words="Een eigen kamer",
                                  team_text="Zoeken naar een kamer met begeleiding"))
    db.session.add(version)
    db.session.commit()
    made, _ = letter.make_letter(author, client, [version])
    return made
