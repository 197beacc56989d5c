"""The council's meetings as an iCalendar feed (RFC 5545), written by the ``icalendar``
package: a phone's calendar subscribes to it and follows the moves of each meeting (one UID
per meeting, a DTSTAMP that changes with it)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import connection
from icalendar import Calendar, Event

from participation.models import Component

from .models import Meeting


def meetings_calendar(
    component: Component, meetings: Iterable[Meeting], absolute: Callable[[str], str]
) -> bytes:
    """``absolute`` makes a path a full URL (the request's ``build_absolute_uri``)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Agora//Conseils de quartier//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", component.space.title)
    for meeting in meetings:
        meeting.component = component
        event = Event()
        event.add("uid", f"councils-meeting-{meeting.pk}@{connection.schema_name}.agora")
        event.add("dtstamp", meeting.updated_at)
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.ends_at)
        event.add("summary", meeting.title)
        event.add("location", meeting.place)
        if meeting.agenda:
            event.add("description", meeting.agenda)
        event.add("url", absolute(meeting.get_absolute_url()))
        calendar.add_component(event)
    return calendar.to_ical()
