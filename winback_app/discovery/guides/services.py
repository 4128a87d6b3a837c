"""Interview guides: the question bank, guides made of ordered questions, their time budget
and the order rule (easy questions first, sensitive ones such as price and discounts later).

Questions live in one bank and are shared: a guide holds them in order through GuideQuestion,
so editing a question changes it in every guide that uses it, and a question is retired, never
deleted, because interview notes point at it.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from winback_app import ordering
from winback_app.discovery.guides.models import STAGES, Guide, GuideQuestion, Question
from winback_app.discovery.interviews.models import Interview
from winback_app.extensions import db
from winback_app.rules import RuleViolation

TEXT_MAX = 500
HINT_MAX = 500
NAME_MAX = 120
DESCRIPTION_MAX = 2000
MINUTES_MIN, MINUTES_MAX = Decimal("0.5"), Decimal("30")
BUDGET_MIN, BUDGET_MAX = 5, 120
DEFAULT_BUDGET = 15
STAGE_ORDER = {stage: index for index, stage in enumerate(STAGES)}


@dataclass(frozen=True)
class OrderWarning:
    """A sensitive question asked before a warm-up one."""

    item: GuideQuestion
    message: str


@dataclass(frozen=True)
class Budget:
    """A guide's questions' minutes against its time budget."""

    total: Decimal
    budget: int

    @property
    def spare(self) -> Decimal:
        """Minutes left (negative when the questions run over)."""
        return Decimal(self.budget) - self.total

    @property
    def over(self) -> bool:
        return self.spare < 0


# --- The question bank -------------------------------------------------------------------


def _text(value: str, limit: int, field: str, missing: str | None = None) -> str:
    """``value`` stripped; refused when longer than ``limit``, or empty when ``missing`` says
    what to write."""
    value = (value or "").strip()
    if missing and not value:
        raise RuleViolation(missing, field)
    if len(value) > limit:
        raise RuleViolation(f"Use at most {limit} characters.", field)
    return value


def _clean_question(text: str, stage: str, minutes, hint: str) -> dict:
    text = _text(text, TEXT_MAX, "text", "Write the question.")
    hint = _text(hint, HINT_MAX, "hint")
    if stage not in STAGES:
        raise RuleViolation("Choose warm-up, core or sensitive.", "stage")
    try:
        minutes = Decimal(str(minutes)).quantize(Decimal("0.1"))
    except (InvalidOperation, TypeError):
        raise RuleViolation("Enter the minutes as a number such as 2 or 1.5.", "minutes") from None
    if not MINUTES_MIN <= minutes <= MINUTES_MAX:
        raise RuleViolation(
            f"Allow between {MINUTES_MIN} and {MINUTES_MAX} minutes for one question.", "minutes"
        )
    return {"text": text, "stage": stage, "minutes": minutes, "hint": hint}


def _new_question(text: str, stage: str, minutes, hint: str) -> Question:
    """A checked question that is not in the bank yet (a form posted twice adds it once)."""
    values = _clean_question(text, stage, minutes, hint)
    same = select(Question.id).where(func.lower(Question.text) == values["text"].lower())
    if db.session.scalar(same.limit(1)) is not None:
        raise RuleViolation("The bank already has this question.", "text")
    return Question(**values)


def add_question(text: str, stage: str, minutes, hint: str = "") -> Question:
    """Add a question to the bank."""
    question = _new_question(text, stage, minutes, hint)
    db.session.add(question)
    db.session.commit()
    return question


def update_question(question: Question, text: str, stage: str, minutes, hint: str) -> Question:
    """Change a question's wording, stage, minutes or hint (in every guide that uses it)."""
    for field, value in _clean_question(text, stage, minutes, hint).items():
        setattr(question, field, value)
    db.session.commit()
    return question


def set_question_retired(question: Question, retired: bool) -> Question:
    """Retire a question (no longer offered for guides) or bring it back."""
    question.retired = retired
    db.session.commit()
    return question


def bank(include_retired: bool = True) -> list[Question]:
    """The bank by stage (warm-up, core, sensitive), then by wording; retired ones last."""
    query = select(Question)
    if not include_retired:
        query = query.where(Question.retired.is_(False))
    questions = db.session.scalars(query.order_by(func.lower(Question.text)))
    return sorted(questions, key=lambda q: (q.retired, STAGE_ORDER[q.stage]))


def question_usage() -> dict[int, int]:
    """{question id: number of guides that use it}."""
    query = select(GuideQuestion.question_id, func.count()).group_by(GuideQuestion.question_id)
    return dict(db.session.execute(query).all())


# --- Guides -----------------------------------------------------------------------------


def _clean_guide(name: str, description: str, budget_minutes) -> dict:
    name = _text(name, NAME_MAX, "name", "Give the guide a name.")
    description = _text(description, DESCRIPTION_MAX, "description")
    if budget_minutes is None or not BUDGET_MIN <= budget_minutes <= BUDGET_MAX:
        raise RuleViolation(
            f"Set a budget between {BUDGET_MIN} and {BUDGET_MAX} minutes.", "budget_minutes"
        )
    return {"name": name, "description": description, "budget_minutes": budget_minutes}


