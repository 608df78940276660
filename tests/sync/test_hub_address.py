"""`kiosk check-config` and the hub address: the token never leaves for the Internet in clear."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from kiosk.sync.address import check_hub_url


@pytest.mark.parametrize("url", ["https://hub.qsec2.fr", "https://80.67.169.12:8443/", "http://127.0.0.1:8750",
                                 "http://localhost:8750", "http://[::1]:8750", ""])
def test_addresses_taken_as_they_are(url):
    assert check_hub_url(url) == (None, None)


@pytest.mark.parametrize("url", ["http://hub.qsec2.fr", "http://80.67.169.12:8750", "http://[2001:910:800::12]/",
                                 "http://HUB.QSEC2.FR."])
def test_plain_http_to_a_public_host_is_refused(url):
    wrong, _ = check_hub_url(url)
    assert wrong and "in clear" in wrong


@pytest.mark.parametrize("url", ["http://192.168.1.20:8750", "http://10.0.0.5", "http://hub.local",
                                 "http://qsec-hub:8750", "http://169.254.3.4"])
def test_plain_http_inside_the_venue_is_a_warning(url):
    wrong, doubt = check_hub_url(url)
    assert wrong is None and "prefer https://" in doubt


@pytest.mark.parametrize("url", ["hub.qsec2.fr", "ftp://hub.qsec2.fr", "https://", "https://u:p@hub.qsec2.fr",
                                 "https://hub.qsec2.fr:port"])
def test_what_is_no_address_is_refused(url):
    wrong, _ = check_hub_url(url)
    assert wrong and "not a hub address" in wrong


def _check_config(tmp_path, hub_url: str) -> subprocess.CompletedProcess:
    path = tmp_path / "venue.toml"
    path.write_text(f'[sync]\nhub_url = "{hub_url}"\ntoken = "t"\n', encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "kiosk", "check-config", str(path)], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "SDL_VIDEODRIVER": "dummy"})


def test_check_config_refuses_http_to_a_public_hub_and_warns_for_a_lan_one(tmp_path):
    refused = _check_config(tmp_path, "http://hub.qsec2.fr")
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "sync.hub_url" in refused.stderr and "in clear" in refused.stderr and "https://" in refused.stderr
    warned = _check_config(tmp_path, "http://192.168.1.20:8750")
    assert warned.returncode == 0, warned.stderr
    assert "warning:" in warned.stdout and "sync.hub_url" in warned.stdout
    assert _check_config(tmp_path, "https://hub.qsec2.fr").stdout.count("warning:") == warned.stdout.count("warning:") - 1


def test_kiosk_sync_refuses_a_plain_http_hub_url_given_on_the_command_line(tmp_path, capsys, monkeypatch):
    from kiosk.sync.cli import sync_main

    monkeypatch.setenv("QSEC_HUB_TOKEN", "t")
    assert sync_main(["--data-dir", str(tmp_path), "--once", "--hub-url", "http://hub.qsec2.fr"]) == 2
    assert "in clear" in capsys.readouterr().err
