"""The WSGI application, as gunicorn loads it (`babelpress serve`: once, in the master, which then forks
its workers: ``--preload``).

Loading opens no database connection today; closing them all here keeps it so, since a connection
shared by forked workers would mix their conversations with the server. Freezing what loading made
keeps it out of the workers' garbage collections, which would otherwise write to (and so copy) the
memory pages they share with the master.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.db import connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "babelpress.settings.base")
application = get_wsgi_application()
connections.close_all()
gc.freeze()
