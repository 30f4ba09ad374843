"""The console in a real browser: headless Chromium loads a served, trained pipeline's pages.

What only a browser proves: the pages parse into the DOM we expect, the SVG charts are there, and
the static script runs and fills the campaign's "try it" box from GetRecommendations on the same
server.  The closed network needs Chromium's background services off (the flags below).  Set
``PERSONALIZE_CONSOLE_SCREENSHOT=docs/console.png`` to refresh the README's screenshot.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote

import pytest

from .conftest import build_pipeline

pytestmark = [pytest.mark.browser, pytest.mark.slow]

_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
          "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
          "--virtual-time-budget=5000")  # lets the page's script finish its fetches before the dump


def _chromium() -> str | None:
    for name in (os.environ.get("PERSONALIZE_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name) if name else None
        if found:
            return found
    return None


@dataclass
class Browser:
    """One headless Chromium with its own throwaway profile."""

    binary: str
    profile: Path

    def run(self, url: str, *extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([self.binary, *_FLAGS, f"--user-data-dir={self.profile}", *extra, url],
                              capture_output=True, text=True, timeout=120, check=True)

    def dom(self, url: str) -> str:
        """The DOM after the page's scripts ran (``--dump-dom``)."""
        return self.run(url, "--dump-dom").stdout

    def screenshot(self, url: str, path: Path, size: str = "1100,1500") -> Path:
        self.run(url, f"--screenshot={path}", f"--window-size={size}")
        return path


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Browser:
    binary = _chromium()
    if binary is None:
        pytest.skip("no headless Chromium found (looked for $PERSONALIZE_CHROMIUM, chromium, chromium-browser, "
                    "google-chrome): install Debian's package with `apt-get install chromium`")
    return Browser(binary, tmp_path_factory.mktemp("chromium-profile"))


@pytest.fixture(scope="module")
def served(browser: Browser, tmp_path_factory: pytest.TempPathFactory,
           kit: SimpleNamespace) -> Iterator[tuple[str, dict[str, str]]]:
    """The trained pipeline behind a real ``personalize-emulator serve``: (base URL, ARNs)."""
    root = tmp_path_factory.mktemp("served")
    emulator, arns = build_pipeline(root / "state", root / "data", kit)
    emulator.close()
    server = kit.start_server(root / "state", log=root / "serve.log")
    yield server.url, arns
    server.stop()


def _url(base: str, page: str, arn: str = "", **query: Any) -> str:
    return f"{base}/_console/{page}" + (f"?arn={quote(arn, safe='')}" if arn else "") + "".join(
        f"&{k}={quote(str(v), safe='')}" for k, v in query.items())


def test_index_and_group_pages_render(browser: Browser, served: tuple[str, dict[str, str]]) -> None:
    base, arns = served
    assert ">shop</a>" in browser.dom(_url(base, ""))
    dom = browser.dom(_url(base, "group", arns["dataset_group"]))
    for title in ("Datasets", "Import jobs", "Solutions", "Solution versions", "Campaigns", "Event trackers"):
        assert f"<h2>{title}</h2>" in dom
    assert "1,500" in dom and "Training needs at least 1,000 interactions" in dom


def test_version_page_renders_metrics_and_the_hpo_chart(browser: Browser, served: tuple[str, dict[str, str]],
                                                        tmp_path: Path) -> None:
    base, arns = served
    url = _url(base, "version", arns["hpo_version"])
    dom = browser.dom(url)
    assert "<h2>GetSolutionMetrics</h2>" in dom and "normalized_discounted_cumulative_gain_at_10" in dom
    assert len(re.findall(r'<rect class="bar chosen"', dom)) == 1 and len(re.findall(r'<rect class="bar', dom)) == 5
    shot = browser.screenshot(url, tmp_path / "console.png")
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 20_000  # a rendered page, not a blank one
    target = os.environ.get("PERSONALIZE_CONSOLE_SCREENSHOT")
    if target:
        shutil.copyfile(shot, target)


def test_automl_candidates_render_side_by_side(browser: Browser, served: tuple[str, dict[str, str]]) -> None:
    base, arns = served
    dom = browser.dom(_url(base, "version", arns["automl_version"]))
    assert "<h2>AutoML candidates</h2>" in dom and dom.count("(best)") == 1


def test_try_it_box_gets_recommendations_from_the_same_server(browser: Browser,
                                                              served: tuple[str, dict[str, str]]) -> None:
    base, arns = served
    dom = browser.dom(_url(base, "campaign", arns["campaign"], user="u1"))
    listed = re.search(r'<ol id="recommendations" class="recs" data-for="u1">(.*?)</ol>', dom)
    assert listed is not None, dom
    items = re.findall(r"<li>(i\d+) +\(score [0-9.]+\)</li>", listed.group(1))
    assert len(items) == 10 and len(set(items)) == 10
