import rules

from accounts.rules import is_town_admin

# The town's integration tokens: its administrators only.
rules.add_perm("integrations.manage_tokens", is_town_admin)
