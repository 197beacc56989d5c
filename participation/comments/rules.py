import rules

from participation.rules import is_space_moderator, may_contribute, phase_allows

# Checked against the item (or the comment): both know their component.
rules.add_perm("comments.add_comment", may_contribute & phase_allows("comment"))
rules.add_perm("comments.flag_comment", may_contribute)
rules.add_perm("comments.moderate_comment", is_space_moderator)
rules.add_perm("comments.add_official_reply", is_space_moderator)
rules.add_perm("comments.add_support", may_contribute & phase_allows("support"))
