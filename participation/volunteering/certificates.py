"""The volunteer's certificate of hours given (PDF, fpdf2): for a CV or the « compte
d'engagement citoyen »."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF

from .selectors import History


def _latin(text: str) -> str:
    """The PDF's core fonts speak Latin-1: French fits, other characters become '?'."""
    return (
        text.replace("’", "'")
        .replace("«\u00a0", "« ")
        .encode("latin-1", "replace")
        .decode("latin-1")
    )


def hours_certificate(user, history: History, town) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_title(_latin(_("Attestation de bénévolat")))
    pdf.add_page()
    pdf.set_font("helvetica", "B", 18)
    pdf.cell(0, 12, _latin(_("Attestation de bénévolat")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "", 11)
    pdf.multi_cell(
        0,
        7,
        _latin(
            _(
                "%(town)s atteste que %(name)s a donné %(hours)s heures de bénévolat aux "
                "associations ci-dessous, d'après les participations déclarées par ces "
                "associations sur la plateforme."
            )
            % {"town": town.name, "name": user.display_name, "hours": history.hours}
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(4)
    pdf.set_font("helvetica", "B", 11)
    for header, width in ((_("Date"), 30), (_("Association"), 60), (_("Mission"), 75)):
        pdf.cell(width, 8, _latin(header), border=1)
    pdf.cell(20, 8, _latin(_("Heures")), border=1, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "", 10)
    for application in history.applications:
        if application.status != "done":
            continue
        mission = application.mission
        day = date_format(timezone.localtime(mission.starts_at).date(), "SHORT_DATE_FORMAT")
        pdf.cell(30, 8, day, border=1)
        pdf.cell(60, 8, _latin(mission.association.name[:32]), border=1)
        pdf.cell(75, 8, _latin(mission.title[:42]), border=1)
        pdf.cell(20, 8, str(application.hours), border=1, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.cell(
        0,
        8,
        _latin(_("Fait le %(date)s.") % {"date": date_format(timezone.localdate(), "DATE_FORMAT")}),
    )
    return bytes(pdf.output())
