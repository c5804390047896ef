"""Browser-test helpers every app may use: the two screen sizes, layout checks, axe, named screenshots.

Use them with the `page` fixture (which already fails a test on any CSP violation or page error):

    for size in SIZES: at_size(page, size); page.goto(url); check_page(page, name=f"home-{size}")
"""

from __future__ import annotations

import json
import re
import time
import weakref
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"

# The sizes the pages are designed for (issue 10): a common laptop and a common phone.
SIZES: dict[str, dict[str, int]] = {
    "desktop": {"width": 1366, "height": 900},
    "mobile": {"width": 390, "height": 844},
}
MOBILE_HEADER_MAX_PX = 64
MIN_GAP_PX = 8
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
AXE_FAILING_IMPACTS = {"serious", "critical"}
# `check_page` waits for the network to stay this quiet (Playwright's "networkidle" waits a fixed 500 ms).
QUIET_SECONDS = 0.15
SETTLE_TIMEOUT_SECONDS = 15
# htmx work still to come or under way: a widget slot not yet swapped in, a request in flight, a swap settling.
_HTMX_PENDING_JS = "() => !!document.querySelector('[data-widget-slot], .htmx-request, .htmx-settling, .htmx-swapping')"

_LAYOUT_JS = """() => {
  const header = document.querySelector('header.site-header');
  const main = document.querySelector('main');
  const footer = document.querySelector('footer');
  const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const kids = main ? [...main.children].filter(visible) : [];
  const first = kids[0], last = kids[kids.length - 1];
  const thumbs = [...document.querySelectorAll('.thumb')].filter(visible).map((t) => {
    const r = t.getBoundingClientRect();
    const img = t.querySelector('img');
    return {w: r.width, h: r.height, broken: t.classList.contains('is-broken'),
            failed: !!img && img.complete && img.naturalWidth === 0, imgShown: !!img && visible(img)};
  });
  const viewport = document.documentElement.clientWidth;
  const overflowing = [...document.querySelectorAll('body *')].filter((el) => {
    if (!visible(el)) return false;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (['auto', 'scroll', 'hidden', 'clip'].includes(s.overflowX) || s.position === 'fixed') return false;
    }
    const r = el.getBoundingClientRect();
    return r.right > viewport + 1 || r.left < -1;
  }).slice(0, 5).map((el) => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : '')
                              + ' ' + Math.round(el.getBoundingClientRect().right) + 'px');
  return {
    viewport, scrollWidth: document.documentElement.scrollWidth, overflowing,
    headerHeight: header ? header.getBoundingClientRect().height : 0,
    gapBelowHeader: first && header ? first.getBoundingClientRect().top - header.getBoundingClientRect().bottom : null,
    gapAboveFooter: last && footer ? footer.getBoundingClientRect().top - last.getBoundingClientRect().bottom : null,
    thumbs,
  };
}"""


def at_size(page: Any, size: str) -> None:
    page.set_viewport_size(SIZES[size])


def measure(page: Any) -> dict[str, Any]:
    page.evaluate("window.scrollTo(0, 0)")
    return page.evaluate(_LAYOUT_JS)


def check_layout(page: Any, size: str) -> dict[str, Any]:
    """No horizontal overflow, nothing touching the header or the footer, every thumbnail 16:9 and never a
    broken-image icon (a failed image is hidden, its placeholder shown)."""
    layout = measure(page)
    where = f"{page.url} at {size}"
    assert layout["scrollWidth"] <= layout["viewport"], f"horizontal overflow on {where}: {layout['overflowing']}"
    assert not layout["overflowing"], f"elements past the screen edge on {where}: {layout['overflowing']}"
    if layout["gapBelowHeader"] is not None:
        assert layout["gapBelowHeader"] >= MIN_GAP_PX, f"content touches the header on {where}: {layout}"
    if layout["gapAboveFooter"] is not None:
        assert layout["gapAboveFooter"] >= MIN_GAP_PX, f"content touches the footer on {where}: {layout}"
    if size == "mobile":
        assert layout["headerHeight"] <= MOBILE_HEADER_MAX_PX, f"mobile header is {layout['headerHeight']}px"
    for thumb in layout["thumbs"]:
        assert abs(thumb["w"] / thumb["h"] - 16 / 9) < 0.02, f"thumbnail not 16:9 on {where}: {thumb}"
        if thumb["failed"]:
            assert thumb["broken"], f"failed image without its placeholder on {where}: {thumb}"
            assert not thumb["imgShown"], f"broken image shown on {where}: {thumb}"
    return layout


def check_axe(page: Any) -> None:
    """axe-core (bundled by axe-playwright-python) over the whole page; serious or critical violations fail."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
    failing = [v for v in results.response["violations"] if v.get("impact") in AXE_FAILING_IMPACTS]
    report = [
        {"rule": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"][:5]]}
        for v in failing
    ]
    assert not failing, f"axe found serious/critical violations on {page.url}:\n" + json.dumps(report, indent=1)


def screenshot(page: Any, name: str) -> Path:
    """A full-page screenshot in test-artifacts/, named after the test and the size."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


class NetworkWatch:
    """The requests of one page still in flight, and when that last changed, from the page's creation on (the
    `page` fixture starts one for every page, so nothing the page loads is missed)."""

    def __init__(self, page: Any) -> None:
        self.in_flight: set[Any] = set()
        self.changed_at = time.monotonic()
        page.on("request", self._started)
        page.on("requestfinished", self._ended)
        page.on("requestfailed", self._ended)
        _watches[page] = self

    def _started(self, request: Any) -> None:
        self.in_flight.add(request)
        self.changed_at = time.monotonic()

    def _ended(self, request: Any) -> None:
        self.in_flight.discard(request)
        self.changed_at = time.monotonic()


_watches: weakref.WeakKeyDictionary[Any, NetworkWatch] = weakref.WeakKeyDictionary()


def wait_until_settled(page: Any) -> None:
    """What Playwright's "networkidle" waits for — the load event, then no request in flight for a while — with
    QUIET_SECONDS for the while instead of its fixed 500 ms, and no htmx work pending either. Every later
    request here starts at once (load-triggered widgets, the images of what they swap in), so the pages have
    settled long before: this only stops waiting out the rest of the 500 ms on every page checked."""
    page.wait_for_load_state("load")
    watch = _watches.get(page)
    if watch is None:  # a page the `page` fixture did not make: Playwright's own wait
        page.wait_for_load_state("networkidle")
        return
    deadline = time.monotonic() + SETTLE_TIMEOUT_SECONDS
    while True:
        page.wait_for_timeout(25)  # lets Playwright deliver the request events that arrived meanwhile
        quiet = not watch.in_flight and time.monotonic() - watch.changed_at >= QUIET_SECONDS
        if quiet and not page.evaluate(_HTMX_PENDING_JS):
            return
        assert time.monotonic() < deadline, (
            f"{page.url} did not settle in {SETTLE_TIMEOUT_SECONDS} s: {len(watch.in_flight)} requests in flight, "
            "or htmx work pending"
        )


def check_page(page: Any, size: str, name: str) -> dict[str, Any]:
    """Everything a page must pass at one size: layout, accessibility; then its screenshot."""
    wait_until_settled(page)
    layout = check_layout(page, size)
    check_axe(page)
    screenshot(page, f"{name}-{size}")
    return layout
