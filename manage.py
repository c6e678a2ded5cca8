#!/usr/bin/env python
"""Django's command-line utility for the platform."""

import os
import sys
from pathlib import Path


def main():
    # platform/ is a plain source folder, not a package: adding it to the path makes
    # its apps (config, columns, ...) importable while `import platform` still finds
    # Python's standard library module.
    sys.path.insert(1, str(Path(__file__).resolve().parent / "platform"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
