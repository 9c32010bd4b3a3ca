"""The nginx files deploy/nginx/ ships are accepted by nginx as an operator installs them."""

import subprocess
from pathlib import Path

import pytest

from ops.nginx import NGINX_DIR, nginx_binary, self_signed_certificate

SITE_FILES = ["cachelab-tls.conf", "cachelab-behind-lb.conf"]


def installed_as_debian_would(site: str, prefix: Path) -> Path:
    """nginx.conf including the site file inside http {}, the snippets and the certificate
    where the site file expects them (rewritten to this test's directories)."""
    certificate, key = self_signed_certificate(prefix / "tls")
    text = (NGINX_DIR / site).read_text()
    text = text.replace("/etc/nginx/snippets/", f"{NGINX_DIR}/")
    text = text.replace("/etc/letsencrypt/live/lab.example.com/fullchain.pem", str(certificate))
    text = text.replace("/etc/letsencrypt/live/lab.example.com/privkey.pem", str(key))
    (prefix / "site.conf").write_text(text)
    config = prefix / "nginx.conf"
    config.write_text(
        f"pid {prefix}/nginx.pid;\nerror_log {prefix}/error.log;\nevents {{}}\n"
        f"http {{\n    access_log off;\n    include {prefix}/site.conf;\n}}\n"
    )
    return config


@pytest.mark.parametrize("site", SITE_FILES)
def test_nginx_accepts_the_shipped_site_file(site: str, tmp_path: Path) -> None:
    config = installed_as_debian_would(site, tmp_path)
    done = subprocess.run(
        [nginx_binary(), "-t", "-p", str(tmp_path), "-c", str(config)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "test is successful" in done.stderr


def test_the_shipped_proxy_settings_never_overwrite_a_trusted_scheme() -> None:
    proxy = (NGINX_DIR / "cachelab-proxy.conf").read_text()
    assert "X-Forwarded-Proto $cachelab_forwarded_proto;" in proxy
    assert "X-Forwarded-Proto $scheme" not in proxy
    for site in SITE_FILES:
        assert "cachelab-forwarded-proto.conf" in (NGINX_DIR / site).read_text()
