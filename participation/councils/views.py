"""The council's public pages: a showcase anyone may read (the space must be published)."""

from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from participation.components import component_view
from participation.maps import geojson
from participation.models import Component

from . import selectors
from .calendar import meetings_calendar
from .hours import week_lines


@component_view("councils")
def council(request, component):
    return render(
        request,
        "councils/council.html",
        {"component": component, "page": selectors.council_page(component)},
    )


@component_view("councils")
def meeting_list(request, component):
    now = timezone.now()
    return render(
        request,
        "councils/meetings.html",
        {
            "component": component,
            "upcoming": selectors.upcoming_meetings(component, now),
            "past": selectors.past_meetings(component, now),
        },
    )


@component_view("councils")
def meeting(request, component, meeting_id: int):
    found = selectors.meeting_for_page(component, meeting_id)
    return render(
        request,
        "councils/meeting.html",
        {"component": component, "meeting": found, "is_over": found.ends_at <= timezone.now()},
    )


@component_view("councils")
def minutes(request, component, meeting_id: int):
    """The minutes as an attachment, a PDF checked at upload."""
    found = get_object_or_404(selectors.meetings(component).exclude(minutes=""), pk=meeting_id)
    try:
        handle = found.minutes.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    day = timezone.localtime(found.starts_at).date().isoformat()
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{found.title} {day}.pdf",
        content_type="application/pdf",
    )


@component_view("councils")
def calendar(request, component) -> HttpResponse:
    """The council's meetings as an iCalendar feed a phone's calendar can subscribe to."""
    body = meetings_calendar(
        component,
        selectors.meetings(component).order_by("starts_at"),
        request.build_absolute_uri,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="reunions-{component.space.slug}.ics"'
    return response


@component_view("councils")
def shop(request, component, shop_id: int):
    found = get_object_or_404(selectors.shops(component), pk=shop_id)
    return render(
        request,
        "councils/shop.html",
        {"component": component, "shop": found, "hours": week_lines(found.opening_hours)},
    )


@component_view("councils")
def shop_points(request, component):
    """The council's located shops as GeoJSON, for the map of its page."""
    points = selectors.map_points(Component.objects.filter(pk=component.pk))
    return JsonResponse(geojson(points), content_type="application/geo+json")
