#!/usr/bin/env python
"""Same as the `babelpress` command, for those used to manage.py."""
from babelpress.cli import main

if __name__ == "__main__":
    main()
