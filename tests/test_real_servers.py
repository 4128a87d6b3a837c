"""The real servers of tests/servers answer like real servers: Dovecot (IMAP), slapd (LDAP) and
an OpenID Connect provider, each on 127.0.0.1, stopped and started by the tests."""

import imaplib
import urllib.error
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from ldap3 import BASE, SUBTREE, Connection, Server
from ldap3.core.exceptions import LDAPBindError, LDAPException, LDAPSocketOpenError
from ldap3.utils.conv import escape_filter_chars

from tests.servers import HOST, free_port
from tests.servers.oidc import STATIC_CLIENT, Browser, SignInFailed, callback_params, pkce_pair

INBOX_USER = "winback@example.test"
BOUNCES_USER = "bounces@example.test"


def _reply() -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Carla Customer <carla@customer.example>"
    message["To"] = INBOX_USER
    message["Subject"] = "Re: Why did you leave us?"
    message["Message-ID"] = "<reply-1@customer.example>"
    message["In-Reply-To"] = "<invite-42@winback.example>"
    message.set_content("The price went up twice in a year.\n")
    return message


# -- IMAP (Dovecot)


def test_imap_login_append_and_fetch_the_message_back(imap_mailbox):
    imap_mailbox.deliver(INBOX_USER, _reply())

    with imaplib.IMAP4(HOST, imap_mailbox.port, timeout=10) as imap:
        assert imap.login(INBOX_USER, imap_mailbox.users[INBOX_USER])[0] == "OK"
        status, count = imap.select("INBOX")
        assert (status, count) == ("OK", [b"1"])
        _, unseen = imap.search(None, "UNSEEN")
        assert unseen == [b"1"]
        _, data = imap.fetch(b"1", "(RFC822)")
    message = message_from_bytes(data[0][1], policy=policy.default)
    assert message["Subject"] == "Re: Why did you leave us?"
    assert message["In-Reply-To"] == "<invite-42@winback.example>"
    assert message.get_content().rstrip() == "The price went up twice in a year."
    # FETCH RFC822 marked it read; the helper sees it without changing that.
    assert imap_mailbox.messages(INBOX_USER) == [data[0][1]]
    assert imap_mailbox.messages(BOUNCES_USER) == []


def test_imap_raw_bounce_lands_in_its_own_mailbox_and_folders_are_reset(imap_mailbox):
    bounce = (
        "From: MAILER-DAEMON@mx.customer.example\n"
        "To: bounces@example.test\n"
        "Subject: Undelivered Mail Returned to Sender\n"
        "Message-ID: <bounce-1@mx.customer.example>\n"
        "MIME-Version: 1.0\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\n'
        "\n"
        "--b\n"
        "Content-Type: text/plain\n"
        "\n"
        "gone@customer.example: mailbox unavailable\n"
        "--b\n"
        "Content-Type: message/delivery-status\n"
        "\n"
        "Reporting-MTA: dns; mx.customer.example\n"
        "\n"
        "Final-Recipient: rfc822; gone@customer.example\n"
        "Action: failed\n"
        "Status: 5.1.1\n"
        "--b--\n"
    )
    imap_mailbox.deliver(BOUNCES_USER, bounce)
    imap_mailbox.deliver(BOUNCES_USER, bounce, mailbox="Processed", flags=r"\Seen")

    [raw] = imap_mailbox.messages(BOUNCES_USER)
    report = message_from_bytes(raw, policy=policy.default)
    assert report.get_content_type() == "multipart/report"
    assert b"Status: 5.1.1" in raw and b"\r\n" in raw
    assert sorted(imap_mailbox.mailboxes(BOUNCES_USER)) == ["INBOX", "Processed"]
    assert len(imap_mailbox.messages(BOUNCES_USER, "Processed")) == 1

    imap_mailbox.reset()
    assert imap_mailbox.mailboxes(BOUNCES_USER) == ["INBOX"]
    assert imap_mailbox.messages(BOUNCES_USER) == []


def test_imap_wrong_password_and_unknown_user_are_refused(imap_mailbox):
    for user, password in ((INBOX_USER, "not-the-password"), ("nobody@example.test", "x")):
        with pytest.raises(imaplib.IMAP4.error, match="AUTHENTICATIONFAILED"):
            imap_mailbox.connect(user, password)

    imap_mailbox.set_password(INBOX_USER, "changed-password")
    with pytest.raises(imaplib.IMAP4.error, match="AUTHENTICATIONFAILED"):
        imap_mailbox.connect(INBOX_USER, "winback-imap-password")
    with imap_mailbox.connect(INBOX_USER, "changed-password") as imap:
        assert imap.select("INBOX")[0] == "OK"


