"""Only the town's administrators change its look and its legal pages (moderators run spaces,
not the site)."""

import rules

from accounts.rules import is_town_admin

rules.add_perm("theming.change_sitetheme", is_town_admin)
rules.add_perm("theming.change_legalpage", is_town_admin)
rules.add_perm("theming.change_domain", is_town_admin)
rules.add_perm("theming.change_identityprovider", is_town_admin)
