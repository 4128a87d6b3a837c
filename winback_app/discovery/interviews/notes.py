"""An interview's questions and the notes taken against each, saved as the interviewer types."""

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from winback_app.discovery.guides.models import Question
from winback_app.discovery.interviews.models import Interview, InterviewNote
from winback_app.extensions import db
from winback_app.models import utcnow
from winback_app.rules import RuleViolation

NOTE_MAX = 5000


def questions(interview: Interview) -> list[Question]:
    """The guide's questions in order, then any noted question no longer in the guide."""
    listed = [item.question for item in interview.guide.items] if interview.guide else []
    shown = {question.id for question in listed}
    extra = [n.question for n in sorted(interview.notes, key=lambda n: n.id)]
    return listed + [question for question in extra if question.id not in shown]


def question_of(interview: Interview, question_id: int) -> Question | None:
    """The interview's question with this id, or None when it has no such question."""
    return next((q for q in questions(interview) if q.id == question_id), None)


def _upsert(interview_id: int, question_id: int, text: str) -> None:
    dialect = db.session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(InterviewNote).values(
        interview_id=interview_id, question_id=question_id, text=text, updated_at=utcnow()
    )
    # Only a changed text moves "saved at": repeating a save changes nothing.
    statement = statement.on_conflict_do_update(
        index_elements=["interview_id", "question_id"],
        set_={"text": statement.excluded.text, "updated_at": statement.excluded.updated_at},
        where=InterviewNote.text != statement.excluded.text,
    )
    db.session.execute(statement)


def _check_note(interview: Interview, question_id: int, text: str) -> None:
    if interview.status == "cancelled":
        raise RuleViolation("This interview was cancelled; its notes can no longer change.")
    if question_of(interview, question_id) is None:
        raise RuleViolation("This question is not part of the interview.")
    if len(text) > NOTE_MAX:
        raise RuleViolation(
            f"Not saved: notes are limited to {NOTE_MAX} characters per question.",
            f"note-{question_id}",
        )


def save_note(interview: Interview, question_id: int, text: str) -> InterviewNote:
    """Save what was heard for one question, as typed so far."""
    text = text or ""
    _check_note(interview, question_id, text)
    _upsert(interview.id, question_id, text)
    db.session.commit()
    return db.session.scalar(
        select(InterviewNote).where(
            InterviewNote.interview_id == interview.id, InterviewNote.question_id == question_id
        )
    )


def save_notes(interview: Interview, texts: dict[int, str]) -> None:
    """Save several notes at once (the form posted without JavaScript): all or none."""
    for question_id, text in texts.items():
        _check_note(interview, question_id, text or "")
    for question_id, text in texts.items():
        _upsert(interview.id, question_id, text or "")
    db.session.commit()
