"""Read-only queries behind the owner API, always scoped to one merchant."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ledger_chain.expiry import EXPIRE_KIND, KEY_PREFIX
from sync.hub.db import reading
from sync.hub.feed import overdraft_model
from sync.hub.schema import balances, cards, entries, overdrafts, stores, terminals
from sync.protocol import Overdraft

_CARD_COLUMNS = [cards.c.code, cards.c.program_id, cards.c.holder, cards.c.status,
                 cards.c.enrolled_at, cards.c.updated_at]
_ENTRY_COLUMNS = [entries.c[name] for name in (
    "entry_id", "terminal_id", "seq", "card", "kind", "stamps", "points", "amount",
    "reward_id", "staff_id", "reason", "reverses", "at", "hash", "change_id")]


def _balance_columns() -> list[Any]:
    return [sa.func.coalesce(balances.c.stamps, 0).label("stamps"),
            sa.func.coalesce(balances.c.points, 0).label("points")]


def _with_balances() -> Any:
    return cards.outerjoin(balances, sa.and_(balances.c.merchant_id == cards.c.merchant_id,
                                             balances.c.card == cards.c.code))


def list_cards(engine: Engine, merchant_id: str, *, status: str | None, after: str | None,
               limit: int) -> list[dict[str, Any]]:
    query = (sa.select(*_CARD_COLUMNS, *_balance_columns()).select_from(_with_balances())
             .where(cards.c.merchant_id == merchant_id).order_by(cards.c.code).limit(limit))
    if status:
        query = query.where(cards.c.status == status)
    if after:
        query = query.where(cards.c.code > after)
    with reading(engine) as conn:
        return [dict(r) for r in conn.execute(query).mappings()]


def card_detail(engine: Engine, merchant_id: str, code: str) -> dict[str, Any] | None:
    with reading(engine) as conn:
        card = conn.execute(sa.select(*_CARD_COLUMNS, *_balance_columns())
                            .select_from(_with_balances())
                            .where(cards.c.merchant_id == merchant_id, cards.c.code == code)
                            ).mappings().one_or_none()
        rows = conn.execute(sa.select(*_ENTRY_COLUMNS)
                            .where(entries.c.merchant_id == merchant_id, entries.c.card == code)
                            .order_by(entries.c.change_id)).mappings().all()
    if card is None and not rows:
        return None
    if card is None:
        stamps = sum(r["stamps"] for r in rows)
        points = sum(r["points"] for r in rows)
        card = {"code": code, "program_id": None, "holder": None, "status": None,
                "enrolled_at": None, "updated_at": None, "stamps": stamps, "points": points}
    return {"card": dict(card), "entries": [dict(r) for r in rows]}


def transactions(engine: Engine, merchant_id: str, *, card: str | None, terminal_id: str | None,
                 store_id: str | None, kind: str | None, since: str | None, until: str | None,
                 after: int, limit: int) -> list[dict[str, Any]]:
    query = (sa.select(*_ENTRY_COLUMNS, terminals.c.store_id)
             .select_from(entries.join(terminals, terminals.c.terminal_id == entries.c.terminal_id))
             .where(entries.c.merchant_id == merchant_id, entries.c.change_id > after)
             .order_by(entries.c.change_id).limit(limit))
    filters = {entries.c.card: card, entries.c.terminal_id: terminal_id,
               terminals.c.store_id: store_id, entries.c.kind: kind}
    for column, value in filters.items():
        if value is not None:
            query = query.where(column == value)
    if since:
        query = query.where(entries.c.at >= since)
    if until:
        query = query.where(entries.c.at < until)
    with reading(engine) as conn:
        return [dict(r) for r in conn.execute(query).mappings()]


def _counted() -> Any:
    """False for a keyed expire entry that another one of the same card and key outranks.

    The rule of ledger_chain.expiry (the smallest entry_id counts, the others count zero),
    the same the tills and the hub's balances apply, looked up over all of the merchant's
    entries: the entry that counts may lie outside the period asked for.
    """
    first = entries.alias("first_of_key")
    outranked = sa.exists().where(first.c.merchant_id == entries.c.merchant_id, first.c.card == entries.c.card,
                                  first.c.kind == EXPIRE_KIND, first.c.reason == entries.c.reason,
                                  first.c.entry_id < entries.c.entry_id)
    keyed = sa.and_(entries.c.kind == EXPIRE_KIND, entries.c.reason.startswith(KEY_PREFIX, autoescape=True))
    return sa.not_(sa.and_(keyed, outranked))


def stats(engine: Engine, merchant_id: str, *, since: str | None, until: str | None) -> dict[str, Any]:
    conditions = [entries.c.merchant_id == merchant_id]
    if since:
        conditions.append(entries.c.at >= since)
    if until:
        conditions.append(entries.c.at < until)
    counted = _counted()
    positive = lambda col: sa.func.coalesce(  # noqa: E731
        sa.func.sum(sa.case((sa.and_(col > 0, counted), col), else_=0)), 0)
    negative = lambda col: sa.func.coalesce(  # noqa: E731
        sa.func.sum(sa.case((sa.and_(col < 0, counted), -col), else_=0)), 0)
    with reading(engine) as conn:
        totals = conn.execute(sa.select(
            sa.func.count().label("entries"),
            sa.func.count(sa.distinct(entries.c.card)).label("cards_active"),
            positive(entries.c.stamps).label("stamps_given"),
            negative(entries.c.stamps).label("stamps_taken"),
            positive(entries.c.points).label("points_given"),
            negative(entries.c.points).label("points_taken"),
            sa.func.coalesce(sa.func.sum(entries.c.amount), 0).label("amount_total"),
        ).where(*conditions)).mappings().one()
        by_kind = dict(conn.execute(sa.select(entries.c.kind, sa.func.count())
                                    .where(*conditions).group_by(entries.c.kind)).all())
        by_store = conn.execute(
            sa.select(stores.c.store_id, stores.c.name, sa.func.count(entries.c.entry_id).label("entries"))
            .select_from(stores.outerjoin(terminals, terminals.c.store_id == stores.c.store_id)
                         .outerjoin(entries, sa.and_(entries.c.terminal_id == terminals.c.terminal_id,
                                                     *conditions)))
            .where(stores.c.merchant_id == merchant_id)
            .group_by(stores.c.store_id, stores.c.name).order_by(stores.c.name)).mappings().all()
        cards_total = conn.execute(sa.select(sa.func.count()).select_from(cards)
                                   .where(cards.c.merchant_id == merchant_id)).scalar_one()
        flagged = conn.execute(sa.select(sa.func.count()).select_from(overdrafts)
                               .where(overdrafts.c.merchant_id == merchant_id,
                                      overdrafts.c.kind == "overdraft")).scalar_one()
    return {**{k: int(v) for k, v in totals.items()}, "by_kind": by_kind,
            "cards_enrolled": cards_total, "overdrafts": flagged,
            "stores": [dict(r) for r in by_store]}


def list_overdrafts(engine: Engine, merchant_id: str, *, after: int, limit: int) -> list[Overdraft]:
    with reading(engine) as conn:
        rows = conn.execute(sa.select(overdrafts)
                            .where(overdrafts.c.merchant_id == merchant_id,
                                   overdrafts.c.overdraft_id > after, overdrafts.c.kind == "overdraft")
                            .order_by(overdrafts.c.overdraft_id).limit(limit)).mappings().all()
    return [overdraft_model(r) for r in rows]


def list_stores(engine: Engine, merchant_id: str) -> list[dict[str, Any]]:
    with reading(engine) as conn:
        store_rows = conn.execute(sa.select(stores.c.store_id, stores.c.name, stores.c.created_at)
                                  .where(stores.c.merchant_id == merchant_id)
                                  .order_by(stores.c.name)).mappings().all()
        terminal_rows = conn.execute(
            sa.select(terminals.c.terminal_id, terminals.c.store_id, terminals.c.name,
                      terminals.c.paired_at, terminals.c.entries_through, terminals.c.audit_through,
                      terminals.c.revoked_at)
            # the hub's own chain author (hub_chain.py) is not a till
            .where(terminals.c.merchant_id == merchant_id, sa.not_(terminals.c.is_hub))).mappings().all()
    return [{**dict(s), "terminals": [dict(t) for t in terminal_rows if t["store_id"] == s["store_id"]]}
            for s in store_rows]
