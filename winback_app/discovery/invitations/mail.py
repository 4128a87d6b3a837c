"""The survey invitation email: merge fields, the template it uses, text and HTML parts.

The email's text is an outreach script (``outreach.scripts``) with three more merge fields,
``survey_link``, ``survey_minutes`` and ``charity_list``. The HTML part is made from the same
text (paragraphs, bullet lists, links), so both parts always say the same thing.
"""

import re
from dataclasses import dataclass
from types import SimpleNamespace

from flask import current_app
from markupsafe import Markup, escape
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from winback_app.auth.models import User
from winback_app.discovery.incentives import services as incentives
from winback_app.extensions import db
from winback_app.outreach.scripts import merge
from winback_app.outreach.scripts import services as scripts
from winback_app.outreach.scripts.models import Script

LINK_FIELD = "survey_link"
LINK_PLACEHOLDER = "(their private survey link, made when the invitation is sent)"
MINUTES_FIELD = "survey_minutes"
MINUTES_PLACEHOLDER = "(the survey's minutes, counted from its questions)"
REMINDER_NOTE = (
    "A short reminder, in case my earlier email got buried. This email has a fresh link; "
    "the one in the earlier email no longer works."
)
URL = re.compile(r"https?://[^\s<>\"]+")


def charity_text() -> str:
    """The team's charities as a bulleted list, one per line ("" when there are none)."""
    return "\n".join(f"- {name}" for name in incentives.charities())


INVITATION_SCRIPT = {
    "kind": "email",
    "name": "Survey invitation (email)",
    "subject": "{{ contact_first_name }}, {{ survey_minutes }} to tell us where we fell short?",
    "body": """Hi {{ contact_first_name }},

At {{ company_name }} we are doing a little research with former customers: what made them \
leave, and what we should change. How things went for {{ account_name }} would teach us more \
than anything we could work out on our own.

It is a short survey of a few questions, about {{ survey_minutes }}, and it works \
on a phone:
{{ survey_link }}

There is no sales pitch at the end.{% if charity_list %} As a thank-you, we will make a \
donation to a charity you pick from this list:
{{ charity_list }}{% endif %}

Thank you,
{{ sender_name }}{% if sender_title %}, {{ sender_title }}{% endif %}
{{ company_name }}
""",
}


def invitation_scripts() -> list[Script]:
    """The email scripts that can invite to a survey (those using the survey link)."""
    return list(
        db.session.scalars(
            select(Script)
            .where(Script.kind == "email", Script.body.contains(LINK_FIELD))
            .order_by(func.lower(Script.name))
        )
    )


def ensure_invitation_script() -> None:
    """Add the invitation template when no email script uses the survey link yet."""
    scripts.ensure_defaults()
    if invitation_scripts():
        return
    taken = set(db.session.scalars(select(func.lower(Script.name))))
    name, number = INVITATION_SCRIPT["name"], 2
    while name.lower() in taken:
        name, number = f"{INVITATION_SCRIPT['name']} {number}", number + 1
    db.session.add(Script(**{**INVITATION_SCRIPT, "name": name}))
    try:
        db.session.commit()
    except IntegrityError:
        # Two first visits at once: the other one added it.
        db.session.rollback()


def sender_of(survey):
    """Who signs the emails of ``survey`` sent without a user (reminders): its author, or the
    team."""
    author = db.session.get(User, survey.created_by_id) if survey.created_by_id else None
    if author is not None and author.active:
        return author
    company = current_app.config["WINBACK_COMPANY_NAME"]
    return SimpleNamespace(name=f"The {company} team", title="")


@dataclass(frozen=True)
class Email:
    """An email ready for the outbox."""

    subject: str
    text: str
    html: str


def minutes_text(minutes: int) -> str:
    """The survey's minutes as the email says them: "1 minute", "3 minutes"."""
    return f"{minutes} minute{'' if minutes == 1 else 's'}"


def why_you_hear(account, company: str) -> str:
    """Why a contact hears from us, true to the account's kind: a lost deal never was a
    customer. The survey's email and its public pages say the same, and name no account."""
    if account.kind == "lost_deal":
        return f"you considered {company} for your business"
    return f"you were a customer of {company}"


def compose(
    script: Script,
    minutes: int,
    contact,
    account,
    sender,
    link: str,
    unsubscribe: str,
    reminder=False,
):
    """The invitation (or reminder) for ``contact`` of ``account``, with its private link and
    the survey's ``minutes`` (``surveys.minutes_to_answer``, as its public page says).

    Raises RuleViolation when the template no longer renders.
    """
    recipient = merge.Recipient(contact=contact, account=account, sender=sender)
    values = {field.name: field.value(recipient) or "" for field in merge.fields().values()}
    values[LINK_FIELD] = link
    values[MINUTES_FIELD] = minutes_text(minutes)
    subject = merge.render(script.subject, values)
    body = merge.render(script.body, values).strip()
    if reminder:
        subject = f"Reminder: {subject}"
        body = f"{REMINDER_NOTE}\n\n{body}"
    company = current_app.config["WINBACK_COMPANY_NAME"]
    footer = (
        f"You receive this email because {why_you_hear(account, company)}. "
        f"To get no more survey emails from us: {unsubscribe}"
    )
    text = f"{body}\n\n-- \n{footer}\n"
    return Email(subject=subject, text=text, html=to_html(body, footer))


def _inline(text: str) -> Markup:
    """Escaped text with its web addresses as links and its line breaks kept."""
    escaped = str(escape(text))
    linked = URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', escaped)
    return Markup(linked.replace("\n", "<br>\n"))


def _block(paragraph: str) -> str:
    lines = paragraph.split("\n")
    bullets = [i for i, line in enumerate(lines) if line.startswith("- ")]
    if not bullets:
        return f"<p>{_inline(paragraph)}</p>"
    # A paragraph ending in "- item" lines (the charity list) becomes text and a list.
    first = bullets[0]
    intro = f"<p>{_inline(chr(10).join(lines[:first]))}</p>\n" if first else ""
    items = "".join(f"<li>{_inline(line[2:])}</li>" for line in lines[first:])
    return f"{intro}<ul>{items}</ul>"


def to_html(body: str, footer: str) -> str:
    """The HTML part: the body's paragraphs, then the footer in small print."""
    blocks = "\n".join(_block(p.strip("\n")) for p in re.split(r"\n\s*\n", body) if p.strip())
    return (
        '<!doctype html>\n<html><head><meta charset="utf-8"></head><body>\n'
        f"{blocks}\n<hr>\n<p><small>{_inline(footer)}</small></p>\n</body></html>\n"
    )


def register_fields(app) -> None:
    """The survey link, its minutes and the charity list, for invitation and reminder
    scripts."""
    merge.register_field(
        app,
        LINK_FIELD,
        "The contact's private survey link (filled in when a survey invitation is sent)",
        lambda recipient: LINK_PLACEHOLDER,
        "https://winback.example.com/s/private-link",
    )
    merge.register_field(
        app,
        MINUTES_FIELD,
        "How long the survey takes (“3 minutes”), counted from its questions when it is sent",
        lambda recipient: MINUTES_PLACEHOLDER,
        "3 minutes",
    )
    merge.register_field(
        app,
        "charity_list",
        "The charities a contact may pick for the thank-you donation (Admin → Settings)",
        lambda recipient: charity_text(),
        sample=lambda: charity_text() or "- A children's hospital\n- The local food bank",
    )
