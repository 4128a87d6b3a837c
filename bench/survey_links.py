"""Private survey links for the benchmark, made with the app's own token code and removed after.

Only a token's hash is stored, so the links the data set already has cannot be opened: the
benchmark invites contacts that have no invitation yet to an open survey, one fresh link per
run, keeps the tokens in memory, and deletes the invitations (with their responses and
answers) when it is done, leaving the data set as it was.

Answers stay within what the account already says: a question bound to the loss reasons is
answered with the account's own primary reason from the customer's view, so answering adds no
reason, history entry or change to the account.
"""

from dataclasses import dataclass, field

from sqlalchemy import delete, exists, func, select

from bench import BenchmarkError
from winback_app.accounts.models import Account, Contact
from winback_app.discovery.invitations.models import Answer, Invitation, Response
from winback_app.discovery.invitations.services import new_invitation
from winback_app.discovery.public.services import field_name
from winback_app.discovery.surveys import services as surveys
from winback_app.discovery.surveys.models import Survey, SurveyQuestion
from winback_app.extensions import db
from winback_app.models import utcnow

TEXT_ANSWER = "Deliveries on time and one invoice a month would bring us back."
NUMBERS = {"rating": "4", "likelihood": "8"}


@dataclass
class SurveyLinks:
    """The benchmark's invitations: their ids, tokens, and the answers each one will send."""

    survey_id: int | None = None
    invitation_ids: list[int] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)
    forms: list[dict] = field(default_factory=list)


def _survey() -> Survey:
    """The open survey with the most questions (the fullest page to answer)."""
    questions = select(func.count()).where(SurveyQuestion.survey_id == Survey.id).scalar_subquery()
    survey_id = db.session.scalar(
        select(Survey.id)
        .where(Survey.status == "open", questions > 0)
        .order_by(questions.desc(), Survey.id)
        .limit(1)
    )
    if survey_id is None:
        raise BenchmarkError("No open survey with questions: the survey page cannot be opened.")
    return surveys.load_survey(survey_id)


def _answers(survey: Survey, primary_reason_id: int | None) -> dict:
    """A valid answer to every question, for an account whose customer primary is given."""
    form = {}
    for question in survey.questions:
        if question.kind in NUMBERS:
            form[field_name(question)] = NUMBERS[question.kind]
        elif question.kind == "text":
            form[field_name(question)] = TEXT_ANSWER
        elif question.bound_to_reasons:
            option = next(o for o in question.options if o.reason_id == primary_reason_id)
            form[field_name(question)] = str(option.id)
        elif question.options:
            form[field_name(question)] = str(question.options[0].id)
    return form


def create(count: int) -> SurveyLinks:
    """Invite ``count`` contacts to the survey and return the links (app context needed)."""
    survey = _survey()
    bound = [question for question in survey.questions if question.bound_to_reasons]
    # Reasons every bound question offers, so each of them can be answered with the primary.
    reasons = (
        set.intersection(*({option.reason_id for option in question.options} for question in bound))
        if bound
        else set()
    )
    invited = exists().where(
        Invitation.survey_id == survey.id,
        Invitation.account_id == Contact.account_id,
        Invitation.contact_id == Contact.id,
    )
    query = (
        select(Contact.id, Contact.account_id, Account.customer_primary_id)
        .join(Account, Account.id == Contact.account_id)
        .where(Contact.unsubscribed_at.is_(None), ~invited)
        .order_by(Contact.id)
        .limit(count)
    )
    if bound:
        query = query.where(Account.customer_primary_id.in_(reasons))
    chosen = db.session.execute(query).all()
    if len(chosen) < count:
        raise BenchmarkError(
            f"Only {len(chosen)} contacts can still be invited to “{survey.title}”; "
            f"{count} are needed (one per run)."
        )
    links = SurveyLinks(survey_id=survey.id)
    now = utcnow()
    invitations = []
    for contact_id, account_id, primary_reason_id in chosen:
        invitation, token = new_invitation(survey, account_id, contact_id, now, sent=True)
        invitations.append(invitation)
        links.tokens.append(token)
        links.forms.append(_answers(survey, primary_reason_id))
    db.session.add_all(invitations)
    db.session.commit()
    links.invitation_ids = [invitation.id for invitation in invitations]
    return links


def remove(links: SurveyLinks) -> None:
    """Delete the benchmark's invitations and whatever answering them stored."""
    if not links.invitation_ids:
        return
    ids = links.invitation_ids
    responses = select(Response.id).where(Response.invitation_id.in_(ids))
    db.session.execute(delete(Answer).where(Answer.response_id.in_(responses)))
    db.session.execute(delete(Response).where(Response.invitation_id.in_(ids)))
    db.session.execute(delete(Invitation).where(Invitation.id.in_(ids)))
    db.session.commit()
