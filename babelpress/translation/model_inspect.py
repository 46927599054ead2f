"""Looking at a CTranslate2 model folder before installing it: which family, which languages,
which tokenizer files, which licence — or what is wrong with it and how to put it right.

Nothing here runs the model; ``model_install`` loads it and translates a probe sentence after.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from babelpress.translation import model_families
from babelpress.translation.model_cards import card_licence, opus_pair
from babelpress.translation.model_families import ModelFamily
from babelpress.translation.model_files import (
    CT2_WEIGHTS,
    ct2_config,
    expected_vocabulary_sizes,
    read_vocabulary,
    vocabulary_files,
)
from babelpress.translation.models_folder import ModelPackageError

_HF_WEIGHTS = ("pytorch_model.bin", "model.safetensors", "tf_model.h5", "flax_model.msgpack")
_MIN_SHARED_PIECES = 0.6
_OPUS_MULTI_TARGET = re.compile(r"^>>[a-z_]{2,8}<<$")


@dataclass(frozen=True)
class Inspected:
    """What a model folder is: enough to validate it and write its manifest."""

    root: Path
    family: ModelFamily
    languages: tuple[str, ...]
    pairs: tuple[tuple[str, str], ...]
    source_spm: str
    target_spm: str
    card_licence: str
    adds_eos: bool


def model_root(folder: Path, shown: str) -> Path:
    """The folder holding model.bin: ``folder`` itself or one folder inside it."""
    if (folder / CT2_WEIGHTS).is_file():
        return folder
    found = [p.parent for p in folder.rglob(CT2_WEIGHTS) if p.is_file() and len(p.relative_to(folder).parts) <= 3]
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise ModelPackageError(
            f"{shown} holds {len(found)} models ({', '.join(str(p.relative_to(folder)) for p in found[:4])}). "
            "Install them one at a time: give the folder of each."
        )
    names = {p.name for p in folder.rglob("*") if p.is_file()}
    if names & set(_HF_WEIGHTS):
        how = ("a Hugging Face Transformers model, not yet converted for CTranslate2. Convert it (no GPU needed): "
               "`ct2-transformers-converter --model FOLDER --output_dir OUT --copy_files source.spm target.spm` "
               "(OPUS-MT) or `--copy_files sentencepiece.bpe.model` (NLLB-200, M2M-100), then install OUT.")
    elif "decoder.yml" in names or any(n.endswith(".npz") for n in names):
        how = ("an original Marian/OPUS-MT model, not yet converted for CTranslate2. Convert it: "
               "`ct2-opus-mt-converter --model_dir FOLDER --output_dir OUT`, copy source.spm and target.spm into "
               "OUT, then install OUT.")
    else:
        how = ("not a CTranslate2 model folder. A model folder holds model.bin, config.json, a vocabulary "
               "(shared_vocabulary.json) and its SentencePiece files; give that folder, or a .zip/.tar.gz of it.")
    raise ModelPackageError(f"{shown}: no model.bin found: {how}")


def _vocabularies(root: Path, shown: str) -> tuple[list[str], list[str]]:
    files = vocabulary_files(root)
    if files is None:
        raise ModelPackageError(
            f"{shown}: missing vocabulary next to model.bin (shared_vocabulary.json or .txt, or "
            "source_vocabulary + target_vocabulary). Copy the vocabulary files the converter wrote with this "
            "model.bin, or convert the model again."
        )
    source = read_vocabulary(files[0])
    target = source if files[1] == files[0] else read_vocabulary(files[1])
    want_source, want_target = expected_vocabulary_sizes(root / CT2_WEIGHTS)
    for side, tokens, wanted, path in (("source", source, want_source, files[0]),
                                       ("target", target, want_target, files[1])):
        if wanted is not None and len(tokens) != wanted:
            raise ModelPackageError(
                f"{shown}: wrong vocabulary: {path.name} has {len(tokens)} tokens but model.bin was made for "
                f"{wanted} ({side} side). The vocabulary belongs to another model: copy the one the converter "
                "wrote with this model.bin, or convert the model again."
            )
    return source, target


def _spm(root: Path, names: tuple[str, ...], family: ModelFamily, shown: str) -> str:
    for name in names:
        if (root / name).is_file():
            return name
    raise ModelPackageError(
        f"{shown}: this {family.label} model has no tokenizer: missing {' or '.join(names)}. {family.spm_hint}"
    )


def _check_tokenizer(root: Path, spm: str, vocabulary: list[str], shown: str) -> None:
    import sentencepiece

    try:
        sp = sentencepiece.SentencePieceProcessor(model_file=str(root / spm))
    except Exception as exc:
        raise ModelPackageError(
            f"{shown}: {spm} cannot be loaded ({exc}): the file is damaged or not a SentencePiece model. "
            "Copy it again from the original model."
        ) from None
    pieces = [sp.id_to_piece(i) for i in range(sp.get_piece_size())
              if not (sp.is_control(i) or sp.is_unknown(i) or sp.is_byte(i))]
    known = set(vocabulary)
    shared = sum(piece in known for piece in pieces) / max(len(pieces), 1)
    if shared < _MIN_SHARED_PIECES:
        raise ModelPackageError(
            f"{shown}: {spm} does not match the vocabulary: only {shared:.0%} of its pieces are in it. The "
            "tokenizer and the vocabulary come from different models: copy the .spm/.model files of this very "
            "model next to its model.bin."
        )


def _languages(family: ModelFamily, root: Path, source_vocab, shown: str, names: tuple[str, ...], pair):
    if family.multilingual:
        if pair:
            raise ModelPackageError(
                f"{shown} is a multilingual {family.label} model: it serves every pair of its languages, so --pair "
                "does not apply. To choose it for a pair, run `babelpress translation prefer en-hy NAME` after "
                "installing."
            )
        return tuple(sorted(family.languages(source_vocab))), ()
    if any(_OPUS_MULTI_TARGET.match(t) for t in source_vocab[:2000]):
        raise ModelPackageError(
            f"{shown} is a multi-target OPUS-MT model (its vocabulary has >>lang<< tokens), which the local engine "
            "does not run. Install a model made for one pair, e.g. opus-mt-en-hy."
        )
    found = pair or opus_pair(*names, readme=root / "README.md")
    if not found:
        raise ModelPackageError(
            f"{shown}: cannot tell which languages this OPUS-MT model translates: its name does not say "
            "(e.g. opus-mt-en-hy) and it has no model card saying so. Pass the pair: --pair en-hy."
        )
    return tuple(dict.fromkeys(found)), (tuple(found),)


def inspect(folder: Path, *, names: tuple[str, ...], pair: tuple[str, str] | None = None) -> Inspected:
    """Describe the model in ``folder`` (or one folder inside it). ``names``: what it was called
    (archive and folder names, for messages and OPUS-MT languages); ``pair`` forces the pair."""
    shown = names[0] if names else folder.name
    root = model_root(folder, shown)
    source_vocab, target_vocab = _vocabularies(root, shown)
    files = {p.name for p in root.iterdir()}
    family = model_families.recognise(source_vocab, files, names + (root.name,))
    if family is None:
        raise ModelPackageError(
            f"{shown}: unknown model family. Babelpress runs CTranslate2 models of these families: OPUS-MT "
            "(source.spm and target.spm next to model.bin), NLLB-200 (language tokens like hye_Armn in the "
            "vocabulary, sentencepiece.bpe.model), M2M-100 (tokens like __hy__, sentencepiece.bpe.model), "
            "MADLAD-400 (tokens like <2hy>, sentencepiece.model), and Argos packages (.argosmodel). "
            f"This folder has: {', '.join(sorted(files))}."
        )
    source_spm = _spm(root, family.source_spm, family, shown)
    target_spm = _spm(root, family.target_spm, family, shown)
    _check_tokenizer(root, source_spm, source_vocab, shown)
    if target_spm != source_spm:
        _check_tokenizer(root, target_spm, target_vocab, shown)
    languages, pairs = _languages(family, root, source_vocab, shown, names, pair)
    if family.multilingual and len(languages) < 2:
        raise ModelPackageError(
            f"{shown}: a {family.label} model, but fewer than two of its languages are ones Babelpress knows "
            f"({', '.join(languages) or 'none'}); it cannot translate any pair here."
        )
    return Inspected(root=root, family=family, languages=languages, pairs=pairs, source_spm=source_spm,
                     target_spm=target_spm, card_licence=card_licence(root / "README.md"),
                     adds_eos=bool(ct2_config(root).get("add_source_eos")))
