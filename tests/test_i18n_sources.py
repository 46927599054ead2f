"""Every message in our Python and templates is in the catalogs: a string added to the admin or
the site without `makemessages` fails here, not on an Armenian editor's screen."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

import babelpress

PACKAGE = Path(babelpress.__file__).resolve().parent


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set[tuple]:
    # makemessages on a copy, so that the repository's catalogs are left as they are.
    copy = tmp_path_factory.mktemp("i18n") / "babelpress"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "locale_vendor", "static"))
    shutil.rmtree(copy / "locale")
    (copy / "locale" / "fr" / "LC_MESSAGES").mkdir(parents=True)
    subprocess.run(
        [sys.executable, "-P", "-m", "django", "makemessages", "-l", "fr", "--no-obsolete", "--no-location"],
        cwd=copy, check=True, capture_output=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "babelpress.settings.test",
             "PYTHONPATH": str(PACKAGE.parent)},
    )
    return {(e.msgctxt, e.msgid) for e in polib.pofile(str(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po"))}


def test_the_catalogs_hold_every_message_of_the_code(extracted):
    held = {(e.msgctxt, e.msgid) for e in polib.pofile(str(PACKAGE / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
            if not e.obsolete}
    missing = sorted(extracted - held, key=str)
    assert not missing, (
        f"{len(missing)} messages are not in the catalogs, e.g. {missing[:5]}: run `cd babelpress && "
        "python -P -m babelpress makemessages -l fr -l hy -l ru -l ar -l en --no-obsolete`, translate, compile")
