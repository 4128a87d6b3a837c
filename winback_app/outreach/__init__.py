"""Reaching lost accounts: attempts, hit ratio, call-backs, Today, calendar feed, planner,
outreach scripts."""
