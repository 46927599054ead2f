"""The translation policy, as truth tables: what a new machine draft does to its target article.

``policy.decide`` is what the pipeline asks once a draft is made, on the target as it is found
(locked) at that moment. The first table says when a draft may go live without a reviewer; the
second what happens to the target in every situation. Each row is a specification; together they
cover every combination of the inputs exactly once (a test checks it), so a change of behaviour
is a change of a row here.
"""

from __future__ import annotations

import itertools
from typing import NamedTuple

import pytest

from babelpress.translation.policy import Decision, Situation, decide

ANY = "·"

# --- When may a draft go live without a reviewer? -----------------------------------------------------------------

#   section policy, QA errors, conflicts  →  publish_now
PUBLISH_NOW = {
    ("publish", 0, 0): True,  # the only case: the newsroom trusts the engine, and nothing is flagged
    ("publish", 0, 1): False,  # a reviewer's edit whose source changed needs a reviewer again
    ("publish", 2, 0): False,  # QA found errors (a number lost, a glossary term missing …)
    ("publish", 2, 1): False,
    ("review", 0, 0): False,  # "review": every draft waits for a reviewer
    ("review", 0, 1): False,
    ("review", 2, 0): False,
    ("review", 2, 1): False,
}


@pytest.mark.parametrize(("policy", "errors", "conflicts"), list(PUBLISH_NOW), ids=lambda v: str(v))
def test_a_draft_may_go_live_without_review_only_under_the_publish_policy_and_clean(policy, errors, conflicts):
    situation = Situation(is_new=True, target_published=False, same_text=False, reviewed=False,
                          reviewer_recorded=False, policy=policy, errors=errors, conflicts=conflicts,
                          source_published=True)

    assert decide(situation).publish_now is PUBLISH_NOW[(policy, errors, conflicts)]


# --- What happens to the target ----------------------------------------------------------------------------------


class Row(NamedTuple):
    why: str
    # The situation ("·": whatever it is)
    new: bool | str  # no target article yet
    live: bool | str  # the target is published
    same: bool | str  # the target already holds exactly the draft's text
    approved: bool | str  # its Translation is "reviewed"
    reviewer: bool | str  # the target names its reviewer
    publish_now: bool | str  # from the table above
    source_live: bool | str  # the original is published
    # The outcome
    keep: bool
    apply: bool
    state: str
    go_live: bool


TABLE = [
    #   why                                                          new    live   same   apprv  revwr  pub_now src    keep   apply  state       go live
    Row("a new draft waits for a reviewer",                          True,  ANY,   ANY,   ANY,   ANY,   False,  ANY,   False, True,  "machine",  False),
    Row("a new clean draft waits for its unpublished original",      True,  ANY,   ANY,   ANY,   ANY,   True,   False, False, True,  "machine",  False),
    Row("a new clean draft goes live with its original",             True,  ANY,   ANY,   ANY,   ANY,   True,   True,  False, True,  "machine",  True),
    Row("readers already have this text",                            False, True,  True,  ANY,   False, ANY,    ANY,   True,  False, "machine",  False),
    Row("readers already have this approved text: approval stands",  False, True,  True,  ANY,   True,  ANY,    ANY,   True,  False, "reviewed", False),
    Row("a live translation takes a clean draft at once",            False, True,  False, ANY,   ANY,   True,   ANY,   False, True,  "machine",  False),
    Row("a live translation keeps its text; the draft is outdated",  False, True,  False, ANY,   ANY,   False,  ANY,   False, False, "outdated", False),
    Row("an approved unpublished text is kept (reviewer deleted)",   False, False, True,  True,  False, ANY,    ANY,   True,  False, "machine",  False),
    Row("an approved unpublished text keeps its approval",           False, False, True,  True,  True,  ANY,    ANY,   True,  False, "reviewed", False),
    Row("an unpublished draft is replaced, for review",              False, False, True,  False, ANY,   False,  ANY,   False, True,  "machine",  False),
    Row("an unpublished clean draft waits for its original",         False, False, True,  False, ANY,   True,   False, False, True,  "machine",  False),
    Row("an unpublished clean draft goes live with its original",    False, False, True,  False, ANY,   True,   True,  False, True,  "machine",  True),
    Row("an unpublished changed draft is replaced, for review",      False, False, False, ANY,   ANY,   False,  ANY,   False, True,  "machine",  False),
    Row("an unpublished changed clean draft waits for its original", False, False, False, ANY,   ANY,   True,   False, False, True,  "machine",  False),
    Row("an unpublished changed clean draft goes live",              False, False, False, ANY,   ANY,   True,   True,  False, True,  "machine",  True),
]


def every_situation():
    """Every combination of decide's inputs (QA errors and conflicts as none or some)."""
    booleans = (False, True)
    for new, live, same, approved, reviewer, policy, errors, conflicts, source_live in itertools.product(
        booleans, booleans, booleans, booleans, booleans, ("publish", "review"), (0, 2), (0, 1), booleans
    ):
        yield Situation(is_new=new, target_published=live, same_text=same, reviewed=approved,
                        reviewer_recorded=reviewer, policy=policy, errors=errors, conflicts=conflicts,
                        source_published=source_live)


def matches(row: Row, s: Situation) -> bool:
    seen = (s.is_new, s.target_published, s.same_text, s.reviewed, s.reviewer_recorded,
            PUBLISH_NOW[(s.policy, s.errors, s.conflicts)], s.source_published)
    wanted = (row.new, row.live, row.same, row.approved, row.reviewer, row.publish_now, row.source_live)
    return all(w == ANY or w == v for w, v in zip(wanted, seen))


def test_the_table_names_every_situation_exactly_once():
    situations = list(every_situation())
    assert len(situations) == 2 ** 9
    for situation in situations:
        rows = [row.why for row in TABLE if matches(row, situation)]
        assert len(rows) == 1, f"{situation}: {rows or 'no row'}"


@pytest.mark.parametrize("row", TABLE, ids=lambda row: row.why)
def test_decide(row):
    situations = [s for s in every_situation() if matches(row, s)]
    assert situations
    for situation in situations:
        publish_now = PUBLISH_NOW[(situation.policy, situation.errors, situation.conflicts)]

        assert decide(situation) == Decision(keep=row.keep, apply=row.apply, new_state=row.state,
                                             publish_now=publish_now, go_live=row.go_live), situation
