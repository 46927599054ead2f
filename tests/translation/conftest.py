"""Tiny real Argos packages for the local engine, built once per test session (well under a second)."""

from __future__ import annotations

import pytest

from babelpress.translation.models_store import install_package
from babelpress.translation.testing import build_tiny_argos_package

TINY_PAIRS = [("en", "fr"), ("fr", "en"), ("en", "hy")]


@pytest.fixture(scope="session")
def tiny_packages(tmp_path_factory):
    """{(from, to): Path to a .argosmodel file} for en→fr, fr→en and en→hy."""
    folder = tmp_path_factory.mktemp("argos-packages")
    return {pair: build_tiny_argos_package(folder, *pair) for pair in TINY_PAIRS}


@pytest.fixture(scope="session")
def tiny_models_dir(tmp_path_factory, tiny_packages):
    """A models folder with the tiny packages installed through install_package. Treat as read-only."""
    models_dir = tmp_path_factory.mktemp("models")
    for archive in tiny_packages.values():
        install_package(archive, models_dir)
    return models_dir
