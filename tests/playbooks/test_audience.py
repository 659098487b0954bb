"""Who each response speaks to: tips for staff are marked `audience: staff`, so Live shows them
apart and never copies them to a customer; what is sent to customers speaks to them."""

from __future__ import annotations

import re

import pytest

from assistant.core.playbooks.loader import load_library


@pytest.fixture(scope="module")
def library():
    return load_library()


def responses(library):
    for card_id, ref in library.cards.items():
        for i, r in enumerate(ref.card.responses):
            yield card_id, i, r


def test_a_tip_written_to_staff_is_marked_staff(library):
    """Text that talks about 客户 in the third person, or starts with an instruction (先/别/记得),
    is advice for the staff member, not words for the customer."""
    wrong = [f"{cid}#{i} {r.label}" for cid, i, r in responses(library) if r.audience == "customer"
             and (("客户" in r.text and "{{ name }}" not in r.text) or re.match(r"(先|别|不要|记得)", r.text))]
    assert wrong == []


def test_a_reply_for_the_customer_addresses_them(library):
    """A staff tip never says 您 + the customer's name template: that would be a reply to send."""
    odd = [f"{cid}#{i}" for cid, i, r in responses(library) if r.audience == "staff" and "{{ name }}" in r.text]
    assert odd == []


def test_the_maturity_reminder_shows_its_why_as_a_tip_and_offers_replies_to_send(library):
    card = library.card("maturity-reminder").card
    assert [r.audience for r in card.responses] == ["staff", "customer", "customer"]
    assert "客户" not in card.follow_up  # asked of the customer, not of the staff member
