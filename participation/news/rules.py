import rules

from participation.rules import is_space_moderator

rules.add_perm("news.add_newspost", is_space_moderator)
rules.add_perm("news.change_newspost", is_space_moderator)
rules.add_perm("news.delete_newspost", is_space_moderator)
