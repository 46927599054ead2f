"""Signals the newsroom sends beside Django's own model signals.

``article_went_live`` (sender: ``Article``, argument ``article``): a scheduled article's time has
come and readers can now see it. The save that scheduled it sent ``post_save`` while the article
was not yet live, so receivers that act on publication (translation queues its jobs) wait for this
one. It is sent once per scheduled publication by ``scheduling.publish_due`` (the worker), inside
the transaction that marks the article as announced: a receiver that writes to the database writes
in that transaction, so its work is done exactly once — a failure rolls both back and the next
turn tries again. A publication that is live at once (no time, or a past one) sends only
``post_save``, as before.
"""

from django.dispatch import Signal

article_went_live = Signal()
