import os

from django.core.wsgi import get_wsgi_application

# No DJANGO_SETTINGS_MODULE means production: a forgotten variable must not serve with
# DEBUG on and the built-in key. ./agora chooses the local settings explicitly.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()
