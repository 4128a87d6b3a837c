"""The evidence library: "what's different now" items, their metrics, proof files and ranking.

Proof files are checked by their first bytes, not by the name the browser sent, and are stored
in the instance folder under a random name, so a file can neither pose as another type nor
choose where it lands.
"""

import secrets
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from flask import current_app
from sqlalchemy import exists, false, func, select
from sqlalchemy.orm import selectinload

from winback_app.accounts.models import LossReason
from winback_app.extensions import db
from winback_app.plans.evidence.models import Evidence, evidence_reasons
from winback_app.plans.models import PlanSolution
from winback_app.rules import RuleViolation

MAX_PROOF_BYTES = 5 * 1024 * 1024
# Leading bytes of each accepted type → its content type and file extension.
SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
)
WRONG_TYPE = "Upload a PDF, PNG or JPEG file."
TOO_BIG = "The file is larger than 5 MB. Upload a smaller one."
IN_USE = "This evidence is used by a plan: retire it instead."
# The metric columns hold 14 digits with 4 decimals.
METRIC_MAX = Decimal(10) ** 10
TEXT_FIELDS = ("title", "what_changed", "metric_name", "metric_unit", "proof_url")


@dataclass(frozen=True)
class Proof:
    """An uploaded proof file that passed the checks, not yet stored."""

    data: bytes
    filename: str
    content_type: str
    extension: str


def metric_change(before: Decimal | None, after: Decimal | None) -> Decimal | None:
    """The change from ``before`` to ``after`` in whole percent; None when it has no base.

    A before of 0 (or a missing value) has no percentage change, so callers show the
    absolute change instead.
    """
    if before is None or after is None or before == 0:
        return None
    percent = (Decimal(after) - Decimal(before)) / abs(Decimal(before)) * 100
    return percent.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def metric_text(evidence: Evidence) -> str:
    """The metric as people read it: "returns 4.0% → 0.2% (−95%)"; "" without a metric."""
    before, after = evidence.metric_before, evidence.metric_after
    if before is None or after is None:
        return ""
    unit = evidence.metric_unit or ""
    places = _places(before, after)
    change = metric_change(before, after)
    if change is None:
        delta = Decimal(after) - Decimal(before)
        change_text = f"{'+' if delta >= 0 else '−'}{_plain(abs(delta), places)}{unit}"
    else:
        change_text = f"{'+' if change >= 0 else '−'}{abs(change)}%"
    name = f"{evidence.metric_name} " if evidence.metric_name else ""
    return f"{name}{_plain(before, places)}{unit} → {_plain(after, places)}{unit} ({change_text})"


def _places(*values) -> int:
    """How many decimals the values need (4.0000 and 0.2000 → 1), so both show alike."""
    return max(max(0, -Decimal(v).normalize().as_tuple().exponent) for v in values)


def _plain(value, places: int) -> str:
    return f"{Decimal(value):.{places}f}"


def check_proof(data: bytes, filename: str) -> Proof:
    """Accept a PDF, PNG or JPEG under the size cap, judged by content; raise otherwise."""
    if len(data) > MAX_PROOF_BYTES:
        raise RuleViolation(TOO_BIG, "proof")
    for magic, content_type, extension in SIGNATURES:
        if data.startswith(magic):
            name = Path(filename or "proof").name[:255] or "proof"
            return Proof(data, name, content_type, extension)
    raise RuleViolation(WRONG_TYPE, "proof")


def proof_folder() -> Path:
    """Where proof files live: instance/evidence/."""
    return Path(current_app.instance_path) / "evidence"


def proof_path(evidence: Evidence) -> Path | None:
    """The stored proof file of ``evidence``, or None when it has none."""
    return proof_folder() / evidence.proof_file if evidence.proof_file else None


def _clean(values: dict) -> dict:
    cleaned = {name: (values.get(name) or "").strip() for name in TEXT_FIELDS}
    if not cleaned["title"]:
        raise RuleViolation("Enter a title.", "title")
    before, after = values.get("metric_before"), values.get("metric_after")
    if (before is None) != (after is None):
        raise RuleViolation(
            "Enter both the before and the after value, or neither.", "metric_after"
        )
    if any(value is not None and abs(value) >= METRIC_MAX for value in (before, after)):
        raise RuleViolation("Enter a value below 10 billion.", "metric_before")
    cleaned.update(
        effective_on=values.get("effective_on"), metric_before=before, metric_after=after
    )
    return cleaned


