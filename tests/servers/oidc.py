"""An OpenID Connect provider (node-oidc-provider, ``tests/servers/oidc/provider.js``).

The issuer is ``http://127.0.0.1:PORT``. Accounts (sub, email, name, password, groups) and
static clients come from a JSON file the provider reads; accounts can change while it runs.
Clients can also register themselves (``register_client``), so that a test can use a redirect
URI on its own random port. Sign-in goes through the provider's own login form, which a browser
(Playwright) fills in, or plain HTTP: ``Browser`` and ``sign_in`` here. Tokens are checked with
``verify_id_token``, against the provider's published key.
"""

import base64
import hashlib
import json
import os
import re
import secrets
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path

from tests.servers import HOST, ServerProcess, ServerUnavailable, find_binary

PROVIDER_DIR = Path(__file__).parent / "oidc"
SCOPES = "openid email profile groups"

DEFAULT_ACCOUNTS = [
    {
        "sub": "ada",
        "email": "ada@example.test",
        "name": "Ada Admin",
        "password": "ada-password",
        "groups": ["winback-admins", "sales"],
    },
    {
        "sub": "sam",
        "email": "sam@example.test",
        "name": "Sam Sales",
        "password": "sam-password",
        "groups": ["sales"],
    },
    {
        "sub": "sue",
        "email": "sue@example.test",
        "name": "Sue Support",
        "password": "sue-password",
        "groups": ["support"],
    },
    {
        "sub": "tom",
        "email": "tom@example.test",
        "name": "Tom Nogroup",
        "password": "tom-password",
        "groups": [],
    },
]

# A client from the configuration file; a test that needs a redirect URI that really answers
# registers its own client instead.
STATIC_CLIENT = {
    "client_id": "winback-static",
    "client_secret": "winback-static-secret",
    "redirect_uris": ["http://127.0.0.1:5000/auth/oidc/callback"],
    "post_logout_redirect_uris": ["http://127.0.0.1:5000/"],
}


class SignInFailed(Exception):
    """The provider showed its login form again, or an error page."""


