#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    # No DJANGO_SETTINGS_MODULE means production: a forgotten variable must not serve with
    # DEBUG on and the built-in key. ./agora chooses the local settings explicitly.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
