"""Tiny but real Argos packages for tests and benchmarks, built in milliseconds.

``build_tiny_argos_package`` trains a small SentencePiece model on generated text and fills a
1-layer CTranslate2 Transformer with random weights. The model runs through exactly the same
code as a real package (tokenize → CTranslate2 → detokenize); its output is gibberish. Nothing
is downloaded and no model file is committed: the packages are built when needed.
"""

from __future__ import annotations

import io
import json
import random
import tempfile
import zipfile
import zlib
from pathlib import Path

import numpy as np

from babelpress.translation.language_tokens import flores_code, m2m100_token, madlad_token

# Small word lists so the tokenizer learns real-looking pieces in each script.
_WORDS = {
    "en": "the a news story city council vote today minister said people market price school water "
    "report government election week new year police court health workers strike rain river".split(),
    "fr": "le la les une nouvelle ville conseil vote aujourd'hui ministre a dit gens marché prix école "
    "eau rapport gouvernement élection semaine année police tribunal santé grève pluie fleuve été".split(),
    "hy": "լուր քաղաք խորհուրդ քվեարկություն այսօր նախարար ասաց մարդիկ շուկա գին դպրոց ջուր "
    "կառավարություն ընտրություն շաբաթ տարի ոստիկանություն դատարան առողջություն անձրև գետ".split(),
    "ru": "новости город совет голосование сегодня министр сказал люди рынок цена школа вода доклад "
    "правительство выборы неделя год полиция суд здоровье забастовка дождь река".split(),
    "ar": "أخبار مدينة مجلس تصويت اليوم وزير قال الناس سوق سعر مدرسة ماء تقرير حكومة انتخابات أسبوع "
    "سنة شرطة محكمة صحة إضراب مطر نهر".split(),
}
_FALLBACK_SYLLABLES = "ka lo mi ne ta ru si po de an el or is um ve".split()


def _lines(lang: str, rng: random.Random, count: int) -> list[str]:
    words = _WORDS.get(lang) or [
        "".join(rng.choice(_FALLBACK_SYLLABLES) for _ in range(rng.randint(1, 3))) for _ in range(30)
    ]
    end = "։" if lang == "hy" else "."
    out = []
    for _ in range(count):
        sentence = " ".join(rng.choice(words) for _ in range(rng.randint(3, 12)))
        out.append(sentence[0].upper() + sentence[1:] + rng.choice([end, end, ",", "?", " 12", "!"]))
    return out


def _train_sentencepiece(lines: list[str], vocab_size: int, user_defined_symbols=()) -> bytes:
    import sentencepiece as spm

    # Byte fallback reserves 256 pieces, plus 3 specials and every character seen: keep room for words.
    needed = 256 + 3 + len(user_defined_symbols) + len(set("".join(lines)) - {" "}) + 40
    vocab_size = max(vocab_size, needed)
    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=buffer,
        vocab_size=vocab_size,
        model_type="unigram",
        # Byte fallback means any character (emoji, unseen scripts) still encodes, as in real Argos models.
        byte_fallback=True,
        character_coverage=1.0,
        # Our corpus is tiny: let the trainer shrink the vocabulary instead of failing.
        hard_vocab_limit=False,
        num_threads=1,
        minloglevel=2,
        **({"user_defined_symbols": list(user_defined_symbols)} if user_defined_symbols else {}),
    )
    return buffer.getvalue()


def _output_bias(vocab: list[str], d_model: int, suppress, eos_bias: float | None) -> np.ndarray:
    bias = np.zeros(len(vocab), np.float32)
    for i, piece in enumerate(vocab):
        # Never emit <unk>/<s> or raw bytes: outputs stay decodable text.
        if piece in ("<unk>", "<s>", *suppress) or (piece.startswith("<0x") and piece.endswith(">")):
            bias[i] = -20.0
    # Lean towards </s> so outputs stay a few tokens long (fast tests) instead of looping to
    # max_decoding_length. Logits grow like sqrt(d_model), so the push does too.
    bias[vocab.index("</s>")] = float(np.sqrt(d_model)) if eos_bias is None else eos_bias
    return bias