class OIDCProvider(ServerProcess):
    """``node provider.js PORT CONFIG`` on 127.0.0.1.

    ``groups_claim``: "scope" (the ``groups`` scope asks for the claim) or "profile" (it comes
    with ``profile``).
    """

    name = "oidc"

    def __init__(
        self,
        accounts: list[dict] | None = None,
        clients: list[dict] | None = None,
        groups_claim: str = "scope",
    ) -> None:
        self.node = find_binary("node", "/usr/bin/node")
        if not (PROVIDER_DIR / "node_modules" / "oidc-provider" / "package.json").exists():
            raise ServerUnavailable(
                "oidc-provider is not installed in tests/servers/oidc: run .ci/install-servers"
            )
        super().__init__()
        self.default_accounts = [
            dict(a) for a in (DEFAULT_ACCOUNTS if accounts is None else accounts)
        ]
        self.accounts = [dict(a) for a in self.default_accounts]
        self.clients = [dict(c) for c in ([STATIC_CLIENT] if clients is None else clients)]
        self.groups_claim = groups_claim
        self.config_path = self.directory / "config.json"
        self._write_config()

    @property
    def issuer(self) -> str:
        return f"http://{HOST}:{self.port}"

    url = issuer

    # -- the process

    def command(self) -> list[str]:
        return [self.node, str(PROVIDER_DIR / "provider.js"), str(self.port), str(self.config_path)]

    def environment(self) -> dict[str, str]:
        environment = dict(os.environ)
        # Its warnings about the development-only in-memory store go to the log all the same.
        environment.pop("NODE_OPTIONS", None)
        return environment

    def ready(self) -> bool:
        if f"listening on {self.issuer}" not in self.log_since_start():
            return False
        try:
            return self.discovery().get("issuer") == self.issuer
        except (OSError, ValueError):
            return False

    def discovery(self) -> dict:
        """The discovery document (/.well-known/openid-configuration)."""
        response = Browser().get(f"{self.issuer}/.well-known/openid-configuration")
        if response.status != 200:
            raise ValueError(f"discovery answered {response.status}")
        return response.json()

    def jwks(self) -> dict:
        return Browser().get(self.discovery()["jwks_uri"]).json()

    # -- accounts and clients

    def _write_config(self) -> None:
        config = {
            "accounts": self.accounts,
            "clients": self.clients,
            "groups_claim": self.groups_claim,
            "signing_key_file": str(self.directory / "signing-key.json"),
        }
        temporary = self.config_path.with_suffix(".new")
        temporary.write_text(json.dumps(config, indent=2))
        os.replace(temporary, self.config_path)

    def account(self, sub: str) -> dict:
        return next(a for a in self.accounts if a["sub"] == sub)

    def add_account(
        self, sub: str, email: str, name: str, password: str, groups: list[str] | tuple = ()
    ) -> dict:
        account = {
            "sub": sub,
            "email": email,
            "name": name,
            "password": password,
            "groups": list(groups),
        }
        self.accounts = [a for a in self.accounts if a["sub"] != sub] + [account]
        self._write_config()
        return account

    def update_account(self, sub: str, **changes) -> dict:
        """Change an account's email, name, password or groups (at the next sign-in)."""
        account = self.account(sub)
        account.update(changes)
        self._write_config()
        return account

    def remove_account(self, sub: str) -> None:
        self.accounts = [a for a in self.accounts if a["sub"] != sub]
        self._write_config()

    def register_client(
        self,
        redirect_uris: list[str],
        post_logout_redirect_uris: list[str] | tuple = (),
        **metadata,
    ) -> dict:
        """Register a confidential client (dynamic registration); its metadata, with
        ``client_id`` and ``client_secret``."""
        body = {
            "redirect_uris": list(redirect_uris),
            "post_logout_redirect_uris": list(post_logout_redirect_uris),
            "grant_types": ["authorization_code", "refresh_token"],
            "response_types": ["code"],
            "token_endpoint_auth_method": "client_secret_basic",
            **metadata,
        }
        response = Browser().post_json(self.discovery()["registration_endpoint"], body)
        if response.status != 201:
            raise ValueError(f"registration answered {response.status}: {response.text}")
        return response.json()

    def reset(self) -> None:
        """Running again, with the default accounts (registered clients stay)."""
        self.start()
        if self.accounts != self.default_accounts:
            self.accounts = [dict(a) for a in self.default_accounts]
            self._write_config()

    # -- the authorization-code flow with PKCE, over plain HTTP

    def authorization_url(
        self,
        client_id: str,
        redirect_uri: str,
        code_challenge: str | None,
        state: str,
        nonce: str | None = None,
        scope: str = SCOPES,
        **extra: str,
    ) -> str:
        query = {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "scope": scope,
            "state": state,
            **(
                {"code_challenge": code_challenge, "code_challenge_method": "S256"}
                if code_challenge
                else {}
            ),
            **({"nonce": nonce} if nonce else {}),
            **extra,
        }
        return f"{self.discovery()['authorization_endpoint']}?{urllib.parse.urlencode(query)}"

    def sign_in(
        self, authorization_url: str, login: str, password: str, browser: "Browser | None" = None
    ) -> str:
        """Sign in through the provider's login form, starting at ``authorization_url`` (as an
        app would redirect a visitor to); return the URL the provider then redirects to (the
        client's redirect URI with ``code`` and ``state``), without requesting it."""
        browser = browser or Browser()
        response = browser.follow(authorization_url, self.issuer)
        if response.leaves:
            return response.location  # already signed in with this browser
        form = response.form("login-form")
        if form is None:
            raise SignInFailed(f"no login form at {response.url}: {response.text[:500]}")
        fields = {**form.fields, "login": login, "password": password}
        response = browser.follow(form.action, self.issuer, data=fields)
        if not response.leaves:
            error = re.search(r'id="login-error"[^>]*>([^<]*)<', response.text)
            raise SignInFailed(error.group(1) if error else f"sign-in stopped at {response.url}")
        return response.location

    def exchange_code(self, client: dict, code: str, redirect_uri: str, code_verifier: str) -> dict:
        """The token endpoint's answer (``id_token``, ``access_token``...) for a code."""
        credentials = f"{client['client_id']}:{client['client_secret']}".encode()
        response = Browser().post(
            self.discovery()["token_endpoint"],
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "code_verifier": code_verifier,
            },
            headers={"Authorization": "Basic " + base64.b64encode(credentials).decode()},
        )
        if response.status != 200:
            raise ValueError(f"token endpoint answered {response.status}: {response.text}")
        return response.json()

    def userinfo(self, access_token: str) -> dict:
        response = Browser().get(
            self.discovery()["userinfo_endpoint"],
            headers={"Authorization": f"Bearer {access_token}"},
        )
        if response.status != 200:
            raise ValueError(f"userinfo answered {response.status}: {response.text}")
        return response.json()

    def verify_id_token(self, id_token: str, client_id: str, nonce: str | None = None) -> dict:
        """The ID token's claims, once its RS256 signature, issuer, audience and nonce check."""
        claims = verify_rs256(id_token, self.jwks())
        if claims["iss"] != self.issuer or claims["aud"] != client_id:
            raise ValueError(f"ID token for {claims['aud']} from {claims['iss']}")
        if nonce is not None and claims.get("nonce") != nonce:
            raise ValueError("ID token with another nonce")
        return claims

    def sign_out(
        self, browser: "Browser", id_token: str, post_logout_redirect_uri: str, state: str = ""
    ) -> str:
        """RP-initiated logout: confirm on the provider's page; return where it redirects."""
        query = urllib.parse.urlencode(
            {
                "id_token_hint": id_token,
                "post_logout_redirect_uri": post_logout_redirect_uri,
                **({"state": state} if state else {}),
            }
        )
        response = browser.follow(
            f"{self.discovery()['end_session_endpoint']}?{query}", self.issuer
        )
        form = response.form("op.logoutForm")
        if form is None:
            raise SignInFailed(f"no logout form at {response.url}: {response.text[:500]}")
        response = browser.follow(form.action, self.issuer, data={**form.fields, "logout": "yes"})
        if not response.leaves:
            raise SignInFailed(f"sign-out stopped at {response.url}: {response.text[:500]}")
        return response.location


