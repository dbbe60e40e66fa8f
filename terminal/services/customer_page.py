"""The address of a card's customer page, made at this till: the hub's address and a token it signs.

Tills make and print cards offline, so the token is made here, with the
till's own chain key (terminal/store/chain_key.py; see
ledger_chain/customer_token.py for what is signed). The hub checks it with
the key it bound to this till at pairing. The address starts with the hub
address this till was paired with: pair tills with an address customers'
phones reach too (docs/customer-page.md). A till not paired yet has no hub
to name: it prints no second QR and the counter's button says why.
"""

from __future__ import annotations

from ledger_chain.customer_token import make_token
from terminal.domain.codes import normalize_code
from terminal.services.context import ServiceContext
from terminal.services.sync_link import link_info
from terminal.store import chain_key


def customer_page_url(ctx: ServiceContext, code: str) -> str | None:
    """The page of card ``code``, or None while this till is not paired with a hub."""
    info = link_info(ctx)
    signer = chain_key.signer_of(ctx.db.session_info)
    if info is None or signer is None:
        return None
    terminal_id = ctx.store.terminal_id
    key = signer.public_key(terminal_id)
    if key is None:  # paired before signing existed and nothing written since: make it now
        with ctx.db.write() as session:
            key = signer.key(session, terminal_id)
    return f"{info.hub_url}/c/{make_token(key.private, terminal_id, normalize_code(code))}"
