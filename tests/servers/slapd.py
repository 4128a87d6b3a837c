"""A private OpenLDAP slapd on 127.0.0.1 with a throwaway mdb database, seeded by ldap3.

Not the system service: ``slapd -d none -h ldap://127.0.0.1:PORT/ -f slapd.conf`` in the
foreground, its configuration and database in a temporary directory. The directory:

    dc=example,dc=test
      ou=people     ada (winback-admins, sales), sam (sales), sue (support), tom (no group)
      ou=groups     cn=winback-admins, cn=sales, cn=support (groupOfNames with member)
      ou=disabled   dan: a leaver moved out of ou=people, in no group; his password still works
      ou=services   cn=winback: the app's bind DN for searching (reads all but passwords)

Users are inetOrgPerson entries (uid, cn, sn, mail, userPassword as {SSHA}); the memberof
overlay gives each user a ``memberOf`` attribute. Anonymous clients may only bind; users and
the bind DN read all but passwords; only the root DN (``admin()``) writes.
"""

import os
import secrets

from ldap3 import (
    BASE,
    HASHED_SALTED_SHA,
    LEVEL,
    MODIFY_ADD,
    MODIFY_DELETE,
    MODIFY_REPLACE,
    SUBTREE,
    Connection,
)
from ldap3 import Server as LdapServer
from ldap3.core.exceptions import LDAPException, LDAPNoSuchObjectResult
from ldap3.utils.conv import escape_filter_chars
from ldap3.utils.dn import escape_rdn
from ldap3.utils.hashed import hashed

from tests.servers import HOST, ServerProcess, ServerUnavailable, find_binary

SCHEMA_DIR = "/etc/ldap/schema"
MODULE_DIR = "/usr/lib/ldap"

SUFFIX = "dc=example,dc=test"
PEOPLE = f"ou=people,{SUFFIX}"
GROUPS = f"ou=groups,{SUFFIX}"
DISABLED = f"ou=disabled,{SUFFIX}"
SERVICES = f"ou=services,{SUFFIX}"
BIND_DN = f"cn=winback,{SERVICES}"
BIND_PASSWORD = "winback-ldap-password"
# groupOfNames must have a member: an empty group has this one, which is nobody.
NOBODY = f"cn=nobody,{SUFFIX}"

# uid: (name, mail, password, groups)
USERS = {
    "ada": ("Ada Admin", "ada@example.test", "ada-password", ("winback-admins", "sales")),
    "sam": ("Sam Sales", "sam@example.test", "sam-password", ("sales",)),
    "sue": ("Sue Support", "sue@example.test", "sue-password", ("support",)),
    "tom": ("Tom Nogroup", "tom@example.test", "tom-password", ()),
}
GROUP_NAMES = ("winback-admins", "sales", "support")
DISABLED_USERS = {"dan": ("Dan Departed", "dan@example.test", "dan-password")}

CONFIG = """\
# A throwaway slapd for the tests; generated, see tests/servers/slapd.py.
include {schema}/core.schema
include {schema}/cosine.schema
include {schema}/inetorgperson.schema
include {schema}/nis.schema

pidfile {dir}/slapd.pid
argsfile {dir}/slapd.args
modulepath {modules}
moduleload back_mdb
moduleload memberof
password-hash {{SSHA}}
disallow bind_anon

database mdb
maxsize 33554432
suffix "{suffix}"
rootdn "cn=admin,{suffix}"
rootpw "{root_password}"
directory {dir}/data
index objectClass eq
index uid,mail,cn eq,sub
index member,memberOf eq

overlay memberof
memberof-group-oc groupOfNames
memberof-member-ad member
memberof-memberof-ad memberOf

access to attrs=userPassword
  by anonymous auth
  by * none
access to *
  by users read
  by * none
"""


