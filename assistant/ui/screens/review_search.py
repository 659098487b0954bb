"""复盘's search as you type across every transcript: the search box, the worker that reads the
history (newest month first) and posts progress and hits, and the hits list. Mixed into ReviewScreen."""

from __future__ import annotations

from textual import events, work
from textual.widgets import DataTable, Input, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from assistant.core.history.filters import SessionFilter
from assistant.ui.screens.review_rows import hit_prompt


class TranscriptSearch:
    """Mixed into ReviewScreen (which owns `services`, `filter`, `names`, `visible`, `open_session`,
    the SearchProgress / Searched messages and the counters `search_seq`, `searched_seq`, `hits`)."""


    def on_key(self, event: events.Key) -> None:
        """Chinese typed while the table has focus starts a search (letters stay the keys above)."""
        search = self.query_one("#review-search", Input)
        if event.key == "down" and search.has_focus and self.hits:
            event.stop()  # from the search box straight into the results (Tab not needed)
            self.query_one("#hits", OptionList).focus()
            return
        if event.character and not event.character.isascii() and event.character.isprintable() and not search.has_focus:
            event.stop()
            search.focus()
            search.insert_text_at_cursor(event.character)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "review-search":
            self._start_search()

    def _start_search(self) -> None:
        query = self.query_one("#review-search", Input).value.strip()
        self.search_seq += 1
        self.set_class(bool(query), "-search-mode")
        if not query:
            self.workers.cancel_group(self, "review-search")
            self.set_class(False, "-searching")
            return
        if self.services is None:
            return
        self.set_class(True, "-searching")
        self.query_one("#search-progress", ProgressBar).update(progress=0)
        self.query_one("#search-bar", Static).update(f"正在搜索「{query}」…（Esc 取消）")
        self.run_search(self.search_seq, query, self.visible(self.filter))

    @work(thread=True, exclusive=True, group="review-search", exit_on_error=False)
    def run_search(self, seq: int, query: str, f: SessionFilter) -> None:
        """Search every transcript (newest month first); posts progress and the hits."""
        from assistant.core.review.search import LIMIT, fuzzy_search, search

        worker = get_current_worker()
        history = self.services.history
        shown = [-1]

        def progress(done: int, total: int) -> None:
            percent = int(100 * done / total)
            if percent >= shown[0] + 5:
                shown[0] = percent
                self.post_message(self.SearchProgress(seq, percent))

        hits = search(history, query, f, progress, lambda: worker.is_cancelled, library=self.services.library)
        if not worker.is_cancelled and len(hits) < LIMIT:
            self.post_message(self.Searched(seq, hits, False, final=False))  # word-for-word hits first
            hits = hits + fuzzy_search(history, query, f, hits, limit=LIMIT - len(hits))
        self.post_message(self.Searched(seq, hits, worker.is_cancelled))

    def on_review_screen_search_progress(self, message: SearchProgress) -> None:
        if message.seq == self.search_seq:
            self.query_one("#search-progress", ProgressBar).update(progress=message.percent)

    def on_review_screen_searched(self, message: Searched) -> None:
        if message.seq != self.search_seq:
            return
        self.set_class(not message.final, "-searching")
        self.hits = message.hits
        if message.final:
            self.searched_seq = message.seq
        from assistant.core.review.search import describe

        query = describe(self.query_one("#review-search", Input).value.strip(), self.services.library)  # lixi → 利息
        self.query_one("#search-bar", Static).update(f"「{query}」：{self._found(message)} · 回车打开那次对话 · Esc 清空")
        options = [Option(hit_prompt(h, self.names), id=str(i)) for i, h in enumerate(message.hits)]
        hits = self.query_one("#hits", OptionList)
        hits.set_options(options or [Option("没有找到。换个说法，或去掉一些筛选条件试试。", disabled=True)])
        if options:
            hits.highlighted = 0

    @staticmethod
    def _found(message: Searched) -> str:
        exact = sum(not h.fuzzy for h in message.hits)
        found = f"找到 {exact} 句" + ("（只列前 200 句，请多输几个字）" if exact >= 200 else "")
        if len(message.hits) > exact:
            found += f"，另有 {len(message.hits) - exact} 句说法相近（≈，最近的对话里找）"
        if not message.final:
            found += "，正在找相近说法…"
        return ("已取消搜索，" if message.cancelled else "") + found

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the search box opens the highlighted result (the first one unless ↓ moved)."""
        if event.input.id == "review-search" and self.hits:
            hits = self.query_one("#hits", OptionList)
            hits.focus()
            if hits.highlighted is not None:
                hits.action_select()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "hits" and event.option.id is not None:
            hit = self.hits[int(event.option.id)]
            from assistant.core.review.search import terms

            query = self.query_one("#review-search", Input).value
            self.open_session(hit.session["id"], hit.event.get("seq"), hit.words or terms(query))

    def action_escape(self) -> None:
        """Cancel a running search; with none running, clear the search box."""
        if self.has_class("-searching"):
            self.workers.cancel_group(self, "review-search")
            self.set_class(False, "-searching")
            self.query_one("#search-bar", Static).update("已取消搜索。")
            return
        search = self.query_one("#review-search", Input)
        if search.value:
            search.value = ""
            self.query_one("#sessions", DataTable).focus()
