"""The benchmark's results: a table, the check of each page against its target, and JSON."""

import platform
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from bench.cases import DataSet
from bench.measure import Result

MAX_QUERIES = 12
FLOOR_MULTIPLES = {"floor×3": 3, "floor×2": 2}
REPORTS_MS = 250


def _floor_ms(results: list[Result]) -> float:
    return next(r.median_ms for r in results if r.case.key == "floor")


def _queries(result: Result) -> str:
    low, high = min(result.queries), max(result.queries)
    return str(low) if low == high else f"{low}–{high} (varies!)"


def table(results: list[Result]) -> str:
    """The results as a text table: page, median ms, p95 ms, × floor, queries."""
    floor = _floor_ms(results)
    width = max(len(r.case.name) for r in results) + 2
    lines = [f"{'page':<{width}}{'median ms':>10}{'p95 ms':>10}{'× floor':>9}  queries"]
    for result in results:
        name = result.case.name
        ratio = result.median_ms / floor
        lines.append(
            f"{name:<{width}}{result.median_ms:>10.1f}{result.p95_ms:>10.1f}{ratio:>9.1f}"
            f"  {_queries(result)}"
        )
    return "\n".join(lines)


def check(result: Result, floor_ms: float) -> tuple[bool, str]:
    """Whether ``result`` meets its targets, and a line that says how it stands."""
    parts, met = [], True
    target = result.case.target
    if target in FLOOR_MULTIPLES:
        ratio = result.median_ms / floor_ms
        ok = ratio <= FLOOR_MULTIPLES[target]
        parts.append(f"{ratio:.1f}× floor (≤ {FLOOR_MULTIPLES[target]}×)")
        met &= ok
    elif target == "250 ms":
        ok = result.median_ms <= REPORTS_MS
        parts.append(f"median {result.median_ms:.0f} ms (≤ {REPORTS_MS} ms)")
        met &= ok
    highest = max(result.queries)
    if not result.queries_constant:
        parts.append(f"queries vary {_queries(result)} (must be constant)")
        met = False
    else:
        parts.append(f"{highest} queries (≤ {MAX_QUERIES})")
    met &= highest <= MAX_QUERIES
    return met, f"{'✓' if met else '✗'} {result.case.name}: " + ", ".join(parts)


def checks(results: list[Result]) -> tuple[list[str], str, bool]:
    """A line per page (the floor is the yardstick, not checked), a summary, and all met?"""
    floor = _floor_ms(results)
    lines, missed = [], []
    for result in results:
        if result.case.key == "floor":
            continue
        met, line = check(result, floor)
        lines.append(line)
        if not met:
            missed.append(result.case.name)
    checked = len(lines)
    if missed:
        summary = f"{checked - len(missed)} of {checked} pages meet their targets; missed: "
        summary += ", ".join(missed) + "."
    else:
        summary = f"All {checked} pages measured meet their targets."
    return lines, summary, not missed


def _cpu() -> dict:
    """CPU model and count, from /proc/cpuinfo where there is one."""
    try:
        info = Path("/proc/cpuinfo").read_text()
    except OSError:
        return {"model": platform.processor() or "unknown", "count": None}
    models = [line.split(":", 1)[1].strip() for line in info.splitlines() if "model name" in line]
    count = sum(1 for line in info.splitlines() if line.startswith("processor"))
    return {"model": models[0] if models else "unknown", "count": count}


def _page(result: Result, floor_ms: float) -> dict:
    case = result.case
    page = {
        "key": case.key,
        "page": case.name,
        "method": case.requests[0]["method"] if case.requests else "GET",
        "path": case.path,
        "target": case.target or None,
    }
    met, line = check(result, floor_ms)
    page |= {
        "median_ms": round(result.median_ms, 2),
        "p95_ms": round(result.p95_ms, 2),
        "x_floor": round(result.median_ms / floor_ms, 2),
        "queries": max(result.queries),
        "queries_min": min(result.queries),
        "queries_constant": result.queries_constant,
        "samples": len(result.seconds),
    }
    if case.key != "floor":
        page |= {"met": met, "check": line}
    return page


def as_json(results: list[Result], data: DataSet, iterations: int, warmup: int) -> dict:
    """Everything the table and the checks show, with what was measured on what."""
    floor = _floor_ms(results)
    _lines, summary, all_met = checks(results)
    return {
        "database": data.database,
        "rows": {"accounts": data.accounts, "attempts": data.attempts},
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "sqlalchemy": version("sqlalchemy"),
        "flask": version("flask"),
        "cpu": _cpu(),
        "iterations": iterations,
        "warmup": warmup,
        "opened_as": {"user_id": data.member_id, "name": data.member_name},
        "account_id": data.account_id,
        "plan_id": data.plan_id,
        "floor_ms": round(floor, 2),
        "targets": {
            "list, detail, Today": "median ≤ 3× floor",
            "survey page": "median ≤ 2× floor",
            "Reports": f"median ≤ {REPORTS_MS} ms",
            "every page": f"constant queries, ≤ {MAX_QUERIES}",
        },
        "all_met": all_met,
        "summary": summary,
        "pages": [_page(result, floor) for result in results],
    }