def test_imap_server_down_refuses_connections_and_comes_back_with_the_mail(imap_mailbox):
    imap_mailbox.deliver(INBOX_USER, _reply())
    port = imap_mailbox.port

    with imap_mailbox.down():
        assert not imap_mailbox.running
        with pytest.raises(ConnectionRefusedError):
            imaplib.IMAP4(HOST, port, timeout=5)

    assert imap_mailbox.port == port
    [raw] = imap_mailbox.messages(INBOX_USER)
    assert b"Subject: Re: Why did you leave us?" in raw


# -- LDAP (slapd)


def _search_user(ldap: Connection, directory, username: str) -> list:
    ldap.search(
        directory.people_dn,
        f"(&(objectClass=inetOrgPerson)(uid={escape_filter_chars(username)}))",
        SUBTREE,
        attributes=["uid", "cn", "mail", "memberOf", "userPassword"],
    )
    return list(ldap.entries)


def test_ldap_search_with_the_bind_dn(ldap_directory):
    server = Server(HOST, port=ldap_directory.port, connect_timeout=5)
    with Connection(
        server, ldap_directory.bind_dn, ldap_directory.bind_password, auto_bind=True
    ) as ldap:
        [ada] = _search_user(ldap, ldap_directory, "ada")
        assert ada.entry_dn == "uid=ada,ou=people,dc=example,dc=test"
        assert (ada.cn.value, ada.mail.value) == ("Ada Admin", "ada@example.test")
        assert sorted(ada.memberOf.values) == [
            "cn=sales,ou=groups,dc=example,dc=test",
            "cn=winback-admins,ou=groups,dc=example,dc=test",
        ]
        # The bind DN reads everything but passwords.
        assert ada.userPassword.values == []
        ldap.search(ldap_directory.people_dn, "(objectClass=inetOrgPerson)", attributes=["uid"])
        assert sorted(e.uid.value for e in ldap.entries) == ["ada", "sam", "sue", "tom"]

    # Anonymous clients may not even bind.
    anonymous = Connection(server)
    assert not anonymous.bind()
    anonymous.unbind()


def test_ldap_user_binds_with_the_right_password_only(ldap_directory):
    ada = ldap_directory.user_dn("ada")
    with ldap_directory.connection(ada, "ada-password") as ldap:
        assert ldap.extend.standard.who_am_i() == f"dn:{ada}"

    for dn, password in (
        (ada, "wrong-password"),
        (ldap_directory.user_dn("nobody"), "ada-password"),
    ):
        with pytest.raises(LDAPBindError):
            ldap_directory.connection(dn, password)
    # A DN with an empty password would be an "unauthenticated bind": refused, not anonymous.
    with pytest.raises(LDAPException):
        ldap_directory.connection(ada, "")

    ldap_directory.set_password("ada", "new-password")
    with pytest.raises(LDAPBindError):
        ldap_directory.connection(ada, "ada-password")
    ldap_directory.connection(ada, "new-password").unbind()


def test_ldap_group_membership(ldap_directory):
    assert ldap_directory.groups_of("ada") == ["sales", "winback-admins"]
    assert ldap_directory.groups_of("tom") == []

    with ldap_directory.connection() as ldap:
        admins = ldap_directory.group_dn("winback-admins")
        ldap.search(admins, "(objectClass=groupOfNames)", BASE, attributes=["member"])
        assert ldap.entries[0].member.values == ["uid=ada,ou=people,dc=example,dc=test"]

    ldap_directory.add_to_group("tom", "winback-admins")
    ldap_directory.remove_from_group("ada", "winback-admins")
    assert ldap_directory.members("winback-admins") == [ldap_directory.user_dn("tom")]
    # The last member leaves: the group stays (with a placeholder member), empty.
    ldap_directory.remove_from_group("sue", "support")
    assert ldap_directory.members("support") == []
    with ldap_directory.connection() as ldap:
        [tom] = _search_user(ldap, ldap_directory, "tom")
        assert tom.memberOf.values == [admins]
        [sue] = _search_user(ldap, ldap_directory, "sue")
        assert sue.memberOf.values == []


