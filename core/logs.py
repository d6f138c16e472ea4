"""Logging filters.

An expected refusal (403: a pupil opening an organiser's page, a page that checks a role) is
normal traffic, not a fault: Django logs it with the exception's traceback, which buries real
errors in the server log. :class:`OneLineRefusals` keeps the one line ("Forbidden
(Permission denied): /contest/manage/") and drops the traceback. 5xx records are untouched.
"""

import logging

ONE_LINE_STATUSES = frozenset({403})


class OneLineRefusals(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) in ONE_LINE_STATUSES:
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
        return True
