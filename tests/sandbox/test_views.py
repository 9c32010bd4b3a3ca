"""The page without JavaScript, the htmx partials, the scenario and the history."""

from urllib.parse import quote

import pytest

from learners.identity import VISITOR_SESSION_KEY, Learner
from sandbox import history

pytestmark = pytest.mark.django_db

FORM = {
    "code": "cache.set('greeting', 'hello')\ncache.get('greeting')",
    "backends": ["locmem", "redis", "django-redis", "memcached"],
    "server": "A",
}
HTMX = {"HX-Request": "true"}


def namespace_of_client(client) -> str:
    return Learner(visitor=client.session[VISITOR_SESSION_KEY]).namespace


def test_the_page_prefills_the_editor_from_the_code_parameter(client) -> None:
    code = "cache.set('from-lesson', 1)\ncache.get('from-lesson')"
    response = client.get(f"/sandbox/?code={quote(code)}")
    assert response.status_code == 200
    assert (
        "cache.set(&#x27;from-lesson&#x27;, 1)\ncache.get(&#x27;from-lesson&#x27;)</textarea>"
        in response.content.decode()
    )


def test_the_page_offers_every_backend_both_servers_and_a_real_form(client) -> None:
    html = client.get("/sandbox/").content.decode()
    assert '<form method="post" action="/sandbox/run"' in html
    for name in FORM["backends"]:
        assert f'name="backends" value="{name}" checked' in html
    assert 'name="server" value="A" checked' in html and 'name="server" value="B"' in html
    assert '<label for="code">' in html


def test_an_overlong_code_link_is_cut_and_says_so(client) -> None:
    response = client.get("/sandbox/?code=" + "%23" * 20_001)
    assert "it was cut" in response.content.decode()


def test_a_plain_form_post_renders_the_whole_page_with_results(client) -> None:
    response = client.post("/sandbox/run", FORM)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Sandbox</h1>" in html
    assert html.count('<code class="outcome-value">&#x27;hello&#x27;</code>') == 4


def test_an_htmx_run_returns_the_results_partial_and_the_history_out_of_band(client) -> None:
    response = client.post("/sandbox/run", FORM, headers=HTMX)
    html = response.content.decode()
    assert "<h1>" not in html
    assert "Results on app server A" in html
    assert (
        '<section id="history" class="card" aria-labelledby="history-heading" hx-swap-oob="true">'
        in html
    )
    assert response["Vary"] == "HX-Request, Cookie" or "HX-Request" in response["Vary"]


def test_bad_code_keeps_what_was_typed_and_explains_with_a_400(client) -> None:
    typed = {**FORM, "code": "cache.get('a')\nos.system('ls')"}
    response = client.post("/sandbox/run", typed)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Line 2, column 1: `os.system` is not a method of `cache`" in html
    assert "os.system(&#x27;ls&#x27;)</textarea>" in html


@pytest.mark.parametrize(
    ("change", "message"),
    [({"backends": ["nope"]}, "Unknown backend"), ({"server": "Z"}, "Unknown app server")],
)
def test_a_bad_backend_or_server_is_a_400(client, change: dict, message: str) -> None:
    response = client.post("/sandbox/run", {**FORM, **change}, headers=HTMX)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_no_backend_chosen_is_a_400(client) -> None:
    response = client.post("/sandbox/run", {"code": "cache.get('k')", "server": "A"})
    assert response.status_code == 400
    assert "Choose at least one backend" in response.content.decode()


def test_the_history_keeps_the_last_runs_and_links_back_to_the_editor(client) -> None:
    client.post("/sandbox/run", FORM)
    client.post("/sandbox/run", {**FORM, "code": "cache.get('second')"})
    html = client.get("/sandbox/").content.decode().split('id="history"')[1]
    assert html.index("cache.get(&#x27;second&#x27;)") < html.index(
        "cache.set(&#x27;greeting&#x27;"
    )
    assert "Server A: cache.get(&#x27;second&#x27;) → None | None | None | None" in html
    assert f'href="/sandbox/?code={quote(FORM["code"], safe="")}"' in html


def test_the_history_holds_ten_runs_at_most(client) -> None:
    for index in range(12):
        client.post("/sandbox/run", {**FORM, "code": f"cache.get('k{index}')"})
    kept = history.entries(namespace_of_client(client))
    assert len(kept) == 10
    assert kept[0]["code"] == "cache.get('k11')"


def test_clearing_the_history_without_javascript_redirects_back(client) -> None:
    client.post("/sandbox/run", FORM)
    response = client.post("/sandbox/history/clear")
    assert (response.status_code, response["Location"]) == (302, "/sandbox/#history")
    assert "No calls yet." in client.get("/sandbox/").content.decode()


def test_clearing_the_history_with_htmx_returns_the_empty_history(client) -> None:
    client.post("/sandbox/run", FORM)
    html = client.post("/sandbox/history/clear", headers=HTMX).content.decode()
    assert html.strip().startswith('<section id="history"')
    assert "No calls yet." in html


def test_the_scenario_shows_both_runs_and_explains_them(client) -> None:
    html = client.post("/sandbox/scenario").content.decode()
    assert "Results on app server A" in html and "Results on app server B" in html
    assert "B got None. A&#x27;s value lives in A&#x27;s own process memory" in html
    assert html.count("B read the value A wrote") == 3


def test_the_run_endpoints_refuse_get(client) -> None:
    assert client.get("/sandbox/run").status_code == 405
    assert client.get("/sandbox/scenario").status_code == 405


def test_the_form_needs_a_csrf_token() -> None:
    from django.test import Client

    assert Client(enforce_csrf_checks=True).post("/sandbox/run", FORM).status_code == 403


def test_the_history_keeps_at_most_two_thousand_characters_of_code_per_run(client) -> None:
    long_code = "cache.get('k')\n" + "# comment\n" * 500
    client.post("/sandbox/run", {**FORM, "code": long_code})
    assert history.entries(namespace_of_client(client))[0]["code"] == long_code[:2000]


def test_a_run_from_the_page_leaves_the_session_unchanged(client) -> None:
    client.post("/sandbox/run", FORM)
    session_before = dict(client.session.items())
    client.post("/sandbox/run", {**FORM, "code": "cache.set('another', 1)"})
    assert dict(client.session.items()) == session_before
    assert len(history.entries(namespace_of_client(client))) == 2


def test_the_history_follows_a_visitor_who_signs_in(client, django_user_model) -> None:
    user = django_user_model.objects.create_user("ada", password="a long passphrase")
    client.force_login(user)
    client.post("/sandbox/run", {**FORM, "code": "cache.get('as-ada-before')"})
    client.logout()
    client.post("/sandbox/run", {**FORM, "code": "cache.get('as-visitor')"})
    visitor = namespace_of_client(client)
    client.force_login(user)
    kept = history.entries(Learner(user_id=user.pk).namespace)
    assert [item["code"] for item in kept] == [
        "cache.get('as-visitor')",
        "cache.get('as-ada-before')",
    ]
    assert history.entries(visitor) == []
    html = client.get("/sandbox/").content.decode().split('id="history"')[1]
    assert "cache.get(&#x27;as-visitor&#x27;)" in html
