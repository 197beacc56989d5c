import rules

from participation.rules import can_view, is_space_moderator

# A showcase: anyone who may see the space reads the council; its moderators and the town's
# staff manage members, meetings (minutes, attendance) and shops.
rules.add_perm("councils.view_council", can_view)
rules.add_perm("councils.change_council", is_space_moderator)
