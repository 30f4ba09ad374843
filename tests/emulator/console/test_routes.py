"""The console's router: its paths only, read-only, errors as pages with the API's codes."""

from __future__ import annotations

import json

from personalize_emulator.console import is_console, route

from .conftest import Pages


def test_only_console_paths_are_the_consoles() -> None:
    assert is_console("/_console") and is_console("/_console/") and is_console("/_console/version?arn=x")
    assert not is_console("/") and not is_console("/recommendations") and not is_console("/_consoles")


def test_api_requests_pass_through_untouched(pages: Pages) -> None:
    answer = route(pages.emulator, "POST", "/recommendations", {"content-type": "application/json"},
                   json.dumps({"campaignArn": pages.arns["campaign"], "userId": "u1", "numResults": 3}).encode())
    assert answer.status == 200 and len(json.loads(answer.body)["itemList"]) == 3


def test_the_console_is_read_only(pages: Pages) -> None:
    answer = pages.get("", method="POST")
    assert answer.status == 405 and "MethodNotAllowed" in answer.text and "read-only" in answer.text


def test_unknown_arns_and_pages_are_404_pages(pages: Pages) -> None:
    missing = "arn:aws:personalize:us-east-1:123456789012:campaign/<nope>"
    answer = pages.get("campaign", missing)
    assert answer.status == 404 and answer.headers["content-type"].startswith("text/html")
    assert "ResourceNotFoundException" in answer.text
    assert "campaign/&lt;nope&gt; does not exist" in answer.text  # the API's wording, escaped
    assert pages.get("campaign").status == 404  # no arn at all
    assert pages.get("nowhere").status == 404 and pages.get("static/../conftest.py").status == 404


def test_a_version_arn_on_the_campaign_page_is_not_found(pages: Pages) -> None:
    assert pages.get("campaign", pages.arns["hpo_version"]).status == 404


def test_pages_are_never_cached(pages: Pages) -> None:
    assert pages.get("").headers["cache-control"] == "no-store"
