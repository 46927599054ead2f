"""The article body as a small tree, and what the segmenter asks of it: is this node inline, is
there text to translate in it.

The stdlib parser: tolerant of any character (lxml refuses control characters), and the body has
already been through ``clean_body``, so the markup is simple and well formed.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Inline elements become <gN> pairs, except br, img and code, which are kept whole as <xN/>.
INLINE_TAGS = {"a", "em", "strong", "b", "i", "u", "q", "cite", "abbr", "span", "sub", "sup", "code", "br", "img"}
VERBATIM_BLOCKS = {"pre"}  # code listings are not translated
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

# HTML's insignificant whitespace; NBSP and friends are text, so they are left alone.
HTML_SPACE = " \t\n\r\f"
HTML_SPACE_RUN = re.compile(r"[ \t\n\r\f]+")


class Element:
    __slots__ = ("tag", "attrs", "children")

    def __init__(self, tag: str, attrs, children=None):
        self.tag, self.attrs, self.children = tag, attrs, children if children is not None else []


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", [])
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, attrs)
        self.stack[-1].children.append(element)
        if tag not in VOID_TAGS:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Element(tag, attrs))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        children = self.stack[-1].children
        if children and isinstance(children[-1], str):
            children[-1] += data
        else:
            children.append(data)


def parse(body: str) -> Element:
    builder = _TreeBuilder()
    builder.feed(body)
    builder.close()
    return builder.root


def has_block(el: Element) -> bool:
    return any(isinstance(c, Element) and (c.tag not in INLINE_TAGS or has_block(c)) for c in el.children)


def is_inline(node) -> bool:
    return isinstance(node, str) or (node.tag in INLINE_TAGS and not has_block(node))


def has_text(nodes) -> bool:
    """Is there anything to translate: non-blank text outside code?"""
    for node in nodes:
        if isinstance(node, str):
            if node.strip(HTML_SPACE):
                return True
        elif node.tag != "code" and has_text(node.children):
            return True
    return False


def text_content(node) -> str:
    if isinstance(node, str):
        return node
    return "".join(text_content(c) for c in node.children)
