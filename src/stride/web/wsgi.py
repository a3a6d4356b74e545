"""WSGI entry point for production servers (gunicorn: docs/operations.md)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stride.web.settings")
django_application = get_wsgi_application()

from stride.web.operations.proxy import behind_proxy  # noqa: E402  (needs the settings)

#: Behind the TLS proxy, the client's address is the one the proxy forwarded.
application = behind_proxy(django_application)
