"""Escaping by default: nothing stored in the emulator can become markup on a console page."""

from __future__ import annotations

from personalize_emulator.console._html import Html, badge, esc, page, table, url


def test_text_is_escaped_once_and_markup_passes() -> None:
    assert esc('<b a="1">') == "&lt;b a=&quot;1&quot;&gt;"
    assert esc(esc("<b>")) == "&lt;b&gt;"
    assert esc(Html("<b>")) == "<b>"
    assert esc(None) == ""


def test_tables_escape_cells_and_say_when_empty() -> None:
    assert "<td>&lt;script&gt;</td>" in table(["h"], [["<script>"]])
    assert table(["h"], [], empty="nothing <here>") == '<p class="empty">nothing &lt;here&gt;</p>'


def test_badges_tell_done_failed_and_in_flight_apart() -> None:
    assert 'class="badge ok"' in badge("ACTIVE")
    assert 'class="badge bad"' in badge("CREATE FAILED")
    assert 'class="badge busy"' in badge("CREATE IN_PROGRESS")
    assert 'class="badge off"' in badge("CREATE STOPPED")


def test_urls_quote_arns_and_pages_link_only_local_files() -> None:
    assert url("version", arn="arn:a/b c") == "/_console/version?arn=arn%3Aa%2Fb+c"
    whole = page("<t>", Html("<p>x</p>"))
    assert "<title>&lt;t&gt; - Personalize emulator</title>" in whole
    assert "http" not in whole  # no CDN: nothing outside the machine is reachable
