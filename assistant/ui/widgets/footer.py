"""A footer that never cuts a key hint in half. When the keys do not fit the width, first labels
take their short form (数据看板 → 看板: SHORT), the last keys' first, as many as it takes; then
keys are left out whole — the screen's
`FOOTER_SPARE` actions first, then the last ones (screens list their keys most important first;
ctrl+p lists them all). The quit key and F1 首页 are never left out: they go last, before ctrl+p,
on every screen (found in walks: 首页 hid the quit key, and at 80 columns 复盘 hid F1, c 接着聊
and i 导入聊天, so staff did not know how to leave or carry on a chat)."""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


def key_width(key: FooterKey) -> int:
    """Cells a key takes in the non-compact footer: ` key ` then `description `."""
    width = cell_len(key.key_display) + 2
    return width + cell_len(key.description) + 1 if key.description else width


#: The command palette key sits docked right with a 1-cell border and 1-cell padding.
PALETTE_EXTRA = 2
#: Actions that quit the app (the app's ctrl+q, before and after loading; a screen's own q).
QUIT_ACTIONS = ("quit", "quit_loading", "app.quit")
#: Actions kept on every screen beside quitting: F1, the way back to 首页 from anywhere.
PINNED_ACTIONS = (*QUIT_ACTIONS, "go('home')", "app.go('home')")
#: Labels' short forms, used when the full ones do not fit (the tooltip and ctrl+p keep the full words).
SHORT = {"数据看板": "看板", "导入聊天": "导入", "撤销自动完成": "撤销", "复制话术": "复制", "进日程": "日程",
         "看卡片": "卡片", "考试模式": "考试", "每句点评": "点评", "收起点评": "收起", "显示点评": "点评",
         "选场景": "场景", "记住这句": "记住", "切换身份": "身份", "参考说法": "参考",
         "示例/客户": "示例", "再练一次": "再练", "团队/我的": "团队"}


#: Keys Textual's own widgets show in a footer (an open Select list), in Chinese; none is wider
#: than the English it replaces, so the keys fitted still fit.
TEXTUAL_KEYS = {"Dismiss menu": "收起列表", "Show menu": "展开列表"}


def in_chinese(widgets: list) -> list:
    """The footer's keys with Textual's own English labels (a dropdown's esc Dismiss menu) said in
    Chinese (TEXTUAL_KEYS, `keys_panel.INHERITED`), or left out when there is no Chinese for them."""
    from assistant.ui.widgets.keys_panel import chinese_description

    kept = []
    for w in widgets:
        if isinstance(w, FooterKey) and w.description and not w.has_class("-command-palette"):
            chinese = TEXTUAL_KEYS.get(w.description) or chinese_description(w.description)
            if chinese is None:
                continue
            w.description = chinese
        kept.append(w)
    return kept


def is_quit(widget) -> bool:
    return isinstance(widget, FooterKey) and widget.action in QUIT_ACTIONS


def is_pinned(widget) -> bool:
    return isinstance(widget, FooterKey) and widget.action in PINNED_ACTIONS


def shorten(keys: list, room: int) -> None:
    """Labels in their short form (SHORT), the last keys' first, until the keys fit `room` cells."""
    need = sum(key_width(k) if isinstance(k, FooterKey) else room + 1 for k in keys)  # groups: not used here
    for key in reversed(keys):
        if need <= room:
            return
        if isinstance(key, FooterKey) and key.description in SHORT:
            need -= key_width(key)
            key.description = SHORT[key.description]
            need += key_width(key)


def restore(keys: list, full: dict[int, str], room: int) -> None:
    """Full labels back, first keys first, while they fit (keys left out may have made room)."""
    need = sum(key_width(k) for k in keys if isinstance(k, FooterKey))
    for key in keys:
        if not isinstance(key, FooterKey) or key.description == full.get(id(key), key.description):
            continue
        short, before = key.description, key_width(key)
        key.description = full[id(key)]
        if need - before + key_width(key) <= room:
            need += key_width(key) - before
        else:
            key.description = short


def fitting(keys: list, room: int, spare: tuple[str, ...] = ()) -> list:
    """The keys that fit `room` cells, in their order: the `spare` actions go first, then the last."""
    width = {id(k): key_width(k) if isinstance(k, FooterKey) else room + 1 for k in keys}  # groups: not used here
    kept = list(keys)
    order = [k for a in spare for k in kept if getattr(k, "action", None) == a] + kept[::-1]
    for key in order:
        if sum(width[id(k)] for k in kept) <= room:
            break
        if key in kept:
            kept.remove(key)
    return kept


class KeyFooter(Footer):
    """Textual's Footer, showing only the keys that fit whole."""

    #: Width the keys were last laid out for (recomposed when it changes).
    fitted_width = 0

    def compose(self) -> ComposeResult:
        widgets = in_chinese(list(super().compose()))
        width = self.size.width or self.app.size.width
        self.fitted_width = width
        palette = [w for w in widgets if w.has_class("-command-palette")]
        pinned = [w for w in widgets if is_pinned(w) and not w.has_class("-command-palette")]
        pinned.sort(key=is_quit)  # F1 首页, then quit
        keys = [w for w in widgets if not w.has_class("-command-palette") and w not in pinned]
        room = width - sum(key_width(p) + PALETTE_EXTRA for p in palette if isinstance(p, FooterKey))
        room -= sum(key_width(q) for q in pinned)
        full = {id(k): k.description for k in keys if isinstance(k, FooterKey)}
        shorten(keys, room)
        kept = fitting(keys, room, tuple(getattr(self.screen, "FOOTER_SPARE", ())))
        restore(kept, full, room)
        yield from kept
        yield from pinned
        yield from palette

    def on_resize(self, event: events.Resize) -> None:
        if self._bindings_ready and event.size.width != self.fitted_width:
            self.call_after_refresh(self.recompose)
