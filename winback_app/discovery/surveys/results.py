"""Survey results: invitations by state, the response rate, each question's answers counted
with GROUP BY, the free-text answers, and an account's responses for its page.

Every function runs a fixed number of queries, however many invitations and answers exist.
"""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload, selectinload

from winback_app.accounts.models import Account
from winback_app.discovery.invitations.models import Answer, Invitation, Response
from winback_app.discovery.public.services import SCALES
from winback_app.discovery.surveys.models import Survey, SurveyQuestion
from winback_app.extensions import db
from winback_app.models import utcnow

# Each invitation is in exactly one state; the first that applies wins.
STATES = {
    "answered": "Answered",
    "opened": "Opened, not answered",
    "sent": "Sent, not opened",
    "waiting": "Not sent yet",
    "expired": "Expired unanswered",
    "unsubscribed": "Unsubscribed",
    "bounced": "Bounced",
}
TEXTS_SHOWN = 300


@dataclass
class Bar:
    """One answer and how many gave it (``share`` of those who answered the question)."""

    label: str
    count: int
    share: float


@dataclass
class QuestionResult:
    """What one question's answers came to."""

    question: SurveyQuestion
    answered: int = 0
    bars: list[Bar] = field(default_factory=list)
    average: float | None = None
    texts: list = field(default_factory=list)

    @property
    def most(self) -> int:
        return max((bar.count for bar in self.bars), default=0)


def survey_list() -> list:
    """Every survey with its question, invitation and answer counts, open ones first."""
    per_survey = Invitation.survey_id == Survey.id
    count = func.count(Invitation.id)
    return list(
        db.session.execute(
            select(
                Survey,
                select(func.count(SurveyQuestion.id))
                .where(SurveyQuestion.survey_id == Survey.id)
                .scalar_subquery()
                .label("questions"),
                select(count).where(per_survey).scalar_subquery().label("invited"),
                select(count)
                .where(per_survey, Invitation.answered_at.is_not(None))
                .scalar_subquery()
                .label("answered"),
                select(count)
                .where(per_survey, Invitation.bounced_at.is_(None))
                .scalar_subquery()
                .label("delivered"),
            ).order_by(
                case({"open": 0, "draft": 1}, value=Survey.status, else_=2),
                Survey.created_at.desc(),
                Survey.id.desc(),
            )
        )
    )


def response_rate(answered: int, delivered: int) -> str:
    """Answered ÷ delivered invitations as a percentage; a dash before any was delivered."""
    return f"{round(100 * answered / delivered)}%" if delivered else "—"


def invitation_states(survey: Survey) -> dict:
    """How many invitations are in each state, the total, and the response rate."""
    state = case(
        (Invitation.answered_at.is_not(None), "answered"),
        (Invitation.bounced_at.is_not(None), "bounced"),
        (Invitation.unsubscribed_at.is_not(None), "unsubscribed"),
        (Invitation.expires_at <= utcnow(), "expired"),
        (Invitation.opened_at.is_not(None), "opened"),
        (Invitation.sent_at.is_not(None), "sent"),
        else_="waiting",
    ).label("state")
    # Grouping on a subquery's column: PostgreSQL would not match a CASE whose dates are
    # bound parameters in both SELECT and GROUP BY.
    states = select(state).where(Invitation.survey_id == survey.id).subquery()
    counts = dict(
        db.session.execute(select(states.c.state, func.count()).group_by(states.c.state)).all()
    )
    total = sum(counts.values())
    delivered = total - counts.get("bounced", 0)
    return {
        "states": [(key, label, counts.get(key, 0)) for key, label in STATES.items()],
        "total": total,
        "answered": counts.get("answered", 0),
        "delivered": delivered,
        "rate": response_rate(counts.get("answered", 0), delivered),
    }


def question_results(survey: Survey) -> list[QuestionResult]:
    """Each question's answer distribution (every choice or number, zeros included) and,
    for free-text questions, the newest answers with the account they came from."""
    questions = db.session.scalars(
        select(SurveyQuestion)
        .where(SurveyQuestion.survey_id == survey.id)
        .options(selectinload(SurveyQuestion.options))
        .order_by(SurveyQuestion.position, SurveyQuestion.id)
    )
    results = {question.id: QuestionResult(question) for question in questions}
    answered = db.session.execute(
        _of_survey(
            survey, Answer.question_id, func.count(func.distinct(Answer.response_id))
        ).group_by(Answer.question_id)
    )
    for question_id, respondents in answered:
        results[question_id].answered = respondents
    counted = db.session.execute(
        _of_survey(survey, Answer.question_id, Answer.number, Answer.option_id, func.count())
        .where(SurveyQuestion.kind != "text")
        .group_by(Answer.question_id, Answer.number, Answer.option_id)
    )
    tallies: dict[int, dict] = {}
    for question_id, number, option_id, how_many in counted:
        tallies.setdefault(question_id, {})[number if option_id is None else option_id] = how_many
    for result in results.values():
        _fill_bars(result, tallies.get(result.question.id, {}))
    for row in _texts(survey):
        results[row.question_id].texts.append(row)
    return list(results.values())


