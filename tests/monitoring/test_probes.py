"""Availability probes through a real server: a site that answers, and one that never does."""

import socket
import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from monitoring.health import refresh
from monitoring.models import ProbeDay
from monitoring.probes import probe_all
from tests.helpers import gunicorn_server


@pytest.fixture
def silent_server():
    """A port that accepts connections and never answers: a site that times out."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    listener.close()


def test_probes_count_a_timeout_as_a_failure_and_an_answer_as_a_success(
    fixture_sites, db, settings, tmp_path, silent_server
):
    county, township = fixture_sites["county"], fixture_sites["township"]
    with gunicorn_server(tmp_path / "gunicorn.log") as server:
        settings.MONITORING_PROBE_TIMEOUT_SECONDS = 1
        settings.MONITORING_PROBE_CONNECT_TO = f"{township.host}=127.0.0.1:{silent_server},*=127.0.0.1:{server.port}"
        results = probe_all([county.site, township.site])
    assert results[county.site].ok and results[county.site].status == 200
    assert not results[township.site].ok and "超时" in results[township.site].error
    assert results[township.site].ms >= 1000
    today = timezone.localdate()
    assert ProbeDay.objects.get(site=township.site, day=today).failures == 1
    county_day = ProbeDay.objects.get(site=county.site, day=today)
    assert (county_day.probes, county_day.failures) == (1, 0)


def test_an_unreachable_site_fails_the_availability_indicator(fixture_sites, db):
    county, city, township = (fixture_sites[k].site for k in ("county", "city", "township"))
    today = timezone.localdate()
    for n in range(7):  # a week of 48 probes a day
        ProbeDay.objects.create(site=county, day=today - timedelta(days=n), probes=48, failures=3 if n < 6 else 0)
        ProbeDay.objects.create(site=city, day=today - timedelta(days=n), probes=48, failures=1 if n < 5 else 0)
    ProbeDay.objects.create(site=township, day=today, probes=5, failures=5)
    # 18 of 336 probes failed (5.4%): the veto fires.
    county_ind = refresh(county).indicator("availability")
    assert county_ind["vetoed"] and county_ind["value"] == 5.4
    # 5 of 336 (1.5%): fine, and no warning.
    city_ind = refresh(city).indicator("availability")
    assert not city_ind["vetoed"] and not city_ind["warning"] and city_ind["value"] == 1.5
    # 5 probes are not enough to judge, even if every one failed.
    township_ind = refresh(township).indicator("availability")
    assert not township_ind["vetoed"] and township_ind["value"] is None and "不足" in township_ind["note"]


def test_the_probe_command_reports_failures_without_failing(fixture_sites, db, settings, capsys):
    settings.MONITORING_PROBE_TIMEOUT_SECONDS = 0.5
    settings.MONITORING_PROBE_CONNECT_TO = "*=127.0.0.1:9"  # nothing listens on the discard port
    call_command("probe_sites", "--site", "510104")
    out = capsys.readouterr()
    assert "1 个失败" in out.out and "锦江区" in out.err


def test_connect_to_rules_pick_the_most_specific(settings):
    from monitoring.probes import _connect_to

    settings.MONITORING_PROBE_CONNECT_TO = "*=10.0.0.9:80, *.localhost=127.0.0.1:8000, a.b.localhost=127.0.0.1:9000"
    assert _connect_to("a.b.localhost") == ("127.0.0.1", 9000)
    assert _connect_to("jinjiang.chengdu.localhost") == ("127.0.0.1", 8000)
    assert _connect_to("video.example.com") == ("10.0.0.9", 80)
    settings.MONITORING_PROBE_CONNECT_TO = "*.localhost=127.0.0.1:8000"
    assert _connect_to("video.example.com") is None, "other hosts are asked where they are"
