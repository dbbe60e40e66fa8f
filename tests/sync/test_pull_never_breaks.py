"""Whatever one till pushes, every other till of the merchant can still pull (issue 12, item 2).

Hypothesis makes pushes of arbitrary records — programs with free-form
settings (deep, wide, NaN, huge numbers, any text), staff, cards, chain
entries with any times — sent as raw JSON by a paired till to the real hub
over loopback. Whatever the hub answers, it is never a 5xx; then every other
till of the merchant (one of the same store, one of another store) pulls
everything new, and each page must come back 200 and validate as the till
validates it. Records the hub took must come back exactly as they were sent.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sync_helpers import pair_terminal

import ledger_chain as chain
from sync.hub import admin
from sync.protocol import MAX_INT, PROTOCOL_VERSION, PullResponse

CARD_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PIN_HASH = "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG"


def _at(offset: timedelta) -> str:
    return (datetime.now(UTC) + offset).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


times = st.one_of(
    st.timedeltas(min_value=timedelta(days=-400), max_value=timedelta(minutes=4)).map(_at),
    st.sampled_from(["9999-12-31T23:59:59.999999Z", "1970-01-01T00:00:00.000000Z",
                     "2019-12-31T23:59:59.999999Z"]),
    st.timedeltas(min_value=timedelta(minutes=6), max_value=timedelta(days=3650)).map(_at),
)
# Text the wire takes in names and free text (a control character refuses the whole push, which
# says little); ids may be any text, and NUL or a lone surrogate there refuses the push.
texts = st.text(st.characters(categories=("L", "N", "P", "S", "Zs", "M")), max_size=12)
names = texts.filter(bool)
scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
                    st.floats(allow_nan=True, allow_infinity=True), texts)
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(texts, inner, max_size=3), max_leaves=25)


def _deep(levels: int) -> dict:
    value: dict = {"stamps_target": 10}
    for _ in range(levels - 1):
        value = {"tiers": [value]}
    return value


special_numbers = st.sampled_from([float("nan"), float("inf"), -float("inf"), -0.0, 1e308, 2**64, 2**53 + 1])
settings_values = st.one_of(st.dictionaries(texts, json_values, max_size=5),
                            st.integers(min_value=1, max_value=40).map(_deep),
                            st.dictionaries(st.sampled_from(["rate", "stamps_target"]), special_numbers, min_size=1))
ids = st.one_of(st.sampled_from(["default", "kiosk", "rita", "bob"]), st.text(max_size=8).filter(bool))
codes = st.text(alphabet=CARD_ALPHABET, min_size=10, max_size=10)
programs = st.fixed_dictionaries({
    "program_id": ids, "name": names, "kind": st.sampled_from(["stamps", "points", "hybrid"]),
    "settings": settings_values, "updated_at": times})
staff = st.fixed_dictionaries({
    "staff_id": ids, "name": names, "role": st.sampled_from(["cashier", "owner"]), "active": st.booleans(),
    "pin_hash": st.just(PIN_HASH), "updated_at": times})
cards = st.fixed_dictionaries({
    "code": codes, "program_id": ids, "holder": st.none() | texts,
    "status": st.sampled_from(["active", "suspended", "blocked"]), "enrolled_at": times, "updated_at": times})
entry_values = st.fixed_dictionaries({
    "card": codes, "kind": st.sampled_from(["enroll", "stamp", "earn", "redeem", "adjust", "void"]),
    "stamps": st.integers(-MAX_INT, MAX_INT), "points": st.integers(-MAX_INT, MAX_INT),
    "amount": st.none() | st.integers(-MAX_INT, MAX_INT), "reward_id": st.none() | ids,
    "staff_id": st.none() | ids, "reason": st.none() | texts, "at": times})
pushes = st.fixed_dictionaries({
    "programs": st.lists(programs, max_size=3), "staff": st.lists(staff, max_size=3),
    "cards": st.lists(cards, max_size=3), "entries": st.lists(entry_values, max_size=3)})


class Pusher:
    """The pushing till: its chain head as the hub holds it."""

    def __init__(self, terminal_id: str, token: str) -> None:
        self.terminal_id = terminal_id
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.seq, self.head = 0, chain.GENESIS

    def chain(self, values: list[dict]) -> list[dict]:
        made, seq, prev = [], self.seq, self.head
        for value in values:
            seq += 1
            entry = {"entry_id": str(uuid.uuid4()), "terminal_id": self.terminal_id, "seq": seq,
                     "reverses": None, **value}
            entry["prev_hash"] = prev
            entry["hash"] = prev = chain.entry_hash(prev, entry)
            made.append(entry)
        return made


def test_no_push_a_hub_takes_can_break_another_tills_pull(hub, hub_engine, merchant, tmp_path):
    second_store = admin.add_store(hub_engine, merchant.merchant_id, "Kiosk")
    made = [pair_terminal(hub.url, hub_engine, store, tmp_path / f"{name}.db", name)
            for name, store in (("pusher", merchant.store_id), ("same", merchant.store_id),
                                ("other", second_store))]
    (push_term, push_client), *pullers = made
    pusher = Pusher(push_term.terminal_id(), push_client._http.headers["Authorization"].removeprefix("Bearer "))
    cursors = {term.terminal_id(): 0 for term, _ in pullers}
    statuses: set[int] = set()

    @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                      HealthCheck.too_slow])
    @given(push=pushes)
    def push_then_pull(push: dict) -> None:
        body = {"v": PROTOCOL_VERSION, "terminal_id": pusher.terminal_id, **push,
                "entries": pusher.chain(push["entries"])}
        answer = http.post("/sync/v1/push", content=json.dumps(body, allow_nan=True), headers=pusher.headers)
        statuses.add(answer.status_code)
        assert answer.status_code < 500, answer.text
        taken: dict[tuple[str, str], dict] = {}
        if answer.status_code == 200:
            result = answer.json()
            if result["entries_through"] > pusher.seq:
                pusher.seq, pusher.head = result["entries_through"], body["entries"][-1]["hash"]
            refused = {(r["stream"], r["key"], r["updated_at"]) for r in result.get("refused", ())}
            for stream, key in (("programs", "program_id"), ("staff", "staff_id"), ("cards", "code")):
                for record in push[stream]:
                    best = taken.get((stream, record[key]))
                    if (stream, record[key], record["updated_at"]) not in refused and (
                            best is None or record["updated_at"] >= best["updated_at"]):
                        taken[(stream, record[key])] = record  # the newest of a key, the last of a tie
        for term, client in pullers:
            served = _pull_all(term.terminal_id(), client, cursors)
            for (stream, key), record in taken.items():
                if stream == "staff" and term is not pullers[0][0]:
                    continue  # staff stay in their store
                if (stream, key) in served:  # changed by this push: exactly as it was sent
                    assert served[(stream, key)] == record

    with httpx.Client(base_url=hub.url, timeout=30) as http:
        push_then_pull()
    for term, client in made:
        client.close()
        term.close()
    assert 200 in statuses and 422 in statuses  # both kinds of push were made


def _pull_all(terminal_id: str, client, cursors: dict[str, int]) -> dict[tuple[str, str], dict]:
    served: dict[tuple[str, str], dict] = {}
    while True:
        answer = client._http.get("/sync/v1/pull", params={"cursor": cursors[terminal_id], "limit": 1000,
                                                           "v": PROTOCOL_VERSION})
        assert answer.status_code == 200, answer.text
        page = PullResponse.model_validate_json(answer.content)  # what the till does with it
        cursors[terminal_id] = page.cursor
        for stream, key in (("programs", "program_id"), ("staff", "staff_id"), ("cards", "code")):
            for record in getattr(page, stream):
                served[(stream, getattr(record, key))] = record.model_dump()
        if not page.has_more:
            return served