def _build_ct2_model(
    vocab: list[str], out_dir: Path, seed: int, *, layers: int = 1, heads: int = 2, d_model: int = 16, ffn: int = 32,
    config: dict | None = None, suppress=(), eos_bias: float | None = None,
) -> None:
    from ctranslate2.specs import transformer_spec

    rng = np.random.default_rng(seed)
    size = len(vocab)

    def rand(*shape, scale=0.2):
        return (rng.standard_normal(shape) * scale).astype(np.float32)

    def norm(spec):
        spec.gamma = np.ones(d_model, np.float32)
        spec.beta = np.zeros(d_model, np.float32)

    def linear(spec, out_dim, in_dim):
        # CTranslate2 stores linear weights as [out, in].
        spec.weight = rand(out_dim, in_dim)
        spec.bias = rand(out_dim, scale=0.02)

    spec = transformer_spec.TransformerSpec.from_config(num_layers=layers, num_heads=heads)
    encoder, decoder = spec.encoder, spec.decoder
    encoder.embeddings[0].weight = rand(size, d_model, scale=1.0)
    norm(encoder.layer_norm)
    for layer in encoder.layer:
        norm(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], 3 * d_model, d_model)  # fused Q, K, V
        linear(layer.self_attention.linear[1], d_model, d_model)
        norm(layer.ffn.layer_norm)
        linear(layer.ffn.linear_0, ffn, d_model)
        linear(layer.ffn.linear_1, d_model, ffn)
    decoder.embeddings.weight = rand(size, d_model, scale=1.0)
    norm(decoder.layer_norm)
    for layer in decoder.layer:
        norm(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], 3 * d_model, d_model)
        linear(layer.self_attention.linear[1], d_model, d_model)
        norm(layer.attention.layer_norm)
        linear(layer.attention.linear[0], d_model, d_model)  # query
        linear(layer.attention.linear[1], 2 * d_model, d_model)  # fused K, V over the encoder output
        linear(layer.attention.linear[2], d_model, d_model)
        norm(layer.ffn.layer_norm)
        linear(layer.ffn.linear_0, ffn, d_model)
        linear(layer.ffn.linear_1, d_model, ffn)
    decoder.projection.weight = rand(size, d_model, scale=0.5)
    decoder.projection.bias = _output_bias(vocab, d_model, suppress, eos_bias)

    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    for key, value in (config or {}).items():
        setattr(spec.config, key, value)
    spec.validate()
    spec.optimize(quantization="float32")
    spec.save(str(out_dir))


def build_tiny_argos_package(
    dest_dir: str | Path,
    from_code: str,
    to_code: str,
    *,
    version: str = "1.0",
    seed: int | None = None,
    vocab_size: int = 300,
    layers: int = 1,
    heads: int = 2,
    d_model: int = 16,
    ffn: int = 32,
    metadata_extra: dict | None = None,
) -> Path:
    """Build ``<dest_dir>/translate-<from>_<to>-<version>.argosmodel`` and return its path.

    Same seed (default: derived from the pair and version) → byte-identical model weights.
    Bigger ``d_model``/``layers`` give a slower model for benchmarks.
    """
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    if seed is None:
        seed = zlib.crc32(f"{from_code}-{to_code}-{version}".encode())
    rng = random.Random(seed)
    # One tokenizer for both sides, as in Argos packages (shared vocabulary).
    lines = _lines(from_code, rng, 200) + _lines(to_code, rng, 200)
    sp_bytes = _train_sentencepiece(lines, vocab_size)

    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_proto=sp_bytes)
    vocab = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]

    top = f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"
    metadata = {
        "package_version": version,
        "argos_version": "1.9.0",
        "from_code": from_code,
        "from_name": from_code,
        "to_code": to_code,
        "to_name": to_code,
        "type": "translate",
        **(metadata_extra or {}),
    }
    archive = dest_dir / f"{top}.argosmodel"
    with tempfile.TemporaryDirectory(prefix="tiny-argos-") as tmp:
        model_dir = Path(tmp) / "model"
        model_dir.mkdir()
        _build_ct2_model(vocab, model_dir, seed, layers=layers, heads=heads, d_model=d_model, ffn=ffn)
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            zf.writestr(f"{top}/", "")
            zf.writestr(f"{top}/metadata.json", json.dumps(metadata, indent=2))
            readme = f"Tiny random {from_code}→{to_code} model for tests. Output is gibberish.\n"
            zf.writestr(f"{top}/README.md", readme)
            zf.writestr(f"{top}/sentencepiece.model", sp_bytes)
            for path in sorted(model_dir.iterdir()):
                zf.write(path, f"{top}/model/{path.name}")
    return archive


# --- CTranslate2 model folders of the other families ------------------------------------------------------


def _seed(*parts) -> int:
    return zlib.crc32("-".join(map(str, parts)).encode())


def _pieces(sp_bytes: bytes) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_proto=sp_bytes)
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


