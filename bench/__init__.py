"""The benchmark: the main pages' server time and SQL queries, against the stack's floor."""


class BenchmarkError(RuntimeError):
    """The benchmark cannot go on; the message says why."""
