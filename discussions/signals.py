"""Extension points of this app for the apps above it (see docs/architecture.md).

Sent once the transaction commits; every signal carries `actor`.
"""

from django.dispatch import Signal

# `posts`: published posts of one announcement (one per target community), whose communities'
# members are told (once per person).
announced = Signal()
# `post` or `comment` (the other is None) and `people`: those written as @login in it who may
# read it, not told of it before.
mentioned = Signal()
# `topic`, `reply` and `people`: those written as @login in a forum reply who read the forum.
mentioned_in_topic = Signal()
# `community_id` and `what` ("post", "comment", "reaction", "topic", "reply", "chat"): someone
# took part in the community's feed, forum or chat (counted by the activity statistics as an
# active action).
contributed = Signal()
# `community_id`, `poll` and `actor`: someone voted in a poll of the community's feed for the
# first time (a changed vote is not sent again); counted by the activity statistics as feedback.
poll_answered = Signal()
# `poll` (a Poll): closed early by its author or a moderator; its voters are told the results
# are final (a poll that reaches its closing time is found by the daily reminders instead).
poll_closed = Signal()
# `planned` (a PlannedPublication): a publication was planned for its responsible member, who is
# told.
publication_planned = Signal()
# `report`: a new report of a post, comment, topic or reply; its community's moderators are told.
reported = Signal()
# `action` (a ModerationAction): a moderator hid or restored an item, closed or opened it, muted
# or unmuted a member; the item's author (the member) is told.
moderated = Signal()
