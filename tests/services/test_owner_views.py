"""Reads for the owner area: programs with their offered rewards, and printed-card layouts."""

from __future__ import annotations

import numpy as np
import pytest

from terminal.domain.codes import format_code, payload_for
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.scanner.decoders import make_decoder
from terminal.services.owner_views import QUIET_ZONE_MODULES, card_layout


def test_programs_list_offered_rewards(services, owner, program_id) -> None:
    kept = services.owner.save_reward(owner, program_id, "Muffin", cost_stamps=4, stock=3)
    gone = services.owner.save_reward(owner, program_id, "Old mug", cost_points=900)
    services.owner.retire_reward(owner, gone)
    (details,) = services.owner_views.programs()
    assert details.program.program_id == program_id
    names = {r.reward_id: r.name for r in details.rewards}
    assert names[kept] == "Muffin" and gone not in names


def test_card_layout_of_an_enrolled_card(services, card) -> None:
    layout = services.owner_views.card_layout(card.lower())
    assert (layout.store_name, layout.holder, layout.code, layout.code_text, layout.payload) == (
        "Test Café", "Ann", card, format_code(card), payload_for(card))
    with pytest.raises(LoyaltyError) as missing:
        services.owner_views.card_layout("7K3QP-9ZX2M")
    assert missing.value.code in (ErrorCode.CARD_NOT_FOUND, ErrorCode.INVALID_CARD_CODE)


def test_qr_modules_decode_and_keep_a_quiet_zone(card) -> None:
    modules = np.array(card_layout("S", "P", None, card).modules)
    q = QUIET_ZONE_MODULES
    assert not modules[:q].any() and not modules[-q:].any() and not modules[:, :q].any() and not modules[:, -q:].any()
    pixels = np.where(np.kron(modules, np.ones((8, 8), dtype=bool)), 0, 255).astype(np.uint8)
    assert [d.text for d in make_decoder("zxing").decode(pixels)] == [payload_for(card)]
