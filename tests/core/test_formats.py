import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.template import Context, Template
from django.utils import translation

from core import formats


def test_whole_euros_in_french():
    assert formats.euros(412_000) == "412\xa0000\xa0€"
    assert formats.euros(0) == "0\xa0€"


def test_cents_as_euros():
    assert formats.euros_from_cents(120_050) == "1\xa0200,50\xa0€"
    assert formats.euros_from_cents(5) == "0,05\xa0€"
    assert formats.euros_from_cents(None) == ""


def test_english_uses_its_own_marks():
    with translation.override("en"):
        assert formats.euros_from_cents(120_050) == "€1,200.50"
        assert formats.euros(32_000) == "€32,000"
        assert formats.number(Decimal("12.5"), decimals=1) == "12.5"


def test_numbers():
    assert formats.number(20_000) == "20\xa0000"
    assert formats.number(1.514, decimals=2) == "1,51"


def test_date_and_time_in_the_town_time_zone():
    utc = datetime.datetime(2026, 3, 1, 23, 30, tzinfo=ZoneInfo("UTC"))  # 2 March in Paris
    assert formats.local_datetime(utc, "j F Y à H:i") == "2 mars 2026 à 00:30"


def test_the_money_template_filter_says_the_same():
    rendered = Template("{% load money %}{{ price|euros }}").render(Context({"price": 365_000}))
    assert rendered == formats.euros_from_cents(365_000) == "3\xa0650,00\xa0€"


def test_amounts_in_euros_show_cents_only_when_there_are_some():
    template = Template("{% load money %}{{ cost|in_euros }}")
    assert template.render(Context({"cost": Decimal("18000.00")})) == "18\xa0000\xa0€"
    assert template.render(Context({"cost": Decimal("18000.5")})) == "18\xa0000,50\xa0€"
    assert template.render(Context({"cost": None})) == ""
    with translation.override("en"):
        assert template.render(Context({"cost": 4000})) == "€4,000"


def test_one_date_style_per_language():
    day = datetime.date(2026, 12, 7)
    moment = datetime.datetime(2026, 12, 7, 14, 30, tzinfo=ZoneInfo("Europe/Paris"))
    short = Template('{{ day|date:"DATE_FORMAT" }} · {{ day|date:"SHORT_DATE_FORMAT" }}')
    assert short.render(Context({"day": day})) == "7 décembre 2026 · 07/12/2026"
    assert formats.local_datetime(moment) == "7 décembre 2026 à 14:30"
    with translation.override("en"):
        assert short.render(Context({"day": day})) == "7 December 2026 · 07/12/2026"
        assert formats.local_datetime(moment) == "7 December 2026, 14:30"
