"""Dates with their precision: "2011", "2011-12" and "2011-12-07" become gYear, gYearMonth and date."""

import datetime
import re

from rdflib import Literal
from rdflib.namespace import XSD

from .vocab import NHSKG

_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_date(value: object, where: str):
    """Return (literal, precision IRI, first day, last day) or raise InputError naming `where`."""
    from .errors import InputError

    if isinstance(value, datetime.date):  # TOML lets a curator write an unquoted date
        value = value.isoformat()
    if not isinstance(value, str):
        raise InputError(where, f"a date must be a string YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}")
    match = _PATTERN.match(value)
    if not match:
        raise InputError(where, f"'{value}' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    try:
        if day:
            first = last = datetime.date(int(year), int(month), int(day))
            return Literal(value, datatype=XSD.date), NHSKG.precisionDay, first, last
        if month:
            first = datetime.date(int(year), int(month), 1)
            following = datetime.date(int(year) + (int(month) == 12), int(month) % 12 + 1, 1)
            return (Literal(value, datatype=XSD.gYearMonth), NHSKG.precisionMonth, first,
                    following - datetime.timedelta(days=1))
        return (Literal(value, datatype=XSD.gYear), NHSKG.precisionYear,
                datetime.date(int(year), 1, 1), datetime.date(int(year), 12, 31))
    except ValueError as error:
        raise InputError(where, f"'{value}' is not a real date ({error})") from None
