"""The evidence library: metric arithmetic, suggestions, proof uploads and the routes."""

import io
from datetime import date
from decimal import Decimal

import pytest

from tests.factories import make_account, make_evidence, make_reason
from tests.helpers import PARTIAL
from winback_app.demo import evidence as evidence_demo
from winback_app.extensions import db
from winback_app.plans.evidence import services as library
from winback_app.plans.evidence.models import Evidence
from winback_app.plans.models import Plan, PlanSolution
from winback_app.rules import RuleViolation

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def _proof_files(app):
    folder = library.proof_folder()
    return sorted(folder.iterdir()) if folder.exists() else []


def _use_in_plan(evidence):
    plan = Plan(account=make_account())
    plan.solutions.append(PlanSolution(text="Show the new line", evidence=evidence))
    db.session.add(plan)
    db.session.commit()


def _form(**overrides):
    data = {"title": "New machines", "what_changed": "Replaced the line"}
    data.update(overrides)
    return data


# Metric arithmetic


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        ("4.0", "0.2", Decimal(-95)),
        ("82", "99", Decimal(21)),
        ("10", "10", Decimal(0)),
        ("-4", "-2", Decimal(50)),
        ("3", "1", Decimal(-67)),
    ],
)
def test_metric_change_is_a_whole_percent(before, after, expected):
    assert library.metric_change(Decimal(before), Decimal(after)) == expected


@pytest.mark.parametrize(("before", "after"), [(Decimal(0), Decimal(5)), (None, Decimal(1))])
def test_metric_change_without_a_base_is_none(before, after):
    assert library.metric_change(before, after) is None


def test_metric_text_shows_values_and_change():
    item = Evidence(
        metric_name="returns",
        metric_before=Decimal("4.0000"),
        metric_after=Decimal("0.2000"),
        metric_unit="%",
    )
    assert library.metric_text(item) == "returns 4.0% → 0.2% (−95%)"


def test_metric_text_from_zero_shows_the_absolute_change():
    item = Evidence(metric_name="partners", metric_before=Decimal(0), metric_after=Decimal(3))
    assert library.metric_text(item) == "partners 0 → 3 (+3)"
    assert library.metric_text(Evidence(metric_name="x")) == ""


# Suggestions


def test_suggestions_rank_by_reasons_matched_then_newest(app_ctx):
    late, wrong, price = make_reason(), make_reason(), make_reason()
    both = make_evidence([late, wrong], title="Both", effective_on=date(2025, 1, 1))
    one_old = make_evidence([late], title="One old", effective_on=date(2024, 1, 1))
    one_new = make_evidence([wrong], title="One new", effective_on=date(2025, 6, 1))
    other = make_evidence([price], title="Other")
    ranked = library.suggestions({late.id, wrong.id})
    assert [(item.title, count) for item, count in ranked] == [
        (both.title, 2),
        (one_new.title, 1),
        (one_old.title, 1),
        (other.title, 0),
    ]


def test_suggestions_offer_only_approved_current_evidence(app_ctx):
    reason = make_reason()
    make_evidence([reason], approved=False, title="Pending")
    make_evidence([reason], retired=True, title="Retired")
    kept = make_evidence([reason], title="Kept")
    assert [item.title for item, _ in library.suggestions({reason.id})] == [kept.title]


def test_suggestions_without_reasons_and_with_a_limit(app_ctx):
    for _ in range(3):
        make_evidence([make_reason()])
    ranked = library.suggestions(set(), limit=2)
    assert len(ranked) == 2 and all(count == 0 for _, count in ranked)


# Proof files


