"""Reads the owner area needs beyond the counter's: programs with rewards, store facts, card layouts."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from terminal.domain.codes import format_code, normalize_code, payload_for
from terminal.domain.programs import Program, Reward
from terminal.services.catalog import list_programs, reward_from_row
from terminal.services.context import ServiceContext, StoreFacts
from terminal.services.counter import CounterService
from terminal.services.customer_page import customer_page_url
from terminal.store.models import RewardRow

# QR's own specification asks for four light modules around the symbol;
# printed cards get exactly that so any scanner finds the symbol's edges.
QUIET_ZONE_MODULES = 4


@dataclass(frozen=True)
class ProgramDetails:
    program: Program
    rewards: tuple[Reward, ...]  # offered ones, cheapest first


@dataclass(frozen=True)
class CardLayout:
    """Everything printed on a customer's card, with no drawing in it."""

    store_name: str
    program_name: str
    holder: str | None
    code: str
    code_text: str                      # the code in readable groups, e.g. 7K3QP-9ZX2M
    payload: str                        # what the QR symbol encodes
    modules: tuple[tuple[bool, ...], ...]  # QR modules, quiet zone included; True is dark
    # The customer page (a second, smaller QR): None while this till is not paired with a hub.
    page_url: str | None = None
    page_modules: tuple[tuple[bool, ...], ...] = ()


def qr_modules(payload: str, low_correction: bool = False) -> tuple[tuple[bool, ...], ...]:
    """``low_correction``: level L, for the long page address (bigger modules in the same space)."""
    # qrcode (with Pillow, ~5 MB) only once a card is printed, not with every start of the counter
    import qrcode
    from qrcode.constants import ERROR_CORRECT_L, ERROR_CORRECT_M

    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_L if low_correction else ERROR_CORRECT_M,
                       border=QUIET_ZONE_MODULES)
    qr.add_data(payload)
    qr.make(fit=True)
    return tuple(tuple(bool(m) for m in row) for row in qr.get_matrix())


def card_layout(store_name: str, program_name: str, holder: str | None, code: str,
                page_url: str | None = None) -> CardLayout:
    payload = payload_for(code)
    return CardLayout(store_name, program_name, holder, code, format_code(code), payload, qr_modules(payload),
                      page_url, qr_modules(page_url, low_correction=True) if page_url else ())


class OwnerViews:
    def __init__(self, ctx: ServiceContext, counter: CounterService) -> None:
        self.ctx = ctx
        self.counter = counter

    def store(self) -> StoreFacts:
        return self.ctx.store

    def programs(self) -> list[ProgramDetails]:
        with self.ctx.db.read() as session:
            programs = list_programs(session)
            rewards = session.execute(select(RewardRow).where(RewardRow.active)
                                      .order_by(RewardRow.cost_stamps, RewardRow.cost_points,
                                                RewardRow.name)).scalars().all()
            by_program: dict[str, list[Reward]] = {}
            for row in rewards:
                by_program.setdefault(row.program_id, []).append(reward_from_row(row))
        return [ProgramDetails(p, tuple(by_program.get(p.program_id, ()))) for p in programs]

    def card_layout(self, code_text: str) -> CardLayout:
        view = self.counter.card(normalize_code(code_text))
        return card_layout(self.ctx.store.name, view.program.name, view.holder, view.code,
                           customer_page_url(self.ctx, view.code))
