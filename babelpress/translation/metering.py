"""Metering paid engines: characters counted against the month before they are sent, and given
back when the call fails. A cap in ``BABELPRESS_TRANSLATION_MONTHLY_CAPS`` makes a job wait
(``CapReached``) instead of spending; the *Engine usage* admin page shows the counts.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from babelpress.translation.models import EngineUsage


class CapReached(Exception):
    """A paid engine reached its monthly character cap: the job waits instead of spending."""


def month() -> str:
    return timezone.now().strftime("%Y-%m")


def reserve(engine, characters: int) -> str | None:
    """Count ``characters`` against a paid engine's month before sending them; CapReached past the cap.

    One conditional UPDATE checks and counts at once, so two workers cannot both slip under the
    cap. Returns the month charged (for ``refund``), or None for engines that are not metered.
    """
    if not getattr(engine, "paid", False):
        return None
    charged = month()
    usage, _ = EngineUsage.objects.get_or_create(engine=engine.name, month=charged)
    cap = settings.BABELPRESS_TRANSLATION_MONTHLY_CAPS.get(engine.name)
    room = EngineUsage.objects.filter(pk=usage.pk)
    if cap is not None:
        room = room.filter(characters__lte=cap - characters)
    if not room.update(characters=F("characters") + characters, requests=F("requests") + 1):
        used = EngineUsage.objects.filter(pk=usage.pk).values_list("characters", flat=True).first() or 0
        raise CapReached(
            f"{engine.name} has used {used} of its {cap} characters this month; this job needs "
            f"{characters} more. It will run next month, or raise BABELPRESS_TRANSLATION_MONTHLY_CAPS."
        )
    return charged


def refund(engine, characters: int, charged: str | None) -> None:
    """Give back a reservation whose call failed: failures cost nothing."""
    if charged is not None:
        EngineUsage.objects.filter(engine=engine.name, month=charged).update(
            characters=F("characters") - characters, requests=F("requests") - 1
        )
