"""The README's "Using the emulator" snippet, run as a new user runs it: no AWS configuration at all.

It used to build a client without credentials, so the first call raised NoCredentialsError.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

README = Path(__file__).resolve().parents[3] / "README.md"


def _snippet() -> str:
    section = README.read_text(encoding="utf-8").split("## Using the emulator", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, "the README's emulator section has no python snippet"
    return match.group(1)


def test_the_snippet_makes_a_call_and_sets_credentials() -> None:
    code = _snippet()
    assert "endpoint_url=\"http://127.0.0.1:4666\"" in code
    assert "aws_access_key_id=" in code and "client.list_recipes()" in code


@pytest.mark.slow
def test_the_snippet_runs_without_any_aws_configuration(serve: Callable[..., Any], tmp_path: Path) -> None:
    server = serve()
    code = _snippet().replace("http://127.0.0.1:4666", server.url)
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(HOME=str(tmp_path), AWS_CONFIG_FILE=str(tmp_path / "none"),
               AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "none"))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['aws-user-personalization-v2', 'aws-user-personalization', " \
                                  "'aws-personalized-ranking-v2']"