def pkce_pair() -> tuple[str, str]:
    """A PKCE code verifier and its S256 code challenge."""
    verifier = secrets.token_urlsafe(48)
    challenge = _b64encode(hashlib.sha256(verifier.encode()).digest())
    return verifier, challenge


def callback_params(url: str) -> dict[str, str]:
    """The query parameters of a redirect back to a client (``code``, ``state``, ``iss``...)."""
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# DER prefix of a PKCS#1 v1.5 DigestInfo for SHA-256.
_SHA256_PREFIX = bytes.fromhex("3031300d060960864801650304020105000420")


def verify_rs256(token: str, jwks: dict) -> dict:
    """The claims of a JWT whose RS256 signature a key of ``jwks`` verifies, else ValueError."""
    header_part, payload_part, signature_part = token.split(".")
    header = json.loads(_b64decode(header_part))
    if header.get("alg") != "RS256":
        raise ValueError(f"unexpected alg {header.get('alg')}")
    key = next((k for k in jwks["keys"] if k.get("kid") == header.get("kid")), None)
    if key is None or key.get("kty") != "RSA":
        raise ValueError("no RSA key for this token")
    modulus = int.from_bytes(_b64decode(key["n"]), "big")
    exponent = int.from_bytes(_b64decode(key["e"]), "big")
    size = (modulus.bit_length() + 7) // 8
    signature = int.from_bytes(_b64decode(signature_part), "big")
    digest = hashlib.sha256(f"{header_part}.{payload_part}".encode()).digest()
    padding = b"\xff" * (size - 3 - len(_SHA256_PREFIX) - len(digest))
    expected = b"\x00\x01" + padding + b"\x00" + _SHA256_PREFIX + digest
    if signature >= modulus or pow(signature, exponent, modulus).to_bytes(size, "big") != expected:
        raise ValueError("bad signature")
    return json.loads(_b64decode(payload_part))


