"""The agenda as iCalendar (RFC 5545), with the ``icalendar`` package: one feed per hub (the
town's) and one per association. Events and missions both appear."""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpRequest, HttpResponse
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from participation.components import component_url

from .selectors import AgendaEntry


def agenda_calendar(request: HttpRequest, component, entries: Sequence[AgendaEntry]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Agora//Benevolat//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{request.tenant.name} · {component.title}")
    host = request.get_host()
    for entry in entries:
        page = "event" if entry.kind == "event" else "mission"
        item = CalendarEvent()
        item.add("uid", f"{entry.kind}-{entry.pk}@{host}")
        item.add("summary", entry.title)
        item.add("description", entry.description)
        item.add("dtstart", entry.starts_at)
        item.add("dtend", entry.ends_at)
        item.add("dtstamp", entry.starts_at)
        item.add("location", entry.place)
        item.add("url", request.build_absolute_uri(component_url(component, page, entry.pk)))
        if entry.association is not None:
            item.add("organizer", entry.association.name)
        item.add("categories", [entry.kind, *entry.categories])
        calendar.add_component(item)
    return calendar.to_ical()


def ics_response(request: HttpRequest, component, entries, name: str) -> HttpResponse:
    response = HttpResponse(
        agenda_calendar(request, component, entries), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{name}.ics"'
    return response