@pytest.mark.parametrize(
    "username", ["*", "ada)(uid=*", "*)(|(objectClass=*", "ada*", "ad\\61", "ada\x00", "("]
)
def test_ldap_injection_looking_usernames_find_nobody(ldap_directory, username):
    with ldap_directory.connection() as ldap:
        assert _search_user(ldap, ldap_directory, username) == []
        # Without the escaping, the same text would have matched.
        if username in ("*", "ada*"):
            ldap.search(ldap_directory.people_dn, f"(uid={username})", SUBTREE)
            assert ldap.entries


def test_ldap_deactivated_and_deleted_users(ldap_directory):
    # The seeded leaver: outside ou=people and every group, his password still binds.
    dan = ldap_directory.user_dn("dan", disabled=True)
    with ldap_directory.connection() as ldap:
        assert _search_user(ldap, ldap_directory, "dan") == []
    ldap_directory.connection(dan, "dan-password").unbind()
    assert ldap_directory.groups_of("dan") == []

    assert ldap_directory.deactivate_user("sam") == ldap_directory.user_dn("sam", disabled=True)
    ldap_directory.delete_user("sue")
    with ldap_directory.connection() as ldap:
        assert _search_user(ldap, ldap_directory, "sam") == []
        assert _search_user(ldap, ldap_directory, "sue") == []
    assert ldap_directory.members("sales") == [ldap_directory.user_dn("ada")]
    with pytest.raises(LDAPBindError):
        ldap_directory.connection(ldap_directory.user_dn("sue"), "sue-password")

    ldap_directory.add_user("una", "Una New", "una@example.test", "una-password", ("support",))
    assert ldap_directory.members("support") == [ldap_directory.user_dn("una")]


def test_ldap_directory_down_then_up(ldap_directory):
    ldap_directory.add_user("vic", "Vic Visitor", "vic@example.test", "vic-password")

    with ldap_directory.down(), pytest.raises(LDAPSocketOpenError):
        ldap_directory.connection()

    with ldap_directory.connection() as ldap:
        assert [e.mail.value for e in _search_user(ldap, ldap_directory, "vic")] == [
            "vic@example.test"
        ]


# -- OpenID Connect


def test_oidc_discovery_document(oidc_provider):
    document = oidc_provider.discovery()
    issuer = f"http://127.0.0.1:{oidc_provider.port}"
    assert document["issuer"] == issuer
    for endpoint in (
        "authorization_endpoint",
        "token_endpoint",
        "userinfo_endpoint",
        "jwks_uri",
        "end_session_endpoint",
        "registration_endpoint",
    ):
        assert document[endpoint].startswith(issuer + "/")
    assert document["code_challenge_methods_supported"] == ["S256"]
    assert "code" in document["response_types_supported"]
    assert {"openid", "email", "profile", "groups"} <= set(document["scopes_supported"])
    assert {"email", "name", "groups"} <= set(document["claims_supported"])
    assert [key["kty"] for key in oidc_provider.jwks()["keys"]] == ["RSA"]


def test_oidc_sign_in_with_code_and_pkce_over_plain_http(oidc_provider):
    redirect_uri = f"http://{HOST}:{free_port()}/auth/oidc/callback"
    client = oidc_provider.register_client([redirect_uri])
    verifier, challenge = pkce_pair()
    url = oidc_provider.authorization_url(
        client["client_id"], redirect_uri, challenge, state="st-1", nonce="n-1"
    )

    browser = Browser()
    page = browser.follow(url, oidc_provider.issuer)
    assert page.status == 200 and "/interaction/" in page.url
    form = page.form("login-form")
    assert set(form.fields) == {"login", "password"}
    answer = browser.follow(
        form.action,
        oidc_provider.issuer,
        data={"login": "ada@example.test", "password": "ada-password"},
    )
    assert answer.leaves and answer.location.startswith(redirect_uri + "?")
    params = callback_params(answer.location)
    assert params["state"] == "st-1" and params["iss"] == oidc_provider.issuer

    tokens = oidc_provider.exchange_code(client, params["code"], redirect_uri, verifier)
    assert tokens["token_type"] == "Bearer"
    claims = oidc_provider.verify_id_token(tokens["id_token"], client["client_id"], nonce="n-1")
    assert claims["sub"] == "ada"
    assert claims["email"] == "ada@example.test"
    assert claims["name"] == "Ada Admin"
    assert claims["groups"] == ["winback-admins", "sales"]
    assert oidc_provider.userinfo(tokens["access_token"])["groups"] == ["winback-admins", "sales"]

    # A code is good once.
    with pytest.raises(ValueError, match="invalid_grant"):
        oidc_provider.exchange_code(client, params["code"], redirect_uri, verifier)
    # Signed in: the next authorization request goes straight back, no form.
    _, challenge = pkce_pair()
    again = oidc_provider.authorization_url(client["client_id"], redirect_uri, challenge, "st-2")
    assert callback_params(oidc_provider.sign_in(again, "", "", browser))["state"] == "st-2"


