"""Opening hours as a person types them, one line per day (« 9h-12h, 14h30-19h », « fermé »),
and as a shop keeps them: for each day key, a list of ``["HH:MM", "HH:MM"]`` intervals in
order, none overlapping. A line that cannot be read is refused with a message naming the day
and what is wrong; nothing is guessed."""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import Invalid

DAYS: tuple[tuple[str, str], ...] = (
    ("mon", gettext_lazy("lundi")),
    ("tue", gettext_lazy("mardi")),
    ("wed", gettext_lazy("mercredi")),
    ("thu", gettext_lazy("jeudi")),
    ("fri", gettext_lazy("vendredi")),
    ("sat", gettext_lazy("samedi")),
    ("sun", gettext_lazy("dimanche")),
)
DAY_KEYS = tuple(key for key, _label in DAYS)
MAX_INTERVALS = 4
LINE_MAX_LENGTH = 100
CLOSED_WORDS = {"", "fermé", "ferme", "closed", "-"}

# 9, 9h, 9h30, 9:30, 09.30 (and 24:00, a closing time only).
_TIME = re.compile(r"^(?P<hour>\d{1,2})(?:\s*[h:.]\s*(?P<minute>\d{2})?)?$")
# Between opening and closing: a dash (any kind) or « à ».
_RANGE = re.compile(r"\s*(?:-|–|—|\bà\b)\s*")


def _minutes(text: str, *, day: str, field: str) -> int:
    match = _TIME.match(text.strip().lower())
    hour = int(match["hour"]) if match else -1
    minute = int(match["minute"] or 0) if match else -1
    if not match or not (0 <= minute < 60) or not (0 <= hour < 24 or (hour, minute) == (24, 0)):
        raise Invalid(
            _(
                "Horaires du %(day)s : « %(value)s » n'est pas une heure "
                "(écrivez par exemple 9h, 9h30 ou 09:30)."
            )
            % {"day": day, "value": text.strip()},
            field=field,
        )
    return hour * 60 + minute


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_day(text: str, *, day_key: str) -> list[list[str]]:
    """The intervals of one day's line, in order; Invalid naming the day otherwise."""
    day = dict(DAYS)[day_key]
    field = f"hours_{day_key}"
    text = (text or "").strip()
    if len(text) > LINE_MAX_LENGTH:
        raise Invalid(
            _("Horaires du %(day)s : %(max)d caractères au plus.")
            % {"day": day, "max": LINE_MAX_LENGTH},
            field=field,
        )
    if text.lower() in CLOSED_WORDS:
        return []
    intervals: list[tuple[int, int]] = []
    for part in re.split(r"[,;/]|\bet\b", text):
        bounds = _RANGE.split(part.strip())
        if len(bounds) != 2 or not all(bound.strip() for bound in bounds):
            raise Invalid(
                _(
                    "Horaires du %(day)s : « %(value)s » doit donner une ouverture et une "
                    "fermeture séparées par un tiret, par exemple 9h-12h."
                )
                % {"day": day, "value": part.strip()},
                field=field,
            )
        opens, closes = (_minutes(bound, day=day, field=field) for bound in bounds)
        if closes <= opens:
            raise Invalid(
                _(
                    "Horaires du %(day)s : la fermeture (%(closes)s) doit venir après "
                    "l'ouverture (%(opens)s) ; une plage ne passe pas minuit."
                )
                % {"day": day, "opens": _hhmm(opens), "closes": _hhmm(closes)},
                field=field,
            )
        intervals.append((opens, closes))
    if len(intervals) > MAX_INTERVALS:
        raise Invalid(
            _("Horaires du %(day)s : %(max)d plages au plus.") % {"day": day, "max": MAX_INTERVALS},
            field=field,
        )
    intervals.sort()
    for (opens, closes), (next_opens, next_closes) in itertools.pairwise(intervals):
        if next_opens < closes:
            raise Invalid(
                _("Horaires du %(day)s : les plages %(first)s et %(second)s se chevauchent.")
                % {
                    "day": day,
                    "first": f"{_hhmm(opens)}-{_hhmm(closes)}",
                    "second": f"{_hhmm(next_opens)}-{_hhmm(next_closes)}",
                },
                field=field,
            )
    return [[_hhmm(opens), _hhmm(closes)] for opens, closes in intervals]


def clean_opening_hours(lines: Mapping[str, str]) -> dict[str, list[list[str]]]:
    """The week from one line per day key (missing days are closed); unknown keys refused."""
    unknown = set(lines) - set(DAY_KEYS)
    if unknown:
        raise Invalid(
            _("Horaires : jour inconnu « %(day)s » (mon, tue, wed, thu, fri, sat, sun).")
            % {"day": sorted(unknown)[0]}
        )
    week = {key: parse_day(lines.get(key, ""), day_key=key) for key in DAY_KEYS}
    return {key: intervals for key, intervals in week.items() if intervals}


def _spoken(hhmm: str) -> str:
    hour, minute = hhmm.split(":")
    return f"{int(hour)} h {minute}" if minute != "00" else f"{int(hour)} h"


def day_text(intervals: list[list[str]]) -> str:
    """« 9 h – 12 h, 14 h 30 – 19 h », or « fermé »."""
    if not intervals:
        return str(_("fermé"))
    return ", ".join(f"{_spoken(opens)} – {_spoken(closes)}" for opens, closes in intervals)


def week_lines(opening_hours: Mapping[str, list[list[str]]]) -> list[tuple[str, str]]:
    """(day, its hours in words) for each day of the week, Monday first."""
    return [(str(label), day_text(opening_hours.get(key, []))) for key, label in DAYS]


def form_lines(opening_hours: Mapping[str, list[list[str]]]) -> dict[str, str]:
    """The lines a form shows for hours already kept (``hours_<day>`` fields)."""
    return {
        f"hours_{key}": ", ".join(f"{opens}-{closes}" for opens, closes in opening_hours[key])
        for key in DAY_KEYS
        if opening_hours.get(key)
    }
