"""The Live screen's first lines as fast as the later ones: once the services are built and the
ready screen is painted, the loading worker runs what a customer line and a line of mine run the
first time (every reply template compiled, the matcher's and the compliance check's first calls).
Unwarmed, the first Enters cost ~15 ms more CPU each and the first compliance check ~0.7 s."""

from __future__ import annotations

from typing import Any, Callable

#: Customer lines in everyday words (not the library's triggers: nothing warmed is a cache of answers).
CUSTOMER_LINES = ("利息太低了，我再考虑考虑", "你们这个产品保本吗？我不太懂，回去问问家里人", "好的")
#: A line of mine, for the compliance check's first call.
MY_LINE = "阿姨，这款理财保本保息，比存定期划算"


def warmable(services: Any) -> bool:
    """True for the real matcher and renderer (test fakes: nothing to warm, and the calls they
    count stay the test's)."""
    from assistant.core.language.matcher import Matcher
    from assistant.core.playbooks.render import Renderer

    return isinstance(services.matcher, Matcher) and isinstance(services.renderer, Renderer)


def warm_up(services: Any, cancelled: Callable[[], bool] = lambda: False) -> None:
    """Compile the library's reply templates and run the first suggestions and check, logging
    nothing (a throwaway session); stops early once `cancelled()` (the app is closing)."""
    from assistant.core.live.session import LiveSession

    for ref in services.library.matchable_cards():
        if cancelled():
            return
        for text in (*(r.text for r in ref.card.responses), ref.card.follow_up):
            if text:
                services.renderer.compile(text)
    session = LiveSession(services.library, services.matcher, services.renderer, services.history,
                          clock=services.clock, check=services.check, covered=services.covered)
    for line in CUSTOMER_LINES:
        if cancelled():
            return
        session.suggest(line)
    session.check_line(MY_LINE)
