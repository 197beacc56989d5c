"""English dates and numbers, one style (British: « 7 December 2026 », « 07/12/2026 »,
« 18,000 »), not Django's mix of « Dec. 7, 2026 » and « 12/07/2026 »."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
