"""Signals the outbox sends, so the domains whose emails they are need not be known to it.

Both are sent inside the transaction that records the outcome, before its commit, with the
outbox message's id and the time: a listener's changes are committed with the outcome.
"""

from blinker import Namespace

_signals = Namespace()
message_sent = _signals.signal("outbox-message-sent")
message_bounced = _signals.signal("outbox-message-bounced")