def _of_survey(survey: Survey, *columns):
    return (
        select(*columns)
        .join(SurveyQuestion, Answer.question_id == SurveyQuestion.id)
        .where(SurveyQuestion.survey_id == survey.id)
    )


def _fill_bars(result: QuestionResult, tally: dict) -> None:
    question = result.question
    if question.kind in SCALES:
        low, high = SCALES[question.kind]
        keys = [(str(n), n) for n in range(low, high + 1)]
        total = sum(n * tally.get(n, 0) for n in range(low, high + 1))
        if result.answered:
            result.average = round(total / result.answered, 1)
    elif question.kind == "text":
        return
    else:
        keys = [(option.label, option.id) for option in question.options]
    base = result.answered or 1
    result.bars = [Bar(label, tally.get(key, 0), tally.get(key, 0) / base) for label, key in keys]


def _texts(survey: Survey) -> list:
    """The newest free-text answers of the survey, with when and from which account."""
    return list(
        db.session.execute(
            select(
                Answer.question_id,
                Answer.text,
                Response.submitted_at,
                Account.id.label("account_id"),
                Account.name.label("account_name"),
            )
            .join(Response, Answer.response_id == Response.id)
            .join(Invitation, Response.invitation_id == Invitation.id)
            .join(Account, Invitation.account_id == Account.id)
            .join(SurveyQuestion, Answer.question_id == SurveyQuestion.id)
            .where(
                SurveyQuestion.survey_id == survey.id,
                SurveyQuestion.kind == "text",
                Answer.text != "",
            )
            .order_by(Response.submitted_at.desc(), Answer.id.desc())
            .limit(TEXTS_SHOWN)
        )
    )


@dataclass
class AnsweredQuestion:
    """One question of a response as the account page shows it."""

    question: SurveyQuestion
    values: list[str]
    reasons: bool = False


@dataclass
class AccountResponse:
    """A response shown on its account's page."""

    survey: Survey
    contact_name: str
    submitted_at: datetime
    answers: list[AnsweredQuestion]


def account_responses(account: Account) -> list[AccountResponse]:
    """The account's survey responses, newest first, answers in question order (1 query)."""
    responses = db.session.scalars(
        select(Response)
        .join(Invitation, Response.invitation_id == Invitation.id)
        .where(Invitation.account_id == account.id)
        .options(
            joinedload(Response.invitation).joinedload(Invitation.survey),
            joinedload(Response.invitation).joinedload(Invitation.contact),
            # Joined rather than a query of their own: an account has a few short responses,
            # and every query counts on a page that many panels share.
            joinedload(Response.answers).joinedload(Answer.question),
            joinedload(Response.answers).joinedload(Answer.option),
        )
        .order_by(Response.submitted_at.desc(), Response.id.desc())
    ).unique()
    return [_shown(response) for response in responses]


def _shown(response: Response) -> AccountResponse:
    by_question: dict[int, AnsweredQuestion] = {}
    ordered = sorted(
        response.answers, key=lambda a: (a.question.position, a.option.position if a.option else 0)
    )
    for answer in ordered:
        question = answer.question
        shown = by_question.setdefault(question.id, AnsweredQuestion(question, []))
        if question.kind in SCALES:
            shown.values.append(f"{answer.number} of {SCALES[question.kind][1]}")
        elif answer.option is not None:
            shown.values.append(answer.option.label)
            shown.reasons = shown.reasons or answer.option.reason_id is not None
        else:
            shown.values.append(answer.text)
    invitation = response.invitation
    return AccountResponse(
        survey=invitation.survey,
        contact_name=invitation.contact.name,
        submitted_at=response.submitted_at,
        answers=list(by_question.values()),
    )


def account_panel(account: Account) -> dict:
    """The account page's survey-responses panel (declared in the discovery package's init_app)."""
    return {"survey_responses": account_responses(account)}
