"""PostgreSQL plans the hub's list look-ups for the list at hand (db._session_options).

psycopg prepares a statement at its fifth run; PostgreSQL may then switch to
one generic plan for any values, which for ``card = ANY(list)`` reads every
row of the store or merchant (measured 10-20 times slower, under the
merchant's lock). The hub's connections force custom plans; these tests read
PostgreSQL's own count of the plans it made (pg_prepared_statements).
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from sync.hub.db import ChangeCounter, create_hub_engine
from sync.hub.visibility import mark_seen

pytestmark = pytest.mark.parametrize("hub_db_url", ["postgresql"], indirect=True)

_PLANS = sa.text("SELECT generic_plans, custom_plans FROM pg_prepared_statements "
                 "WHERE statement LIKE '%store_cards.card = ANY%'")


def _plans_after_twenty_look_ups(engine: sa.Engine, merchant) -> tuple[int, int]:
    """Mark twenty lists of cards seen on one connection, then PostgreSQL's count of generic and custom
    plans. psycopg prepares at the fifth run and PostgreSQL weighs a generic plan after five custom ones;
    lists of a push's size (for a few cards PostgreSQL keeps custom plans on its own)."""
    with engine.connect() as conn:
        for n in range(20):
            counter = ChangeCounter(conn, merchant.merchant_id)
            mark_seen(conn, merchant.store_id, counter, [f"C{n:02d}{k:03d}" for k in range(100)])
            counter.save()
        found = conn.execute(_PLANS).one()
        conn.rollback()
    return found.generic_plans, found.custom_plans


def test_the_hubs_connections_plan_a_list_look_up_for_its_list_every_time(hub_db_url, hub_engine, merchant):
    generic, custom = _plans_after_twenty_look_ups(hub_engine, merchant)
    assert generic == 0
    assert custom >= 15  # prepared at the fifth run, then planned anew at each


def test_without_the_setting_postgresql_would_switch_to_a_generic_plan(hub_db_url, hub_engine, merchant):
    plain = sa.create_engine(hub_db_url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        generic, _ = _plans_after_twenty_look_ups(plain, merchant)
    finally:
        plain.dispose()
    assert generic > 0, "PostgreSQL kept custom plans on its own: the hub's setting is no longer what keeps them"


def test_options_given_in_the_database_url_are_kept(hub_db_url, hub_engine):
    url = sa.make_url(hub_db_url).update_query_dict({"options": "-c statement_timeout=4321"})
    engine = create_hub_engine(url.render_as_string(hide_password=False))
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SHOW statement_timeout").scalar() == "4321ms"
            assert conn.exec_driver_sql("SHOW plan_cache_mode").scalar() == "force_custom_plan"
    finally:
        engine.dispose()
