"""French dates and numbers on every page, e-mail and export (Django's, made whole: a date
always reads « 7 décembre 2026 », a time « 7 décembre 2026 à 14:30 »)."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y à H:i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # non-breaking: « 18 000 » never breaks across lines
NUMBER_GROUPING = 3
