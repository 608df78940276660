"""The website in a real browser: Debian's Chromium driven by Playwright, on `hub serve --demo`.

At 390x844 and 1440x900: every page reachable from / answers 200 with no console error, has lang, one
<title> and one <h1>; axe-core finds no serious or critical violation. An operator logs in, creates an
event, finds it on the agenda and in the iCal feed; a kiosk fetches the programme and its QR code
decodes to the event's page. Another département's event answers 403. A visitor's takedown hides the
contribution. Screenshots of each kind of page land in $QSEC_SITE_SCREENSHOTS (default: a temp folder).

Needs /usr/bin/chromium and axe-core (`make browser-deps`, which .ci/run runs); elsewhere it is skipped,
in CI it fails.
"""
from __future__ import annotations

import dataclasses
import json
import os
import re
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from tests.live_hub import LiveHub, free_port

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).parent / "browser" / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1440, "height": 900}}
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
NOT_HTML = re.compile(r"\.(ics|png|pdf)$|/fichier$")

if not CHROMIUM.exists() or not AXE.exists():
    reason = "needs Debian's chromium and axe-core: run `make browser-deps`"
    if os.environ.get("CI"):
        raise RuntimeError(reason)
    pytest.skip(reason, allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.slow


class DemoSite:
    """`hub serve --demo` in its own process on a free port, until its kiosks' month is synced."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = LiveHub(data_dir / "unused").env()
        self.lines: list[str] = []
        self.proc = subprocess.Popen([sys.executable, "-m", "hub", "serve", "--demo", "--port", str(self.port),
                                      "--data-dir", str(data_dir)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True, env=self.env)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line)

    def wait_synced(self, timeout: float = 600.0) -> None:
        deadline = time.monotonic() + timeout
        while not any("kiosk data synced" in line for line in self.lines):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("demo did not come up:\n" + "".join(self.lines[-40:]))
            time.sleep(0.2)

    @property
    def logins(self) -> dict[str, str]:
        return json.loads((self.data_dir / "demo-logins.json").read_text())

    def query(self, sql: str) -> list[tuple]:
        with sqlite3.connect(self.data_dir / "hub.sqlite3", timeout=30) as conn:
            return conn.execute(sql).fetchall()

    def cli(self, *args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "hub", *args, "--data-dir", str(self.data_dir)],
                              capture_output=True, text=True, env=self.env, timeout=120, check=True)
        return done.stdout

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    demo = DemoSite(tmp_path_factory.mktemp("demo-site"))
    try:
        demo.wait_synced()
        yield demo
    finally:
        demo.stop()


@pytest.fixture(scope="module")
def browser(site):
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("QSEC_SITE_SCREENSHOTS") or tmp_path_factory.mktemp("site-screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Page:
    """A tab that remembers the console errors and failed requests of the page it shows, and whether
    anything was asked of another host."""

    def __init__(self, context, base: str):
        self.page = context.new_page()
        self.base = base
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("request", lambda r: None if r.url.startswith(base) or r.url.startswith("data:")
                     else self.foreign.append(r.url))

    def open(self, path: str):
        self.errors.clear()
        return self.page.goto(urljoin(self.base, path), wait_until="load")


def shape(path: str) -> str:
    """Pages of one kind (one template): /agenda/x and /agenda/y are both /agenda/*."""
    parts = urlsplit(path)
    segments = parts.path.split("/")
    fixed = {"", "en", "agenda", "lieux", "actualites", "ressources", "contributions", "resultats", "retrait",
             "itinerance", "c", "g", "gestion", "login", "merci"}
    key = "/".join(s if s in fixed else "*" for s in segments)
    return key + ("?" + ",".join(sorted(k.split("=")[0] for k in parts.query.split("&"))) if parts.query else "")


def crawl(tab: Page, start: str = "/") -> dict[str, dict]:
    """Every same-site page reachable from `start` by links (the back office stops at its login page)."""
    found: dict[str, dict] = {}
    queue = [start]
    while queue:
        path = queue.pop(0)
        if path in found:
            continue
        if NOT_HTML.search(urlsplit(path).path):
            found[path] = {"status": tab.page.request.get(urljoin(tab.base, path)).status, "html": False}
            continue
        answer = tab.open(path)
        facts = tab.page.evaluate("""() => ({
            lang: document.documentElement.getAttribute('lang'),
            titles: document.querySelectorAll('title').length,
            headTitles: document.head.querySelectorAll('title').length,
            h1: document.querySelectorAll('h1').length,
            links: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))})""")
        found[path] = {"status": answer.status, "html": True, "errors": list(tab.errors), **facts}
        if urlsplit(path).path.startswith(("/gestion", "/en/gestion")):
            continue                    # behind the login: the operator's test below goes there
        for href in facts["links"]:
            target = urlsplit(urljoin(tab.base + path, href))
            if f"{target.scheme}://{target.netloc}" == tab.base and not target.fragment.startswith("#"):
                link = target.path + (f"?{target.query}" if target.query else "")
                if link not in found:
                    queue.append(link)
    return found


def axe_violations(tab: Page) -> list[str]:
    tab.page.evaluate(AXE.read_text(encoding="utf-8"))
    result = tab.page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.fixture(scope="module")
def crawled(site, browser) -> dict[str, dict]:
    """Every page reachable from / rendered once (desktop); the foreign requests seen on the way."""
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    tab = Page(context, site.url)
    pages = crawl(tab)
    pages["(foreign requests)"] = {"html": False, "status": 200, "foreign": list(tab.foreign)}
    context.close()
    return pages


def test_every_page_reachable_from_home_answers_cleanly(crawled):
    html_pages = {p: f for p, f in crawled.items() if f["html"]}
    assert len(html_pages) > 100 and any(p.startswith("/en/") for p in html_pages)
    assert {p: f["status"] for p, f in crawled.items() if f["status"] != 200} == {}
    assert {p: f["errors"] for p, f in html_pages.items() if f["errors"]} == {}
    for path, facts in html_pages.items():
        assert facts["lang"] in ("fr", "en"), path
        assert facts["titles"] == facts["headTitles"] == 1 and facts["h1"] == 1, (path, facts)
    assert crawled["(foreign requests)"]["foreign"] == []


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_each_kind_of_page_passes_axe(crawled, site, browser, shots, viewport):
    """One page of each kind (template) at each size: axe-core, no console error, a screenshot."""
    kinds: dict[str, str] = {}
    for path, facts in crawled.items():
        if facts["html"]:
            kinds.setdefault(shape(path), path)
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    tab = Page(context, site.url)
    problems = {}
    for kind, path in sorted(kinds.items()):
        assert tab.open(path).status == 200, path
        name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
        tab.page.screenshot(path=str(shots / f"{viewport}-{name}.png"), full_page=True)
        found = axe_violations(tab) + tab.errors
        if found:
            problems[path] = found
    context.close()
    assert len(kinds) >= 15 and problems == {}


def _login(tab: Page, username: str, password: str) -> None:
    tab.open("/gestion/login/")
    tab.page.fill("#id_username", username)
    tab.page.fill("#id_password", password)
    tab.page.click("input[type=submit]")
    tab.page.wait_for_url(re.compile(r"/gestion/$"))


def test_an_operator_publishes_an_event_that_a_kiosk_shows_with_its_qr_code(site, browser, shots, tmp_path):
    from django.utils import timezone  # noqa: F401  (Django settings are the test process's own)

    from kiosk.sync.uploader import Uploader
    from kiosk.testing import close_context, default_config, make_context
    from stations.agenda import Station as AgendaStation
    from tests.participation.conftest import Driver, decode_qr

    import datetime as dt

    tab = Page(browser.new_context(viewport=VIEWPORTS["desktop"]), site.url)
    _login(tab, "operateur-93", site.logins["operateur-93"])
    tab.open("/gestion/site/agendaevent/add/")
    day = (dt.date.today() + dt.timedelta(days=2)).strftime("%d/%m/%Y")
    page = tab.page
    page.select_option("#id_venue", label="Médiathèque de Bobigny (Bobigny)")
    page.select_option("#id_kind", "debat")
    page.fill("#id_title", "Débat : marcher dans la ville de demain")   # the admin's script makes the slug
    page.fill("#id_starts_0", day)
    page.fill("#id_starts_1", "18:30:00")
    page.fill("#id_ends_0", day)
    page.fill("#id_ends_1", "20:00:00")
    page.fill("#id_audience", "Tout public")
    page.click("input[name=_save]")
    page.wait_for_url(re.compile(r"/gestion/site/agendaevent/$"))
    assert tab.errors == [] and tab.foreign == []
    slug = "debat-marcher-dans-la-ville-de-demain"
    assert site.query("SELECT slug FROM site_agendaevent WHERE title LIKE '%marcher dans la ville%'") == [(slug,)]
    page.screenshot(path=str(shots / "desktop-back-office-saved.png"), full_page=True)

    tab.open("/agenda/?lieu=mediatheque-bobigny&type=debat")
    assert "marcher dans la ville de demain" in page.inner_text("main")
    calendar = page.request.get(site.url + "/agenda.ics")
    assert calendar.status == 200 and f"UID:{slug}@qsec2" in calendar.text()

    # a kiosk of that venue syncs, keeps the programme and shows the event with its QR code
    token = site.cli("add-kiosk", "93-mediatheque-bobigny-9", "--venue", "Médiathèque de Bobigny",
                     "--place", "mediatheque-bobigny").strip()
    kiosk_dir = tmp_path / "kiosk"
    uploader = Uploader(kiosk_dir, hub_url=site.url, token=token)
    try:
        assert uploader.sync_once().agenda == "updated"
    finally:
        uploader.close()
    kiosk = dataclasses.replace(default_config(data_dir=kiosk_dir), public_url=site.url)
    ctx = make_context("agenda", station_cls=AgendaStation, kiosk=kiosk, tmp_path=kiosk_dir)
    try:
        station = AgendaStation(ctx, clock=lambda: dt.datetime.now(dt.timezone.utc))
        ours = next(e for e in station.upcoming if e.id == slug)
        station.open_detail(ours)
        drive = Driver(station)
        drive.frame()
        (url,) = decode_qr(drive.surface)
    finally:
        close_context(ctx)
    assert url == f"{site.url}/agenda/{slug}"
    assert tab.open(url).status == 200 and "marcher dans la ville de demain" in page.inner_text("h1")


def test_an_operator_cannot_edit_another_departements_event(site, browser):
    tab = Page(browser.new_context(viewport=VIEWPORTS["phone"]), site.url)
    _login(tab, "operateur-93", site.logins["operateur-93"])
    (theirs,) = site.query("SELECT e.id FROM site_agendaevent e JOIN site_venue v ON v.id = e.venue_id "
                           "WHERE v.departement_id = '94' LIMIT 1")[0:1]
    assert tab.open(f"/gestion/site/agendaevent/{theirs[0]}/change/").status == 403
    (mine,) = site.query("SELECT e.id FROM site_agendaevent e JOIN site_venue v ON v.id = e.venue_id "
                         "WHERE v.departement_id = '93' LIMIT 1")[0:1]
    assert tab.open(f"/gestion/site/agendaevent/{mine[0]}/change/").status == 200
    assert tab.errors == []


def test_a_visitors_takedown_hides_the_contribution(site, browser, shots):
    tab = Page(browser.new_context(viewport=VIEWPORTS["phone"]), site.url)
    tab.open("/contributions/")
    link = tab.page.locator("a[href^='/c/']").first
    href = link.get_attribute("href")
    code = href.rsplit("/", 1)[1]
    tab.open(href)
    text = tab.page.inner_text("blockquote") if tab.page.locator("blockquote").count() else None
    tab.open("/retrait/")
    tab.page.fill("#id_code", code.lower())
    tab.page.click("button[type=submit]")
    tab.page.wait_for_url(re.compile(r"/retrait/merci/$"))
    tab.page.screenshot(path=str(shots / "phone-retrait-merci.png"), full_page=True)
    tab.open(href)
    assert tab.page.locator("blockquote").count() == 0 and tab.page.locator("img.drawing").count() == 0
    tab.open("/contributions/")
    assert tab.page.locator(f"a[href='{href}']").count() == 0
    if text:
        assert text not in tab.page.inner_text("main")
    assert tab.errors == []


def test_the_kiosks_health_page_reads_without_colour_and_passes_axe(site, browser, shots):
    """Two kiosks report (one with a nearly full disk and a sensor offline): the coordination's page shows
    each line's word and shape, at both sizes, with no serious axe violation and nothing wider than the
    screen."""
    import datetime as dt
    import gzip

    import httpx

    from eventlog.stamps import new_uuid, utc_iso

    def report(kiosk: str, **fields) -> dict:
        now = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=30)
        payload = {"version": "0.1.0", "uptime_s": 7200.0, "interval_s": 300.0, "frames": 1800, "frame_ms_p50": 3.1,
                   "frame_ms_p99": 9.4, "cpu_share": 0.07, "rss_mb": 190.0, "disk_free_share": 0.58,
                   "disk_free_mb": 38_000.0, "upload_backlog": 2, "oldest_unsent_age_s": 12.0,
                   "sensors": {"porte": "connected", "air": "connected"}, "errors": 0, "timezone": "Europe/Paris",
                   "hours": None} | fields
        return {"uuid": new_uuid(int(now.timestamp() * 1000)), "ts": utc_iso(now), "kiosk_id": kiosk,
                "session_id": None, "station": None, "kind": "kiosk.health", "payload": payload}

    for name, fields in (("93-mediatheque-bobigny-7", {"disk_free_share": 0.06, "sensors": {"porte": "offline"}}),
                         ("94-mediatheque-vitry-7", {})):
        token = site.cli("add-kiosk", name, "--venue", "Médiathèque").strip()
        answer = httpx.post(site.url + "/api/v1/events", content=gzip.compress(json.dumps(
            {"events": [report(name, **fields)]}).encode()), headers={"Authorization": f"Bearer {token}",
                                                                         "Content-Encoding": "gzip",
                                                                         "Content-Type": "application/json"})
        assert answer.status_code == 200 and answer.json()["results"][0]["status"] == "created", answer.text
    problems = {}
    for viewport in VIEWPORTS:
        tab = Page(browser.new_context(viewport=VIEWPORTS[viewport]), site.url)
        _login(tab, "coordination", site.logins["coordination"])
        assert tab.open("/gestion/sante/").status == 200
        text = tab.page.inner_text("#content")
        assert "Alerte" in text and "capteur hors ligne : porte" in text and "En forme" in text
        assert tab.page.locator("h1").count() == 1
        # nothing sticks out of the screen (on a phone each kiosk is a card, not seven columns)
        widest = tab.page.evaluate("Math.max(...[...document.querySelectorAll('#content-main *')]"
                                   ".map(e => e.getBoundingClientRect().right))")
        assert widest <= VIEWPORTS[viewport]["width"], (viewport, widest)
        tab.page.screenshot(path=str(shots / f"{viewport}-gestion-sante.png"), full_page=True)
        found = axe_violations(tab) + tab.errors
        if found:
            problems[viewport] = found
    assert problems == {}
