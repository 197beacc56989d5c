import rules
from django.utils.translation import gettext_lazy as _

from participation.rules import can_view, is_space_moderator, may_contribute, phase_allows

from . import selectors

# Checked against the item (or the comment): both know their component.
rules.add_perm(
    "comments.add_comment",
    can_view
    & may_contribute
    & phase_allows("comment", _("Les commentaires sont fermés pendant cette phase.")),
)
rules.add_perm("comments.flag_comment", may_contribute & can_view)
rules.add_perm("comments.moderate_comment", is_space_moderator)
# The moderation queue of the back office: whoever moderates some space's comments.
rules.add_perm(
    "comments.view_moderation_queue",
    lambda user, obj=None: selectors.may_moderate_somewhere(user),
)
rules.add_perm("comments.add_official_reply", is_space_moderator)
rules.add_perm(
    "comments.add_support",
    can_view
    & may_contribute
    & phase_allows("support", _("Les soutiens sont fermés pendant cette phase.")),
)
