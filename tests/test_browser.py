"""Entity pages in a real browser: headless Chromium (Debian's `chromium`) against `nhskg serve` on loopback.

The server is the command itself (`python -m nhskg serve`) over the session's build. Chromium renders the pages
of NHS Kernow CCG (11N) and of the mid Cornwall commissioning group; the test reads the DOM Chromium built (the
lineage drawing and its nodes, a claim and its links), follows the claim's link, and keeps a screenshot of each
page in build/test-artifacts/ for people to look at.
"""

import html
import struct
import subprocess
import sys
import urllib.error
import urllib.request
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from virtuoso_server import LOOPBACK_OPENER, free_port, require_binaries, stop_process, wait_for_http

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "build" / "test-artifacts"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WINDOW = (1280, 1600)
SERVER_START_SECONDS = 120  # loading the build into memory takes about 10 s on 2 cores
BROWSER_SECONDS = 90

KERNOW = "/id/org/ods-11n"
MID_CORNWALL = "/id/org/mid-cornwall-gp-commissioning-group"
# Each page's lineage: the body itself and what it became (names as the graph labels them).
LINEAGE = {
    KERNOW: ("NHS Kernow CCG", "NHS Cornwall and the Isles of Scilly Integrated Care Board"),
    MID_CORNWALL: ("mid Cornwall commissioning group", "mid and west Cornwall commissioning group"),
}


@pytest.fixture(scope="module")
def chromium() -> str:
    return require_binaries("chromium")["chromium"]


@pytest.fixture(scope="module")
def site(built, tmp_path_factory, chromium):
    """`nhskg serve` on a free loopback port; its base URL. The process is always stopped."""
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with open(log, "wb") as output:
        process = subprocess.Popen([sys.executable, "-m", "nhskg", "serve", "--host", "127.0.0.1", "--port",
                                    str(port), "--build-dir", str(built[0])], stdin=subprocess.DEVNULL,
                                   stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/", process, SERVER_START_SECONDS, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_process(process, 15)


def run_chromium(chromium: str, profile: Path, *arguments: str) -> bytes:
    """One headless Chromium run with a fresh profile; its standard output."""
    done = subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *arguments],
                          capture_output=True, timeout=BROWSER_SECONDS, stdin=subprocess.DEVNULL,
                          start_new_session=True)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-2000:]
    return done.stdout