def _save_guide(guide: Guide) -> Guide:
    """Commit, turning a name another guide already has into a message."""
    others = select(Guide.id).where(func.lower(Guide.name) == guide.name.lower())
    if guide.id is not None:
        others = others.where(Guide.id != guide.id)
    if db.session.scalar(others.limit(1)) is not None:
        db.session.rollback()
        raise RuleViolation("Another guide has this name.", "name")
    try:
        db.session.commit()
    except IntegrityError:
        # Someone saved a guide with this name between the check and the commit.
        db.session.rollback()
        raise RuleViolation("Another guide has this name.", "name") from None
    return guide


def create_guide(name: str, description: str, budget_minutes: int, user) -> Guide:
    """A new, empty guide."""
    guide = Guide(**_clean_guide(name, description, budget_minutes), created_by_id=user and user.id)
    with db.session.no_autoflush:
        db.session.add(guide)
        return _save_guide(guide)


def update_guide(guide: Guide, name: str, description: str, budget_minutes: int) -> Guide:
    """Rename a guide, or change its description or time budget."""
    values = _clean_guide(name, description, budget_minutes)
    with db.session.no_autoflush:
        for field, value in values.items():
            setattr(guide, field, value)
        return _save_guide(guide)


def set_guide_retired(guide: Guide, retired: bool) -> Guide:
    """Retire a guide (no longer offered for new interviews) or bring it back."""
    guide.retired = retired
    db.session.commit()
    return guide


def guide_options():
    """Guides with their questions loaded, each in a fixed number of queries."""
    return selectinload(Guide.items).joinedload(GuideQuestion.question)


def load_guide(guide_id: int) -> Guide | None:
    """A guide with its questions in order, or None."""
    return db.session.scalar(select(Guide).where(Guide.id == guide_id).options(guide_options()))


def list_guides(include_retired: bool = True) -> list[Guide]:
    """Guides by name, active ones first, with their questions."""
    query = select(Guide).options(guide_options()).order_by(Guide.retired, func.lower(Guide.name))
    if not include_retired:
        query = query.where(Guide.retired.is_(False))
    return list(db.session.scalars(query))


def interview_count(guide: Guide) -> int:
    """How many interviews use the guide."""
    return db.session.scalar(select(func.count(Interview.id)).where(Interview.guide_id == guide.id))


# --- A guide's questions ----------------------------------------------------------------


def add_to_guide(guide: Guide, question: Question) -> GuideQuestion:
    """Append a bank question to the guide; a question appears in a guide at most once."""
    if question.retired:
        raise RuleViolation(
            "This question is retired; bring it back in the bank first.", "question"
        )
    if any(item.question_id == question.id for item in guide.items):
        raise RuleViolation("This question is already in the guide.", "question")
    item = GuideQuestion(question=question, position=len(guide.items))
    guide.items.append(item)
    db.session.commit()
    return item


def add_new_question(guide: Guide, text: str, stage: str, minutes, hint: str = "") -> GuideQuestion:
    """Write a new question into the bank and append it to the guide, in one transaction."""
    question = _new_question(text, stage, minutes, hint)
    item = GuideQuestion(question=question, position=len(guide.items))
    guide.items.append(item)
    db.session.commit()
    return item


def remove_item(guide: Guide, item: GuideQuestion) -> None:
    """Take a question out of the guide (it stays in the bank and in past interviews' notes)."""
    guide.items.remove(item)
    ordering.renumber(guide.items)
    db.session.commit()


def move_item(guide: Guide, item: GuideQuestion, offset: int) -> None:
    """Move a question up (-1) or down (+1); moving past either end changes nothing."""
    if ordering.move(guide.items, item, offset):
        db.session.commit()
        db.session.refresh(guide, ["items"])


def budget(guide: Guide) -> Budget:
    """The guide's total minutes against its budget."""
    total = sum((item.question.minutes for item in guide.items), Decimal("0"))
    return Budget(total=total, budget=guide.budget_minutes)


def order_warnings(guide: Guide) -> list[OrderWarning]:
    """One warning for each sensitive question that comes before a warm-up question.

    Trust comes first: customers answer questions about price and discounts more openly once
    the easy ones have been asked.
    """
    items = list(guide.items)
    warnings = []
    for index, item in enumerate(items):
        if item.question.stage != "sensitive":
            continue
        later = next((i for i in items[index + 1 :] if i.question.stage == "warm_up"), None)
        if later is not None:
            warnings.append(
                OrderWarning(
                    item,
                    f"“{item.question.text}” is sensitive but comes before the warm-up "
                    f"question “{later.question.text}”. Ask the easy questions first.",
                )
            )
    return warnings
