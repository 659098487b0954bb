"""Subcommands of `coach`; each module keeps imports light at module level."""

import sys
from contextlib import contextmanager

_told = False


@contextmanager
def loading():
    """For a one-shot command's start-up: loading the library, the matcher or the rules allocates
    ~10^5 objects and no garbage cycles, which the collector would only scan again and again
    (~150 ms of `coach check`'s CPU). Collection is off meanwhile, and what was loaded is frozen
    after (`gc.freeze`): the first collection after `enable` would otherwise scan it all (~40 ms)."""
    import gc

    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


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


def read_lines(path: str) -> list[str]:
    """A `--batch`/`--replies` file's lines (or stdin's for `-`; a BOM dropped). InputError, in
    Chinese, for a folder or a missing file, a line not in UTF-8 (by its line number), a line longer
    than an argument may be, and a file with no words at all (a wrong file picked; an empty pipe is fine)."""
    from assistant.core.errors import InputError
    from assistant.core.textsafe import check_line_lengths

    lines = check_line_lengths(_read_all_lines(path), "标准输入" if path == "-" else path)
    if path != "-" and not any(line.strip() for line in lines):
        raise InputError(f"{path}：文件是空的，一句话也没有。请检查是不是选错了文件（每行写一句）。")
    return lines


def read_stdin() -> str:
    """All of stdin. Typed at a terminal (`coach drill --answer`, `--batch -`), the command waited
    in silence for an end nobody knew how to give: say how to type it and how to end it."""
    if sys.stdin.isatty():
        print("请输入内容，一行一句；输完按 Ctrl+D 结束（Windows：Ctrl+Z 再回车）。", file=sys.stderr)
    return sys.stdin.read()


def _read_all_lines(path: str) -> list[str]:
    from assistant.core.errors import InputError

    if path == "-":
        return read_stdin().splitlines()
    try:
        with open(path, encoding="utf-8-sig") as fh:
            return fh.read().splitlines()
    except FileNotFoundError:
        raise InputError(f"{path}：文件不存在，请检查文件名和路径") from None
    except IsADirectoryError:
        raise InputError(f"{path}：这是一个文件夹，请给一个文本文件（每行一句）") from None
    except UnicodeDecodeError as exc:  # staff find a line, not a byte offset
        line = exc.object[:exc.start].count(b"\n") + 1
        raise InputError(f"{path}：第 {line} 行不是 UTF-8 编码（可能是 GBK 或 Excel 另存的文件），请另存为 UTF-8 再试") from None
    except OSError as exc:
        from assistant.core.platform import describe_os_error

        raise InputError(describe_os_error(exc)) from None