def fetch(url: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Accept": "text/html"})
    try:
        with LOOPBACK_OPENER.open(request, timeout=60) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read().decode("utf-8", "replace")


class PageReader(HTMLParser):
    """What the tests look for in a rendered page: the lineage drawing's nodes and the claims."""

    def __init__(self):
        super().__init__()
        self.svg_depth = 0  # > 0 inside <svg class="lineage">
        self.nodes: list[dict] = []  # {"href", "title", "kind"} for each linked node of the drawing
        self.edges = 0
        self.claims: list[dict] = []  # {"quote", "links": [(href, text)]}
        self._in = {"title": False, "blockquote": False, "figcaption": False, "a": False}
        self._link: list | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "svg" and "lineage" in (attributes.get("class") or "").split():
            self.svg_depth = 1
            return
        if self.svg_depth:
            if tag == "svg":
                self.svg_depth += 1
            elif tag == "a":
                self.nodes.append({"href": attributes.get("href"), "title": "", "kind": None})
            elif tag == "title" and self.nodes:
                self._in["title"] = True
            elif tag == "rect" and self.nodes:
                self.nodes[-1]["kind"] = (attributes.get("class") or "").split()[0]
            elif tag == "path" and "edge" in (attributes.get("class") or "").split():
                self.edges += 1
            return
        if tag == "figure":
            self.claims.append({"quote": "", "links": []})
        elif tag == "blockquote" and self.claims:
            self._in["blockquote"] = True
        elif tag == "figcaption" and self.claims:
            self._in["figcaption"] = True
        elif tag == "a" and self._in["figcaption"]:
            self._link = [attributes.get("href"), ""]

    def handle_endtag(self, tag):
        if self.svg_depth:
            if tag == "svg":
                self.svg_depth -= 1
            elif tag == "title":
                self._in["title"] = False
            return
        if tag in ("blockquote", "figcaption"):
            self._in[tag] = False
        elif tag == "a" and self._link is not None:
            self.claims[-1]["links"].append(tuple(self._link))
            self._link = None

    def handle_data(self, data):
        if self.svg_depth and self._in["title"]:
            self.nodes[-1]["title"] += data
        elif self._in["blockquote"]:
            self.claims[-1]["quote"] += data
        elif self._link is not None:
            self._link[1] += data


def rendered(chromium: str, site: str, path: str, profile: Path) -> PageReader:
    dom = run_chromium(chromium, profile, "--dump-dom", site + path).decode("utf-8")
    assert "<html" in dom.lower(), dom[:500]
    reader = PageReader()
    reader.feed(dom)
    return reader


@pytest.mark.parametrize("path", [KERNOW, MID_CORNWALL])
def test_lineage_diagram_renders(chromium, site, path, tmp_path):
    page = rendered(chromium, site, path, tmp_path / "profile")
    bodies = [node for node in page.nodes if node["kind"] == "body"]
    changes = [node for node in page.nodes if node["kind"] == "change"]
    itself, became = LINEAGE[path]
    assert [node["href"] for node in bodies if node["title"] == itself] == [path]
    assert any(node["title"] == became for node in bodies), [node["title"] for node in bodies]
    assert changes and page.edges >= 2
    for node in bodies + changes:  # every node of the drawing is a page of the site
        status, _ = fetch(site + node["href"])
        assert status == 200, node


def test_a_claims_link_resolves_to_its_words(chromium, site, tmp_path):
    page = rendered(chromium, site, MID_CORNWALL, tmp_path / "profile")
    assert page.claims, "the mid Cornwall page shows the claim that the Cornish groups amalgamated"
    claim = page.claims[0]
    quote = claim["quote"].strip().strip("“”")
    assert "amalgamation of two of the three Cornish commissioning groups" in quote
    links = dict((text, href) for href, text in claim["links"])
    status, body = fetch(site + links["the claim"])
    assert status == 200 and quote in html.unescape(body)
    document = links["The bureaucrats shall inherit the NHS"]
    assert document.startswith("/id/doc/")
    status, body = fetch(site + document)
    assert status == 200 and "The bureaucrats shall inherit the NHS" in html.unescape(body)


def png_facts(data: bytes) -> tuple[int, int, int, float]:
    """(width, height, distinct byte values, share of non-zero bytes) of a PNG's decompressed image data.

    The image data is filtered scanlines, not pixels, but a page of one colour gives either a single byte value
    (no filter) or nearly all zeros (differences), so both numbers stay tiny; a real page scores far above.
    """
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, width, height, compressed = 8, 0, 0, b""
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        chunk = data[position + 8:position + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", chunk[:8])
        elif kind == b"IDAT":
            compressed += chunk
        elif kind == b"IEND":
            break
        position += 12 + length
    pixels = zlib.decompress(compressed)
    return width, height, len(set(pixels)), sum(1 for byte in pixels[::97] if byte) / len(pixels[::97])


@pytest.mark.parametrize("path, name", [(KERNOW, "nhs-kernow-ccg"), (MID_CORNWALL, "mid-cornwall")])
def test_screenshot_is_saved(chromium, site, path, name, tmp_path):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    screenshot = ARTIFACTS / f"entity-page-{name}.png"
    screenshot.unlink(missing_ok=True)
    run_chromium(chromium, tmp_path / "profile", f"--screenshot={screenshot}",
                 f"--window-size={WINDOW[0]},{WINDOW[1]}", site + path)
    data = screenshot.read_bytes()
    width, height, distinct, non_zero = png_facts(data)
    assert (width, height) == WINDOW
    assert len(data) > 50_000 and distinct > 64 and non_zero > 0.02, (len(data), distinct, non_zero)
