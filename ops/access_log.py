"""gunicorn's access log with the client's address as the site reads it (ops.clients).

`%(h)s` is the peer (nginx, on every line) and `%({x-forwarded-for}i)s` whatever the client
chose to send before the proxies' entries; `%(client)s` is the address the trusted proxies
wrote (DJANGO_TRUSTED_PROXY_COUNT), the one the rate limits and the login throttle use.
"""

from gunicorn.glogging import Logger

from ops.clients import client_address_of


class ClientAddressLogger(Logger):
    def atoms(self, resp, req, environ, request_time) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["client"] = client_address_of(environ)
        return atoms
