"""`babelpress worker`: runs background jobs (translation, imports, feed polling).

A thin wrapper over django-tasks-db's db_worker so the operator needs one name to remember. Beside
it, three threads: one queues a poll job for every followed feed that is due, once a minute (see
babelpress/ingest/polling.py); one queues again the translation jobs whose worker died (their
lease ran out, see babelpress/translation/leases.py), every BABELPRESS_TRANSLATION_HEARTBEAT_SECONDS;
one announces the scheduled articles whose time has come (babelpress/newsroom/scheduling.py), every
BABELPRESS_PUBLICATION_CHECK_SECONDS. With --batch all happen once, before the queued jobs run.
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the background job worker (Ctrl-C to stop; jobs in progress are finished first)."

    def add_arguments(self, parser):
        parser.add_argument("--queue", default="*", help="Queues to process, comma-separated; '*' for all (default).")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls when idle.")
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then exit.")
        parser.add_argument("--max-tasks", type=int, default=None, help="Exit after this many jobs.")
        parser.add_argument("--no-feeds", action="store_true",
                            help="Do not queue feed polls from this worker (when another worker does).")

    def handle(self, *args, **options):
        from babelpress.core.periodic import Periodic
        from babelpress.ingest import polling
        from babelpress.newsroom.scheduling import publish_due
        from babelpress.translation.tasks import recover_stale_jobs

        # A worker that died mid-job left it "running": queue it again once its lease has run out —
        # now, and from then on while this worker runs (another worker may die at any time).
        recovered = recover_stale_jobs()
        if recovered:
            self.stdout.write(f"Queued again {recovered} job(s) left running by a stopped worker.")
        # Scheduled stories whose time came while no worker ran: announced now, then as they fall due.
        published = publish_due()
        if published:
            self.stdout.write(f"Published {len(published)} scheduled article(s) whose time had come.")
        threads = []
        if not options["batch"]:
            every = settings.BABELPRESS_TRANSLATION_HEARTBEAT_SECONDS
            threads.append(Periodic("job-recovery", recover_stale_jobs, every))
            threads.append(Periodic("publication", publish_due, settings.BABELPRESS_PUBLICATION_CHECK_SECONDS))
        if not options["no_feeds"]:
            if options["batch"]:
                queued = polling.enqueue_due_feeds()
                if queued:
                    self.stdout.write(f"Queued {queued} due feed poll(s).")
            else:
                threads.append(polling.FeedScheduler())
        for thread in threads:
            thread.start()
        kwargs = {"queue_name": options["queue"], "interval": options["interval"], "reload": False}
        if options["batch"]:
            kwargs["batch"] = True
        if options["max_tasks"]:
            kwargs["max_tasks"] = options["max_tasks"]
        try:
            call_command("db_worker", **kwargs)
        finally:
            for thread in threads:
                thread.stop()
