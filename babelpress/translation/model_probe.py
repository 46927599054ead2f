"""The last check before a model is installed: load it with CTranslate2 and translate one probe
sentence through the family's own input conventions; an empty result refuses the model."""

from __future__ import annotations

from babelpress.translation.model_inspect import Inspected
from babelpress.translation.models_folder import ModelPackageError

PROBES = {
    "en": "The city council voted on the new school today.",
    "fr": "Le conseil municipal a voté aujourd'hui sur la nouvelle école.",
    "hy": "Քաղաքային խորհուրդն այսօր քվեարկեց նոր դպրոցի մասին։",
    "ru": "Сегодня городской совет проголосовал за новую школу.",
    "ar": "صوّت مجلس المدينة اليوم على المدرسة الجديدة.",
    "de": "Der Stadtrat hat heute über die neue Schule abgestimmt.",
    "es": "El concejo municipal votó hoy sobre la nueva escuela.",
}


def probe_pair(found: Inspected, content: list[str] | None) -> tuple[str, str]:
    """The pair to try: one the site needs when there is one, from English when it can."""
    pairs = list(found.pairs) or [(s, t) for s in found.languages for t in found.languages if s != t]
    wanted = [p for p in pairs if content and p[0] in content + ["en"] and p[1] in content + ["en"]] or pairs
    return min(wanted, key=lambda p: (p[0] != "en", p[0] not in PROBES, p))


def probe(found: Inspected, shown: str, content: list[str] | None = None) -> str:
    """Translate the probe sentence; returns the translation, raises ModelPackageError on failure."""
    import ctranslate2
    import sentencepiece

    source, target = probe_pair(found, content)
    family = found.family
    try:
        translator = ctranslate2.Translator(str(found.root), device="cpu", compute_type="default", intra_threads=1)
    except Exception as exc:
        raise ModelPackageError(
            f"{shown}: the CTranslate2 model cannot be loaded ({exc}). model.bin is damaged or incomplete, or it "
            f"was made for a newer CTranslate2 than {ctranslate2.__version__}: download or convert it again, or "
            "upgrade ctranslate2."
        ) from None
    sp_source = sentencepiece.SentencePieceProcessor(model_file=str(found.root / found.source_spm))
    sp_target = sentencepiece.SentencePieceProcessor(model_file=str(found.root / found.target_spm))
    pieces = sp_source.encode(PROBES.get(source, PROBES["en"]), out_type=str)
    tokens = family.source_tokens(pieces, source, target, adds_eos=found.adds_eos)
    prefix = family.target_prefix(source, target)
    try:
        result = translator.translate_batch([tokens], target_prefix=[prefix] if prefix else None, beam_size=1,
                                            max_decoding_length=48)
    except Exception as exc:
        raise ModelPackageError(
            f"{shown}: the model loads but fails to translate {source}→{target} ({exc}). Its files do not fit "
            "together: download or convert the model again."
        ) from None
    text = sp_target.decode(family.clean_output(result[0].hypotheses[0], prefix)).strip()
    if not text:
        raise ModelPackageError(
            f"{shown}: the model translated the probe sentence ({source}→{target}) into nothing. The model or its "
            "tokenizer is damaged or they do not belong together: download or convert the model again."
        )
    return text
