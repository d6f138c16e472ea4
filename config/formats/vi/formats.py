"""Vietnamese formats: what Django's own ``vi`` locale lacks.

Django reads 05/03/2025 as 3 May unless the input formats say otherwise, groups no
thousands, and starts the week on Sunday. Vietnamese use is dd/mm/yyyy, 1.234.567,5 and
Monday first.
"""

DATE_FORMAT = "d/m/Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "H:i d/m/Y"
YEAR_MONTH_FORMAT = "m/Y"
MONTH_DAY_FORMAT = "d/m"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "H:i d/m/Y"
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = [
    "%d/%m/%Y",  # 05/03/2025
    "%d/%m/%y",  # 05/03/25
    "%d-%m-%Y",  # 05-03-2025
    "%d.%m.%Y",  # 05.03.2025
    "%Y-%m-%d",  # 2025-03-05 (ISO, from <input type="date">)
]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S", "%Hh%M"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%H:%M %d/%m/%Y",
    "%Y-%m-%dT%H:%M",  # <input type="datetime-local">
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
]

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
