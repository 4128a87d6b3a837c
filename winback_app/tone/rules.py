"""The tone check: phrases that run down a competitor or argue with the customer's reason.

A gentle warning while a plan is written, never a block. The list is admin-editable; a fresh
team starts from the defaults below.
"""

import re
from dataclasses import dataclass

from sqlalchemy import func, select

from winback_app.extensions import db
from winback_app.rules import RuleViolation
from winback_app.tone.models import TONE_KINDS, ToneRule

PHRASE_MAX = 120
SUGGESTION_MAX = 300
DEFAULT_RULES = (
    ("inferior", "competitor", "Describe what we do well instead of what they do badly."),
    ("cheap imitation", "competitor", "Compare facts, not labels."),
    ("knock-off", "competitor", "Compare facts, not labels."),
    ("they lied", "competitor", "Stick to what we can prove about ourselves."),
    ("incompetent", "competitor", "Leave the competitor out of it."),
    ("you are wrong", "argue", 'Play back what they said: "You found that …".'),
    ("that's not true", "argue", "Acknowledge their view, then show what changed."),
    ("actually, the real reason", "argue", "Their reason is the reason; answer it."),
    ("you misunderstood", "argue", "Say what we could have explained better."),
    ("not our fault", "argue", "Own the part that was ours."),
)


@dataclass(frozen=True)
class Hit:
    """One flagged phrase: what was found, which kind, and a kinder way to say it."""

    phrase: str
    kind: str
    suggestion: str

    @property
    def kind_label(self) -> str:
        return TONE_KINDS[self.kind]


def ensure_defaults() -> None:
    """Seed the default rules when the list is empty."""
    if db.session.scalar(select(func.count(ToneRule.id))) == 0:
        for phrase, kind, suggestion in DEFAULT_RULES:
            db.session.add(ToneRule(phrase=phrase, kind=kind, suggestion=suggestion))
        db.session.commit()


def rules() -> list[ToneRule]:
    """Every rule, alphabetically."""
    ensure_defaults()
    return list(db.session.scalars(select(ToneRule).order_by(ToneRule.phrase)))


def _pattern(phrase: str) -> re.Pattern:
    # Whole words and phrases only ("inferior" must not match "inferiority" halfway), with
    # any run of spaces between words, and curly apostrophes read as straight ones.
    words = [re.escape(w).replace("'", "['’]") for w in phrase.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def check(text: str, rule_list: list[ToneRule] | None = None) -> list[Hit]:
    """The rules ``text`` breaks, in the order of the list."""
    if not text:
        return []
    return [
        Hit(rule.phrase, rule.kind, rule.suggestion)
        for rule in (rules() if rule_list is None else rule_list)
        if _pattern(rule.phrase).search(text)
    ]


def add_rule(phrase: str, kind: str, suggestion: str) -> ToneRule:
    """Add a phrase to the list."""
    phrase = " ".join((phrase or "").split()).lower()
    if not phrase:
        raise RuleViolation("Enter a word or phrase.", "phrase")
    if len(phrase) > PHRASE_MAX:
        raise RuleViolation(f"Use at most {PHRASE_MAX} characters.", "phrase")
    if kind not in TONE_KINDS:
        raise RuleViolation("Choose one of the listed kinds.", "kind")
    if db.session.scalar(select(ToneRule.id).where(ToneRule.phrase == phrase)):
        raise RuleViolation("That phrase is already on the list.", "phrase")
    rule = ToneRule(
        phrase=phrase, kind=kind, suggestion=(suggestion or "").strip()[:SUGGESTION_MAX]
    )
    db.session.add(rule)
    db.session.commit()
    return rule


def remove_rule(rule: ToneRule) -> None:
    """Take a phrase off the list."""
    db.session.delete(rule)
    db.session.commit()