class SlapdServer(ServerProcess):
    """slapd on 127.0.0.1:``port`` serving ``SUFFIX``, seeded with USERS and GROUP_NAMES."""

    name = "slapd"
    suffix = SUFFIX
    people_dn = PEOPLE
    groups_dn = GROUPS
    disabled_dn = DISABLED
    bind_dn = BIND_DN
    bind_password = BIND_PASSWORD
    users = USERS

    def __init__(self) -> None:
        self.binary = find_binary("slapd", "/usr/sbin/slapd")
        for needed in (f"{SCHEMA_DIR}/inetorgperson.schema", f"{MODULE_DIR}/back_mdb.la"):
            if not os.path.exists(needed):
                raise ServerUnavailable(f"{needed} is missing: run .ci/install-servers")
        super().__init__()
        self.admin_dn = f"cn=admin,{SUFFIX}"
        # Only this instance knows it: proves that the server that answers is ours.
        self.admin_password = secrets.token_urlsafe(16)
        (self.directory / "data").mkdir()
        self._changed = True

    @property
    def url(self) -> str:
        return f"ldap://{HOST}:{self.port}"

    # -- the process

    def configure(self) -> None:
        (self.directory / "slapd.conf").write_text(
            CONFIG.format(
                schema=SCHEMA_DIR,
                modules=MODULE_DIR,
                dir=self.directory,
                suffix=SUFFIX,
                root_password=self.admin_password,
            )
        )

    def command(self) -> list[str]:
        return [
            self.binary,
            "-d",
            "none",  # stay in the foreground, print only errors
            "-h",
            f"ldap://{HOST}:{self.port}/",
            "-f",
            str(self.directory / "slapd.conf"),
        ]

    def ready(self) -> bool:
        try:
            with self._root():
                return True
        except LDAPException:
            return False

    def start(self) -> None:
        first = not self.port
        super().start()
        if first:
            self.seed()

    # -- connections

    def connection(
        self, user: str | None = None, password: str | None = None, raise_exceptions=False
    ) -> Connection:
        """A bound ldap3 connection: as ``user`` (a DN) or by default as the app's bind DN.

        Raises ``ldap3.core.exceptions.LDAPBindError`` for a wrong password and
        ``LDAPSocketOpenError`` when the server is down.
        """
        server = LdapServer(HOST, port=self.port, connect_timeout=5)
        return Connection(
            server,
            user=user or self.bind_dn,
            password=self.bind_password if user is None else password,
            auto_bind=True,
            raise_exceptions=raise_exceptions,
            receive_timeout=10,
        )

    def admin(self) -> Connection:
        """A connection bound as the root DN, which may do anything; a failed operation
        raises. Only the root DN can change the directory: ``reset()`` reseeds after it."""
        self._changed = True
        return self._root()

    def _root(self) -> Connection:
        return self.connection(self.admin_dn, self.admin_password, raise_exceptions=True)

    def user_dn(self, uid: str, disabled: bool = False) -> str:
        return f"uid={escape_rdn(uid)},{DISABLED if disabled else PEOPLE}"

    def group_dn(self, group: str) -> str:
        return f"cn={escape_rdn(group)},{GROUPS}"

    # -- the data

    def seed(self) -> None:
        """Throw away every entry and write the directory described at the top again."""
        with self._root() as ldap:
            _delete_subtree(ldap, SUFFIX)
            ldap.add(SUFFIX, ["dcObject", "organization"], {"dc": "example", "o": "Example"})
            for ou in ("people", "groups", "disabled", "services"):
                ldap.add(f"ou={ou},{SUFFIX}", ["organizationalUnit"], {"ou": ou})
            ldap.add(
                BIND_DN,
                ["applicationProcess", "simpleSecurityObject"],
                {"cn": "winback", "userPassword": _hash(BIND_PASSWORD)},
            )
            for uid, (name, mail, password, _groups) in USERS.items():
                _add_person(ldap, self.user_dn(uid), uid, name, mail, password)
            for uid, (name, mail, password) in DISABLED_USERS.items():
                _add_person(ldap, self.user_dn(uid, disabled=True), uid, name, mail, password)
            # After the users: the memberof overlay only gives existing members memberOf.
            for group in GROUP_NAMES:
                members = [self.user_dn(uid) for uid, user in USERS.items() if group in user[3]]
                ldap.add(
                    self.group_dn(group),
                    ["groupOfNames"],
                    {"cn": group, "member": members or [NOBODY]},
                )
        self._changed = False

    def reset(self) -> None:
        """Running again, with the seeded directory (written again only if it changed)."""
        self.start()
        if self._changed:
            self.seed()

    def add_user(
        self, uid: str, name: str, mail: str, password: str, groups: tuple[str, ...] = ()
    ) -> str:
        """Add a user to ou=people (and to ``groups``); return their DN."""
        dn = self.user_dn(uid)
        with self.admin() as ldap:
            _add_person(ldap, dn, uid, name, mail, password)
        for group in groups:
            self.add_to_group(uid, group)
        return dn

    def delete_user(self, uid: str) -> None:
        """Remove the user's entry, and them from every group."""
        dn = self.find_user(uid)
        for group in self.groups_of(uid):
            self._remove_member(group, dn)
        with self.admin() as ldap:
            ldap.delete(dn)

    def deactivate_user(self, uid: str) -> str:
        """The leaver pattern: out of every group, moved from ou=people to ou=disabled."""
        dn = self.find_user(uid)
        for group in self.groups_of(uid):
            self._remove_member(group, dn)
        with self.admin() as ldap:
            ldap.modify_dn(dn, f"uid={escape_rdn(uid)}", new_superior=DISABLED)
        return self.user_dn(uid, disabled=True)

    def set_password(self, uid: str, password: str) -> None:
        with self.admin() as ldap:
            ldap.modify(
                self.find_user(uid), {"userPassword": [(MODIFY_REPLACE, [_hash(password)])]}
            )

    def add_to_group(self, uid: str, group: str) -> None:
        dn = self.find_user(uid)
        with self.admin() as ldap:
            ldap.modify(self.group_dn(group), {"member": [(MODIFY_ADD, [dn])]})
            if NOBODY in self._members(ldap, group):
                ldap.modify(self.group_dn(group), {"member": [(MODIFY_DELETE, [NOBODY])]})

    def remove_from_group(self, uid: str, group: str) -> None:
        self._remove_member(group, self.find_user(uid))

    def _remove_member(self, group: str, dn: str) -> None:
        with self.admin() as ldap:
            if self._members(ldap, group) == [dn]:
                ldap.modify(self.group_dn(group), {"member": [(MODIFY_ADD, [NOBODY])]})
            ldap.modify(self.group_dn(group), {"member": [(MODIFY_DELETE, [dn])]})

    def _members(self, ldap: Connection, group: str) -> list[str]:
        ldap.search(self.group_dn(group), "(objectClass=groupOfNames)", BASE, attributes=["member"])
        return list(ldap.entries[0].member.values)

    def members(self, group: str) -> list[str]:
        """The DNs of the group's members."""
        with self._root() as ldap:
            return [dn for dn in self._members(ldap, group) if dn != NOBODY]

    def find_user(self, uid: str) -> str:
        """The DN of the user with this uid, in ou=people or ou=disabled."""
        with self._root() as ldap:
            ldap.search(
                SUFFIX, f"(&(objectClass=inetOrgPerson)(uid={escape_filter_chars(uid)}))", SUBTREE
            )
            if len(ldap.entries) != 1:
                raise LookupError(f"no single user with uid={uid!r}")
            return ldap.entries[0].entry_dn

    def groups_of(self, uid: str) -> list[str]:
        """The names (cn) of the groups the user is a member of."""
        dn = self.find_user(uid)
        with self._root() as ldap:
            ldap.search(
                GROUPS,
                f"(&(objectClass=groupOfNames)(member={escape_filter_chars(dn)}))",
                LEVEL,
                attributes=["cn"],
            )
            return sorted(entry.cn.value for entry in ldap.entries)


def _add_person(ldap: Connection, dn: str, uid: str, name: str, mail: str, password: str) -> None:
    ldap.add(
        dn,
        ["inetOrgPerson"],
        {
            "uid": uid,
            "cn": name,
            "sn": name.split()[-1],
            "givenName": name.split()[0],
            "mail": mail,
            "userPassword": _hash(password),
        },
    )


def _hash(password: str) -> str:
    return hashed(HASHED_SALTED_SHA, password)


def _delete_subtree(ldap: Connection, base: str) -> None:
    try:
        ldap.search(base, "(objectClass=*)", SUBTREE, attributes=[])
    except LDAPNoSuchObjectResult:
        return
    # Deepest first: more RDNs means further down the tree.
    for dn in sorted((e.entry_dn for e in ldap.entries), key=lambda d: -d.count(",")):
        ldap.delete(dn)
