"""Answering a survey through its private link: whose link it is and what state it is in,
reading posted answers (refusing what is malformed), storing one response per invitation,
adding answers bound to loss reasons to the account's customer view, and unsubscribing.
"""

from collections.abc import Callable, Mapping
from datetime import date

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from winback_app import tokens
from winback_app.accounts import history, services
from winback_app.accounts.models import Account, AccountReason, LossReason
from winback_app.discovery.incentives import services as incentives
from winback_app.discovery.invitations.models import Answer, Invitation, Response
from winback_app.discovery.public import donation
from winback_app.discovery.surveys.models import Survey, SurveyOption, SurveyQuestion
from winback_app.extensions import db
from winback_app.models import utcnow

TEXT_ANSWER_MAX = 2000
SCALES = {"rating": (1, 5), "likelihood": (0, 10)}
ATTEMPTS = 3
# Control characters other than tab and newlines: PostgreSQL refuses NUL in text, and none
# of them belongs in an answer.
CONTROL = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n\r")


def invitation_for(token: str | None) -> Invitation | None:
    """The invitation of ``token`` with its survey, contact and account; None when unknown."""
    return tokens.lookup(
        Invitation,
        token,
        joinedload(Invitation.survey),
        joinedload(Invitation.contact),
        joinedload(Invitation.account),
    )


def link_state(invitation: Invitation | None) -> str:
    """The link's state: answered, open, closed, expired, or unknown (no such link, or its
    survey is still a draft)."""
    if invitation is None or invitation.survey.status == "draft":
        return "unknown"
    if invitation.answered_at is not None:
        return "answered"
    if invitation.survey.status == "closed":
        return "closed"
    if invitation.expires_at <= utcnow():
        return "expired"
    return "open"


def with_questions(survey: Survey) -> Survey:
    """``survey`` with its questions, their options and the options' reasons, in one query.

    The survey itself came with its invitation, so only what hangs from it is read; a survey
    has a few questions of a few options each, so they are joined rather than fetched apart.
    """
    questions = (
        db.session.scalars(
            select(SurveyQuestion)
            .where(SurveyQuestion.survey_id == survey.id)
            .order_by(SurveyQuestion.position)
            .options(
                joinedload(SurveyQuestion.options)
                .joinedload(SurveyOption.reason)
                .joinedload(LossReason.category)
            )
        )
        .unique()
        .all()
    )
    set_committed_value(survey, "questions", questions)
    return survey


def mark_opened(invitation: Invitation) -> None:
    """Note when the link was first opened (the results count opened, unanswered links)."""
    if invitation.opened_at is None:
        invitation.opened_at = utcnow()
        db.session.commit()


def field_name(question: SurveyQuestion) -> str:
    """The form field that carries a question's answer."""
    return f"q{question.id}"


def _scale(question: SurveyQuestion, raw: list[str]):
    low, high = SCALES[question.kind]
    message = f"Choose a number from {low} to {high}."
    if not raw or raw == [""]:
        return None, message if question.required else None
    if len(raw) == 1 and len(raw[0]) <= 2 and raw[0].isdecimal() and low <= int(raw[0]) <= high:
        return int(raw[0]), None
    return None, message


def _choices(question: SurveyQuestion, raw: list[str]):
    valid = {str(option.id): option.id for option in question.options}
    raw = [value for value in raw if value]
    chosen = [valid[value] for value in dict.fromkeys(raw) if value in valid]
    if len(chosen) != len(set(raw)) or (question.kind == "single" and len(chosen) > 1):
        return chosen[:1] if question.kind == "single" else chosen, "Choose from the options given."
    if question.required and not chosen:
        return chosen, "Choose at least one." if question.kind == "multiple" else "Choose one."
    return chosen, None


def _text(question: SurveyQuestion, raw: list[str]):
    # Browsers send a typed line break as CRLF; count it as the one character it was.
    text = (raw[0] if raw else "").replace("\r\n", "\n").translate(CONTROL).strip()
    if len(text) > TEXT_ANSWER_MAX:
        return text, f"Please keep this under {TEXT_ANSWER_MAX} characters (it has {len(text)})."
    if question.required and not text:
        return text, "Please answer this question."
    return text, None


READERS: dict[str, Callable] = {
    "rating": _scale,
    "likelihood": _scale,
    "single": _choices,
    "multiple": _choices,
    "text": _text,
}


def read_answers(survey: Survey, form: Mapping[str, list[str]]):
    """The answers by question id, and a message by question id for each one refused.

    ``form`` maps field names to all their posted values. Answers are kept even when refused
    where they can be shown again (typed text, valid choices), so nobody types twice. When
    nothing at all was answered, the message is under the key ``None``; when a donation is
    offered, the charity picked is under ``donation.FIELD``.
    """
    answers, errors = {}, {}
    for question in survey.questions:
        value, error = READERS[question.kind](question, list(form.get(field_name(question), [])))
        answers[question.id] = value
        if error:
            errors[question.id] = error
    if not errors and all(value in (None, "", []) for value in answers.values()):
        errors[None] = "Please answer at least one question before sending."
    offered = incentives.charities()
    if offered:
        answers[donation.FIELD], error = donation.read_charity(offered, form)
        if error:
            errors[donation.FIELD] = error
    return answers, errors


