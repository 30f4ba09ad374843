"""Each console page's content over plain HTTP semantics (no browser): what a person needs to see."""

from __future__ import annotations

import json
import re

from .conftest import Pages


def test_index_lists_dataset_groups_with_what_hangs_off_them(pages: Pages) -> None:
    page = pages.get("")
    assert page.status == 200 and page.headers["content-type"].startswith("text/html")
    assert ">shop</a>" in page.text and "ACTIVE" in page.text
    assert "1 datasets, 2 import jobs, 3 solutions, 3 solution versions, 1 campaigns, 1 event trackers" in page.text
    assert "filters" not in page.text.lower()  # optional kinds appear only once some exist


def test_group_page_shows_every_kind_with_status_rows_and_failure_reasons(pages: Pages) -> None:
    text = pages.get("group", pages.arns["dataset_group"]).text
    for title in ("Datasets", "Import jobs", "Solutions", "Solution versions", "Campaigns", "Event trackers"):
        assert f"<h2>{title}</h2>" in text
    assert "<td>Interactions</td><td>1,500</td>" in text  # rows imported into the dataset
    assert "CREATE FAILED" in text and "missing.csv" in text  # the failed import and its reason
    assert "Training needs at least 1,000 interactions" in text  # the failed version's reason
    assert "AutoML (best: aws-user-personalization" in text
    assert 'href="/_console/version?arn=' in text and 'href="/_console/campaign?arn=' in text
    assert "data-live" not in text  # nothing in flight: the script does not poll


def test_version_page_shows_metrics_and_the_hpo_chart_with_the_chosen_trial(pages: Pages) -> None:
    text = pages.get("version", pages.arns["hpo_version"]).text
    assert "<h2>GetSolutionMetrics</h2>" in text
    metrics = pages.emulator.call("personalize", "GetSolutionMetrics",
                                  {"solutionVersionArn": pages.arns["hpo_version"]})["metrics"]
    for name, value in metrics.items():
        assert f"<td>{name}</td><td>{value:.4f}</td>" in text
    assert "<h2>HPO trials</h2>" in text and "5 of 5 trials" in text
    assert text.count('<rect class="bar') == 5 and text.count('<rect class="bar chosen"') == 1
    assert ">chosen</text>" in text and " Chosen: " in text  # and why (HPO keeps the defaults unless beaten)
    tuned = pages.emulator.store.get(pages.arns["hpo_version"]).body["tunedHPOParams"]["algorithmHyperParameters"]
    chosen_row = re.search(r"<tr>((?:(?!<tr>).)*)chosen</span></td></tr>", text)
    assert chosen_row is not None and f"<td>{tuned['min_cointeraction_count']}</td>" in chosen_row.group(1)
    assert 'aria-label="score by popularity_discount_factor"' in text
    assert "<dd data-field=\"phase\">finished</dd>" in text and "HPO trial 5 of 5" in text


def test_version_page_puts_automl_candidates_side_by_side(pages: Pages) -> None:
    text = pages.get("version", pages.arns["automl_version"]).text
    assert "<h2>AutoML candidates</h2>" in text
    assert ">aws-user-personalization-v2</text>" in text and ">aws-user-personalization</text>" in text
    assert text.count("(best)") == 1


def test_failed_version_shows_why_and_where(pages: Pages) -> None:
    text = pages.get("version", pages.arns["failed_version"]).text
    assert "CREATE FAILED" in text and "Training needs at least 1,000 interactions" in text
    assert "ended CREATE FAILED during: preparing" in text
    assert "GetSolutionMetrics" not in text  # the API answers metrics for ACTIVE versions only


def test_campaign_page_has_a_try_it_box_for_get_recommendations(pages: Pages) -> None:
    text = pages.get("campaign", pages.arns["campaign"]).text
    assert f'<form id="try" data-campaign="{pages.arns["campaign"]}">' in text
    assert '<script src="/_console/static/console.js"></script>' in text
    script = pages.get("static/console.js")
    assert script.status == 200 and script.headers["content-type"].startswith("text/javascript")
    assert 'fetch("/recommendations"' in script.text


def test_progress_feed_is_json(pages: Pages) -> None:
    feed = pages.get("progress", pages.arns["hpo_version"])
    state = json.loads(feed.text)
    assert feed.headers["content-type"] == "application/json"
    assert state["status"] == "ACTIVE" and state["live"] is False
    assert (state["trial"], state["trials"]) == (5, 5) and state["elapsed"] >= 0