def test_oidc_wrong_password_shows_the_form_again(oidc_provider):
    redirect_uri = f"http://{HOST}:{free_port()}/callback"
    client = oidc_provider.register_client([redirect_uri])
    _, challenge = pkce_pair()
    url = oidc_provider.authorization_url(client["client_id"], redirect_uri, challenge, "s")

    for login, password in (("ada@example.test", "wrong"), ("nobody@example.test", "x")):
        with pytest.raises(SignInFailed, match="Wrong email or password"):
            oidc_provider.sign_in(url, login, password)
    # The username works as the login too.
    assert "code" in callback_params(oidc_provider.sign_in(url, "sam", "sam-password"))


def test_oidc_pkce_is_required_and_checked(oidc_provider):
    redirect_uri = f"http://{HOST}:{free_port()}/callback"
    client = oidc_provider.register_client([redirect_uri])

    without = oidc_provider.authorization_url(client["client_id"], redirect_uri, None, "s")
    answer = Browser().follow(without, oidc_provider.issuer)
    assert answer.leaves
    assert callback_params(answer.location)["error"] == "invalid_request"

    _, challenge = pkce_pair()
    url = oidc_provider.authorization_url(client["client_id"], redirect_uri, challenge, "s")
    code = callback_params(oidc_provider.sign_in(url, "sue", "sue-password"))["code"]
    other_verifier, _ = pkce_pair()
    with pytest.raises(ValueError, match="invalid_grant"):
        oidc_provider.exchange_code(client, code, redirect_uri, other_verifier)


def test_oidc_groups_follow_account_changes_and_sign_out(oidc_provider):
    redirect_uri = f"http://{HOST}:{free_port()}/callback"
    signed_out = f"http://{HOST}:{free_port()}/"
    client = oidc_provider.register_client([redirect_uri], [signed_out])
    oidc_provider.update_account("tom", groups=["support"])
    oidc_provider.add_account("una", "una@example.test", "Una New", "una-password", ["sales"])

    browser = Browser()
    for login, password, groups in (
        ("tom@example.test", "tom-password", ["support"]),
        ("una@example.test", "una-password", ["sales"]),
    ):
        verifier, challenge = pkce_pair()
        url = oidc_provider.authorization_url(client["client_id"], redirect_uri, challenge, "s")
        code = callback_params(oidc_provider.sign_in(url, login, password, browser))["code"]
        tokens = oidc_provider.exchange_code(client, code, redirect_uri, verifier)
        claims = oidc_provider.verify_id_token(tokens["id_token"], client["client_id"])
        assert claims["groups"] == groups

        back = oidc_provider.sign_out(browser, tokens["id_token"], signed_out, state="bye")
        assert callback_params(back) == {"state": "bye"} and back.startswith(signed_out)

    oidc_provider.remove_account("una")
    _, challenge = pkce_pair()
    url = oidc_provider.authorization_url(client["client_id"], redirect_uri, challenge, "s")
    with pytest.raises(SignInFailed):
        oidc_provider.sign_in(url, "una@example.test", "una-password")


def test_oidc_static_client_groups_in_the_profile_scope_and_a_restart(make_oidc_provider):
    redirect_uri = STATIC_CLIENT["redirect_uris"][0]
    provider = make_oidc_provider(groups_claim="profile")

    assert "groups" not in provider.discovery()["scopes_supported"]

    def sign_in() -> dict:
        verifier, challenge = pkce_pair()
        url = provider.authorization_url(
            STATIC_CLIENT["client_id"], redirect_uri, challenge, "s", scope="openid profile"
        )
        code = callback_params(provider.sign_in(url, "ada", "ada-password"))["code"]
        tokens = provider.exchange_code(STATIC_CLIENT, code, redirect_uri, verifier)
        return provider.verify_id_token(tokens["id_token"], STATIC_CLIENT["client_id"])

    assert sign_in()["groups"] == ["winback-admins", "sales"]
    keys = provider.jwks()

    with provider.down(), pytest.raises(urllib.error.URLError):
        provider.discovery()

    # Static clients and the signing key survive a restart.
    assert provider.jwks() == keys
    assert sign_in()["name"] == "Ada Admin"
