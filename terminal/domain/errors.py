"""One error type for every refusal the core can give, with a stable code.

The code is for programs (tests, the UI choosing a colour, the hub); the
message is for people: it says what is wrong and, where it can, what to do
or when the action becomes possible.
"""

from __future__ import annotations

import enum
from typing import Any


class ErrorCode(enum.StrEnum):
    CARD_NOT_FOUND = "CARD_NOT_FOUND"
    CARD_SUSPENDED = "CARD_SUSPENDED"
    CARD_BLOCKED = "CARD_BLOCKED"
    CARD_EXISTS = "CARD_EXISTS"
    INVALID_CARD_CODE = "INVALID_CARD_CODE"
    NOT_A_LOYALTY_CARD = "NOT_A_LOYALTY_CARD"
    COOLDOWN_ACTIVE = "COOLDOWN_ACTIVE"
    DAILY_LIMIT_REACHED = "DAILY_LIMIT_REACHED"
    PIN_INVALID = "PIN_INVALID"
    PIN_REJECTED = "PIN_REJECTED"
    STAFF_LOCKED = "STAFF_LOCKED"
    STAFF_NOT_FOUND = "STAFF_NOT_FOUND"
    STAFF_INACTIVE = "STAFF_INACTIVE"
    GRANT_EXPIRED = "GRANT_EXPIRED"
    NOT_PERMITTED = "NOT_PERMITTED"
    INSUFFICIENT_BALANCE = "INSUFFICIENT_BALANCE"
    REWARD_NOT_FOUND = "REWARD_NOT_FOUND"
    REWARD_OUT_OF_STOCK = "REWARD_OUT_OF_STOCK"
    REWARD_NOT_AVAILABLE = "REWARD_NOT_AVAILABLE"
    INVALID_AMOUNT = "INVALID_AMOUNT"
    AMOUNT_BELOW_MINIMUM = "AMOUNT_BELOW_MINIMUM"
    ENTRY_NOT_FOUND = "ENTRY_NOT_FOUND"
    NOT_VOIDABLE = "NOT_VOIDABLE"
    REASON_REQUIRED = "REASON_REQUIRED"
    INVALID_INPUT = "INVALID_INPUT"
    PROGRAM_NOT_FOUND = "PROGRAM_NOT_FOUND"
    WRONG_PROGRAM_KIND = "WRONG_PROGRAM_KIND"
    STORE_NOT_INITIALISED = "STORE_NOT_INITIALISED"
    STORE_EXISTS = "STORE_EXISTS"
    STORE_UNUSABLE = "STORE_UNUSABLE"  # locked, corrupt or from a newer version: opened, never touched
    LAST_OWNER = "LAST_OWNER"
    OFFLINE_LIMIT = "OFFLINE_LIMIT"
    CLOCK_BEHIND = "CLOCK_BEHIND"
    CLOCK_SKEW = "CLOCK_SKEW"
    PIN_DISABLED = "PIN_DISABLED"
    PIN_RESET_REQUIRED = "PIN_RESET_REQUIRED"  # asked at the hub: a new PIN before anything else
    PROGRAM_RETIRED = "PROGRAM_RETIRED"
    UNEXPECTED = "UNEXPECTED"


class LoyaltyError(Exception):
    """A refusal: stable ``code``, human ``message``, structured ``details``."""

    def __init__(self, code: ErrorCode, message: str, **details: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"LoyaltyError({self.code.value}, {self.message!r})"
