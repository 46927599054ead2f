"""The User-Agent Babelpress sends: to partners' sites (the importer) and to translation services.

One string, so that a partner's logs or a translation provider's support can tell who called and
where to find out more. The importer sends BABELPRESS_IMPORT_USER_AGENT instead when it is set.
"""

from __future__ import annotations

from babelpress import __version__

#: The product token: robots.txt rules are matched against it, whatever User-Agent is sent.
PRODUCT = "Babelpress"
USER_AGENT = f"{PRODUCT}/{__version__} (+https://github.com/babelpress)"