def build_tiny_opus_mt_model(
    dest_dir: str | Path, source: str, target: str, *, name: str | None = None, licence: str | None = "apache-2.0",
    add_source_eos: bool = False, seed: int | None = None,
) -> Path:
    """Build ``<dest_dir>/opus-mt-<source>-<target>/`` as ``ct2-transformers-converter`` writes an
    OPUS-MT model: model.bin, config.json, shared_vocabulary.json, source.spm, target.spm and a
    model card README.md (front matter ``license:`` unless ``licence`` is None). Returns the folder."""
    seed = _seed("opus-mt", source, target) if seed is None else seed
    rng = random.Random(seed)
    source_spm = _train_sentencepiece(_lines(source, rng, 200), 300)
    target_spm = _train_sentencepiece(_lines(target, rng, 200), 300)
    # Marian's joint vocabulary: the source pieces, then the target pieces not already there.
    vocab = list(dict.fromkeys(_pieces(source_spm) + _pieces(target_spm)))
    folder = Path(dest_dir) / (name or f"opus-mt-{source}-{target}")
    folder.mkdir(parents=True, exist_ok=True)
    _build_ct2_model(vocab, folder, seed, config={"add_source_eos": add_source_eos, "decoder_start_token": "</s>"},
                     eos_bias=0.0)
    (folder / "source.spm").write_bytes(source_spm)
    (folder / "target.spm").write_bytes(target_spm)
    front = f"---\nlicense: {licence}\ntags:\n- translation\n---\n" if licence else ""
    (folder / "README.md").write_text(
        f"{front}### opus-mt-{source}-{target}\n\n* source languages: {source}\n* target languages: {target}\n"
        "\nTiny random model for tests. Output is gibberish.\n", encoding="utf-8")
    return folder


#: family → (language token of a code, SentencePiece file name, name of the folder)
_MULTILINGUAL = {
    "nllb": (lambda c: flores_code(c), "sentencepiece.bpe.model", "nllb-200-tiny"),
    "m2m100": (lambda c: m2m100_token(c), "sentencepiece.bpe.model", "m2m100-tiny"),
    "madlad": (lambda c: madlad_token(c), "sentencepiece.model", "madlad400-tiny"),
}


def build_tiny_multilingual_model(
    dest_dir: str | Path, family: str, languages=("en", "fr", "hy", "ru"), *, name: str | None = None,
    licence: str | None = None, seed: int | None = None,
) -> Path:
    """Build a tiny NLLB-200, M2M-100 or MADLAD-400 style CTranslate2 folder whose vocabulary (and
    SentencePiece model, as user-defined symbols) holds the family's token of each language
    ("hye_Armn", "__hy__", "<2hy>"). Returns the folder."""
    token_of, spm_name, default_name = _MULTILINGUAL[family]
    seed = _seed(family, *languages) if seed is None else seed
    rng = random.Random(seed)
    tokens = [token_of(code) for code in languages]
    lines = [line for code in languages for line in _lines(code, rng, 120)]
    sp_bytes = _train_sentencepiece(lines, 300, user_defined_symbols=tokens)
    vocab = _pieces(sp_bytes)
    folder = Path(dest_dir) / (name or default_name)
    folder.mkdir(parents=True, exist_ok=True)
    # No push towards </s>: a random model then never stops at once (an empty probe), and runs to the
    # decoding limit, which is short in tests.
    _build_ct2_model(vocab, folder, seed, suppress=tokens, config={"decoder_start_token": "</s>"}, eos_bias=0.0)
    (folder / spm_name).write_bytes(sp_bytes)
    if licence:
        (folder / "README.md").write_text(f"---\nlicense: {licence}\n---\nTiny random {family} model.\n")
    return folder


def archive_folder(folder: Path, dest: Path, *, top: str | None = None) -> Path:
    """Zip or tar (by ``dest``'s suffix: .zip, .tar, .tar.gz, .tgz) a model folder under one top folder."""
    top = folder.name if top is None else top
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    if dest.name.endswith(".zip"):
        with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            for path in files:
                zf.write(path, f"{top}/{path.relative_to(folder).as_posix()}" if top else path.name)
        return dest
    import tarfile

    mode = "w:gz" if dest.name.endswith((".tar.gz", ".tgz")) else "w"
    with tarfile.open(dest, mode) as tf:
        for path in files:
            tf.add(path, f"{top}/{path.relative_to(folder).as_posix()}" if top else path.name)
    return dest


def rezip(src: Path, dest: Path, *, rename=None, drop=(), add: dict[str, bytes] | None = None) -> Path:
    """Copy an .argosmodel, optionally renaming, dropping or adding entries (for refusal tests)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w") as zout:
        for info in zin.infolist():
            if info.filename in drop:
                continue
            name = rename(info.filename) if rename else info.filename
            zout.writestr(name, zin.read(info))
        for name, data in (add or {}).items():
            zout.writestr(name, data)
    return dest


__all__ = [
    "archive_folder", "build_tiny_argos_package", "build_tiny_multilingual_model", "build_tiny_opus_mt_model", "rezip",
]
