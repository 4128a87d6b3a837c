"""The admin's user management page."""

import re

from tests.factories import make_user
from tests.helpers import PARTIAL
from winback_app.auth import services
from winback_app.auth.models import User
from winback_app.extensions import db

NEW_USER = {"name": "Nora New", "email": "nora@example.com", "title": "Rep", "role": "member"}


def test_admin_sees_every_user(admin_client, member, viewer):
    page = admin_client.get("/admin/users/").get_data(as_text=True)
    for person in ("Ada Admin", "Max Member", "Vic Viewer"):
        assert person in page


def test_members_and_viewers_may_not_open_it(member_client, viewer_client):
    assert member_client.get("/admin/users/").status_code == 403
    assert viewer_client.get("/admin/users/").status_code == 403


def test_member_may_not_create_users(member_client):
    assert member_client.post("/admin/users/", data=NEW_USER).status_code == 403
    assert services.user_by_email("nora@example.com") is None


def test_creating_a_user_shows_a_one_time_link(admin_client):
    response = admin_client.post("/admin/users/", data=NEW_USER, headers=PARTIAL)
    assert response.status_code == 201
    page = response.get_data(as_text=True)
    assert 'id="users-panel"' in page and "<html" not in page
    link = re.search(r'value="(http://localhost/set-password/[^"]+)"', page).group(1)
    user = services.user_by_email("nora@example.com")
    assert user.password_hash is None and user.role == "member"
    token = link.rsplit("/", 1)[1]
    assert services.valid_password_link(token).user_id == user.id


def test_creating_without_javascript_renders_the_whole_page(admin_client):
    response = admin_client.post("/admin/users/", data=NEW_USER)
    assert response.status_code == 201
    assert "<html" in response.get_data(as_text=True)


def test_bad_new_user_is_422_with_input_kept(admin_client):
    bad = dict(NEW_USER, email="not-an-email", name="Nora " + "x" * 200)
    response = admin_client.post("/admin/users/", data=bad, headers=PARTIAL)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "An email address needs an @ sign, like name@example.com." in page
    assert 'value="not-an-email"' in page
    assert db.session.query(User).filter_by(email="not-an-email").count() == 0


def test_duplicate_email_is_refused(admin_client, member):
    response = admin_client.post("/admin/users/", data=dict(NEW_USER, email="MAX@example.com"))
    assert response.status_code == 422
    assert "already exists" in response.get_data(as_text=True)


def test_changing_a_role_returns_the_row(admin_client, member):
    response = admin_client.post(
        f"/admin/users/{member.id}/role", data={"role": "viewer"}, headers=PARTIAL
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.lstrip().startswith(f'<tr id="user-{member.id}"')
    db.session.refresh(member)
    assert member.role == "viewer"


def test_changing_a_role_without_javascript_redirects_back(admin_client, member):
    response = admin_client.post(f"/admin/users/{member.id}/role", data={"role": "admin"})
    assert response.status_code == 303
    page = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Max Member is now admin." in page


def test_unknown_role_is_refused(admin_client, member):
    response = admin_client.post(
        f"/admin/users/{member.id}/role", data={"role": "owner"}, headers=PARTIAL
    )
    assert response.status_code == 422
    db.session.refresh(member)
    assert member.role == "member"


def test_the_last_admin_cannot_step_down_or_be_deactivated(admin_client, admin):
    demote = admin_client.post(
        f"/admin/users/{admin.id}/role", data={"role": "member"}, headers=PARTIAL
    )
    assert demote.status_code == 422
    assert "at least one active admin" in demote.get_data(as_text=True)
    deactivate = admin_client.post(f"/admin/users/{admin.id}/active", headers=PARTIAL)
    assert deactivate.status_code == 422
    db.session.refresh(admin)
    assert admin.role == "admin" and admin.active


def test_deactivate_and_reactivate(admin_client, member):
    admin_client.post(f"/admin/users/{member.id}/active", headers=PARTIAL)
    db.session.refresh(member)
    assert not member.active
    row = admin_client.post(f"/admin/users/{member.id}/active", headers=PARTIAL)
    assert "Deactivate" in row.get_data(as_text=True)
    db.session.refresh(member)
    assert member.active


def test_new_password_link_for_an_existing_user(admin_client, member):
    response = admin_client.post(f"/admin/users/{member.id}/password-link", headers=PARTIAL)
    assert response.status_code == 201
    assert "new password link for <strong>Max Member</strong>" in response.get_data(as_text=True)


def test_unknown_user_is_404(admin_client):
    assert admin_client.post("/admin/users/999/role", data={"role": "member"}).status_code == 404
    partial = admin_client.post("/admin/users/999/active", headers=PARTIAL)
    assert partial.status_code == 404
    assert partial.headers["HX-Retarget"] == "#flash"
    assert "<html" not in partial.get_data(as_text=True)


def test_other_admins_allow_stepping_down(admin_client, admin):
    make_user(role="admin")
    response = admin_client.post(
        f"/admin/users/{admin.id}/role", data={"role": "member"}, headers=PARTIAL
    )
    assert response.status_code == 200
