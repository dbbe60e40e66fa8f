"""The hub's tables (SQLAlchemy Core).

Times are UTC ISO strings in the wire format, so they sort as text; money
and balances are integers. ``change_id`` columns place every change of a
merchant on one line that the terminals' pull cursor walks along.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

_ID = sa.String(36)
_TIME = sa.String(27)
_HASH = sa.String(64)


def _key(name: str, **kw: object) -> sa.Column:
    return sa.Column(name, sa.String(64), nullable=False, **kw)


hub_schema = sa.Table(
    "hub_schema", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
)

merchants = sa.Table(
    "merchants", metadata,
    sa.Column("merchant_id", _ID, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("created_at", _TIME, nullable=False),
    # The last change id handed out; its row is the merchant's write lock.
    sa.Column("last_change_id", sa.BigInteger, nullable=False, server_default="0"),
    # The customer page (schema v14, customer_tokens.py): on unless the owner switches it off.
    sa.Column("customer_page", sa.Boolean, nullable=False, server_default=sa.true()),
)

stores = sa.Table(
    "stores", metadata,
    sa.Column("store_id", _ID, primary_key=True),
    sa.Column("merchant_id", _ID, sa.ForeignKey("merchants.merchant_id"), nullable=False, index=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("created_at", _TIME, nullable=False),
)

owner_tokens = sa.Table(
    "owner_tokens", metadata,
    sa.Column("token_hash", _HASH, primary_key=True),
    sa.Column("merchant_id", _ID, sa.ForeignKey("merchants.merchant_id"), nullable=False),
    sa.Column("created_at", _TIME, nullable=False),
    sa.Column("revoked_at", _TIME),
)

pairings = sa.Table(
    "pairings", metadata,
    sa.Column("code_hash", _HASH, primary_key=True),
    sa.Column("merchant_id", _ID, sa.ForeignKey("merchants.merchant_id"), nullable=False),
    sa.Column("store_id", _ID, sa.ForeignKey("stores.store_id"), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("created_at", _TIME, nullable=False),
    sa.Column("expires_at", _TIME, nullable=False),
    sa.Column("used_at", _TIME),
    sa.Column("terminal_id", _ID),
    # A recovery code (schema v4): only this already paired till may use it; using it
    # replaces the till's token. Ordinary codes (NULL) pair new tills only.
    sa.Column("recover_terminal_id", _ID),
)

terminals = sa.Table(
    "terminals", metadata,
    # The terminal's own UUID, chosen by the terminal and bound at pairing.
    sa.Column("terminal_id", _ID, primary_key=True),
    sa.Column("merchant_id", _ID, sa.ForeignKey("merchants.merchant_id"), nullable=False, index=True),
    sa.Column("store_id", _ID, sa.ForeignKey("stores.store_id"), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("token_hash", _HASH, nullable=False, unique=True),
    sa.Column("paired_at", _TIME, nullable=False),
    # Chain heads: the highest contiguous seq stored and that record's hash.
    sa.Column("entries_through", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("entries_head", _HASH, nullable=False),
    sa.Column("audit_through", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("audit_head", _HASH, nullable=False),
    # The cursor of the last pull answer: what it knew when it made later entries.
    sa.Column("pulled_through", sa.BigInteger, nullable=False, server_default="0"),
    # Set by the owner (schema v4): the token is refused until the till is recovered.
    sa.Column("revoked_at", _TIME),
    # The till's Ed25519 chain key (schema v5), bound at pairing or, for a till paired before
    # signing, on its first push that offers one; only a recovery rebinds it. Records at or
    # after *_signed_from must be signed with it.
    sa.Column("signing_key", sa.String(44)),
    sa.Column("entries_signed_from", sa.BigInteger),
    sa.Column("audit_signed_from", sa.BigInteger),
    # The merchant's hub chain (schema v11, hub_chain.py): an author of the hub's own, signed with
    # the hub's key, never paired, recovered or revoked like a till.
    sa.Column("is_hub", sa.Boolean, nullable=False, server_default=sa.false()),
    # What the till said of itself on its last push that reported it (schema v14, till_status.py):
    # what it still had to push after that push, its app version, and when the hub heard it.
    sa.Column("pending_entries", sa.BigInteger),
    sa.Column("pending_audit", sa.BigInteger),
    sa.Column("app_version", sa.String(40)),
    sa.Column("status_at", _TIME),
)

entries = sa.Table(
    "entries", metadata,
    sa.Column("entry_id", _ID, primary_key=True),
    sa.Column("merchant_id", _ID, nullable=False),
    sa.Column("terminal_id", _ID, nullable=False),
    sa.Column("seq", sa.BigInteger, nullable=False),
    sa.Column("card", sa.String(10), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("stamps", sa.BigInteger, nullable=False),
    sa.Column("points", sa.BigInteger, nullable=False),
    sa.Column("amount", sa.BigInteger),
    sa.Column("reward_id", sa.String(64)),
    sa.Column("staff_id", sa.String(64)),
    sa.Column("reason", sa.Text),
    sa.Column("reverses", _ID),
    sa.Column("at", _TIME, nullable=False),
    sa.Column("prev_hash", _HASH, nullable=False),
    sa.Column("hash", _HASH, nullable=False),
    sa.Column("sig", sa.String(88)),  # schema v5: the author's signature, served on to other tills
    sa.Column("change_id", sa.BigInteger, nullable=False),
    sa.Column("received_at", _TIME, nullable=False),
    sa.UniqueConstraint("terminal_id", "seq", name="uq_entries_terminal_seq"),
    sa.Index("ix_entries_merchant_change", "merchant_id", "change_id"),
    sa.Index("ix_entries_merchant_card", "merchant_id", "card", "change_id"),
    # schema v6: the flags' look-ups (a void's earlier voids, a reward's redemptions)
    sa.Index("ix_entries_merchant_reverses", "merchant_id", "reverses"),
    sa.Index("ix_entries_merchant_reward", "merchant_id", "reward_id"),
    # schema v14: the console's audit log (voids and adjustments newest first; till and staff filters
    # checked in the index)
    sa.Index("ix_entries_merchant_kind_at", "merchant_id", "kind", "at", "terminal_id", "staff_id"),
)

audit_events = sa.Table(
    "audit_events", metadata,
    sa.Column("event_id", _ID, primary_key=True),
    sa.Column("merchant_id", _ID, nullable=False),
    sa.Column("terminal_id", _ID, nullable=False),
    sa.Column("seq", sa.BigInteger, nullable=False),
    sa.Column("kind", sa.String(64), nullable=False),
    sa.Column("staff_id", sa.String(64)),
    sa.Column("subject", sa.Text),
    sa.Column("details", sa.Text, nullable=False),
    sa.Column("at", _TIME, nullable=False),
    sa.Column("prev_hash", _HASH, nullable=False),
    sa.Column("hash", _HASH, nullable=False),
    sa.Column("sig", sa.String(88)),  # schema v5
    sa.Column("received_at", _TIME, nullable=False),
    sa.UniqueConstraint("terminal_id", "seq", name="uq_audit_terminal_seq"),
    # schema v14, the console's audit log (audit_log.py): newest first, with the till, kind and staff in
    # the index so those filters are checked without reading rows; and a card's or staff member's events.
    sa.Index("ix_audit_events_merchant_at", "merchant_id", "at", "terminal_id", "kind", "staff_id"),
    sa.Index("ix_audit_events_merchant_subject", "merchant_id", "subject", "at"),
    sa.Index("ix_audit_events_terminal_at", "terminal_id", "at"),
)

# Mutable records: the newest updated_at wins, ties to the larger origin id.
cards = sa.Table(
    "cards", metadata,
    sa.Column("merchant_id", _ID, primary_key=True),
    sa.Column("code", sa.String(10), primary_key=True),
    _key("program_id"),
    sa.Column("holder", sa.Text),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("enrolled_at", _TIME, nullable=False),
    sa.Column("updated_at", _TIME, nullable=False),
    sa.Column("origin_terminal_id", _ID, nullable=False),
    sa.Column("change_id", sa.BigInteger, nullable=False),
    # Made offline by a till that did not know the card: never beats a real record (schema v5).
    sa.Column("provisional", sa.Boolean, nullable=False, server_default=sa.false()),
    # The store of the till that made the change held now (schema v7, see record_rules.py).
    sa.Column("origin_store_id", _ID, nullable=True),
    # Contact details and the replacement link (schema v8), optional on the wire.
    sa.Column("phone", sa.String(32)),
    sa.Column("email", sa.String(254)),
    sa.Column("birthday", sa.String(10)),
    sa.Column("contact_consent", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("replaced_by", sa.String(10)),
    # The owner who changed it at the hub (schema v13, hub_records.py); None when a till did.
    sa.Column("changed_by", sa.String(254)),
    sa.Index("ix_cards_merchant_change", "merchant_id", "change_id"),
)

programs = sa.Table(
    "programs", metadata,
    sa.Column("merchant_id", _ID, primary_key=True),
    sa.Column("program_id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("settings", sa.Text, nullable=False),
    sa.Column("updated_at", _TIME, nullable=False),
    sa.Column("origin_terminal_id", _ID, nullable=False),
    sa.Column("change_id", sa.BigInteger, nullable=False),
    # The store of the till that made the change held now (schema v7, see record_rules.py).
    sa.Column("origin_store_id", _ID, nullable=True),
    sa.Column("changed_by", sa.String(254)),  # schema v13, as for cards
    sa.Index("ix_programs_merchant_change", "merchant_id", "change_id"),
)

staff = sa.Table(
    "staff", metadata,
    sa.Column("merchant_id", _ID, primary_key=True),
    sa.Column("staff_id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("pin_hash", sa.String(600), nullable=False),
    sa.Column("updated_at", _TIME, nullable=False),
    sa.Column("origin_terminal_id", _ID, nullable=False),
    sa.Column("change_id", sa.BigInteger, nullable=False),
    # Staff belong to the store whose terminal pushed them: their PINs are keyed with that
    # store's PIN key, so they could not sign in anywhere else (schema v3).
    sa.Column("store_id", _ID, nullable=True),
    sa.Column("origin_store_id", _ID, nullable=True),  # schema v7, as for cards and programs
    sa.Column("changed_by", sa.String(254)),  # schema v13, as for cards
    # schema v14: a new PIN is asked at the member's next sign-in at a till (console_staff.py)
    sa.Column("pin_reset_required", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Index("ix_staff_merchant_change", "merchant_id", "change_id"),
)

# Each till's wrong-PIN count per staff member and lock epoch, merged so it never goes down
# (see lock_merge.py); served to the tills of the staff member's store (schema v5).
staff_locks = sa.Table(
    "staff_locks", metadata,
    sa.Column("merchant_id", _ID, primary_key=True),
    sa.Column("staff_id", sa.String(64), primary_key=True),
    sa.Column("terminal_id", _ID, primary_key=True),
    sa.Column("store_id", _ID, nullable=False),
    sa.Column("epoch", sa.BigInteger, nullable=False),
    sa.Column("failures", sa.BigInteger, nullable=False),
    sa.Column("locked_until", _TIME),
    sa.Column("updated_at", _TIME, nullable=False),
    sa.Column("change_id", sa.BigInteger, nullable=False),
    sa.Index("ix_staff_locks_store_change", "merchant_id", "store_id", "change_id"),
)

# Stores whose tills may change a program (schema v7, record_rules.py): the one that created
# it ("created"), and any the owner allowed ("owner"). No row: no store may change it.
program_stores = sa.Table(
    "program_stores", metadata,
    sa.Column("merchant_id", _ID, primary_key=True),
    sa.Column("program_id", sa.String(64), primary_key=True),
    sa.Column("store_id", _ID, primary_key=True),
    sa.Column("allowed_at", _TIME, nullable=False),
    sa.Column("reason", sa.String(16), nullable=False),
)

# Cards a store has seen (an entry pushed there, or fetched on first scan).
# Its change_id lets the pull feed hand over the card's earlier history.
store_cards = sa.Table(
    "store_cards", metadata,
    sa.Column("store_id", _ID, primary_key=True),
    sa.Column("card", sa.String(10), primary_key=True),
    sa.Column("merchant_id", _ID, nullable=False),
    sa.Column("change_id", sa.BigInteger, nullable=False),
    sa.Index("ix_store_cards_store_change", "store_id", "change_id"),
)

# Merchant-wide balance per card, kept at push to detect overdrafts.
balances = sa.Table(
    "balances", metadata,
    sa.Column("merchant_id", _ID, primary_key=True),
    sa.Column("card", sa.String(10), primary_key=True),
    sa.Column("stamps", sa.BigInteger, nullable=False),
    sa.Column("points", sa.BigInteger, nullable=False),
    # The card's lifetime points (its tier), kept at ingest (schema v19, lifetime.py).
    sa.Column("lifetime_points", sa.BigInteger, nullable=False, server_default="0"),
)

overdrafts = sa.Table(
    "overdrafts", metadata,
    sa.Column("overdraft_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("merchant_id", _ID, nullable=False),
    sa.Column("card", sa.String(10), nullable=False),
    sa.Column("stamps_balance", sa.BigInteger, nullable=False),
    sa.Column("points_balance", sa.BigInteger, nullable=False),
    sa.Column("entry_ids", sa.Text, nullable=False),  # JSON list
    sa.Column("terminal_id", _ID, nullable=False),    # whose push revealed it
    sa.Column("flagged_at", _TIME, nullable=False),
    sa.Column("change_id", sa.BigInteger, nullable=False),
    # Flags of other kinds share this table and its ids (schema v6, sync/hub/flags.py): a second
    # void, stamps beyond the daily limit, a reward redeemed beyond its stock. The old columns keep
    # serving older tills, which read overdrafts only.
    sa.Column("kind", sa.String(16), nullable=False, server_default="overdraft"),
    sa.Column("effect_stamps", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("effect_points", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("reward_id", sa.String(64)),
    sa.Column("detail", sa.Text),  # JSON object
    # Set when an owner marks it resolved in the console (schema v10), with who and a note.
    sa.Column("resolved_at", _TIME),
    sa.Column("resolved_by", sa.String(254)),
    sa.Column("resolution_note", sa.Text),
    sa.Index("ix_overdrafts_merchant_change", "merchant_id", "change_id"),
    # schema v14: the console's audit log (flags raised and resolved, newest first)
    sa.Index("ix_overdrafts_merchant_flagged", "merchant_id", "flagged_at"),
    sa.Index("ix_overdrafts_merchant_resolved", "merchant_id", "resolved_at"),
)

# Records of a push the hub set aside (record_rules.py), kept for the console's audit log
# (schema v14, audit_log.py). A resend of the same push refuses the same version again: one row.
record_refusals = sa.Table(
    "record_refusals", metadata,
    sa.Column("refusal_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("merchant_id", _ID, nullable=False),
    sa.Column("terminal_id", _ID, nullable=False),
    sa.Column("stream", sa.String(16), nullable=False),
    sa.Column("record_key", sa.String(64), nullable=False),
    sa.Column("updated_at", _TIME, nullable=False),
    sa.Column("code", sa.String(32), nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("received_at", _TIME, nullable=False),
    sa.UniqueConstraint("terminal_id", "stream", "record_key", "updated_at", "code",
                        name="uq_record_refusals_version"),
    sa.Index("ix_record_refusals_merchant_received", "merchant_id", "received_at"),
)

# What a joining terminal needs to set itself up: the store's time zone and
# currency, and the key its staff PINs are keyed with — wrapped with the hub's
# master key (kept outside this database, see keywrap.py), never in clear.
store_profiles = sa.Table(
    "store_profiles", metadata,
    sa.Column("store_id", _ID, sa.ForeignKey("stores.store_id"), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("timezone", sa.String(64), nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("pin_key_wrapped", sa.Text, nullable=False),
    sa.Column("updated_at", _TIME, nullable=False),
)

# Owners who sign in to the web console (schema v10): email and an Argon2id password hash;
# A TOTP secret turns on the second factor: since schema v20 only wrapped with the master key
# (``totp_secret_wrapped``, secret_store.py); ``totp_secret`` holds one in clear only in a database
# from before, until the hub seals it at start or first use.
owner_accounts = sa.Table(
    "owner_accounts", metadata,
    sa.Column("account_id", _ID, primary_key=True),
    sa.Column("merchant_id", _ID, sa.ForeignKey("merchants.merchant_id"), nullable=False, index=True),
    sa.Column("email", sa.String(254), nullable=False, unique=True),
    sa.Column("password_hash", sa.String(200), nullable=False),
    sa.Column("totp_secret", sa.String(64)),
    sa.Column("created_at", _TIME, nullable=False),
    sa.Column("disabled_at", _TIME),
    sa.Column("totp_secret_wrapped", sa.Text),
)

# Console sign-ins: the cookie holds a random token, the table only its SHA-256.
owner_sessions = sa.Table(
    "owner_sessions", metadata,
    sa.Column("session_hash", _HASH, primary_key=True),
    sa.Column("account_id", _ID, sa.ForeignKey("owner_accounts.account_id"), nullable=False, index=True),
    sa.Column("created_at", _TIME, nullable=False),
    sa.Column("last_seen_at", _TIME, nullable=False),
    sa.Column("expires_at", _TIME, nullable=False),
    sa.Column("ended_at", _TIME),
    sa.Column("address", sa.String(64)),
)

# Integration API (schema v11, integration_credentials.py, integration_api.py): credentials of
# other systems (a register, a web shop), stored hashed like owner tokens.
integration_credentials = sa.Table(
    "integration_credentials", metadata,
    sa.Column("credential_hash", _HASH, primary_key=True),
    sa.Column("credential_id", sa.String(16), nullable=False, unique=True),  # shown, listed, revoked by
    sa.Column("merchant_id", _ID, sa.ForeignKey("merchants.merchant_id"), nullable=False, index=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("scope", sa.String(16), nullable=False),  # "read" or "write" (read and write)
    sa.Column("created_at", _TIME, nullable=False),
    sa.Column("revoked_at", _TIME),
    # When it last authenticated, to the minute (schema v21): written only when older than a minute.
    sa.Column("last_used_at", _TIME),
)

# The first answer to each Idempotency-Key, kept 24 h: a resend gets it again, never a second write.
idempotency_keys = sa.Table(
    "idempotency_keys", metadata,
    sa.Column("merchant_id", _ID, primary_key=True),
    sa.Column("idem_key", sa.String(255), primary_key=True),
    sa.Column("request_hash", _HASH, nullable=False),
    sa.Column("status_code", sa.Integer, nullable=False),
    sa.Column("response", sa.Text, nullable=False),
    sa.Column("created_at", _TIME, nullable=False),
)

# What each order earned and how much of it was refunded: a refund reverses exactly its share.
integration_orders = sa.Table(
    "integration_orders", metadata,
    sa.Column("merchant_id", _ID, primary_key=True),
    sa.Column("source", sa.String(64), primary_key=True),
    sa.Column("order_id", sa.String(128), primary_key=True),
    sa.Column("card", sa.String(10), nullable=False),
    sa.Column("amount", sa.BigInteger, nullable=False),
    sa.Column("points", sa.BigInteger, nullable=False),       # earned, bonuses included
    sa.Column("refunded_amount", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("refunded_points", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("entry_id", _ID, nullable=False),               # the earn entry
    sa.Column("created_at", _TIME, nullable=False),
)

# Webhooks (schema v12, sync/hub/webhooks.py): an owner's endpoints, the outbox of events written in
# the transaction that caused them, and one delivery per event and endpoint that the delivery
# worker (webhook_delivery.py) claims with a lease, so several hub processes never send one twice
# at once and a killed worker's delivery is taken up again when its lease runs out.
webhook_endpoints = sa.Table(
    "webhook_endpoints", metadata,
    sa.Column("endpoint_id", _ID, primary_key=True),
    sa.Column("merchant_id", _ID, sa.ForeignKey("merchants.merchant_id"), nullable=False),
    sa.Column("url", sa.String(2048), nullable=False),
    sa.Column("events", sa.Text, nullable=False),  # JSON list of event types, or ["*"]
    # The signing secret, wrapped with the master key (schema v20, secret_store.py). ``secret`` is ''
    # then; it holds one in clear only in a database from before, until the hub seals it.
    sa.Column("secret", sa.String(64), nullable=False),
    sa.Column("description", sa.String(200)),
    sa.Column("created_at", _TIME, nullable=False),
    sa.Column("removed_at", _TIME),
    sa.Column("secret_wrapped", sa.Text),
    sa.Index("ix_webhook_endpoints_merchant", "merchant_id"),
)

webhook_events = sa.Table(
    "webhook_events", metadata,
    sa.Column("event_id", _ID, primary_key=True),
    sa.Column("merchant_id", _ID, nullable=False),
    # What caused it (e.g. "points.earned:<entry_id>", "flag:<id>"): one event per cause.
    sa.Column("event_key", sa.String(128), nullable=False),
    sa.Column("type", sa.String(32), nullable=False),
    sa.Column("payload", sa.Text, nullable=False),  # the JSON body sent, byte for byte
    sa.Column("created_at", _TIME, nullable=False),
    sa.UniqueConstraint("merchant_id", "event_key", name="uq_webhook_events_key"),
    # The delivery log's filter by a rare event type starts from its events (schema v21).
    sa.Index("ix_webhook_events_type", "merchant_id", "type"),
)

webhook_deliveries = sa.Table(
    "webhook_deliveries", metadata,
    sa.Column("delivery_id", _ID, primary_key=True),
    sa.Column("merchant_id", _ID, nullable=False),
    sa.Column("event_id", _ID, nullable=False),
    sa.Column("endpoint_id", _ID, nullable=False),
    sa.Column("replay_of", _ID),  # an owner's replay is a new delivery of the same event
    sa.Column("status", sa.String(16), nullable=False),  # pending, delivered, failed, cancelled
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("next_attempt_at", _TIME, nullable=False),
    sa.Column("give_up_at", _TIME, nullable=False),
    sa.Column("lease_owner", sa.String(64)),
    sa.Column("lease_until", _TIME),
    sa.Column("last_error", sa.Text),
    sa.Column("response_code", sa.Integer),
    sa.Column("created_at", _TIME, nullable=False),
    sa.Column("delivered_at", _TIME),
    sa.Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
    # The delivery log pages newest first by (created_at, delivery_id), schema v21 (delivery_log.py):
    # per merchant (replacing v12's merchant_id, created_at), per endpoint, per merchant and status.
    sa.Index("ix_webhook_deliveries_log", "merchant_id", "created_at", "delivery_id"),
    sa.Index("ix_webhook_deliveries_endpoint_log", "endpoint_id", "created_at", "delivery_id"),
    sa.Index("ix_webhook_deliveries_status_log", "merchant_id", "status", "created_at", "delivery_id"),
    sa.Index("ix_webhook_deliveries_event", "event_id"),
    sa.Index("ix_webhook_deliveries_replay", "replay_of"),  # a delivery's replays, on its page (schema v22)
)

# Every try of a webhook delivery (schema v22, webhook_delivery.py), written in the transaction that
# records the try's outcome on its delivery, so a try is in the history exactly when the delivery
# shows its outcome. ``attempt`` is the delivery's ``attempts`` count the claim gave it: a number
# missing from a history is a try whose worker stopped before recording it. At most
# delivery_attempts.KEEP_PER_DELIVERY rows per delivery are kept, and a delivery's rows go with it.
webhook_attempts = sa.Table(
    "webhook_attempts", metadata,
    # the primary key is also the index a delivery's history is read in order by
    sa.Column("delivery_id", _ID, sa.ForeignKey("webhook_deliveries.delivery_id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("attempt", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("started_at", _TIME),        # NULL: a try from before schema v22, copied from the delivery
    sa.Column("duration_ms", sa.Integer),  # NULL as well for those
    sa.Column("response_code", sa.Integer),  # the HTTP status, or NULL when no answer came
    sa.Column("error_kind", sa.String(64)),  # the transport error's kind (ConnectError, ReadTimeout, …)
    sa.Column("answer", sa.Text),          # the status line or the error, bounded like last_error; never a body
)

# What owners did to cards in the console (schema v14, sync/hub/console_cards.py): adjustments
# (with the hub chain entry they wrote), suspensions, blocks, reactivations and replacements,
# each with the owner's e-mail and reason. The entries and the card records themselves travel
# as usual; this is the hub's own trail of who asked for them and why.
console_card_actions = sa.Table(
    "console_card_actions", metadata,
    sa.Column("action_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("merchant_id", _ID, nullable=False),
    sa.Column("card", sa.String(10), nullable=False),
    sa.Column("action", sa.String(16), nullable=False),  # adjust, suspended, blocked, active, replaced
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("owner_email", sa.String(254), nullable=False),
    sa.Column("at", _TIME, nullable=False),
    sa.Column("entry_id", _ID),          # the adjust or transfer_out entry it wrote
    sa.Column("detail", sa.Text),        # JSON object: balances before and after, the new card
    sa.Index("ix_console_card_actions_card", "merchant_id", "card"),
    sa.Index("ix_console_card_actions_entry", "entry_id"),
)

# Period figures kept up to date at ingest (schema v18, sync/hub/daily_totals.py), so the console's
# dashboard and reports never scan the ledger. ``day`` is the store-local calendar day (the store's
# time zone when the entry arrived) of the entry's ``at``; '' stands for no staff member / campaign.
daily_totals = sa.Table(
    "daily_totals", metadata,
    sa.Column("merchant_id", _ID, primary_key=True),
    sa.Column("store_id", _ID, primary_key=True),
    sa.Column("day", sa.String(10), primary_key=True),
    sa.Column("staff_id", sa.String(64), primary_key=True),
    sa.Column("kind", sa.String(16), primary_key=True),
    sa.Column("campaign", sa.String(64), primary_key=True),
    sa.Column("entries", sa.BigInteger, nullable=False),
    sa.Column("stamps", sa.BigInteger, nullable=False),
    sa.Column("points", sa.BigInteger, nullable=False),
    sa.Column("amount", sa.BigInteger, nullable=False),
    # covering: a period's sums are read from the index alone
    sa.Index("ix_daily_totals_merchant_day", "merchant_id", "day", "store_id", "staff_id", "kind", "campaign",
             "entries", "stamps", "points", "amount"),
)

# Cards seen per store and day, for exact distinct counts over any period without DISTINCT: ``what``
# is "seen" (any entry but an expiry or a void), "redeemed", or "campaign:<id>" (got its bonus);
# ``store_id`` '*' is the merchant-wide row. ``prev_day`` is the card's previous day of the same
# what and store, so the cards seen in [a, b] are the rows in [a, b] whose prev_day is before a.
daily_cards = sa.Table(
    "daily_cards", metadata,
    sa.Column("merchant_id", _ID, primary_key=True),
    sa.Column("card", sa.String(10), primary_key=True),
    sa.Column("what", sa.String(80), primary_key=True),
    sa.Column("store_id", _ID, primary_key=True),
    sa.Column("day", sa.String(10), primary_key=True),
    sa.Column("prev_day", sa.String(10)),
    sa.Index("ix_daily_cards_count", "merchant_id", "what", "store_id", "day", "prev_day"),
)

# Entries whose void has been taken off the totals: a second void of the same entry takes nothing.
daily_voided = sa.Table(
    "daily_voided", metadata,
    sa.Column("merchant_id", _ID, primary_key=True),
    sa.Column("entry_id", _ID, primary_key=True),
)

# Guessing attempts (schema v20, attempts.py): console sign-ins and pairings, one row per attempt,
# so every hub process counts against one budget. ``subject`` is the SHA-256 of what is limited
# (an address, an account's email); rows older than their window are pruned.
hub_attempts = sa.Table(
    "hub_attempts", metadata,
    sa.Column("attempt_id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True,
              autoincrement=True),
    sa.Column("purpose", sa.String(32), nullable=False),
    sa.Column("subject", _HASH, nullable=False),
    sa.Column("at", sa.Float, nullable=False),   # unix seconds: every process and host agrees on them
    sa.Index("ix_hub_attempts_subject", "purpose", "subject", "at"),
    sa.Index("ix_hub_attempts_at", "purpose", "at"),
)
