"""Load the playbook library: the built-in folder, then branch folders that add and override by id.

A broken file never stops the others: it is skipped and a `Problem` recorded in `library.problems`.
The parsed library is cached (pickle) under the data dir, keyed by every file's path, mtime and
size, so a one-shot `coach suggest` does not parse YAML; any change rebuilds it transparently.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import os
import pickle
from pathlib import Path
from typing import Iterable, Sequence

from assistant.core.errors import CoachError
from assistant.core.playbooks.library import CardRef, Library, PlaybookRef
from assistant.core.playbooks.problems import Problem, display_path
from assistant.core.playbooks.yamlsrc import YamlError, read_yaml

#: Kinds whose file sits at the top of a playbook folder instead of in a folder named after it.
TOP_LEVEL_KINDS = ("taxonomy", "variables", "scoring", "concepts")
#: Bump when the pickled shape changes in a way the code mtimes below would not catch.
CACHE_FORMAT = 2
_CODE_FILES = ("models.py", "library.py", "loader.py", "yamlsrc.py", "shape.py", "problems.py")


class PlaybooksMissingError(CoachError):
    """The built-in playbooks are not where the installation should have put them."""


def default_dirs() -> list[Path]:
    """The built-in playbooks, then COACH_PLAYBOOKS / `coach --playbooks` folders."""
    from assistant.paths import BUILTIN_PLAYBOOKS, extra_playbook_dirs

    return [BUILTIN_PLAYBOOKS, *extra_playbook_dirs()]


def load_library(dirs: Sequence[str | os.PathLike] | None = None, *, use_cache: bool = True) -> Library:
    """The merged library of `dirs` (default: built-in + branch folders); never raises on bad files.

    With the cache, an unchanged library is unpickled whole; after an edit only the changed
    files are parsed again.
    """
    roots = [Path(d).expanduser().resolve() for d in (default_dirs() if dirs is None else dirs)]
    refused: list[Problem] = []
    listing = list_files(roots, refused)
    if dirs is None:
        _require_builtin(roots[0], listing)
    if not use_cache:
        return _with(build_library(roots, listing), refused)
    sigs = _signatures(listing)
    key = _cache_key(roots, {**sigs, **{Path(p.path): ("refused",) for p in refused}})
    stored = _read_cache(roots)
    if stored is not None and stored[0] == key:
        return stored[1]
    per_file = stored[2] if stored is not None else {}
    library = _with(build_library(roots, listing, sigs, per_file), refused)
    _write_cache(roots, (key, library, per_file))
    return library


def _with(library: Library, refused: list[Problem]) -> Library:
    library.problems.extend(refused)
    return library


def _require_builtin(root: Path, listing: list[tuple[int, Path, Path]]) -> None:
    """The shipped playbooks must be there: without them every command would quietly find nothing."""
    if not any(index == 0 for index, _, _ in listing):
        what = "不存在" if not root.exists() else "里没有话术文件（*.yaml）"
        raise PlaybooksMissingError(
            f"内置话术目录 {root} {what}。coach 的安装不完整：请重新安装（在源码目录里运行 pip install . 或 ./scripts/run），"
            "或用 --playbooks 指定话术目录。"
        )


# ------------------------------------------------------------------ finding files


def list_files(roots: Sequence[Path], refused: list[Problem] | None = None) -> list[tuple[int, Path, Path]]:
    """(folder index, folder, file) for every YAML file, top-level files first, then sorted.

    A symbolic link that leads outside its playbook folder is not followed (a branch folder
    must not make the app read other files); each one is added to `refused` as a Problem.
    """
    out = []
    for i, root in enumerate(roots):
        if not root.is_dir():
            continue
        files = [p for p in _walk(root, root.resolve(), set(), refused) if p.suffix in (".yaml", ".yml")]
        files.sort(key=lambda p: (len(p.relative_to(root).parts) > 1, p.relative_to(root).as_posix()))
        out.extend((i, root, p) for p in files)
    return out


def _walk(folder: Path, inside: Path, seen: set, refused: list[Problem] | None) -> Iterable[Path]:
    real = folder.resolve()
    if real in seen:  # a link back to a folder already read: no loop
        return
    seen.add(real)
    for entry in os.scandir(folder):
        if entry.name.startswith((".", "_")):
            continue
        if entry.is_symlink():
            target = Path(entry.path).resolve()
            if target != inside and inside not in target.parents:
                if refused is not None:
                    refused.append(Problem(entry.path, 0, "error",
                                           f"符号链接指向话术目录之外（{target}），没有读取；请把文件复制进来"))
                continue
        if entry.is_dir():
            yield from _walk(Path(entry.path), inside, seen, refused)
        else:
            yield Path(entry.path)


# ------------------------------------------------------------------ building


def build_library(roots: Sequence[Path], listing: list[tuple[int, Path, Path]], sigs=None, per_file=None) -> Library:
    """Parse and validate every file (pass 1) and merge them in order.

    `per_file` (path → (signature, ref, problems)) is reused where `sigs` match and updated.
    """
    lib = Library(dirs=[str(r) for r in roots], n_files=len(listing))
    for root in roots:
        if root.exists() and not root.is_dir():  # one file given: "不存在" sent people looking for a typo
            lib.problems.append(Problem(str(root), 0, "error", "这是一个文件，不是话术目录：请给放话术 YAML 文件的文件夹（布局同内置的 playbooks/）"))
        elif not root.is_dir():
            lib.problems.append(Problem(str(root), 0, "error", "话术目录不存在：请检查 --playbooks 后面的路径（或 COACH_PLAYBOOKS），或先建好这个目录"))
    per_file = {} if per_file is None else per_file
    for index, root, path in listing:
        sig = sigs.get(path) if sigs else None
        entry = per_file.get(str(path))
        if sig is None or entry is None or entry[0] != sig:
            problems: list[Problem] = []
            entry = per_file[str(path)] = (sig, read_playbook(index, root, path, problems), problems)
        lib.problems.extend(entry[2])
        if entry[1] is not None:
            _add_file(lib, entry[1])
    _collect(lib)
    if lib.taxonomy is None:
        where = str(roots[0]) if roots else "."
        lib.problems.append(Problem(where, 0, "error", "找不到 taxonomy.yaml（话题、步骤与客群代码表）"))
    return lib


def read_playbook(index: int, root: Path, path: Path, problems: list[Problem]) -> PlaybookRef | None:
    """One file checked for YAML, kind/folder and shape; None (with problems) when unusable."""
    from assistant.core.playbooks.models import KINDS
    from assistant.core.playbooks.shape import did_you_mean, shape_problems

    shown = str(path)
    try:
        src = read_yaml(path)
    except YamlError as exc:
        problems.append(Problem(shown, exc.line, "error", exc.message))
        return None
    data = src.data
    if not isinstance(data, dict):
        problems.append(Problem(shown, 1, "error", "文件顶层应为映射（version、kind、id、title…）"))
        return None
    kind = data.get("kind")
    if kind not in KINDS:
        if kind is None:
            message = "缺少必填字段 `kind`"
        else:
            message = f"未知的 kind `{kind}`{did_you_mean(kind, KINDS)}；可选：{'、'.join(KINDS)}"
        problems.append(Problem(shown, src.line_of(("kind",)), "error", message))
        return None
    folder_problem = _folder_problem(kind, path.relative_to(root))
    if folder_problem:
        problems.append(Problem(shown, src.line_of(("kind",)), "error", folder_problem))
        return None
    model, found = shape_problems(KINDS[kind], src, shown)
    problems.extend(found)
    if model is None:
        return None
    return PlaybookRef(model.id, kind, shown, index, model, src)


def _folder_problem(kind: str, rel: Path) -> str | None:
    folder = rel.parts[0] if len(rel.parts) > 1 else None
    if folder is None and kind not in TOP_LEVEL_KINDS:
        return f"kind `{kind}` 的文件应放在 `{kind}/` 目录下"
    if folder is not None and folder != kind:
        return f"kind `{kind}` 与所在目录 `{folder}/` 不一致：移到 `{kind}/` 目录，或改正 kind"
    return None


def _add_file(lib: Library, ref: PlaybookRef) -> None:
    """Add a file; same id from a later folder replaces it, same id in the same folder is an error."""
    prev = lib.files.get(ref.id)
    if prev is not None:
        if prev.dir_index == ref.dir_index:
            lib.problems.append(
                Problem(ref.path, ref.line_of("id"), "error", f"文件 id `{ref.id}` 重复：{display_path(prev.path)} 已使用；请改名")
            )
            return
        replaced = [c for c, r in lib.cards.items() if r.file_id == prev.id]
        for card_id in replaced:
            del lib.cards[card_id]
        # Intended (a branch overrides a built-in file), but silent replacement hides lost cards.
        lib.problems.append(Problem(ref.path, ref.line_of("id"), "info",
                                    f"文件 id `{ref.id}` 与 {display_path(prev.path)} 相同：这个文件整个替换了它"
                                    f"（那边的 {len(replaced)} 张卡片不再使用）；只想补充卡片的话，请换一个文件 id"))
    lib.files[ref.id] = ref
    for i, card in enumerate(getattr(ref.model, "cards", ())):
        _add_card(lib, ref, i, card)


def _add_card(lib: Library, ref: PlaybookRef, index: int, card) -> None:
    line = ref.line_of("cards", index)
    prev = lib.cards.get(card.id)
    if prev is not None and lib.files[prev.file_id].dir_index == ref.dir_index:
        where = f"{display_path(prev.path)}:{prev.line}"
        lib.problems.append(Problem(ref.path, ref.line_of("cards", index, "id"), "error", f"卡片 id `{card.id}` 重复：{where} 已使用"))
        return
    lib.cards[card.id] = CardRef(card, ref.id, ref.kind, ref.path, line)


def _collect(lib: Library) -> None:
    """Gather the library-wide collections from the files, in folder order (later wins)."""
    forbidden, disclosures, followups, group_rules = {}, {}, {}, {}
    for ref in lib.files.values():
        m = ref.model
        if ref.kind == "taxonomy":
            lib.taxonomy = m
        elif ref.kind == "variables":
            lib.variables.update(m.variables)
        elif ref.kind == "scoring":
            lib.scoring = m
        elif ref.kind == "scenario":
            lib.scenarios[m.id] = m
        elif ref.kind == "compliance":
            forbidden.update((r.id, r) for r in m.forbidden)
            disclosures.update((r.id, r) for r in m.disclosures)
        elif ref.kind == "followup":
            followups.update((r.id, r) for r in m.rules)
        elif ref.kind == "group_fix":
            group_rules.update((r.id, r) for r in m.rules)
            lib.group_tiers = list(m.tiers) or lib.group_tiers
            lib.assist_steps = list(m.assist_steps) or lib.assist_steps
        elif ref.kind == "conversion":
            lib.stages.extend(m.stages)
        elif ref.kind == "segment":
            lib.segments.append(m)
    for ref in lib.files.values():
        local = dict(getattr(ref.model, "variables", None) or {}) if ref.kind != "variables" else {}
        lib.file_variables[ref.id] = local
        for key, spec in local.items():
            lib.variables.setdefault(key, spec)
    lib.compliance.forbidden = list(forbidden.values())
    lib.compliance.disclosures = list(disclosures.values())
    lib.followup_rules = list(followups.values())
    lib.group_rules = list(group_rules.values())


# ------------------------------------------------------------------ cache


@functools.cache
def _shapes() -> tuple:
    """The shapes this process has loaded (each model's and the Library's fields).

    A process started before a code change writes its objects under the new files' signature;
    keying on the loaded shapes too means such a cache is never read back into other classes.
    """
    from pydantic import BaseModel

    from assistant.core.playbooks import models

    classes = [c for c in vars(models).values() if isinstance(c, type) and issubclass(c, BaseModel)]
    fields = sorted((c.__name__, tuple(c.model_fields)) for c in classes)
    return tuple(fields) + (tuple(f.name for f in dataclasses.fields(Library)),)


def _signatures(listing) -> dict[Path, tuple]:
    """path → (folder index, folder, mtime, size, code signature): what a parsed file depends on."""
    code_dir = Path(__file__).resolve().parent
    code = []
    for name in _CODE_FILES:
        with contextlib.suppress(OSError):
            st = os.stat(code_dir / name)
            code.append((name, st.st_mtime_ns, st.st_size))
    code_sig = hashlib.sha256(repr((CACHE_FORMAT, code, _shapes())).encode()).hexdigest()
    sigs = {}
    for index, root, path in listing:
        try:
            st = os.stat(path)
            sigs[path] = (index, str(root), st.st_mtime_ns, st.st_size, code_sig)
        except OSError:
            sigs[path] = (index, str(root), None, None, code_sig)
    return sigs


def _cache_key(roots: Sequence[Path], sigs: dict[Path, tuple]) -> str:
    """Changes when a folder, a file (added, removed, edited) or the loader code changes."""
    text = repr(([str(r) for r in roots], sorted((str(p), s) for p, s in sigs.items())))
    return hashlib.sha256(text.encode()).hexdigest()


def _cache_file(roots: Sequence[Path]) -> Path:
    """One cache file per set of folders, so switching branch folders does not thrash it."""
    from assistant.paths import get_paths

    tag = hashlib.sha256("|".join(map(str, roots)).encode()).hexdigest()[:12]
    return get_paths().cache_dir / f"library-{tag}.pickle"


def _read_cache(roots: Sequence[Path]) -> tuple[str, Library, dict] | None:
    """(key, library, per-file entries) as last written; None on any problem (it is only a cache).

    Unpickling runs code, so only a file we own that nobody else can write is read.
    """
    from assistant.core.platform import owned_private

    try:
        if not owned_private(_cache_file(roots)):
            return None
        with open(_cache_file(roots), "rb") as fh:
            stored = pickle.load(fh)
        key, library, per_file = stored
    except Exception:  # missing, truncated, from another version: rebuild
        return None
    return stored if isinstance(library, Library) and isinstance(per_file, dict) else None


def _write_cache(roots: Sequence[Path], stored: tuple[str, Library, dict]) -> None:
    tmp = None
    try:
        target = _cache_file(roots)
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
        from assistant.core.platform import secure_fd

        secure_fd(fd, 0o600)  # 0600 whatever the umask: only we may write what we will unpickle
        with open(fd, "wb") as fh:
            pickle.dump(stored, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, target)
    except Exception:  # a read-only or full disk must not stop the app; next run parses again
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
