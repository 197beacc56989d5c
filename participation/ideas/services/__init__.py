"""What changes a call for ideas: residents' proposals (proposals), their fields (fields), the
staff's analysis and merges (review), the vote and its results (votes), categories and
settings (categories). Callers use the names below."""

from .categories import category_create, category_delete, category_rename, ideas_settings_update
from .proposals import proposal_edit, proposal_submit
from .review import (
    FOLLOW_UP_STATUSES,
    TRANSITIONS,
    proposal_assign,
    proposal_follow_up,
    proposal_mark_eligible,
    proposal_mark_ineligible,
    proposal_merge,
    proposal_note,
    proposal_service_assign,
)
from .votes import proposal_to_vote, proposals_follow_results

__all__ = [
    "FOLLOW_UP_STATUSES",
    "TRANSITIONS",
    "category_create",
    "category_delete",
    "category_rename",
    "ideas_settings_update",
    "proposal_assign",
    "proposal_edit",
    "proposal_follow_up",
    "proposal_mark_eligible",
    "proposal_mark_ineligible",
    "proposal_merge",
    "proposal_note",
    "proposal_service_assign",
    "proposal_submit",
    "proposal_to_vote",
    "proposals_follow_results",
]
