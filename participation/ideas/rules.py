"""Who may submit, edit and analyse proposals of a call for ideas."""

import rules

from participation.rules import can_view, is_space_moderator, may_contribute, phase_allows

ADD = "add"


@rules.predicate
def is_proposal_author(user, proposal) -> bool:
    return user.is_authenticated and getattr(proposal, "author_id", None) == user.pk


@rules.predicate
def is_still_submitted(user, proposal) -> bool:
    return getattr(proposal, "status", None) == "submitted" and not getattr(
        proposal, "merged_into_id", None
    )


# Checked against the component (submitting) or the proposal (editing, analysing).
rules.add_perm("ideas.add_proposal", may_contribute & can_view & phase_allows(ADD))
rules.add_perm(
    "ideas.change_proposal",
    may_contribute & can_view & phase_allows(ADD) & is_proposal_author & is_still_submitted,
)
rules.add_perm("ideas.analyse_proposal", is_space_moderator)
