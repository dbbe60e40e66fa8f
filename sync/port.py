"""The port through which the syncer talks to a terminal's local store.

The syncer never touches the terminal's database: the terminal hands it an
object implementing :class:`SyncPort`. Every method is called from the
syncer's worker thread (never from the GUI thread), one call at a time, so
an implementation needs a connection usable from that thread and nothing
more. Each method is its own transaction: it either fully happens or not at
all, which is what makes a crash at any point safe to resume from.

Outgoing records are plain mappings (database rows) with the field names of
:mod:`sync.protocol`; the syncer validates them and sets aside the first
one that is malformed, reporting it. Incoming changes arrive as validated
:mod:`sync.protocol` models.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from sync.protocol import PullResponse, Receipt, RecordRefusal

RecordKind = Literal["cards", "programs", "staff", "locks"]


@dataclass(frozen=True)
class RecordKey:
    """Names one version of a mutable record: which table, its key, its ``updated_at``.

    ``key`` is the card ``code``, the ``program_id`` or the ``staff_id`` (staff and their locks).
    """

    kind: RecordKind
    key: str
    updated_at: str


@dataclass(frozen=True)
class Outbox:
    """What the terminal has not yet had acknowledged, oldest first."""

    entries: Sequence[Mapping[str, Any]] = ()
    audit: Sequence[Mapping[str, Any]] = ()
    cards: Sequence[Mapping[str, Any]] = ()
    programs: Sequence[Mapping[str, Any]] = ()
    staff: Sequence[Mapping[str, Any]] = ()
    locks: Sequence[Mapping[str, Any]] = ()  # this terminal's own wrong-PIN counts (sync.protocol.StaffLock)
    # The terminal's chain signing key (base64) and ``{"entries": seq, "audit": seq}`` where it
    # began signing: pushed along so a till paired before signing gets its key bound (once).
    signing_key: str | None = None
    signed_from: Mapping[str, int] | None = None
    # For the owner's dashboard (sync.protocol.TillStatus): how many of its own entries and audit
    # events the terminal has not had acknowledged in all (not only this batch), and its app version.
    # None: the port does not tell, and the push says nothing of the till's state.
    pending_entries: int | None = None
    pending_audit: int | None = None
    app_version: str | None = None

@dataclass(frozen=True)
class Ack:
    """What the hub confirmed it holds.

    ``entries_through`` / ``audit_through`` are the highest contiguous
    ``seq`` of this terminal's own chains stored on the hub; ``None`` means
    "no news about this chain". ``records`` are the record versions the hub
    has seen: none of them is sent again. ``refused`` are those of them the
    hub did not take (another store's record, a wrong clock): the terminal
    keeps each refusal to show the owner, and puts the hub's version back
    (``current_card`` / ``current_program``) in place of the refused one
    when it was not changed again meanwhile.
    """

    entries_through: int | None = None
    audit_through: int | None = None
    records: Sequence[RecordKey] = field(default_factory=tuple)
    refused: Sequence[RecordRefusal] = field(default_factory=tuple)
    # The hub's signed receipts of the chain heads it holds (sync.protocol.Receipt), to keep.
    receipts: Sequence[Receipt] = field(default_factory=tuple)
    hub_key: str | None = None  # what signed them (base64); kept once by a till paired before signing


class SyncPort(Protocol):
    """The local store as the syncer sees it. See the module docstring."""

    def terminal_id(self) -> str:
        """This terminal's own UUID: the ``terminal_id`` of the entries it makes.

        Constant for the life of the store; generated once, before pairing.
        """
        ...

    def outbox(self, max_records: int) -> Outbox:
        """Unacknowledged local records, at most ``max_records`` per stream.

        ``entries``: this terminal's own ledger entries with ``seq`` greater
        than the acknowledged ``entries_through``, in ascending ``seq``, with
        no gaps, each a mapping with every field of ``ledger_chain.ENTRY_FIELDS``
        plus ``prev_hash`` and ``hash`` exactly as stored and hashed (the hub
        recomputes the hash from these values). Entries pulled from other
        terminals are never included. ``audit``: the same for audit events
        (``ledger_chain.AUDIT_FIELDS`` plus ``prev_hash``, ``hash``).

        ``cards`` / ``programs`` / ``staff``: records changed on this terminal
        whose current version (``updated_at``) the hub has not acknowledged,
        as mappings with the fields of ``sync.protocol.Card``,
        ``ProgramSettings`` and ``Staff``. A record that only arrived through
        :meth:`apply_remote` is not pending.

        Read-only; calling it twice without an ack returns the same records.
        """
        ...

    def record_ack(self, ack: Ack) -> None:
        """Remember what the hub holds, in one transaction.

        Set the acknowledged positions to ``ack.entries_through`` and
        ``ack.audit_through`` when they are not ``None``. The value may be
        lower than the one stored (the hub was restored from a backup and
        asks for records again): store it as given, so :meth:`outbox`
        offers those records again. It is never higher than the terminal's
        own last ``seq``.

        For each of ``ack.records``, mark that record sent only if its
        ``updated_at`` still equals the acknowledged one; a record edited
        again meanwhile stays pending. Keep ``ack.refused`` for the owner
        (see :class:`Ack`). Idempotent.
        """
        ...

    def pending_count(self) -> int:
        """How many records :meth:`outbox` would offer in total (all streams). Cheap."""
        ...

    def pull_cursor(self) -> int:
        """The cursor saved by the last :meth:`apply_remote`; 0 before the first."""
        ...

    def apply_remote(self, changes: PullResponse) -> None:
        """Store one page of changes from the hub and its cursor, in ONE transaction.

        - ``entries``: other terminals' entries (never this terminal's own).
          Insert each one unless its ``entry_id`` is already stored; store it
          as it came, marked with its origin ``terminal_id``, and let it
          count toward balances, cooldowns and daily limits. Order across
          terminals is not meaningful; within one terminal, ``seq`` ascends.
        - ``cards``, ``programs``, ``staff``: upsert each, keeping whichever
          of the local and the remote version has the newer ``updated_at``
          (on a tie keep the local one). An applied remote version is not
          pending for push.
        - ``overdrafts``: flags raised by the hub; upsert by ``overdraft_id``
          so the window can show them.
        - then save ``changes.cursor`` as the new :meth:`pull_cursor`.

        A page may repeat records already applied (after a crash, or when a
        card is first seen by this store): applying it again changes nothing.
        If anything fails, nothing of the page (cursor included) is kept.
        """
        ...
