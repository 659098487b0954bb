"""The user's settings file (`Paths.settings`, JSON under COACH_HOME), read and written by
`coach config`. A setting may fill a template variable: `branch_name` is what templates say as
{{ branch }}, so follow-up messages and scripts name the branch instead of showing 【网点名称】.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass

from assistant.core.errors import CoachError, InputError
from assistant.paths import Paths, get_paths


@dataclass(frozen=True)
class Setting:
    """One key `coach config` knows."""

    #: What staff call it.
    label: str
    #: The template variable it fills when a template is not given that variable otherwise.
    variable: str | None
    #: An example value for the help text and error messages.
    example: str


SETTINGS: dict[str, Setting] = {
    "branch_name": Setting("网点名称", "branch", "幸福路支行"),
    "team_dir": Setting("团队共享文件夹（网点每台电脑都设成同一个）", None, "/mnt/网点共享/coach-team"),
}


def setting(key: str) -> Setting:
    """The setting called `key`; InputError with the nearest known key otherwise."""
    if key in SETTINGS:
        return SETTINGS[key]
    near = difflib.get_close_matches(key, SETTINGS, n=1)
    hint = f"你是不是想写 {near[0]}？" if near else ""
    raise InputError(f"没有叫 {key} 的设置。{hint}可以设置的有：{'、'.join(SETTINGS)}")


def load(paths: Paths | None = None) -> dict:
    """Every stored setting ({} when there is no settings file yet)."""
    path = (paths or get_paths()).settings
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise CoachError(f"读不了设置文件 {path}：{exc}。可以删掉它，再用 coach config set 重新设置。") from None
    if not isinstance(data, dict):
        raise CoachError(f"设置文件 {path} 应该是一个 JSON 对象。可以删掉它，再用 coach config set 重新设置。")
    return data


def get_value(key: str, paths: Paths | None = None) -> str | None:
    setting(key)
    return load(paths).get(key)


def set_value(key: str, value: str | None, paths: Paths | None = None) -> dict:
    """Store `value` under `key` (None or blank removes it); returns every setting after the change."""
    setting(key)
    value = (value or "").strip() or None
    return _update(paths or get_paths(), key, value)


def _update(paths: Paths, key: str, value: str | None) -> dict:
    from assistant.core.history.files import Lock, atomic_write, ensure_dir

    ensure_dir(paths.home)
    with Lock(paths.lock).held():  # another `coach config set` must not lose this key
        data = load(paths)
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
        atomic_write(paths.settings, json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8"))
    return data


def template_defaults(paths: Paths | None = None) -> dict:
    """Template variables the settings fill ({"branch": "幸福路支行"}); {} when the file is unreadable
    (rendering never fails over it; `coach config get` says what is wrong)."""
    try:
        data = load(paths)
    except CoachError:
        return {}
    return {s.variable: data[k] for k, s in SETTINGS.items() if s.variable and data.get(k)}
