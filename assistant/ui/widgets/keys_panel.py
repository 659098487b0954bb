"""The 按键说明 panel (command palette → 按键说明) in Chinese.

Textual's panel lists every active binding with its English description, including those its
widgets inherit (Up, Page Right, Focus Next, Copy selected text…). This one says the useful
inherited keys in Chinese and leaves the rest out; our own bindings are already Chinese.
"""

from __future__ import annotations

from collections import defaultdict

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import HelpPanel, KeyPanel
from textual.widgets._key_panel import BindingsTable

from assistant.core.textwrap_zh import cjk_wrap

#: Textual's descriptions of inherited keys worth knowing → Chinese. Any other English one is hidden.
INHERITED = {
    "Copy selected text": "复制选中的文字", "Copy": "复制", "Cut": "剪切", "Cut selected text": "剪切",
    "Paste": "粘贴", "Paste text from the clipboard": "粘贴", "Undo": "撤销", "Redo": "重做",
    "Select all": "全选", "Focus Next": "下一个输入处", "Focus Previous": "上一个输入处",
    "Submit": "确定（回车）", "Select": "选中", "Press button": "按下按钮", "Show menu": "展开选项",
    "Toggle": "勾选/取消", "Up": "上一项", "Down": "下一项", "Cursor up": "上一行", "Cursor down": "下一行",
    "First": "第一项", "Last": "最后一项", "Top": "到最上面", "Bottom": "到最下面",
    "Page Up": "上一页", "Page Down": "下一页", "Page up": "上一页", "Page down": "下一页",
    "Scroll Up": "向上滚动", "Scroll Down": "向下滚动", "Scroll Home": "滚到最前", "Scroll End": "滚到最后",
    "Go to start": "光标到开头", "Go to end": "光标到末尾",
    "Delete all to the left": "删掉光标前的全部", "Delete all to the right": "删掉光标后的全部",
    "Quit": "退出",
}


def chinese_description(description: str) -> str | None:
    """The Chinese for a key's description: ours as they are, Textual's from INHERITED, else None."""
    if any("\u4e00" <= ch <= "\u9fff" for ch in description):
        return description
    return INHERITED.get(description)


def keys_table(active_bindings, key_display, key_style, description_style, width: int = 40) -> Table:
    """One row per action: its keys, the Chinese description and (dim) what it does. The screen's
    and the app's own keys come first, the inherited editing and scrolling keys after them."""
    rows: defaultdict[tuple, list] = defaultdict(list)
    for namespace, binding, _enabled, tooltip in active_bindings:
        description = chinese_description(binding.description)
        if binding.system or not description:
            continue
        inherited = description != binding.description
        rows[(inherited, id(namespace), binding.action)].append((binding, description, tooltip))
    table = Table(padding=(0, 1, 0, 0), show_header=False, box=None)
    table.add_column("", justify="right", no_wrap=True)
    table.add_column("", overflow="fold")
    lines = [(" ".join(dict.fromkeys(key_display(b) for b, _, _ in same)), *same[0][1:])
             for _, same in sorted(rows.items(), key=lambda row: row[0][0])]
    room = max(10, width - max((cell_len(keys) for keys, _, _ in lines), default=0) - 2)  # 2: column padding
    for keys, description, tooltip in lines:
        text = Text(description, style=description_style)
        if tooltip and tooltip != description and chinese_description(tooltip):
            # wrapped here by Chinese rules: Rich would start a line with 「）」
            text.append("\n" + "\n".join(cjk_wrap(tooltip, room)), style="dim")
        table.add_row(Text(keys, style=key_style), text)
    return table


class ChineseBindingsTable(BindingsTable):
    """The keys of the current screen, in Chinese."""

    def render_bindings_table(self) -> Table:
        return keys_table(self.screen.active_bindings.values(), self.app.get_key_display,
                          self.get_component_rich_style("bindings-table--key"),
                          self.get_component_rich_style("bindings-table--description"),
                          width=(self.parent.scrollable_content_region.width if self.parent else 0) or 40)


class ChineseKeyPanel(KeyPanel):
    """KeyPanel drawing ChineseBindingsTable (it keeps Textual's refresh on key changes)."""

    def compose(self) -> ComposeResult:
        yield ChineseBindingsTable(shrink=True, expand=False)


class ChineseHelpPanel(HelpPanel):
    """The side panel the palette's 按键说明 opens: a heading and the Chinese key list. Still a
    HelpPanel, so Textual's 「hide」 command and its queries find it."""

    def compose(self) -> ComposeResult:
        from textual.widgets import Static

        yield Static(Text("按键说明", style="bold"), id="keys-title")
        yield ChineseKeyPanel(id="keys-help")
