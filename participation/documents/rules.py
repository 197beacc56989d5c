import rules

from participation.rules import can_view, is_space_moderator

rules.add_perm("documents.view_document", can_view)
rules.add_perm("documents.add_document", is_space_moderator)
rules.add_perm("documents.delete_document", is_space_moderator)