# -- a small HTTP client with cookies, that never follows a redirect by itself


@dataclass
class Form:
    id: str
    action: str
    method: str
    fields: dict[str, str]


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._by_id: dict[str, Form] = {}
        self._current: Form | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if tag == "form":
            form = Form(
                attrs.get("id", ""), attrs.get("action", ""), attrs.get("method", "get"), {}
            )
            self.forms.append(form)
            self._by_id[form.id] = form
            self._current = form
        elif tag == "input" and attrs.get("name"):
            form = self._by_id.get(attrs.get("form", "")) or self._current
            if form is not None and attrs.get("type") not in ("submit", "button"):
                form.fields[attrs["name"]] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


@dataclass
class Response:
    status: int
    url: str
    headers: dict[str, str]
    text: str
    leaves: bool = False  # a redirect away from the origin that ``follow`` stayed on

    @property
    def location(self) -> str:
        return urllib.parse.urljoin(self.url, self.headers.get("location", ""))

    def json(self):
        return json.loads(self.text)

    def form(self, form_id: str) -> Form | None:
        parser = _Forms()
        parser.feed(self.text)
        for form in parser.forms:
            if form.id == form_id:
                form.action = urllib.parse.urljoin(self.url, form.action or self.url)
                return form
        return None


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Plain HTTP with a cookie jar, for 127.0.0.1 only; redirects are followed by ``follow``."""

    def __init__(self) -> None:
        self.cookies = CookieJar()
        self._opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}),  # never a proxy: everything stays on 127.0.0.1
            urllib.request.HTTPCookieProcessor(self.cookies),
            _NoRedirects(),
        )

    def request(
        self,
        method: str,
        url: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        if urllib.parse.urlsplit(url).hostname != HOST:
            raise ValueError(f"refusing to leave {HOST}: {url}")
        request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
        try:
            with self._opener.open(request, timeout=10) as answer:
                status, headers_, data = answer.status, answer.headers, answer.read()
        except urllib.error.HTTPError as error:
            status, headers_, data = error.code, error.headers, error.read()
        return Response(
            status=status,
            url=url,
            headers={k.lower(): v for k, v in headers_.items()},
            text=data.decode("utf-8", "replace"),
        )

    def get(self, url: str, headers: dict[str, str] | None = None) -> Response:
        return self.request("GET", url, headers=headers)

    def post(self, url: str, data: dict, headers: dict[str, str] | None = None) -> Response:
        body = urllib.parse.urlencode(data).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
        return self.request("POST", url, body, headers)

    def post_json(self, url: str, data: dict) -> Response:
        body = json.dumps(data).encode()
        return self.request("POST", url, body, {"Content-Type": "application/json"})

    def follow(self, url: str, origin: str, data: dict | None = None) -> Response:
        """GET (or POST ``data`` to) ``url`` and follow redirects within ``origin``. The last
        response: a page, or a redirect elsewhere (``leaves``, not requested)."""
        response = self.post(url, data) if data is not None else self.get(url)
        for _ in range(20):
            if response.status not in (301, 302, 303, 307, 308):
                return response
            location = response.location
            if not location.startswith(origin + "/"):
                response.leaves = True
                return response
            response = self.get(location)
        raise RuntimeError(f"too many redirects from {url}")
