"""Pass 2 for the language data: concepts (kind `concepts`) and extra triggers (kind `triggers`).

- a card naming a concept no concepts file defines (error, with the nearest id);
- a member listed twice in one concept (error) or in two concepts (warning: the line then
  signals both, say so on purpose or pick one);
- a concept naming a topic the taxonomy lacks, or that no card uses (warnings);
- a triggers file naming a card the library lacks (warning: another branch's export may name
  cards this library does not have, and a card whose file failed to load is reported there).
Every problem names the file and line.
"""

from __future__ import annotations

from assistant.core.playbooks.library import Library
from assistant.core.playbooks.problems import Problem, display_path
from assistant.core.playbooks.shape import did_you_mean


def concept_problems(lib: Library) -> list[Problem]:
    """Every concept and extra-trigger problem of the library."""
    from assistant.core.language.textnorm import normalize

    problems: list[Problem] = []
    known = {c.id for ref in lib.files_of("concepts") for c in ref.model.concepts}
    topics = set(lib.taxonomy.topics) if lib.taxonomy else set()
    card_topics = {ref.card.topic for ref in lib.matchable_cards()}
    used = {cid for ref in lib.cards.values() for cid in getattr(ref.card, "concepts", ())}
    # A concept is used when any file's entry for it (they merge by id) signals a carded topic.
    used |= {c.id for ref in lib.files_of("concepts") for c in ref.model.concepts if set(c.topics) & card_topics}
    for ref in lib.cards.values():
        for j, cid in enumerate(getattr(ref.card, "concepts", ())):
            if cid not in known:
                problems.append(_at(lib, ref.file_id, ("cards", _card_index(lib, ref), "concepts", j), "error",
                                    f"卡片 `{ref.id}` 用了未知的概念 `{cid}`{did_you_mean(cid, known)}；概念写在 concepts.yaml 里"))
    seen: dict[str, tuple[str, str, int]] = {}
    for fref in lib.files_of("concepts"):
        for i, c in enumerate(fref.model.concepts):
            mine: set[str] = set()
            for j, member in enumerate(c.members):
                norm = normalize(member)
                line = fref.line_of("concepts", i, "members", j)
                if not norm:
                    problems.append(Problem(fref.path, line, "error", f"概念 `{c.id}` 的说法「{member}」归一后是空的（只有标点或空格）"))
                elif norm in mine:
                    problems.append(Problem(fref.path, line, "error", f"概念 `{c.id}` 里「{member}」写了两次：删掉一个"))
                elif norm in seen and seen[norm][0] != c.id:
                    other, path, at = seen[norm]
                    problems.append(Problem(fref.path, line, "warning",
                                            f"「{member}」同时是概念 `{other}` 的说法（{display_path(path)}:{at}）：一句话会同时提示两个概念，确认是有意的，否则只留一处"))
                mine.add(norm)
                seen.setdefault(norm, (c.id, fref.path, line))
            for j, t in enumerate(c.topics):
                if topics and t not in topics:
                    problems.append(Problem(fref.path, fref.line_of("concepts", i, "topics", j), "warning",
                                            f"概念 `{c.id}` 提示的话题 `{t}` 不在 taxonomy.yaml 里{did_you_mean(t, topics)}：在有这个话题的卡片之前它不起作用"))
            if c.id not in used:
                problems.append(Problem(fref.path, fref.line_of("concepts", i, "id"), "warning",
                                        f"概念 `{c.id}` 没有卡片用到：给它写 topics，或在卡片的 concepts 里点名它"))
    for tref in lib.files_of("triggers"):
        for card_id in tref.model.triggers:
            if card_id not in lib.cards:
                problems.append(Problem(tref.path, tref.line_of("triggers", card_id), "warning",
                                        f"没有卡片 `{card_id}`{did_you_mean(card_id, lib.cards)}：这些说法用不上（卡片不在这个话术库里，或它的文件没能加载）"))
    return problems


def _card_index(lib: Library, ref) -> int:
    cards = getattr(lib.files[ref.file_id].model, "cards", ())
    return next((i for i, c in enumerate(cards) if c.id == ref.id), 0)


def _at(lib: Library, file_id: str, loc: tuple, severity: str, message: str) -> Problem:
    fref = lib.files[file_id]
    return Problem(fref.path, fref.line_of(*loc), severity, message)
