"""The two helpers the segmenter and the engines share: sentence splitting (translation/sentences.py)
and the placeholder tags (translation/placeholders.py)."""

from __future__ import annotations

import logging

import pysbd
import pytest

from babelpress.translation.placeholders import (
    placeholders_in,
    readable,
    segment_from_readable,
    split_on_placeholders,
    tidy_tags,
)
from babelpress.translation.sentences import pysbd_language, split_sentences


def test_sentences_follow_the_languages_own_rules_or_englishs():
    assert split_sentences("M. Dupont est arrivé. Il pleuvait.", "fr") == ["M. Dupont est arrivé. ", "Il pleuvait."]
    assert (pysbd_language("fr-CA"), pysbd_language("hy_AM"), pysbd_language("cy"), pysbd_language("")) == \
        ("fr", "hy", "en", "en")


def test_a_text_pysbd_fails_on_stays_whole(monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("pysbd bug")

    monkeypatch.setattr(pysbd, "Segmenter", broken)
    with caplog.at_level(logging.WARNING, logger="babelpress.translation.sentences"):
        assert split_sentences("One. Two.", "en") == ["One. Two."]
    assert "sentence splitting failed" in caplog.text


@pytest.mark.parametrize(("sent_back", "tidy"), [
    ("A <x2></x2> b", "A <x2/> b"),
    ("A <x2 /> b", "A <x2/> b"),
    ("<g1 >b</ g1>", "<g1>b</g1>"),
    ("< g 1>b</g 1>", "<g1>b</g1>"),
    ("<g1>b</g1> <x2/>", "<g1>b</g1> <x2/>"),
])
def test_tags_an_engine_rewrote_are_written_back_as_ours(sent_back, tidy):
    assert tidy_tags(sent_back) == tidy


def test_a_segment_splits_into_text_and_tags_and_reads_back_for_a_reviewer():
    segment = "Fish &amp; <g1>chips</g1> at <x2/>"
    assert placeholders_in(segment) == ["<g1>", "</g1>", "<x2/>"]
    assert split_on_placeholders(segment) == [
        ("text", "Fish &amp; "), ("tag", "<g1>"), ("text", "chips"), ("tag", "</g1>"), ("text", " at "), ("tag", "<x2/>"),
    ]
    assert readable(segment) == "Fish & <g1>chips</g1> at <x2/>"
    assert segment_from_readable(readable(segment)) == segment