@pytest.mark.parametrize(
    ("data", "content_type"),
    [(PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg")],
)
def test_check_proof_judges_by_content(data, content_type):
    assert library.check_proof(data, "../x/scan.bin").content_type == content_type
    assert library.check_proof(data, "../x/scan.bin").filename == "scan.bin"


def test_check_proof_refuses_other_types_and_big_files():
    with pytest.raises(RuleViolation, match="PDF, PNG or JPEG"):
        library.check_proof(b"<html><script>", "fake.pdf")
    with pytest.raises(RuleViolation, match="5 MB"):
        library.check_proof(PDF + b"0" * library.MAX_PROOF_BYTES, "big.pdf")


def test_upload_stores_the_file_and_serves_it_inline(app, member_client):
    data = _form(proof=(io.BytesIO(PDF), "report.pdf"))
    response = member_client.post("/evidence/new", data=data)
    assert response.status_code == 303
    item = db.session.query(Evidence).one()
    assert item.proof_filename == "report.pdf" and item.proof_file.endswith(".pdf")
    assert [path.name for path in _proof_files(app)] == [item.proof_file]
    served = member_client.get(f"/evidence/{item.id}/proof")
    assert served.status_code == 200 and served.data == PDF
    assert served.headers["Content-Type"] == "application/pdf"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Content-Disposition"].startswith("inline")
    assert "report.pdf" in served.headers["Content-Disposition"]


@pytest.mark.parametrize(
    ("payload", "message"),
    [(b"MZ\x90\x00 not a pdf", "PDF, PNG or JPEG"), (PDF + b"0" * (5 * 1024 * 1024), "5 MB")],
)
def test_bad_upload_is_422_and_stores_nothing(app, member_client, payload, message):
    data = _form(proof=(io.BytesIO(payload), "report.pdf"))
    response = member_client.post("/evidence/new", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and message in body and "New machines" in body
    assert db.session.query(Evidence).count() == 0
    assert _proof_files(app) == []


def test_replacing_the_proof_removes_the_old_file(app, member_client):
    member_client.post("/evidence/new", data=_form(proof=(io.BytesIO(PDF), "a.pdf")))
    item = db.session.query(Evidence).one()
    member_client.post(f"/evidence/{item.id}/edit", data=_form(proof=(io.BytesIO(PNG), "b.png")))
    db.session.expire_all()
    item = db.session.get(Evidence, item.id)
    assert item.proof_content_type == "image/png"
    assert [path.name for path in _proof_files(app)] == [item.proof_file]


def test_proof_is_404_without_a_file_and_needs_a_login(app, client, member_client):
    item = make_evidence()
    assert member_client.get(f"/evidence/{item.id}/proof").status_code == 404
    assert client.get(f"/evidence/{item.id}/proof").status_code in (302, 303)


# Routes


def test_library_page_shows_metric_and_filters(app, member_client):
    late, price = make_reason(name="Late deliveries"), make_reason(name="Too dear")
    make_evidence(
        [late],
        title="New carrier",
        metric_name="on-time deliveries",
        metric_before=Decimal(82),
        metric_after=Decimal(99),
        metric_unit="%",
    )
    make_evidence([price], title="Price review", approved=False)
    body = member_client.get("/evidence/").get_data(as_text=True)
    assert "<h1>Evidence library</h1>" in body and "on-time deliveries 82% → 99% (+21%)" in body
    filtered = member_client.get(f"/evidence/?reason_id={late.id}", headers=PARTIAL)
    text = filtered.get_data(as_text=True)
    assert "<html" not in text and "New carrier" in text and "Price review" not in text
    pending = member_client.get("/evidence/?show=pending").get_data(as_text=True)
    assert "Price review" in pending and "New carrier" not in pending


def test_create_with_reasons_and_metric(app, member_client, member):
    reason = make_reason()
    data = _form(
        metric_name="returns",
        metric_before="4.0",
        metric_after="0.2",
        metric_unit="%",
        effective_on="2025-03-01",
        reason_ids=[str(reason.id)],
    )
    response = member_client.post("/evidence/new", data=data)
    assert response.status_code == 303
    item = db.session.query(Evidence).one()
    assert [r.id for r in item.reasons] == [reason.id] and item.created_by_id == member.id
    assert item.effective_on == date(2025, 3, 1) and not item.approved


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_form(title=""), "Enter a title."),
        (_form(title="x" * 201), "at most 200"),
        (_form(metric_before="4"), "both the before and the after"),
        (_form(proof_url="javascript:alert(1)"), "full link"),
        (_form(metric_before="1e20", metric_after="1"), "10 billion"),
    ],
)
def test_invalid_form_is_422_with_the_message(app, member_client, data, message):
    response = member_client.post("/evidence/new", data=data, headers=PARTIAL)
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and message in body and "<html" not in body
    assert db.session.query(Evidence).count() == 0


