"""Signals other domains listen to, so accounts need not know about them.

``section_saved`` is sent inside the saving transaction, before the commit, with the account,
the names of the fields that changed and the acting user: a listener's changes (for example
the call-backs that follow a new contract date) are committed together with the edit.
"""

from blinker import Namespace

_signals = Namespace()
section_saved = _signals.signal("account-section-saved")
