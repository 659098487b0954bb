"""Subcommands of `coach`; each module keeps imports light at module level."""

import sys

_told = False


def load_library():
    """The library, as the core's `load_library`, with its load errors said once on stderr: a branch
    file that does not load is skipped, and a one-shot command must say so as `coach validate` and
    the app do (a broken or missing `--playbooks` folder was silently ignored)."""
    global _told
    from assistant.core.playbooks import loader
    from assistant.core.playbooks.problems import format_problem

    library = loader.load_library()
    errors = [p for p in library.problems if p.severity == "error"]
    if errors and not _told:
        _told = True
        for problem in errors[:5]:
            print(f"coach: {format_problem(problem)}", file=sys.stderr)
        print(f"coach: 话术库有 {len(errors)} 个错误，出错的文件没有加载；运行 coach validate 看全部。", file=sys.stderr)
    return library


def input_file(path: str, what: str) -> str:
    """`path` when it is there to read; else an InputError naming it in Chinese: the system's words
    were English, and its advice for a folder ("move it away") was meant for writing one."""
    import os

    from assistant.core.errors import InputError

    if os.path.isdir(path):
        raise InputError(f"{path} 是一个文件夹，不是文件：请给{what}。")
    if not os.path.lexists(path):
        raise InputError(f"找不到 {path}：请检查文件名和路径（要的是{what}）。")
    return path
