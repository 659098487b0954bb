"""The history store: every session and event in fsynced monthly journals; staff, customers,
follow-ups, groups, flags and drill items in TinyDB with an atomic storage. See docs/DESIGN.md.
"""

from assistant.core.history.filters import SessionFilter
from assistant.core.history.state import SCHEMA_VERSION
from assistant.core.history.store import History

__all__ = ["History", "SessionFilter", "SCHEMA_VERSION"]
