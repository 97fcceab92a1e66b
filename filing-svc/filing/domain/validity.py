"""How long a registration is valid, and when its extension (延续) opens.

Approved on day D: valid to 31 December of D's year, or of the next year when D is on or after
20 December. The extension opens on 20 December of the year the registration ends (also after
it expired) and moves the end one year on.
"""
import datetime

WINDOW_MONTH, WINDOW_DAY = 12, 20


def valid_until_for_approval(day):
    year = day.year + 1 if (day.month, day.day) >= (WINDOW_MONTH, WINDOW_DAY) else day.year
    return datetime.date(year, 12, 31)


def extension_opens_on(valid_until):
    return datetime.date(valid_until.year, WINDOW_MONTH, WINDOW_DAY)


def extended(valid_until):
    return datetime.date(valid_until.year + 1, 12, 31)


def is_valid(valid_until_iso, today):
    return valid_until_iso is not None and valid_until_iso >= today.isoformat()
