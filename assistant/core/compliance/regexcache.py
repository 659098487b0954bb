"""Compiled compliance regexes kept between processes.

`re` spends ~1 ms parsing and optimising each of the ~1,100 expanded rule patterns (macros make
them long: <WARN> alone is thousands of characters), about 1.2 s of every one-shot `coach check`.
A pickled `re.Pattern` keeps only its source and compiles again when loaded, so this cache keeps
what the compiler produces instead: the engine's code for each expanded source, handed back to
`_sre.compile` (what `re.compile` itself calls last). Loading all of them takes ~25 ms.

The cache is addressed by content: an entry is looked up by the exact expanded pattern, so an
edited rule or macro is simply a new source, compiled and added; nothing can go stale. The file
is named after the interpreter (version, `_sre.MAGIC`, code size), because the code is the
engine's private format; any failure falls back to `re.compile`. A test checks that every shipped
pattern loaded from here equals `re.compile` of its source (equal patterns have equal code).
"""

from __future__ import annotations

import hashlib
import pickle
import re
import sys
from array import array
from pathlib import Path

try:
    import _sre
    from re import _compiler, _parser
except ImportError:  # another interpreter: compile every time
    _sre = None

#: Which interpreter's engine wrote the code: a different one never reads it.
ENGINE = (sys.implementation.name, sys.version, getattr(_sre, "MAGIC", None), getattr(_sre, "CODESIZE", None))
#: Sources kept beyond the current library's before the file is trimmed to those alone.
KEEP_EXTRA = 2000
_USABLE = _sre is not None and array("I").itemsize == getattr(_sre, "CODESIZE", 0)


class RegexCache:
    """`compile(source)` as `re.compile(source)`, from the stored code when this source was compiled
    before; `save()` writes what was compiled anew."""

    def __init__(self, path: Path | None):
        self.path = path if _USABLE else None
        self.stored: dict[str, tuple] = _read(self.path) if self.path is not None else {}
        self.used: dict[str, tuple] = {}
        self.added = 0

    def compile(self, source: str) -> re.Pattern:
        """The compiled pattern; raises `re.error` for a bad one, as `re.compile` does."""
        record = self.stored.get(source)
        if record is not None:
            try:
                pattern = _from_record(source, record)
            except Exception:  # a damaged entry: compile it again
                pattern = None
            if pattern is not None:
                self.used[source] = record
                return pattern
        if self.path is None:
            return re.compile(source)
        try:
            pattern, record = _compiled_with_record(source)
        except re.error:
            raise
        except Exception:  # the engine's private API moved: compile as everyone does
            return re.compile(source)
        self.used[source] = record
        self.added += 1
        return pattern

    def save(self) -> None:
        """Write the cache when something was compiled anew (a warm run writes nothing)."""
        if self.path is None or not self.added:
            return
        # other libraries' sources (a branch folder's rules) stay, up to KEEP_EXTRA of them
        merged = {**self.stored, **self.used}
        keep = merged if len(merged) <= len(self.used) + KEEP_EXTRA else self.used
        from assistant.core.language.textnorm import save_pickle  # atomic, mode 0600 (mkstemp)

        save_pickle(self.path, {"engine": ENGINE, "patterns": keep})


def cache_path() -> Path | None:
    """The cache file in the data dir's cache folder, one per interpreter; None without a data dir."""
    try:
        from assistant.paths import get_paths

        tag = hashlib.sha256(repr(ENGINE).encode()).hexdigest()[:12]
        return get_paths().cache_dir / f"compliance-regex-{tag}.pickle"
    except Exception:  # no data dir: compile in memory
        return None


def _compiled_with_record(source: str) -> tuple[re.Pattern, tuple]:
    """What `re.compile(source)` does (re._compiler.compile, flags 0), keeping the code it makes."""
    parsed = _parser.parse(source, 0)
    code = _compiler._code(parsed, 0)
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    record = (parsed.state.flags, array("I", code).tobytes(), parsed.state.groups - 1, groupindex, tuple(indexgroup))
    return _from_record(source, record), record


def _from_record(source: str, record: tuple) -> re.Pattern:
    flags, code, groups, groupindex, indexgroup = record
    # _sre validates the code it is given (an invalid program raises, it does not crash)
    return _sre.compile(source, flags, array("I", code).tolist(), groups, groupindex, indexgroup)


def _read(path: Path) -> dict[str, tuple]:
    """The stored records; {} on any problem (it is only a cache). Unpickling runs code, so only a
    file we own that nobody else can write is read."""
    from assistant.core.platform import owned_private

    try:
        if not owned_private(path):
            return {}
        with open(path, "rb") as fh:
            stored = pickle.load(fh)
        if stored.get("engine") == ENGINE and isinstance(stored.get("patterns"), dict):
            return stored["patterns"]
    except Exception:  # missing, truncated, from another version: compile again
        pass
    return {}
