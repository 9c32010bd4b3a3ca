"""Submitting an admin change form as a browser would: every field as the page shows it
(inline formsets included), with the changes a test makes."""

from html.parser import HTMLParser

from django.test import Client


class FormFields(HTMLParser):
    """The values a browser would send for the page's <form id=FORM_ID>."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.values: dict[str, str] = {}
        self.textarea: str | None = None
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.inside = attributes.get("id") == self.form_id
        if not self.inside or ("name" not in attributes and tag != "option"):
            return
        name = attributes.get("name", "")
        if tag == "input" and attributes.get("type") not in {"submit", "button", "file"}:
            if attributes.get("type") != "checkbox" or "checked" in attributes:
                self.values[name] = attributes.get("value", "on")
        elif tag == "textarea":
            self.textarea, self.values[name] = name, ""
        elif tag == "select":
            self.select = name
            self.values.setdefault(name, "")
        elif tag == "option" and self.select and "selected" in attributes:
            self.values[self.select] = attributes.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.values[self.textarea] += (
                data.removeprefix("\n") if not self.values[self.textarea] else data
            )


def save_in_admin(client: Client, url: str, form_id: str, **changes: str):
    """GET the change form at `url`, change fields, press Save; the response."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    parser = FormFields(form_id)
    parser.feed(page.content.decode())
    assert parser.values, f"no form {form_id!r} at {url}"
    return client.post(url, parser.values | changes | {"_save": "Save"})
