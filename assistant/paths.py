"""Where data lives. One seam: tests and COACH_HOME redirect everything; nothing happens at import."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent


def _builtin_playbooks() -> Path:
    """The repository's `playbooks/` in a checkout (or an editable install); in a built wheel the
    copy setup.py puts inside the package."""
    checkout = PACKAGE_ROOT.parent / "playbooks"
    return checkout if (checkout / "taxonomy.yaml").is_file() else PACKAGE_ROOT / "_playbooks"


#: The playbooks shipped with the app (the repository's top-level `playbooks/`).
BUILTIN_PLAYBOOKS = _builtin_playbooks()


@dataclass(frozen=True)
class Paths:
    """Every file and folder the app reads or writes, derived from one home directory."""

    home: Path

    @property
    def history_dir(self) -> Path:
        """Append-only monthly journals of sessions and events."""
        return self.home / "history"

    @property
    def state_db(self) -> Path:
        """TinyDB file with the small mutable records (staff, customers, follow-ups, groups...)."""
        return self.home / "state.json"

    @property
    def settings(self) -> Path:
        """User settings (current staff member, preferences)."""
        return self.home / "settings.json"

    @property
    def lock(self) -> Path:
        """The inter-process lock file guarding every write."""
        return self.home / ".lock"

    @property
    def cache_dir(self) -> Path:
        """Derived data that can be rebuilt (segmenter and pinyin caches)."""
        return self.home / "cache"

    @property
    def demo_marker(self) -> Path:
        """Present when `coach demo` created this data dir; `coach demo --reset` refuses otherwise."""
        return self.home / ".demo"

    def as_dict(self) -> dict[str, str]:
        return {
            "home": str(self.home),
            "history_dir": str(self.history_dir),
            "state_db": str(self.state_db),
            "settings": str(self.settings),
            "lock": str(self.lock),
            "cache_dir": str(self.cache_dir),
            "builtin_playbooks": str(BUILTIN_PLAYBOOKS),
            "extra_playbooks": os.pathsep.join(str(p) for p in extra_playbook_dirs()),
        }

    def ensure(self) -> None:
        """Create the home with owner-only permissions (customers' personal data lives here)."""
        for d in (self.home, self.history_dir, self.cache_dir):
            d.mkdir(parents=True, exist_ok=True)
            os.chmod(d, 0o700)


def data_home() -> Path:
    env = os.environ.get("COACH_HOME")
    if env:
        return Path(env).expanduser().resolve()
    from platformdirs import user_data_dir

    return Path(user_data_dir("coach", appauthor=False))


def get_paths() -> Paths:
    return Paths(data_home())


def extra_playbook_dirs() -> list[Path]:
    """Branch playbook folders from COACH_PLAYBOOKS (os.pathsep-separated)."""
    env = os.environ.get("COACH_PLAYBOOKS", "")
    return [Path(p).expanduser() for p in env.split(os.pathsep) if p.strip()]
