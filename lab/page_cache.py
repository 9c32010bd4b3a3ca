"""The cache_page leak, live: two simulated visitors of a per-visitor page.

The page is a real view that greets the visitor by name. The visitors are two customers of
the lab's demo shop (the lab's own data), each identified by a signed cookie, as a session
cookie would identify a user. Each variant wraps the view with Django's own decorators on a
real cache backend, and the requests go through them exactly as a browser's would: the
cache middleware that `cache_page` applies decides whether the view runs.

- cache_page alone: the cache key is the URL. The cookie is not part of it, so the second
  visitor is served the first visitor's page.
- with vary_on_cookie: `Vary: Cookie` makes the cookie part of the key: one copy per visitor.
- with cache_control(private=True): Django's cache middleware never stores a private response,
  so every request runs the view (a browser may still keep its own copy).
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.views.decorators.cache import cache_control, cache_page
from django.views.decorators.vary import vary_on_cookie

from lab.metering import Meter
from lab.models import Customer

VISITOR_COOKIE = "lab_demo_visitor"
SIGNING_SALT = "lab.page_cache.visitor"
PAGE_PATH = "/lab/demo/account/"
PAGE_SECONDS = 30  # each run uses fresh keys; these expire soon after
SHOWN_HEADERS = {"cache_control": "Cache-Control", "expires": "Expires", "vary": "Vary"}


def account_page(request: HttpRequest) -> HttpResponse:
    """A page for one visitor: their name and how many orders they placed."""
    customer_id = signing.loads(request.COOKIES[VISITOR_COOKIE], salt=SIGNING_SALT)
    customer = Customer.objects.annotate(order_count=Count("orders")).get(pk=customer_id)
    return HttpResponse(render_to_string("lab/demo/account.html", {"customer": customer}))


View = Callable[[HttpRequest], HttpResponse]


@dataclass(frozen=True)
class Variant:
    name: str
    code: str
    wrap: Callable[[View, dict[str, Any]], View]  # (view, cache_page's arguments) -> view


VARIANTS = (
    Variant(
        "cache_page alone",
        "@cache_page(30)\ndef account(request): ...",
        lambda view, caching: cache_page(PAGE_SECONDS, **caching)(view),
    ),
    Variant(
        "cache_page with vary_on_cookie",
        "@cache_page(30)\n@vary_on_cookie\ndef account(request): ...",
        lambda view, caching: cache_page(PAGE_SECONDS, **caching)(vary_on_cookie(view)),
    ),
    Variant(
        "cache_page with cache_control(private=True)",
        "@cache_page(30)\n@cache_control(private=True)\ndef account(request): ...",
        lambda view, caching: cache_page(PAGE_SECONDS, **caching)(
            cache_control(private=True)(view)
        ),
    ),
)


@dataclass(frozen=True)
class Visitor:
    name: str
    cookie: str


def visitors(count: int = 2) -> list[Visitor]:
    customers = list(Customer.objects.order_by("id")[:count])
    return [
        Visitor(customer.name, signing.dumps(customer.pk, salt=SIGNING_SALT))
        for customer in customers
    ]


def visit(view: View, factory: RequestFactory, visitor: Visitor, others: list[Visitor]) -> dict:
    request = factory.get(PAGE_PATH, headers={"cookie": f"{VISITOR_COOKIE}={visitor.cookie}"})
    meter = Meter()
    with meter.counting_queries():
        response = view(request)
    body = response.content.decode()
    shows = next((one.name for one in others if one.name in body), "")
    return {
        "visitor": visitor.name,
        "status": response.status_code,
        "body": body.strip(),
        "shows": shows,
        "own_page": shows == visitor.name,
        "view_ran": meter.queries > 0,  # a response from the cache runs no query
        "headers": {field: response.get(name, "") for field, name in SHOWN_HEADERS.items()},
    }


def run_variant(variant: Variant, alias: str, host: str, people: list[Visitor]) -> dict:
    """The first visitor, the second, then the first again; fresh cache keys every run."""
    caching = {"cache": alias, "key_prefix": f"lab:cache-page:{uuid.uuid4().hex}"}
    view = variant.wrap(account_page, caching)
    factory = RequestFactory(headers={"host": host})
    first, second = people
    responses = [visit(view, factory, visitor, people) for visitor in (first, second, first)]
    return {
        "name": variant.name,
        "code": variant.code,
        "responses": responses,
        "leaked": not all(response["own_page"] for response in responses),
        "served_from_cache": sum(not response["view_ran"] for response in responses),
    }


def cache_page_leak(alias: str, host: str) -> dict[str, Any] | None:
    """Every variant on the backend with this alias; None without two demo customers."""
    people = visitors()
    if len(people) < 2:
        return None
    return {
        "visitors": [visitor.name for visitor in people],
        "variants": [run_variant(variant, alias, host, people) for variant in VARIANTS],
    }
