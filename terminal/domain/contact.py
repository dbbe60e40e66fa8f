"""A customer's optional contact details on a card, checked as typed, and the terms search looks up.

Every field is optional: a card works without a name. What is given must be
plausible, because it is synced to every till and may be used to reach the
customer: a phone number of 6 to 15 digits (E.164's limit) with the usual
separators, an e-mail address of one ``@`` and a dotted domain, a birthday
as a date (``YYYY-MM-DD``) or, when the customer does not give the year,
as ``MM-DD`` (a birthday bonus needs only the day).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.text import check_text

MAX_HOLDER = 120
MAX_PHONE = 32
MAX_EMAIL = 254  # RFC 5321's limit for a path
MIN_PHONE_DIGITS, MAX_PHONE_DIGITS = 6, 15
_PHONE_CHARS = re.compile(r"^\+?[0-9 ().\-/]+$")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+$")
_BIRTHDAY = re.compile(r"^(?:(\d{4})-)?(\d{1,2})-(\d{1,2})$")
_SEARCH_SPLIT = re.compile(r"[^\w@.+]+")


@dataclass(frozen=True)
class Contact:
    """What may be known about a card's customer; None (or False) when not given."""

    holder: str | None = None
    phone: str | None = None
    email: str | None = None
    birthday: str | None = None  # "YYYY-MM-DD" or "MM-DD"
    consent: bool = False  # the customer agreed to be contacted (offers, birthday wishes)


def _invalid(message: str, what: str) -> LoyaltyError:
    return LoyaltyError(ErrorCode.INVALID_INPUT, message, field=what)


def check_holder(value: str | None) -> str | None:
    cleaned = check_text(value, "The customer's name")
    if len(cleaned) > MAX_HOLDER:
        raise _invalid(f"The customer's name has at most {MAX_HOLDER} characters.", "holder")
    return cleaned or None


def phone_digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def check_phone(value: str | None) -> str | None:
    cleaned = check_text(value, "The phone number")
    if not cleaned:
        return None
    if len(cleaned) > MAX_PHONE or not _PHONE_CHARS.match(cleaned):
        raise _invalid("The phone number may hold only digits, spaces, a leading + and - ( ) . / "
                       "(for example +62 812-3456-7890).", "phone")
    digits = len(phone_digits(cleaned))
    if not MIN_PHONE_DIGITS <= digits <= MAX_PHONE_DIGITS:
        raise _invalid(f"The phone number has {digits} digits; a phone number has "
                       f"{MIN_PHONE_DIGITS} to {MAX_PHONE_DIGITS}.", "phone")
    return cleaned


def check_email(value: str | None) -> str | None:
    cleaned = check_text(value, "The e-mail address")
    if not cleaned:
        return None
    if len(cleaned) > MAX_EMAIL or not _EMAIL.match(cleaned):
        raise _invalid("The e-mail address should look like name@example.com.", "email")
    local, domain = cleaned.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def check_birthday(value: str | None, today: date) -> str | None:
    """``YYYY-MM-DD`` or ``MM-DD`` (no year), normalised to two-digit month and day."""
    cleaned = check_text(value, "The birthday")
    if not cleaned:
        return None
    found = _BIRTHDAY.match(cleaned)
    if found is None:
        raise _invalid("Type the birthday as YYYY-MM-DD, or MM-DD without the year.", "birthday")
    year_text, month, day = found.group(1), int(found.group(2)), int(found.group(3))
    year = int(year_text) if year_text else 2000  # a leap year, so 02-29 is a birthday
    try:
        born = date(year, month, day)
    except ValueError:
        raise _invalid(f"{cleaned} is not a date in the calendar.", "birthday") from None
    if year_text is None:
        return f"{month:02d}-{day:02d}"
    if born > today or year < today.year - 130:
        raise _invalid(f"A birthday of {cleaned} is not plausible (in the future or over 130 years ago).",
                       "birthday")
    return born.isoformat()


def check_contact(holder: str | None, phone: str | None, email: str | None, birthday: str | None,
                  consent: object, today: date) -> Contact:
    if not isinstance(consent, bool):
        raise _invalid("Consent to be contacted is yes or no.", "consent")
    return Contact(check_holder(holder), check_phone(phone), check_email(email),
                   check_birthday(birthday, today), consent)


def fold(text: str) -> str:
    """Lower case without accents, so "José" is found as "jose"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def search_terms(contact: Contact) -> set[str]:
    """The words a card is found by: each word of the name, the phone's digits, the e-mail address."""
    terms = {word for word in _SEARCH_SPLIT.split(fold(contact.holder or "")) if word}
    if contact.phone:
        digits = phone_digits(contact.phone)
        terms.add(digits)
        if digits.startswith("0"):
            terms.add(digits[1:])  # found whether or not the trunk 0 is typed
        elif contact.phone.startswith("+"):
            # found by the national number too: country codes have 1 to 3 digits
            terms.update(digits[n:] for n in (1, 2, 3))
    if contact.email:
        email = fold(contact.email)
        terms.update({email, email.split("@", 1)[0]})
    return {term[:64] for term in terms}


def query_words(text: str) -> list[str]:
    """The words of a search as typed; a phone number typed with separators is one word."""
    folded = fold(text).strip()
    if folded and _PHONE_CHARS.match(folded) and len(phone_digits(folded)) >= 3:
        digits = phone_digits(folded)
        return [digits.lstrip("0") if folded.startswith("0") else digits]
    return [word[:64] for word in _SEARCH_SPLIT.split(folded) if word]
