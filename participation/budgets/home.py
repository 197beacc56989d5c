"""What the budgets module gives the town's homepage: the number of votes cast (a key figure,
every ballot of every budget: online, paper and imported)."""

from django.utils.translation import ngettext

from participation.home.blocks import KeyFigure

from .models import Ballot

VOTES_FIGURE = KeyFigure(
    "votes",
    label=lambda count: ngettext("vote", "votes", count),
    value=lambda: Ballot.objects.count(),
    module="budgets",
)
