"""What a till reports of itself on a push (``PushRequest.status``), kept on its terminal row.

The dashboard shows it: how many of its own entries and audit events the till
still had to push once that push was stored, and its app version. A till that
never sent it (an older one) shows "unknown", never a made-up zero.
"""

from __future__ import annotations

from sync.protocol import TillStatus


def values(status: TillStatus | None, now: str) -> dict[str, object]:
    """The terminal row's columns for ``status`` (none when the till sent none), written by the push's
    one update of the terminal's row."""
    if status is None:
        return {}
    return {"pending_entries": status.pending_entries, "pending_audit": status.pending_audit,
            "app_version": status.app_version, "status_at": now}
