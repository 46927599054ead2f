"""The local model families: how each kind of CTranslate2 model is recognised on disk and fed.

Every family runs through the same engine code (sentence splitting, placeholders, batching,
chunking: ``engines/local.py``); a family only says which files it needs, which languages a model
serves, what the model is given around the SentencePiece pieces of a sentence and what to strip
from its output:

==========  ==================================  =============================================
family      tokenizer                           model input (for fr → hy)
==========  ==================================  =============================================
argos       sentencepiece.model                 pieces (target prefix from metadata.json)
opus-mt     source.spm in, target.spm out       pieces + </s>
nllb        sentencepiece.bpe.model             fra_Latn + pieces + </s>, target prefix hye_Armn
m2m100      sentencepiece.bpe.model / spm.model __fr__ + pieces + </s>, target prefix __hy__
madlad      sentencepiece.model / spiece.model  <2hy> + pieces + </s>
==========  ==================================  =============================================

(``</s>`` is not added when the model's config.json says ``add_source_eos``: CTranslate2 adds it.)
"""

from __future__ import annotations

from babelpress.translation import language_tokens

EOS = "</s>"
_SPECIAL = {EOS, "<s>", "<pad>"}


class ModelFamily:
    """One family. Bilingual families serve the one pair a model was made for; multilingual ones
    every ordered pair of the languages whose tokens their vocabulary holds."""

    name = ""
    label = ""
    multilingual = False
    #: Licence recorded when neither the model card nor ``--licence`` gives one.
    default_licence = ""
    #: SentencePiece file names, most usual first: (source side, target side); one name for both sides
    #: when the tuple has one entry per side that is the same.
    source_spm: tuple[str, ...] = ()
    target_spm: tuple[str, ...] = ()
    #: Where the CTranslate2 files are inside an installed model ("" = the model folder itself).
    ct2_subdir = ""
    #: A hint for a model of this family whose tokenizer is missing.
    spm_hint = ""

    def languages(self, vocabulary) -> dict[str, str]:
        """{ISO 639-1 code: language token} for a multilingual model's vocabulary."""
        return {}

    def token(self, language: str) -> str:
        return ""

    def source_tokens(self, pieces: list[str], source: str, target: str, *, adds_eos: bool) -> list[str]:
        return pieces + ([] if adds_eos else [EOS])

    def target_prefix(self, source: str, target: str, *, metadata_prefix: str = "") -> list[str]:
        return []

    def clean_output(self, tokens: list[str], prefix: list[str]) -> list[str]:
        """The output pieces without the target prefix, end markers and language tokens."""
        if prefix and tokens[: len(prefix)] == prefix:
            tokens = tokens[len(prefix):]
        own = set(self.languages(tokens).values())
        return [t for t in tokens if t not in _SPECIAL and t not in own]

    def __str__(self) -> str:
        return self.name


class Argos(ModelFamily):
    name, label = "argos", "Argos Translate package"
    source_spm = target_spm = ("sentencepiece.model",)
    ct2_subdir = "model"

    def source_tokens(self, pieces, source, target, *, adds_eos):
        return pieces  # Argos packages are run on bare pieces, as Argos Translate does

    def target_prefix(self, source, target, *, metadata_prefix=""):
        return [metadata_prefix] if metadata_prefix else []


class OpusMt(ModelFamily):
    name, label = "opus-mt", "OPUS-MT (Marian)"
    default_licence = "CC-BY-4.0"
    source_spm, target_spm = ("source.spm",), ("target.spm",)
    spm_hint = ("OPUS-MT models need both source.spm and target.spm: copy them from the original model "
                "(e.g. Helsinki-NLP/opus-mt-en-hy) into the folder, or convert with "
                "`ct2-transformers-converter --copy_files source.spm target.spm`.")


class Nllb(ModelFamily):
    name, label, multilingual = "nllb", "NLLB-200", True
    default_licence = "CC-BY-NC-4.0"
    source_spm = target_spm = ("sentencepiece.bpe.model", "spm.model")
    spm_hint = ("copy sentencepiece.bpe.model from the original model (e.g. facebook/nllb-200-distilled-600M) "
                "into the folder, or convert with `ct2-transformers-converter --copy_files sentencepiece.bpe.model`.")

    def languages(self, vocabulary):
        return language_tokens.nllb_languages(vocabulary)

    def token(self, language):
        return language_tokens.flores_code(language) or ""

    def source_tokens(self, pieces, source, target, *, adds_eos):
        return [self.token(source)] + super().source_tokens(pieces, source, target, adds_eos=adds_eos)

    def target_prefix(self, source, target, *, metadata_prefix=""):
        return [self.token(target)]


class M2m100(Nllb):
    name, label = "m2m100", "M2M-100"
    default_licence = "MIT"
    spm_hint = ("copy sentencepiece.bpe.model from the original model (e.g. facebook/m2m100_418M) into the "
                "folder, or convert with `ct2-transformers-converter --copy_files sentencepiece.bpe.model`.")

    def languages(self, vocabulary):
        return language_tokens.m2m100_languages(vocabulary)

    def token(self, language):
        return language_tokens.m2m100_token(language)


class Madlad(ModelFamily):
    name, label, multilingual = "madlad", "MADLAD-400", True
    default_licence = "Apache-2.0"
    source_spm = target_spm = ("sentencepiece.model", "spiece.model")
    spm_hint = ("copy spiece.model from the original model (e.g. google/madlad400-3b-mt) into the folder, or "
                "convert with `ct2-transformers-converter --copy_files spiece.model`.")

    def languages(self, vocabulary):
        return language_tokens.madlad_languages(vocabulary)

    def token(self, language):
        return language_tokens.madlad_token(language)

    def source_tokens(self, pieces, source, target, *, adds_eos):
        # T5-style: the target language is asked for in the source; the decoder starts unprompted.
        return [self.token(target)] + super().source_tokens(pieces, source, target, adds_eos=adds_eos)


FAMILIES: dict[str, ModelFamily] = {f.name: f for f in (Argos(), OpusMt(), Nllb(), M2m100(), Madlad())}
MULTILINGUAL = tuple(f for f in FAMILIES.values() if f.multilingual)


def get(name: str) -> ModelFamily:
    try:
        return FAMILIES[name]
    except KeyError:
        raise KeyError(f"unknown model family {name!r}; known: {', '.join(FAMILIES)}") from None


def recognise(vocabulary, files: set[str], names=()) -> ModelFamily | None:
    """The family of a CTranslate2 folder from its vocabulary, its file names and what it is
    called, or None.

    Multilingual families are told apart by their language tokens (at least two that Babelpress
    knows); a folder without such tokens that has source.spm or target.spm, or is called
    "opus-mt-…", is OPUS-MT.
    """
    for family in MULTILINGUAL:
        if len(family.languages(vocabulary)) >= 2:
            return family
    if files & {"source.spm", "target.spm"} or any("opus-mt" in name.lower() for name in names):
        return FAMILIES["opus-mt"]
    return None
