"""A program's points-expiry mode (by age or by inactivity) for the program editor and the command line.

The mode is a program column that ``Program`` does not carry; the editor reads it here and
``OwnerService.edit_program`` writes it (checked by ``expiry.check_mode``, audited, synced with
the program like its other settings).
"""

from __future__ import annotations

from sqlalchemy import select

from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.services.context import ServiceContext
from terminal.services.expiry import ExpiryMode
from terminal.store.models import ProgramRow


def expiry_modes(ctx: ServiceContext) -> dict[str, ExpiryMode]:
    """Every program's mode by program id (a program that never chose one expires by age)."""
    with ctx.db.read() as session:
        rows = session.execute(select(ProgramRow.program_id, ProgramRow.points_expiry_mode)).all()
    return {program_id: ExpiryMode(mode or ExpiryMode.AGE) for program_id, mode in rows}


def expiry_mode(ctx: ServiceContext, program_id: str) -> ExpiryMode:
    mode = expiry_modes(ctx).get(program_id)
    if mode is None:
        raise LoyaltyError(ErrorCode.PROGRAM_NOT_FOUND, "That program does not exist. Pick one from the list.")
    return mode
