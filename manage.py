#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    """Run administrative tasks."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collegium.settings")
    _local_environment()
    try:
        from django.core.management import execute_from_command_line
    except ImportError as exc:
        raise ImportError(
            "Couldn't import Django. Are you sure it's installed and "
            "available on your PYTHONPATH environment variable? Did you "
            "forget to activate a virtual environment?"
        ) from exc
    execute_from_command_line(sys.argv)


def _local_environment():
    """A development checkout's `.env` (written by `make demo`: DEBUG=1) for commands typed by
    hand; variables already in the environment win. Servers and tests never read it."""
    from pathlib import Path

    env = Path(__file__).resolve().parent / ".env"
    if env.is_file():
        from dotenv import load_dotenv

        load_dotenv(env, override=False)


if __name__ == "__main__":
    main()
