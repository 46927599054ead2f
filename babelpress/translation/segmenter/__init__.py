"""Cut an article into segments for a translation engine, and put the translations back.

A segment is an XML fragment (see ``translation/placeholders.py``): escaped text plus placeholder
tags. ``<gN>…</gN>`` stands for inline markup whose content is translated (a link, emphasis: the
attributes stay here, so an href is never sent); ``<xN/>`` stands for something kept as it is
(a URL, an e-mail address, a number, inline code, a line break, an image) or for a glossary term,
which comes back as the term's preferred target form.

Plain fields (headline …) give one segment each; the body gives one segment per text block
(h2, h3, p, li, blockquote, figcaption, a table's caption and each of its cells, and any loose
text between blocks), each image's alt text its own segment, and ``pre`` blocks none; a block with
nothing to translate (a cell of figures, an address alone) none either: it is kept as it is. ``SegmentedArticle.rebuild`` puts translated segments
back into the same block structure. Nothing here touches the database.

The modules, in the order an article goes through them:

- ``article``: ``segment_article``, ``SegmentedArticle`` (rebuild, restore), ``source_digest``;
- ``builder``: fields and body blocks → units and segments;
- ``html_tree``: the body parsed into a small tree;
- ``protect``: web and e-mail addresses, numbers and glossary terms → placeholders;
- ``items``: what stands behind each placeholder; tokens → a segment's text;
- ``sentence_cuts``: a block too long for the engine cut between sentences;
- ``restore``: a translated fragment with its placeholders put back, repairs described.

Elsewhere: the tag syntax is ``translation/placeholders.py``, sentence splitting
``translation/sentences.py``, glossary enforcement ``translation/glossary.py``.
"""

from babelpress.translation.segmenter.article import (
    HTML_FIELDS,
    PLAIN_FIELDS,
    SegmentedArticle,
    plain_text,
    segment_article,
    source_digest,
)
from babelpress.translation.segmenter.builder import Segment

__all__ = ["HTML_FIELDS", "PLAIN_FIELDS", "Segment", "SegmentedArticle", "plain_text", "segment_article",
           "source_digest"]
