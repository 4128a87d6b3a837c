"""Signals the outbox sends, so the domains whose emails they are need not be known to it.

``message_sending`` is sent as a message is about to go to a mail server, with the outbox
message's id and its ``invitation_id``: each listener returns ``{placeholder: value}`` for what
is filled in only then (a private link), and its changes are committed before the email leaves.
Nothing filled in is stored. ``message_sent`` and ``message_bounced`` are sent inside the
transaction that records the outcome, before its commit, with the outbox message's id and the
time: a listener's changes are committed with the outcome.
"""

from blinker import Namespace

_signals = Namespace()
message_sending = _signals.signal("outbox-message-sending")
message_sent = _signals.signal("outbox-message-sent")
message_bounced = _signals.signal("outbox-message-bounced")
