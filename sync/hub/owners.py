"""Owner accounts of the web console and their sign-in sessions.

Passwords are hashed with Argon2id (slow on purpose: a stolen database must
not give them away). A session is a random 256-bit token in the owner's
cookie; the database keeps only its SHA-256, like the hub's other tokens,
so reading the table does not let anyone sign in. Sessions end after
``IDLE`` without use or ``LIFETIME`` in all; "sign out everywhere" ends every
session of the account at once.

A TOTP secret must be read back to check codes, so it cannot be hashed: it
is kept wrapped with the hub's master key, bound to its account
(secret_store.py); a copy of the database alone does not pass the second
factor.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
import secrets
import struct
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.engine import Engine

from sync.hub import secret_store, tokens
from sync.hub.admin import AdminError, utc_iso
from sync.hub.db import reading, writing
from sync.hub.keywrap import MasterKeyError
from sync.hub.schema import merchants, owner_accounts, owner_sessions

log = logging.getLogger(__name__)
IDLE = timedelta(hours=12)
LIFETIME = timedelta(days=14)
TOUCH_EVERY = timedelta(minutes=5)  # last_seen_at is written at most this often per session
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")

# Replaced by a cheaper one in tests; Argon2id (argon2-cffi's default type) with its defaults.
password_hasher = PasswordHasher()
# Verified when the email is unknown, so a wrong email costs the same time as a wrong password.
_DUMMY_HASH: list[str] = []


@dataclass(frozen=True)
class Account:
    account_id: str
    merchant_id: str
    email: str
    totp: bool


@dataclass(frozen=True)
class Session:
    token: str          # only ever in the owner's cookie
    account: Account


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def add_owner(engine: Engine, merchant_id: str, email: str, password: str) -> Account:
    """A console account for ``merchant_id``; the email must be new on this hub."""
    email = normalize_email(email)
    if len(email) > 254 or not _EMAIL.match(email):
        raise AdminError(f"{email!r} is not an email address; give one like owner@example.com",
                         "owner_email_invalid", email=repr(email))
    check_password_rules(password)
    password_hash = password_hasher.hash(password)
    account_id = str(uuid.uuid4())
    with writing(engine) as conn:
        if conn.execute(sa.select(merchants.c.merchant_id)
                        .where(merchants.c.merchant_id == merchant_id)).scalar_one_or_none() is None:
            raise AdminError(f"no merchant {merchant_id!r} on this hub")
        if conn.execute(sa.select(owner_accounts.c.account_id)
                        .where(owner_accounts.c.email == email)).scalar_one_or_none() is not None:
            raise AdminError(f"{email} already has an account on this hub", "owner_email_taken", email=email)
        conn.execute(sa.insert(owner_accounts).values(
            account_id=account_id, merchant_id=merchant_id, email=email,
            password_hash=password_hash, created_at=utc_iso()))
    return Account(account_id, merchant_id, email, totp=False)


def check_password_rules(password: str) -> None:
    if not MIN_PASSWORD <= len(password or "") <= MAX_PASSWORD:
        raise AdminError(f"the password must be {MIN_PASSWORD} to {MAX_PASSWORD} characters", "owner_password_length",
                         least=MIN_PASSWORD, most=MAX_PASSWORD)


def find_account(engine: Engine, email: str) -> Account | None:
    with reading(engine) as conn:
        row = conn.execute(sa.select(owner_accounts)
                           .where(owner_accounts.c.email == normalize_email(email),
                                  owner_accounts.c.disabled_at.is_(None))).one_or_none()
    return None if row is None else _account(row)


def check_password(engine: Engine, email: str, password: str) -> Account | None:
    """The account when ``password`` is right; None otherwise (in about the same time)."""
    with reading(engine) as conn:
        row = conn.execute(sa.select(owner_accounts)
                           .where(owner_accounts.c.email == normalize_email(email),
                                  owner_accounts.c.disabled_at.is_(None))).one_or_none()
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(password_hasher.hash(secrets.token_hex(16)))
    try:
        password_hasher.verify(row.password_hash if row else _DUMMY_HASH[0], password or "")
    except (VerificationError, InvalidHashError):
        return None
    return None if row is None else _account(row)


def list_accounts(engine: Engine, merchant_id: str) -> list[Account]:
    with reading(engine) as conn:
        rows = conn.execute(sa.select(owner_accounts).where(owner_accounts.c.merchant_id == merchant_id,
                                                            owner_accounts.c.disabled_at.is_(None))
                            .order_by(owner_accounts.c.email)).all()
    return [_account(r) for r in rows]


def set_totp_secret(engine: Engine, account_id: str, secret: str | None,
                    master_key: secret_store.MasterKey | None = None) -> None:
    """Turn the second factor on with ``secret`` (kept wrapped), or off with None."""
    wrapped = None if secret is None else secret_store.seal(
        master_key or secret_store.master_key_for(engine), secret_store.TOTP, account_id, secret)
    with writing(engine) as conn:
        conn.execute(sa.update(owner_accounts).where(owner_accounts.c.account_id == account_id)
                     .values(totp_secret=None, totp_secret_wrapped=wrapped))


def check_totp(engine: Engine, account_id: str, code: str, at: float | None = None,
               master_key: secret_store.MasterKey | None = None) -> bool:
    """Whether ``code`` is right; False too when the secret cannot be unwrapped (logged for the operator)."""
    master_key = master_key or secret_store.master_key_for(engine)
    with reading(engine) as conn:
        row = conn.execute(sa.select(owner_accounts.c.totp_secret, owner_accounts.c.totp_secret_wrapped)
                           .where(owner_accounts.c.account_id == account_id)).one_or_none()
    if row is None:
        return False
    try:
        if row.totp_secret is not None:  # kept in clear by a hub from before schema 20: sealed now
            with writing(engine) as conn:
                secret_store.seal_totp_secret(conn, master_key, account_id, row.totp_secret)
            secret = row.totp_secret
        elif row.totp_secret_wrapped is not None:
            secret = secret_store.unseal(master_key, secret_store.TOTP, account_id, row.totp_secret_wrapped)
        else:
            return False
    except MasterKeyError as exc:
        log.error("owner account %s: %s", account_id, exc)
        return False
    return verify_totp(secret, code, at)


def start_session(engine: Engine, account: Account, address: str | None = None) -> Session:
    token = "lt_session_" + secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    with writing(engine) as conn:
        conn.execute(sa.insert(owner_sessions).values(
            session_hash=tokens.secret_hash(token), account_id=account.account_id,
            created_at=utc_iso(now), last_seen_at=utc_iso(now), expires_at=utc_iso(now + LIFETIME),
            address=(address or "")[:64] or None))
    return Session(token, account)


def session_account(engine: Engine, token: str | None) -> Account | None:
    """The account signed in with ``token``, if the session is still open."""
    if not token:
        return None
    now = datetime.now(UTC)
    session_hash = tokens.secret_hash(token)
    with reading(engine) as conn:
        row = conn.execute(
            sa.select(owner_sessions.c.last_seen_at, owner_accounts)
            .select_from(owner_sessions.join(owner_accounts,
                                             owner_accounts.c.account_id == owner_sessions.c.account_id))
            .where(owner_sessions.c.session_hash == session_hash, owner_sessions.c.ended_at.is_(None),
                   owner_sessions.c.expires_at > utc_iso(now), owner_accounts.c.disabled_at.is_(None))
        ).one_or_none()
    if row is None or row.last_seen_at <= utc_iso(now - IDLE):
        return None
    if row.last_seen_at <= utc_iso(now - TOUCH_EVERY):
        with writing(engine) as conn:
            conn.execute(sa.update(owner_sessions).where(owner_sessions.c.session_hash == session_hash)
                         .values(last_seen_at=utc_iso(now)))
    return _account(row)


def end_session(engine: Engine, token: str) -> None:
    with writing(engine) as conn:
        conn.execute(sa.update(owner_sessions)
                     .where(owner_sessions.c.session_hash == tokens.secret_hash(token),
                            owner_sessions.c.ended_at.is_(None))
                     .values(ended_at=utc_iso()))


def end_all_sessions(engine: Engine, account_id: str) -> int:
    """Sign the account out everywhere; returns how many sessions ended."""
    with writing(engine) as conn:
        return conn.execute(sa.update(owner_sessions)
                            .where(owner_sessions.c.account_id == account_id,
                                   owner_sessions.c.ended_at.is_(None))
                            .values(ended_at=utc_iso())).rowcount


def _account(row: sa.Row) -> Account:
    return Account(row.account_id, row.merchant_id, row.email,
                   totp=row.totp_secret is not None or row.totp_secret_wrapped is not None)


# RFC 6238 TOTP (SHA-1, 6 digits, 30 s), the kind every authenticator app speaks.
def new_totp_secret() -> str:
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii").rstrip("=")


def valid_totp_secret(secret: str) -> bool:
    return bool(re.fullmatch(r"[A-Z2-7]{16,64}", secret or ""))


def totp_uri(secret: str, email: str, issuer: str = "Loyalty hub") -> str:
    """The otpauth:// address authenticator apps read from a QR."""
    from urllib.parse import quote
    return (f"otpauth://totp/{quote(issuer)}:{quote(email)}?secret={secret}"
            f"&issuer={quote(issuer)}&algorithm=SHA1&digits=6&period=30")


def totp(secret: str, at: float | None = None, step: int = 30) -> str:
    key = base64.b32decode(secret + "=" * (-len(secret) % 8), casefold=True)
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def verify_totp(secret: str, code: str, at: float | None = None) -> bool:
    """Right for this 30-second step or the one before or after (clock drift)."""
    code = re.sub(r"\s+", "", code or "")
    now = time.time() if at is None else at
    return any(hmac.compare_digest(totp(secret, now + drift), code) for drift in (-30, 0, 30))
