"""ASCII slugs in every script: Latin accents dropped, Cyrillic, Armenian and Arabic transliterated.

URLs stay readable and copy-pasteable everywhere (mail clients, chat apps, old proxies) while
still saying something in the story's own language.
"""

from __future__ import annotations

import unicodedata

from django.utils.text import slugify

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "u",
}
# Armenian, following the common BGN/PCGN-style romanisation.
_ARMENIAN = {
    "ա": "a", "բ": "b", "գ": "g", "դ": "d", "ե": "e", "զ": "z", "է": "e", "ը": "y", "թ": "t",
    "ժ": "zh", "ի": "i", "լ": "l", "խ": "kh", "ծ": "ts", "կ": "k", "հ": "h", "ձ": "dz",
    "ղ": "gh", "ճ": "ch", "մ": "m", "յ": "y", "ն": "n", "շ": "sh", "ո": "o", "չ": "ch",
    "պ": "p", "ջ": "j", "ռ": "r", "ս": "s", "վ": "v", "տ": "t", "ր": "r", "ց": "ts",
    "ւ": "v", "փ": "p", "ք": "k", "օ": "o", "ֆ": "f", "և": "ev",
}
_ARABIC = {
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h",
    "خ": "kh", "د": "d", "ذ": "dh", "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s",
    "ض": "d", "ط": "t", "ظ": "z", "ع": "", "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l",
    "م": "m", "ن": "n", "ه": "h", "و": "w", "ي": "y", "ى": "a", "ة": "a", "ء": "", "ئ": "y",
    "ؤ": "w",
}
_TABLE = {**_CYRILLIC, **_ARMENIAN, **_ARABIC}


def transliterate(text: str) -> str:
    # Armenian "ու" is one sound (u) written with two letters; map it before single letters.
    text = text.replace("ու", "u").replace("Ու", "U").replace("ՈՒ", "U")
    return "".join(_TABLE.get(ch.lower(), ch) for ch in text)


def make_slug(text: str, max_length: int = 80) -> str:
    """An ASCII slug for any script; never empty (falls back to 'story')."""
    latin = transliterate(unicodedata.normalize("NFC", text))
    ascii_text = unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode("ascii")
    slug = slugify(ascii_text)[:max_length].strip("-")
    return slug or "story"
