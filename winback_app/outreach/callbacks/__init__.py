"""Call-backs: the contract schedule, keep-in-touch, manual ones, snooze and done."""