def _reasons(reason_ids) -> list[LossReason]:
    ids = {int(i) for i in reason_ids or ()}
    if not ids:
        return []
    found = db.session.scalars(select(LossReason).where(LossReason.id.in_(ids))).all()
    if len(found) != len(ids):
        raise RuleViolation("Choose reasons from the list.", "reason_ids")
    return list(found)


def _store(evidence: Evidence, proof: Proof | None) -> Path | None:
    """Write ``proof`` under a fresh random name; return the path so a failure can remove it."""
    if proof is None:
        return None
    folder = proof_folder()
    folder.mkdir(parents=True, exist_ok=True)
    name = secrets.token_hex(16) + proof.extension
    path = folder / name
    path.write_bytes(proof.data)
    evidence.proof_file = name
    evidence.proof_filename = proof.filename
    evidence.proof_content_type = proof.content_type
    return path


def _save(evidence: Evidence, values: dict, reason_ids, proof: Proof | None) -> Evidence:
    """Apply the values and the proof in one transaction; a new file is removed on failure."""
    cleaned = _clean(values)
    reasons = _reasons(reason_ids)
    old = proof_path(evidence) if proof else None
    for name, value in cleaned.items():
        setattr(evidence, name, value)
    evidence.reasons = reasons
    db.session.add(evidence)
    written = _store(evidence, proof)
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        if written:
            written.unlink(missing_ok=True)
        raise
    if old:
        old.unlink(missing_ok=True)
    return evidence


def create(values: dict, reason_ids, user, proof: Proof | None = None) -> Evidence:
    """Add an evidence item (not approved yet) with its reasons and optional proof file."""
    return _save(Evidence(created_by=user), values, reason_ids, proof)


def update(evidence: Evidence, values: dict, reason_ids, proof: Proof | None = None) -> Evidence:
    """Change an evidence item; a new proof file replaces the old one."""
    return _save(evidence, values, reason_ids, proof)


def set_flag(evidence: Evidence, flag: str, value: bool) -> Evidence:
    """Approve or unapprove, retire or restore an evidence item."""
    if flag not in ("approved", "retired"):
        raise ValueError(flag)
    setattr(evidence, flag, value)
    db.session.commit()
    return evidence


def in_use(evidence: Evidence) -> bool:
    """True when a plan solution refers to ``evidence``."""
    return db.session.scalar(select(exists().where(PlanSolution.evidence_id == evidence.id)))


def delete(evidence: Evidence) -> None:
    """Delete unused evidence and its file; evidence a plan uses can only be retired."""
    if in_use(evidence):
        raise RuleViolation(IN_USE)
    path = proof_path(evidence)
    db.session.delete(evidence)
    db.session.commit()
    if path:
        path.unlink(missing_ok=True)


def library(reason_id: int | None = None, approved: bool | None = None) -> list[Evidence]:
    """The library, newest first, filtered by a reason it answers and by approval."""
    query = (
        select(Evidence)
        .options(selectinload(Evidence.reasons).joinedload(LossReason.category))
        .order_by(Evidence.retired, Evidence.effective_on.desc().nulls_last(), Evidence.id.desc())
    )
    if reason_id is not None:
        query = query.where(
            Evidence.id.in_(
                select(evidence_reasons.c.evidence_id).where(
                    evidence_reasons.c.reason_id == reason_id
                )
            )
        )
    if approved is not None:
        query = query.where(Evidence.approved.is_(approved))
    return list(db.session.scalars(query))


def suggestions(reason_ids: set[int], limit: int = 20) -> list[tuple[Evidence, int]]:
    """Approved, current evidence ranked by how many of ``reason_ids`` it answers, then newest.

    Evidence that answers none of the reasons still follows, so the picker always has
    something to offer.
    """
    matches = func.count(evidence_reasons.c.reason_id)
    joined = evidence_reasons.c.evidence_id == Evidence.id
    # Without reasons nothing matches, and all approved evidence ranks by date.
    joined = joined & (evidence_reasons.c.reason_id.in_(reason_ids) if reason_ids else false())
    query = (
        select(Evidence, matches)
        .outerjoin(evidence_reasons, joined)
        .where(Evidence.approved.is_(True), Evidence.retired.is_(False))
        .group_by(Evidence.id)
        .order_by(
            matches.desc(),
            Evidence.effective_on.desc().nulls_last(),
            Evidence.id.desc(),
        )
        .limit(limit)
    )
    return [(evidence, count) for evidence, count in db.session.execute(query)]
