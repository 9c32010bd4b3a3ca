"""Every page says how browsers and proxies may keep it (issue 20, lesson 6's headers).

Every URL pattern (tests/pages.py) is fetched with GET and HEAD, plainly and as htmx does, by
a new visitor, an anonymous learner with an attempt in progress and a signed-in learner. A page
fails when its response has no Cache-Control, when it may be reused without asking the server
again, when a shared cache may keep it although it differs from one learner to another, or
when its view was given no policy (sitecache.http) or HEAD is refused where GET is not.
"""

from django.http import HttpResponse
from django.urls import resolve
from django.utils.cache import patch_cache_control

from sitecache.http import page_policies, policy_of
from tests.pages import fetches

REVALIDATED = {"no-cache", "no-store"}


def directives(response) -> set[str]:
    header = response.get("Cache-Control", "")
    return {part.strip().split("=")[0].lower() for part in header.split(",") if part.strip()}


def policy_problems(response) -> list[str]:
    """What is wrong with one response's Cache-Control, taken alone."""
    found = directives(response)
    problems = []
    if not found:
        problems.append("no Cache-Control")
    elif not found & REVALIDATED:
        problems.append(f"reused without asking again ({response['Cache-Control']})")
    elif not found & {"private", "public"}:
        problems.append(f"neither private nor public ({response['Cache-Control']})")
    return problems


def test_the_check_catches_a_page_left_to_heuristics_or_kept_unrevalidated() -> None:
    assert policy_problems(HttpResponse()) == ["no Cache-Control"]
    kept = HttpResponse()
    patch_cache_control(kept, private=True, max_age=600)
    assert policy_problems(kept)[0].startswith("reused without asking again")
    fine = HttpResponse()
    patch_cache_control(fine, private=True, no_cache=True)
    assert policy_problems(fine) == []


def test_every_page_has_a_policy_that_revalidates_and_keeps_a_learners_page_private(site):
    problems, bodies, checked = [], {}, 0
    for path, learner, htmx in fetches(site):
        headers = {"HX-Request": "true"} if htmx else {}
        client = learner.client()
        response = client.get(path, headers=headers)
        if response.status_code == 405:
            continue  # a POST-only view
        checked += 1
        where = f"{path} ({learner.label}, htmx={htmx})"
        problems += [f"{where}: {problem}" for problem in policy_problems(response)]
        if policy_of(resolve(path).func) is None:
            problems.append(f"{where}: its view names no policy (sitecache.http)")
        if client.head(path, headers=headers).status_code != response.status_code:
            problems.append(f"{where}: HEAD answers differently from GET")
        if "public" in directives(response):
            if response.cookies or "cookie" in response.get("Vary", "").lower():
                problems.append(f"{where}: public, yet it sets or varies on a cookie")
            bodies.setdefault((path, htmx), set()).add(response.content)
    shared_but_personal = [key for key, seen in bodies.items() if len(seen) > 1]
    assert checked >= 60, f"only {checked} pages were checked"
    assert not shared_but_personal, f"public pages that differ per learner: {shared_but_personal}"
    assert not problems, "\n".join(problems)


def test_a_page_that_names_the_learner_is_private(client, site, django_user_model) -> None:
    _values, learners = site
    signed_in = learners[-1].client()
    for path in ("/", "/progress/", "/cheat-sheet/", "/learn/", "/quiz/"):
        response = signed_in.get(path)
        assert "ada" in response.content.decode()
        assert "private" in directives(response), path


def test_a_lesson_page_is_shared_revalidated_with_its_etag_and_answers_head(site) -> None:
    _values, learners = site
    first = learners[0].client().get("/lessons/redis/")
    assert directives(first) == {"public", "no-cache"} and first["ETag"]
    again = learners[0].client().get("/lessons/redis/", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and "public" in directives(again)
    head = learners[0].client().head("/lessons/redis/")
    assert head.status_code == 200 and head.content == b""


def test_a_missing_page_is_never_stored(client, db) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and "no-store" in directives(response)


def test_how_this_site_caches_lists_every_page_with_its_policy(client, db) -> None:
    html = client.get("/lab/this-site/").content.decode()
    assert "<code>/lessons/&lt;slug:slug&gt;/</code></th>\n          <td>shared</td>" in html
    assert "<code>/progress/</code></th>\n          <td>never stored</td>" in html
    post_only = {page.pattern for page in page_policies() if page.policy is None}
    assert "sandbox/run" in post_only and "lessons/<slug:slug>/" not in post_only
    assert "answers POST only (nothing to keep)" in html
