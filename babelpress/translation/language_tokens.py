"""How multilingual models and test sets name languages, from Babelpress's ISO 639-1 codes.

NLLB-200 and the FLORES-200 test set use ISO 639-3 + script ("hye_Armn"); M2M-100 wraps the
ISO 639-1 code ("__hy__"); MADLAD-400 asks for a target with "<2hy>". One table here, so the
local engine, the model installer and bench/translation_quality.py agree.
"""

from __future__ import annotations

import re

# ISO 639-1 → FLORES-200 / NLLB-200 code. The variety FLORES and NLLB use for each language:
# Modern Standard Arabic (arb), North Azerbaijani (azj), Western Persian (pes), Standard Latvian…
FLORES = {
    "af": "afr_Latn", "am": "amh_Ethi", "ar": "arb_Arab", "az": "azj_Latn", "be": "bel_Cyrl",
    "bg": "bul_Cyrl", "bn": "ben_Beng", "bs": "bos_Latn", "ca": "cat_Latn", "cs": "ces_Latn",
    "cy": "cym_Latn", "da": "dan_Latn", "de": "deu_Latn", "el": "ell_Grek", "en": "eng_Latn",
    "eo": "epo_Latn", "es": "spa_Latn", "et": "est_Latn", "eu": "eus_Latn", "fa": "pes_Arab",
    "fi": "fin_Latn", "fr": "fra_Latn", "ga": "gle_Latn", "gl": "glg_Latn", "gu": "guj_Gujr",
    "he": "heb_Hebr", "hi": "hin_Deva", "hr": "hrv_Latn", "hu": "hun_Latn", "hy": "hye_Armn",
    "id": "ind_Latn", "is": "isl_Latn", "it": "ita_Latn", "ja": "jpn_Jpan", "ka": "kat_Geor",
    "kk": "kaz_Cyrl", "km": "khm_Khmr", "ko": "kor_Hang", "ky": "kir_Cyrl", "lt": "lit_Latn",
    "lv": "lvs_Latn", "mk": "mkd_Cyrl", "ml": "mal_Mlym", "mn": "khk_Cyrl", "mr": "mar_Deva",
    "ms": "zsm_Latn", "my": "mya_Mymr", "ne": "npi_Deva", "nl": "nld_Latn", "nb": "nob_Latn",
    "no": "nob_Latn", "pa": "pan_Guru", "pl": "pol_Latn", "ps": "pbt_Arab", "pt": "por_Latn",
    "ro": "ron_Latn", "ru": "rus_Cyrl", "sk": "slk_Latn", "sl": "slv_Latn", "so": "som_Latn",
    "sq": "als_Latn", "sr": "srp_Cyrl", "sv": "swe_Latn", "sw": "swh_Latn", "ta": "tam_Taml",
    "te": "tel_Telu", "tg": "tgk_Cyrl", "th": "tha_Thai", "tk": "tuk_Latn", "tl": "tgl_Latn",
    "tr": "tur_Latn", "uk": "ukr_Cyrl", "ur": "urd_Arab", "uz": "uzn_Latn", "vi": "vie_Latn",
    "zh": "zho_Hans",
}
_FROM_FLORES = {code: iso for iso, code in FLORES.items() if iso != "no"}


def base_language(code: str) -> str:
    """"pt-BR" → "pt", "FR" → "fr": models are per language, Babelpress may ask for a variant."""
    return code.strip().lower().replace("_", "-").split("-", 1)[0]


def flores_code(code: str) -> str | None:
    """The FLORES-200 / NLLB-200 code of an ISO 639-1 language ("hy" → "hye_Armn"), or None."""
    return FLORES.get(base_language(code))


def from_flores(code: str) -> str | None:
    """The ISO 639-1 code of a FLORES-200 / NLLB-200 code ("hye_Armn" → "hy"), or None."""
    return _FROM_FLORES.get(code)


def m2m100_token(code: str) -> str:
    """M2M-100's language token: "__hy__"."""
    return f"__{base_language(code)}__"


def madlad_token(code: str) -> str:
    """MADLAD-400's target-language token: "<2hy>"."""
    return f"<2{base_language(code)}>"


# --- Reading a model's vocabulary back into languages -----------------------------------------------

_NLLB_TOKEN = re.compile(r"^[a-z]{3}_[A-Z][a-z]{3}$")
_M2M100_TOKEN = re.compile(r"^__([a-z]{2,3})__$")
_MADLAD_TOKEN = re.compile(r"^<2([a-z]{2,3})>$")
# ISO 639-3 (and the macrolanguage codes OPUS-MT uses) → ISO 639-1, for names like "opus-mt-eng-hye".
_FROM_ISO639_3 = {code.split("_")[0]: iso for iso, code in FLORES.items() if iso != "no"} | {
    "ara": "ar", "aze": "az", "fas": "fa", "per": "fa", "msa": "ms", "mon": "mn", "nep": "ne", "nor": "nb",
    "pus": "ps", "sqi": "sq", "swa": "sw", "uzb": "uz", "lav": "lv", "zho": "zh", "chi": "zh", "fre": "fr",
    "ger": "de", "arm": "hy", "geo": "ka", "gre": "el", "dut": "nl", "cze": "cs", "slo": "sk", "rum": "ro",
    "wel": "cy", "ice": "is", "mac": "mk", "may": "ms", "bur": "my", "baq": "eu", "alb": "sq", "tib": "bo",
}


def known_language(code: str) -> str | None:
    """Babelpress's ISO 639-1 code for a 2- or 3-letter code ("hye" → "hy", "hy" → "hy"), or None."""
    code = base_language(code)
    if code in FLORES:
        return "nb" if code == "no" else code
    return _FROM_ISO639_3.get(code)


def nllb_languages(vocabulary) -> dict[str, str]:
    """{ISO 639-1: token} for the NLLB/FLORES language tokens in a vocabulary ("hye_Armn" → "hy")."""
    found = {}
    for token in vocabulary:
        if _NLLB_TOKEN.match(token) and (iso := from_flores(token)) and flores_code(iso) == token:
            found[iso] = token
    return found


def m2m100_languages(vocabulary) -> dict[str, str]:
    """{ISO 639-1: token} for M2M-100's "__hy__" tokens that Babelpress knows."""
    return _wrapped(vocabulary, _M2M100_TOKEN)


def madlad_languages(vocabulary) -> dict[str, str]:
    """{ISO 639-1: token} for MADLAD-400's "<2hy>" tokens that Babelpress knows."""
    return _wrapped(vocabulary, _MADLAD_TOKEN)


def _wrapped(vocabulary, pattern: re.Pattern) -> dict[str, str]:
    found = {}
    for token in vocabulary:
        match = pattern.match(token)
        if match and match.group(1) in FLORES and match.group(1) != "no":
            found[match.group(1)] = token
    return found
