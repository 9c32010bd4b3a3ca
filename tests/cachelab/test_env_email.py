import pytest
from django.core.exceptions import ImproperlyConfigured

from cachelab.env import env_email_url

SMTP = "django.core.mail.backends.smtp.EmailBackend"


def test_email_is_printed_to_the_console_unless_configured() -> None:
    email = env_email_url("EMAIL_URL", environ={})

    assert email.backend == "django.core.mail.backends.console.EmailBackend"


def test_an_smtp_url_with_starttls_gives_every_email_setting() -> None:
    url = "smtp+starttls://cache%40lab:p%3Ass%2Fword@mail.example.com:2525"

    email = env_email_url("EMAIL_URL", environ={"EMAIL_URL": url})

    assert email.backend == SMTP
    assert (email.host, email.port) == ("mail.example.com", 2525)
    assert (email.user, email.password) == ("cache@lab", "p:ss/word")
    assert email.use_tls and not email.use_ssl


@pytest.mark.parametrize(
    ("url", "port", "tls", "ssl"),
    [
        ("smtp://relay.internal", 25, False, False),
        ("smtp+starttls://mail.example.com", 587, True, False),
        ("smtps://mail.example.com", 465, False, True),
    ],
)
def test_each_smtp_scheme_has_its_usual_port_and_encryption(url, port, tls, ssl) -> None:
    email = env_email_url("EMAIL_URL", environ={"EMAIL_URL": url})

    assert (email.port, email.use_tls, email.use_ssl) == (port, tls, ssl)
    assert email.user == email.password == ""


@pytest.mark.parametrize(
    "url",
    [
        "mail.example.com:587",
        "http://mail.example.com",
        "smtp://",
        "smtp://host:port",
        "smtp://h/x",
    ],
)
def test_a_bad_email_url_names_the_variable(url: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        env_email_url("EMAIL_URL", environ={"EMAIL_URL": url})


def test_the_error_never_prints_the_password() -> None:
    with pytest.raises(ImproperlyConfigured) as error:
        env_email_url("EMAIL_URL", environ={"EMAIL_URL": "smtp://u:s3cret@host:99999"})

    assert "s3cret" not in str(error.value)
