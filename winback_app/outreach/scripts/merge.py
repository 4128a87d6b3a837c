"""Merge fields and the sandbox that renders scripts: ``{{ field }}``, ``{% if %}`` blocks and a
few text filters, nothing else (no attributes, no calls), so a script can't reach the app.

A script is text written by the team, so it is treated as untrusted code: dots, brackets,
calls, loops, imports and includes are refused before rendering, and rendering runs in Jinja's
sandbox with no globals, no loader and undefined names as errors. Each domain adds its fields
with ``register_field`` from its ``init_app`` (the survey link, the charity list).
"""

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from jinja2 import StrictUndefined, TemplateError, nodes
from jinja2.defaults import DEFAULT_FILTERS
from jinja2.sandbox import SandboxedEnvironment

from winback_app.accounts.models import Account, Contact
from winback_app.outreach.scripts.models import SCRIPT_KINDS
from winback_app.rules import RuleViolation

FILTERS = ("capitalize", "default", "lower", "title", "trim", "upper")


# What a script may contain: text, fields, {% if %}/{% elif %}/{% else %}, comparisons,
# "~" joins, "x if y else z" and the filters above. No node here can reach outside the
# values passed in, loop, or build large strings.
ALLOWED_NODES = (
    nodes.Output,
    nodes.TemplateData,
    nodes.Const,
    nodes.Name,
    nodes.Filter,
    nodes.Keyword,
    nodes.If,
    nodes.CondExpr,
    nodes.And,
    nodes.Or,
    nodes.Not,
    nodes.Compare,
    nodes.Operand,
    nodes.Concat,
)


@dataclass(frozen=True)
class Recipient:
    """Who a script is rendered for, and who sends it."""

    contact: Contact
    account: Account
    sender: object  # the signed-in User


@dataclass(frozen=True)
class MergeField:
    """A value a script can use as ``{{ name }}``."""

    name: str
    description: str
    value: Callable[[Recipient], str]
    sample: str | Callable[[], str]


def register_field(app, name, description, value, sample) -> None:
    """Make ``{{ name }}`` available to every script of ``app`` (``sample`` is used in checks).

    Each domain registers its fields from its ``init_app``; the list lives on the app.
    """
    app.extensions.setdefault("winback.merge_fields", {})[name] = MergeField(
        name, description, value, sample
    )


def fields() -> dict[str, MergeField]:
    """Every merge field the app has, by name."""
    return current_app.extensions["winback.merge_fields"]


def _company_name() -> str:
    return current_app.config["WINBACK_COMPANY_NAME"]


class _Sandbox(SandboxedEnvironment):
    """Jinja's sandbox with every attribute and every call refused: fields are plain text."""

    def is_safe_attribute(self, obj, attr, value) -> bool:
        return False

    def is_safe_callable(self, obj) -> bool:
        return False


def _environment() -> SandboxedEnvironment:
    env = _Sandbox(autoescape=False, undefined=StrictUndefined, keep_trailing_newline=True)
    env.globals.clear()
    env.filters = {name: DEFAULT_FILTERS[name] for name in FILTERS}
    env.tests = {}
    return env


_ENV = _environment()


def valid_fields_text() -> str:
    """The sentence every template error ends with."""
    return "Valid fields: " + ", ".join(fields()) + "."


def _refuse(node: nodes.Node) -> str | None:
    """Why ``node`` may not be in a script, or None when it may."""
    where = f"Line {node.lineno}: "
    if isinstance(node, nodes.Name) and node.name not in fields():
        return f"{where}“{node.name}” is not a merge field."
    if isinstance(node, nodes.Filter) and node.name not in FILTERS:
        return f"{where}the filter “{node.name}” is not available (use {', '.join(FILTERS)})."
    if isinstance(node, ALLOWED_NODES):
        return None
    if isinstance(node, nodes.Getattr | nodes.Getitem):
        return f"{where}use fields as they are, without dots or brackets."
    if isinstance(node, nodes.Include | nodes.Import | nodes.FromImport | nodes.Extends):
        return f"{where}a script cannot include, import or extend other templates."
    return f"{where}only fields, {{% if %}} blocks and text filters can be used here."


def render(source: str, values: dict[str, str]) -> str:
    """Render a script's text with ``values``; RuleViolation (without a field) when it can't."""
    try:
        tree = _ENV.parse(source)
    except TemplateError as error:
        line = getattr(error, "lineno", None)
        raise RuleViolation(f"Line {line}: {error.message}. {valid_fields_text()}") from None
    for node in tree.find_all(nodes.Node):
        reason = _refuse(node)
        if reason:
            raise RuleViolation(f"{reason} {valid_fields_text()}")
    try:
        return _ENV.from_string(tree).render(values)
    # Refused above already; the sandbox is the second line. A comparison of text with a
    # number, or a filter given the wrong arguments, fails here with TypeError or ValueError.
    except (TemplateError, TypeError, ValueError) as error:
        raise RuleViolation(f"{error}. {valid_fields_text()}") from None


def sample_values() -> dict[str, str]:
    """Example values of every field, for checks and a preview without a contact."""
    return {f.name: f.sample() if callable(f.sample) else f.sample for f in fields().values()}


def check(subject: str, body: str, kind: str = "email") -> None:
    """Raise RuleViolation (naming the field) unless the script renders with sample values."""
    if kind not in SCRIPT_KINDS:
        raise RuleViolation("Choose email or voicemail script.", "kind")
    if kind == "email":
        if not subject.strip():
            raise RuleViolation("An email needs a subject.", "subject")
        if "\n" in subject or "\r" in subject:
            raise RuleViolation("Keep the subject on one line.", "subject")
    if not body.strip():
        raise RuleViolation("Write the text of the script.", "body")
    for field, text in (("subject", subject), ("body", body)):
        try:
            render(text, sample_values())
        except RuleViolation as violation:
            raise RuleViolation(violation.message, field) from None


def register_base_fields(app) -> None:
    """The fields every script can use: who it is for and who sends it."""
    register_field(
        app,
        "contact_first_name",
        "The contact's first name",
        lambda r: r.contact.first_name,
        "Alex",
    )
    register_field(
        app, "contact_name", "The contact's full name", lambda r: r.contact.name, "Alex Morgan"
    )
    register_field(
        app, "account_name", "The account's name", lambda r: r.account.name, "Harbor Dental"
    )
    register_field(app, "sender_name", "Your name", lambda r: r.sender.name, "Sam Rivera")
    register_field(
        app,
        "sender_title",
        "Your job title (may be empty)",
        lambda r: r.sender.title,
        "Account manager",
    )
    register_field(
        app, "company_name", "Your company's name", lambda r: _company_name(), sample=_company_name
    )
