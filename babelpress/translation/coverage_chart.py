"""The desk's coverage chart: for each content language, one bar of the published stories, stacked
original / reviewed / machine / outdated / missing, drawn by the server as inline SVG.

The counts are the coverage page's (``coverage.cells`` over the published originals), folded into
the chart's five groups (``group_of``): a human translation counts as reviewed; a story waiting for
a job or whose job failed counts as outdated when a text exists in the language (an older one) and
as missing when none does; a state the chart does not know counts as missing.

Accessible: the SVG is an image with a title and a description that says every number; each bar
and segment has its own title (a tooltip); the legend and a table of the same numbers follow it.
Colours are the admin's (its CSS variables, so dark mode follows); the bars run right to left in a
right-to-left admin.
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlencode
from xml.etree import ElementTree as ET

from django.conf import settings
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_bidi, gettext, ngettext, pgettext_lazy

from babelpress import languages
from babelpress.translation import coverage
from babelpress.translation.pipeline import FIELDS

GROUPS = ("original", "reviewed", "machine", "outdated", "missing")
GROUP_LABELS = {
    "original": pgettext_lazy("coverage chart", "original"),
    "reviewed": pgettext_lazy("coverage chart", "reviewed or translated by a person"),
    "machine": pgettext_lazy("coverage chart", "machine draft"),
    "outdated": pgettext_lazy("coverage chart", "outdated"),
    "missing": pgettext_lazy("coverage chart", "missing"),
}
# The coverage page's state each group links to.
GROUP_STATE = {"original": "original", "reviewed": "reviewed", "machine": "machine", "outdated": "outdated",
               "missing": "missing"}
_DIRECT = {"original": "original", "human": "reviewed", "reviewed": "reviewed", "machine": "machine",
           "outdated": "outdated", "missing": "missing"}

# Fill and number colour of each group: the admin's CSS variables (light and dark), with its
# light-mode values for an SVG shown anywhere else.
COLOURS = {
    "original": ("var(--secondary, #417690)", "var(--button-fg, #fff)"),
    "reviewed": ("var(--primary, #79aec8)", "var(--body-loud-color, #000)"),
    "machine": ("var(--accent, #f5dd5d)", "var(--default-button-bg, #205067)"),
    "outdated": ("var(--delete-button-bg, #ba2121)", "var(--button-fg, #fff)"),
    "missing": ("var(--darkened-bg, #f8f8f8)", "var(--body-quiet-color, #666)"),
}

WIDTH, LABEL_WIDTH, GAP, ROW, BAR = 720, 150, 8, 30, 22
SVG = "http://www.w3.org/2000/svg"


def group_of(cell: dict) -> str:
    """The chart's group of one coverage cell (see the module's docstring)."""
    state = cell["state"]
    if state in _DIRECT:
        return _DIRECT[state]
    if state in ("queued", "failed") and cell.get("article") is not None:
        return "outdated"
    return "missing"


def counts(table: dict | None = None) -> dict[str, Counter]:
    """{language: Counter of groups, "stories" too} over the published originals (or ``table``,
    the ``coverage.cells`` of them)."""
    if table is None:
        # Only what coverage.cells reads of a source: a row is light, even with 10,000 of them.
        sources = coverage.originals().select_related(None).only("pk", "translation_key", "language", "version",
                                                                 *FIELDS)
        table = coverage.cells(list(sources), among=sources)
    result = {code: Counter() for code in settings.BABELPRESS_CONTENT_LANGUAGES}
    for row in table.values():
        for code, cell in row.items():
            result[code][group_of(cell)] += 1
            result[code]["stories"] += 1
    return result


def summary(name: str, counted: Counter) -> str:
    """ "French: 40 stories — original 10, reviewed or … 5, …": one bar in words."""
    parts = ", ".join(f"{GROUP_LABELS[group]} {counted[group]}" for group in GROUPS)
    return ngettext("%(language)s: %(count)d story — %(parts)s", "%(language)s: %(count)d stories — %(parts)s",
                    counted["stories"]) % {"language": name, "count": counted["stories"], "parts": parts}


def _style() -> str:
    rules = [".coverage-chart text { font-size: 13px; font-family: var(--font-family-primary, sans-serif); }",
             ".coverage-chart .coverage-chart__label { fill: var(--body-fg, #333); }",
             ".coverage-chart a:focus rect, .coverage-chart a:hover rect { stroke: var(--body-loud-color, #000); "
             "stroke-width: 2; }",
             ".coverage-chart__missing { stroke: var(--border-color, #ccc); stroke-dasharray: 4 2; }",
             # The legend and the frame beside the chart (one style for the panel: no <style> in an HTML body).
             ".coverage-chart-frame { padding: 8px 12px 0; }",
             ".coverage-legend { display: flex; flex-wrap: wrap; gap: 4px 18px; margin: 6px 12px; padding: 0; }",
             ".coverage-legend li { list-style: none; display: flex; align-items: center; gap: 6px; }",
             ".coverage-legend__swatch { display: inline-block; width: 14px; height: 14px; "
             "border: 1px solid var(--border-color, #ccc); }",
             ".coverage-legend__missing { border-style: dashed; }",
             ".coverage-numbers { margin: 6px 12px; } .coverage-numbers td { text-align: end; }"]
    for group, (fill, ink) in COLOURS.items():
        rules.append(f".coverage-chart__{group}, .coverage-legend__{group} {{ fill: {fill}; background: {fill}; }}")
        rules.append(f".coverage-chart__number--{group} {{ fill: {ink}; }}")
    return "\n".join(rules)


def svg(per_language: dict[str, Counter], *, rtl: bool = False) -> str:
    """The chart as an SVG document (a string of well-formed XML) for ``per_language`` (``counts``)."""
    codes = [code for code in settings.BABELPRESS_CONTENT_LANGUAGES if code in per_language]
    height = ROW * len(codes)
    root = ET.Element("svg", {
        "xmlns": SVG, "viewBox": f"0 0 {WIDTH} {height}", "width": "100%", "class": "coverage-chart",
        "role": "img", "aria-labelledby": "coverage-chart-title coverage-chart-desc",
        "direction": "rtl" if rtl else "ltr"})
    ET.SubElement(root, "title", {"id": "coverage-chart-title"}).text = gettext("Translation coverage")
    names = {code: _name(code) for code in codes}
    ET.SubElement(root, "desc", {"id": "coverage-chart-desc"}).text = " ".join(
        summary(names[code], per_language[code]) + "." for code in codes)
    ET.SubElement(root, "style").text = _style()
    for row, code in enumerate(codes):
        _bar(root, code, names[code], per_language[code], row * ROW + (ROW - BAR) / 2, rtl)
    return ET.tostring(root, encoding="unicode")


def _bar(root, code: str, name: str, counted: Counter, top: float, rtl: bool) -> None:
    group = ET.SubElement(root, "g", {"class": "coverage-chart__bar", "data-language": code})
    ET.SubElement(group, "title").text = summary(name, counted)
    label_x = WIDTH - GAP / 2 if rtl else GAP / 2
    ET.SubElement(group, "text", {"class": "coverage-chart__label", "x": _n(label_x), "y": _n(top + BAR / 2),
                                  "dominant-baseline": "central", "text-anchor": "start"}).text = name
    span = WIDTH - LABEL_WIDTH - GAP
    scale = span / counted["stories"] if counted["stories"] else 0
    offset = 0.0
    for name_of_group in GROUPS:
        value = counted[name_of_group]
        if not value:
            continue
        width = value * scale
        x = WIDTH - LABEL_WIDTH - offset - width if rtl else LABEL_WIDTH + offset
        offset += width
        link = ET.SubElement(group, "a", {"href": _coverage_url(code, name_of_group)})
        rect = ET.SubElement(link, "rect", {"class": f"coverage-chart__{name_of_group}", "x": _n(x), "y": _n(top),
                                            "width": _n(width), "height": _n(BAR)})
        ET.SubElement(rect, "title").text = f"{name}: {GROUP_LABELS[name_of_group]} {value}"
        if width >= 9 * len(str(value)) + 6:  # the number fits in its segment
            ET.SubElement(link, "text", {"class": f"coverage-chart__number--{name_of_group}", "x": _n(x + width / 2),
                                         "y": _n(top + BAR / 2), "dominant-baseline": "central",
                                         "text-anchor": "middle", "aria-hidden": "true"}).text = str(value)


def _name(code: str) -> str:
    """The language's name in the UI language, as a label: "Anglais", "British English"."""
    name = languages.language_name(code)
    return name[:1].upper() + name[1:]


def _n(number: float) -> str:
    return f"{number:.1f}".removesuffix(".0")


def _coverage_url(code: str, group: str) -> str:
    return f"{reverse('translation_coverage')}?{urlencode({'language': code, 'state': GROUP_STATE[group]})}"


def panel_context(per_language: dict[str, Counter]) -> dict:
    """What the desk panel's template shows: the chart, its legend and its table."""
    codes = [code for code in settings.BABELPRESS_CONTENT_LANGUAGES if code in per_language]
    stories = max((per_language[code]["stories"] for code in codes), default=0)
    return {
        "chart": mark_safe(svg(per_language, rtl=get_language_bidi())) if stories else "",  # escaped by ElementTree
        "stories": stories,
        "groups": [(group, GROUP_LABELS[group]) for group in GROUPS],
        "rows": [(code, _name(code), [per_language[code][g] for g in GROUPS])
                 for code in codes],
        "coverage_url": reverse("translation_coverage"),
    }
