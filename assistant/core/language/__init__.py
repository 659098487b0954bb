"""How we read Chinese: normalisation, concepts, matching, phrasing rules, negation, coverage.

Read it bottom-up:

- `textnorm`   normalize (NFKC, traditional → simplified, case, punctuation), segment (rjieba over
               the library's own words), pinyin per character and as typed; acknowledgements.
- `concepts`   the domain thesaurus as data (playbooks/concepts.yaml): `ConceptIndex.hits(text)`
               finds what a line talks about (亏 / 赔 / 打水漂 → loss), negation-aware, and which
               cards each concept signals. Shared by matching, coverage, scoring, the simulated customer.
               A member may have a gap (利息…低 also says 利息怎么这么低).
- `aspect`     a loss told as done (亏了, 竟然出现亏本) or feared (会不会亏): done, it also says past_loss.
- `voice`      who is talking: a customer's concern (我/你们) or a marketer's question (客户/社群…).
- `frames`     the customer's situation inside a marketer's question (客户说「利率太低」怎么回 →
               利率太低), which the matcher reads again as the customer would say it.
- `matchprep`  the matcher's prepared library: triggers as units (words, character pairs, pinyin)
               in an inverted index with IDF weights, cached on disk.
- `matchgrow`  remembered lines (记住这句) taken into a built matcher's index at once (~0.2 s),
               the index and scores exactly those of a build from scratch.
- `topicprior` naive Bayes over the same units, pooled per topic: re-ranks the shown cards.
- `conceptcards` each card's concept profile (cached) and how a query's concepts fill its score.
- `matcher`    `Matcher.search(text) -> [Match]`: lexical overlap + rapidfuzz rescoring, blended
               with concept overlap, leaning to the speaker's side (`voice`); each result "sure" or
               "maybe"; empty means nothing fits.
- `phrasing`   rule tables: is a sentence a question, is a key word negated or waved away.
- `negation`   key-point coverage that ignores what the line negates (uses `phrasing`).
- `coverage`   which key points a staff line covers, with the words that prove it.

The branch's own lines (「记住这句」) are extra triggers kept by `assistant.core.remembered`.
"""
