"""Errors a user can act on. The CLI and the app show `str(exc)`, never a traceback."""


class CoachError(Exception):
    """Base: the message says what is wrong, where (file/line/field) and what to do."""

    exit_code = 1


class HistoryCorruptError(CoachError):
    """A history file cannot be read; it is left untouched."""


class HistoryLockedError(CoachError):
    """Another process holds the history lock longer than the timeout."""


class UnknownIdError(CoachError):
    """An id (card, scenario, persona, customer, session, group) that does not exist."""


class InputError(CoachError):
    """Bad user input (a CSV row, an argument, an oversized paste)."""

    exit_code = 2
