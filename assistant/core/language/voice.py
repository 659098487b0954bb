"""Who is talking: a customer raising a concern, or a marketer asking how to do the job.

The same words serve both (加微信 is 「我不加你微信」 from a customer and 「客户不加我微信怎么办」
from staff), and a card of the wrong side is the commonest wrong answer between close topics.
`voice(text)` reads the cues: a line about 客户 / 社群 / 营销 / 网点 … in the third person is a
marketer's; a line in the first or second person (我, 你们) without them is a customer's; the
rest says nothing. The matcher only leans on it (see `matcher.VOICE_LEAN`), never filters.
"""

from __future__ import annotations

import re

#: A marketer talks about customers and the work: 客户 (not 客户经理, not 我是老客户), 社群, 营销 …
#: and the seeds' staff-only words for it (群组, 异业, 厅堂, 驻点): 「怎么把一个快死了的群组救活？聊聊我的
#: 实战心得」 was a customer's line by its 我, and its group card fell to 28 under the 32 cutoff.
_MARKETER = re.compile(
    r"(?:潜在|目标|长尾|存量|高净值|优质|意向|代发)?客户(?!经理)"
    r"|客群|营销|社群|网点|获客|拓客|运营|话术|邀约|转化|引流|粉丝|建群|群发|沙龙|外拓|同事|一线|商户|居民|老年人|老人家"
    r"|群组|异业|厅堂|驻点")
#: A customer calling themself one (我是老客户, 不就是新客户了吗) is not talking about customers.
_SELF = re.compile(r"(?:是|算|成|当|做)(?:你们的?|贵行的?)?(?:老|新|大|vip)?客户")
#: A customer speaks for themself and to the bank: 我 / 你们 / 您 …
_CUSTOMER = re.compile(r"[我你您咱俺]")


def voice(text: str) -> str | None:
    """"marketer", "customer" or None (no cue either way)."""
    if _MARKETER.search(_SELF.sub("", text.lower())):
        return "marketer"
    if _CUSTOMER.search(text):
        return "customer"
    return None


def settled(said: str | None, top_kind: str) -> bool:
    """Whether a line is read on the customer's side: not a marketer's (`said`), and its top card is
    an objection card. Its dimmed staff-side cards (any other kind) are then noise, not a second
    reading: 我再考虑考虑 showed the sure 再考虑 card and, dimmed, the 24/72 follow-up card through their
    shared concept 再想想. Dev --unread (eval_match --unread --no-test): customer lines shown a dimmed
    staff-side card 55 → 23, none lines 11 → 9, customer top-3 78.1 → 78.3 % (the model's third
    place goes to a customer card), marketer and held-out own-voice figures unchanged. Hiding them
    for every customer-voiced line instead cost the held-out own-voice marketer questions 95.1 →
    92.2 % top-3: staff ask in the first person too (我那个群没人说话), and then the top card is theirs."""
    return said != "marketer" and top_kind == "objection"