def submit(invitation: Invitation, answers: dict, noted_on: date) -> bool:
    """Store the response of ``invitation``; False when it had already been answered.

    One transaction: the response, its answers, the invitation's answered time and the
    account's new customer reasons. The unique response per invitation makes a double click
    or a second tab store nothing twice.
    """
    return _retrying(lambda: _store(invitation, answers, noted_on))


def unsubscribe(invitation: Invitation) -> None:
    """Stop survey emails to the invitation's contact, at once; the account's history says so."""

    def apply() -> bool:
        contact, now = invitation.contact, utcnow()
        invitation.unsubscribed_at = invitation.unsubscribed_at or now
        if contact.unsubscribed_at is None:
            contact.unsubscribed_at = now
            history.record(
                invitation.account,
                None,
                "contact",
                contact.name,
                f"{contact.name}: unsubscribed from survey emails",
            )
            invitation.account.updated_at = now
        db.session.commit()
        return True

    _retrying(apply)


def _retrying(action: Callable[[], bool]) -> bool:
    """Run ``action`` and commit; when another request changed the same rows meanwhile (a
    teammate saving the account, a second submit), start again from what is stored now."""
    for attempt in range(ATTEMPTS):
        try:
            return action()
        except (IntegrityError, StaleDataError):
            db.session.rollback()
            if attempt == ATTEMPTS - 1:
                raise
    return False


def _store(invitation: Invitation, answers: dict, noted_on: date) -> bool:
    if invitation.answered_at is not None:
        return False
    now = utcnow()
    response = Response(invitation=invitation, submitted_at=now)
    rows, reasons = [], []
    for question in invitation.survey.questions:
        value = answers.get(question.id)
        if question.kind in SCALES and value is not None:
            rows.append(_answer(question, number=value))
        elif question.kind == "text" and value:
            rows.append(_answer(question, text=value))
        elif question.kind in ("single", "multiple"):
            options = {option.id: option for option in question.options}
            for option_id in value or []:
                rows.append(_answer(question, option_id=option_id))
                reasons.append(options[option_id].reason)
    invitation.answered_at = now
    db.session.add(response)
    db.session.flush()
    if rows:
        # One statement for all the answers, however many there are: with NULLs written out,
        # every row has the same columns and the rows go as one batch.
        db.session.execute(
            insert(Answer).execution_options(render_nulls=True),
            [{**row, "response_id": response.id} for row in rows],
        )
    _add_customer_reasons(invitation.account, [r for r in reasons if r], noted_on)
    if donation.FIELD in answers:
        incentives.survey_thank_you(invitation, donation.picked(answers[donation.FIELD]))
    db.session.commit()
    return True


def _answer(question: SurveyQuestion, number=None, text="", option_id=None) -> dict:
    return {"question_id": question.id, "number": number, "text": text, "option_id": option_id}


def _reasons_text(choices: list[tuple[LossReason, bool]]) -> str:
    """The reasons of a view as its history shows them: the primary first, by category."""
    ordered = sorted(choices, key=lambda c: (not c[1], c[0].category.position))
    return ", ".join(
        f"{reason.label}{' (primary)' if primary else ''}" for reason, primary in ordered
    )


def _add_customer_reasons(account: Account, reasons: list[LossReason], noted_on: date) -> None:
    """Add the reasons the customer chose to their view, marked as from the survey.

    The reasons already there keep their own source and date, and the primary stays; with no
    primary yet, the first reason chosen becomes it.
    """
    if not reasons:
        return
    before = [
        (choice.reason, choice.is_primary)
        for choice in db.session.scalars(
            select(AccountReason)
            .where(AccountReason.account_id == account.id, AccountReason.view == "customer")
            .order_by(AccountReason.id)
            .options(joinedload(AccountReason.reason).joinedload(LossReason.category))
        )
    ]
    known = {reason.id for reason, _ in before}
    new = [reason for reason in dict.fromkeys(reasons) if reason.id not in known]
    if not new:
        return
    primary = new[0] if account.customer_primary_id is None else None
    db.session.execute(
        insert(AccountReason),
        [
            {
                "account_id": account.id,
                "reason_id": reason.id,
                "view": "customer",
                "is_primary": reason is primary,
                "source": "survey",
                "noted_on": noted_on,
            }
            for reason in new
        ],
    )
    # The rows went in without the session: what it holds of the account's reasons is old.
    db.session.expire(account, ["reasons"])
    if primary is not None:
        account.customer_primary = primary
    services.recompute_disagreement(account)
    after = before + [(reason, reason is primary) for reason in new]
    history.record(
        account, None, "customer_reasons", _reasons_text(before) or "—", _reasons_text(after)
    )
    # Touching the account bumps its version, so a teammate's open form learns it moved on.
    account.updated_at = utcnow()
