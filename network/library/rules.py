"""Who uses the template library in a town's back office: the town's staff browse and preview
it; its administrators publish, copy and rate (the same people who create spaces)."""

import rules

from accounts.rules import is_town_admin, is_town_moderator

rules.add_perm("template_library.view_library", is_town_moderator)
rules.add_perm("template_library.use_library", is_town_admin)
