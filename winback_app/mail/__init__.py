"""Email: an outbox that stores each message with what caused it, and a sender with retries."""
