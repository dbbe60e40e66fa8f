"""Staff roles and what each may do."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    CASHIER = "cashier"
    OWNER = "owner"


class Permission(enum.StrEnum):
    STAMP = "stamp"
    EARN = "earn"
    REDEEM = "redeem"
    ENROLL = "enroll"
    ADJUST = "adjust"
    VOID = "void"
    MANAGE_STAFF = "manage_staff"
    EDIT_PROGRAM = "edit_program"
    EXPORT = "export"
    UNLOCK = "unlock"


_CASHIER = {Permission.STAMP, Permission.EARN, Permission.REDEEM, Permission.ENROLL}
PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CASHIER: frozenset(_CASHIER),
    Role.OWNER: frozenset(Permission),
}


def allows(role: Role, permission: Permission) -> bool:
    return permission in PERMISSIONS[role]