def test_edit_form_and_save(app, member_client):
    item = make_evidence(title="Old title")
    assert "Old title" in member_client.get(f"/evidence/{item.id}/edit").get_data(as_text=True)
    response = member_client.post(f"/evidence/{item.id}/edit", data=_form(title="New title"))
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Evidence, item.id).title == "New title"


def test_approve_and_retire_return_the_card(app, member_client):
    item = make_evidence(approved=False)
    response = member_client.post(f"/evidence/{item.id}/approved", headers=PARTIAL)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "Approved" in body and "<html" not in body
    assert "flash" in response.headers["HX-Trigger"]
    member_client.post(f"/evidence/{item.id}/retired", data={"value": "1"})
    db.session.expire_all()
    item = db.session.get(Evidence, item.id)
    assert item.approved and item.retired
    member_client.post(f"/evidence/{item.id}/retired", data={"value": "0"})
    db.session.expire_all()
    assert not db.session.get(Evidence, item.id).retired


def test_delete_unused_evidence_removes_it_and_its_file(app, member_client):
    member_client.post("/evidence/new", data=_form(proof=(io.BytesIO(PDF), "a.pdf")))
    item = db.session.query(Evidence).one()
    response = member_client.post(f"/evidence/{item.id}/delete", headers=PARTIAL)
    assert response.status_code == 200 and "flash" in response.headers["HX-Trigger"]
    assert db.session.query(Evidence).count() == 0 and _proof_files(app) == []


def test_evidence_used_by_a_plan_can_only_be_retired(app, member_client):
    item = make_evidence()
    _use_in_plan(item)
    response = member_client.post(f"/evidence/{item.id}/delete", headers=PARTIAL)
    assert response.status_code == 422
    assert "used by a plan: retire it instead" in response.get_data(as_text=True)
    assert db.session.get(Evidence, item.id) is not None
    full = member_client.post(f"/evidence/{item.id}/delete")
    assert full.status_code == 303


def test_unknown_evidence_is_404(member_client):
    for url in ("/evidence/999/edit", "/evidence/999/proof"):
        assert member_client.get(url).status_code == 404
    for url in ("/evidence/999/approved", "/evidence/999/delete"):
        assert member_client.post(url).status_code == 404


def test_viewer_reads_but_never_writes(app, viewer_client):
    item = make_evidence()
    assert viewer_client.get("/evidence/").status_code == 200
    assert "Add evidence" not in viewer_client.get("/evidence/").get_data(as_text=True)
    assert viewer_client.get("/evidence/new").status_code == 403
    assert viewer_client.get(f"/evidence/{item.id}/edit").status_code == 403
    assert viewer_client.post(f"/evidence/{item.id}/delete").status_code == 403
    assert db.session.get(Evidence, item.id) is not None


def test_writes_need_the_csrf_token(app, member_client):
    item = make_evidence(approved=False)
    response = member_client.post(f"/evidence/{item.id}/approved", csrf=False)
    assert response.status_code in (400, 403)
    db.session.expire_all()
    assert not db.session.get(Evidence, item.id).approved


def test_demo_evidence_is_approved_answers_reasons_and_seeds_once(app_ctx):
    evidence_demo.seed(date(2026, 1, 1))
    evidence_demo.seed(date(2026, 1, 1))
    items = db.session.query(Evidence).all()
    assert len(items) == len(evidence_demo.ITEMS)
    assert all(item.approved and item.reasons for item in items)
    machines = next(item for item in items if item.title == "New production machines")
    assert library.metric_text(machines) == "returns 4.0% → 0.2% (−95%)"
