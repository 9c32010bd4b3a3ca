"""Requests from another address on this machine: Linux answers every 127.x.y.z on the
loopback interface, so 127.0.0.2 can play a load balancer in front of nginx (127.0.0.1)."""

import requests
from requests.adapters import HTTPAdapter

LOAD_BALANCER = "127.0.0.2"


class FromAddress(HTTPAdapter):
    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs) -> None:
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def session_from(address: str, session: requests.Session | None = None) -> requests.Session:
    """`session` (a new one by default), its connections made from `address`."""
    session = session or requests.Session()
    session.mount("http://", FromAddress(address))
    session.mount("https://", FromAddress(address))
    return session
