"""`coach validate [DIR...]`: check playbooks; one line per problem, a summary, exit 1 on errors."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "dirs",
        nargs="*",
        metavar="DIR",
        help="要检查的话术目录（默认：内置 + 分行目录）；分行目录没有 taxonomy.yaml 时以内置话术库为底",
    )


def run(args: argparse.Namespace) -> int:
    from assistant.core.playbooks.problems import format_problem, summary
    from assistant.core.playbooks.validate import check_library, validate_dirs

    if args.dirs:
        problems, n_files = validate_dirs(args.dirs)
        problems = [*_empty_folders(args.dirs), *problems]
    else:
        from assistant.core.playbooks.loader import load_library

        # through the parse cache (keyed by every file's mtime and size, and the loader's code): an
        # edited file is parsed again, the others not (the parse was ~40 % of validate's ~11 s CPU)
        library = load_library()
        problems, n_files = check_library(library), library.n_files
    for problem in problems:
        print(format_problem(problem))
    print(summary(problems, n_files))
    return 1 if any(p.severity == "error" for p in problems) else 0


def _empty_folders(dirs: list[str]) -> list:
    """A warning per folder holding no playbook file: `coach validate 错的文件夹` said 「0 个文件，0 个
    错误」, as if a branch folder were fine when it was the wrong one (or its files were not .yaml)."""
    from pathlib import Path

    from assistant.core.playbooks.loader import list_files
    from assistant.core.playbooks.problems import Problem

    return [Problem(str(Path(d).expanduser().resolve()), 0, "warning",
                    "这个文件夹里没有话术文件（.yaml / .yml），什么也没检查：是不是选错了文件夹？布局同内置的 playbooks/（见 playbooks/FORMAT.md）")
            for d in dirs if Path(d).expanduser().is_dir() and not list_files([Path(d).expanduser()])]
