"""BABELPRESS_TRANSLATION_ENGINES from the environment: the engines Babelpress ships, each configured
by its own variables, and engines it does not ship, given as JSON (docs/settings.md, "Translation").

    BABELPRESS_TRANSLATION_ENGINE=deepl,myengine,local
    BABELPRESS_TRANSLATION_ENGINES='{"myengine": {"CLASS": "mypackage.engines.MyEngine",
                                                  "OPTIONS": {"url": "http://127.0.0.1:9000"}}}'

``BABELPRESS_TRANSLATION_ENGINE`` names engines in preference order: built-in names or names
defined in ``BABELPRESS_TRANSLATION_ENGINES``; engines defined there and not named come last, in
the order written. An entry named like a built-in engine replaces it when it gives a ``CLASS``,
and otherwise adds its ``OPTIONS`` to the built-in one's.
"""

from __future__ import annotations

from pathlib import Path

from babelpress.settings.environment import env_bool, env_class_entries, env_int, env_list, env_str, invalid

ENGINE = "BABELPRESS_TRANSLATION_ENGINE"
ENGINES = "BABELPRESS_TRANSLATION_ENGINES"
EXAMPLE = '{"myengine": {"CLASS": "mypackage.engines.MyEngine", "OPTIONS": {"url": "http://127.0.0.1:9000"}}}'
BUILT_IN = ("local", "libretranslate", "deepl", "openai")


def built_in_engine(name: str, models_dir: Path) -> dict:
    """One shipped engine's settings from its BABELPRESS_* variables, so a deployment needs no code."""
    if name == "local":
        return {"CLASS": "babelpress.translation.engines.local.LocalEngine", "OPTIONS": {
            "models_dir": str(models_dir),
            "compute_type": env_str("BABELPRESS_LOCAL_COMPUTE_TYPE", "int8").strip(),
            "beam_size": env_int("BABELPRESS_LOCAL_BEAM_SIZE", 2, minimum=1),
            "intra_threads": env_int("BABELPRESS_LOCAL_THREADS", 0, minimum=0),
            "max_batch_size": env_int("BABELPRESS_LOCAL_BATCH_SIZE", 16, minimum=1),
            "max_decoding_length": env_int("BABELPRESS_LOCAL_MAX_DECODING_LENGTH", 256, minimum=1),
            "models": env_str("BABELPRESS_LOCAL_MODELS").strip(),
        }}
    if name == "libretranslate":
        return {"CLASS": "babelpress.translation.engines.libretranslate.LibreTranslateEngine", "OPTIONS": {
            "url": env_str("BABELPRESS_LIBRETRANSLATE_URL", "http://127.0.0.1:5000").strip(),
            "api_key": env_str("BABELPRESS_LIBRETRANSLATE_API_KEY"),
        }}
    if name == "deepl":
        url = env_str("BABELPRESS_DEEPL_URL").strip()
        return {"CLASS": "babelpress.translation.engines.deepl.DeepLEngine", "OPTIONS": {
            "api_key": env_str("BABELPRESS_DEEPL_API_KEY"),
            **({"url": url} if url else {}),
        }}
    if name == "openai":
        return {"CLASS": "babelpress.translation.engines.openai_compat.OpenAICompatibleEngine", "OPTIONS": {
            "url": env_str("BABELPRESS_OPENAI_URL", "http://127.0.0.1:8080/v1").strip(),
            "api_key": env_str("BABELPRESS_OPENAI_API_KEY"),
            "model": env_str("BABELPRESS_OPENAI_MODEL").strip(),
            "paid": env_bool("BABELPRESS_OPENAI_PAID", False),
        }}
    raise ValueError(f"not a built-in engine: {name!r}")


def translation_engines(models_dir: Path) -> dict[str, dict]:
    """{name: {"CLASS": dotted path, "OPTIONS": {...}}} in preference order."""
    defined = env_class_entries(ENGINES, EXAMPLE, built_in=BUILT_IN, singular="an engine", plural="engines",
                                class_example="mypackage.engines.MyEngine")
    order = env_list(ENGINE, "local")
    for name in order:
        if name not in BUILT_IN and name not in defined:
            raise invalid(
                ENGINE, ",".join(order),
                f"names {name!r}, which is neither a built-in engine ({', '.join(BUILT_IN)}) nor defined in {ENGINES}",
                "deepl,local",
            )
    engines = {}
    for name in dict.fromkeys([*order, *defined]):
        spec = defined.get(name, {})
        if "CLASS" in spec:
            engines[name] = {"CLASS": spec["CLASS"], "OPTIONS": dict(spec.get("OPTIONS", {}))}
        else:
            base = built_in_engine(name, models_dir)
            engines[name] = {"CLASS": base["CLASS"], "OPTIONS": {**base["OPTIONS"], **spec.get("OPTIONS", {})}}
    return engines
