"""Security defaults: loopback binding, owner-only state, no pickle or eval, no secrets at rest or in logs."""

from __future__ import annotations

import ast
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import pytest

ROOT = Path(__file__).resolve().parents[3]
SENTINEL = "SENTINEL-SECRET-7f3c9a"


_UNSAFE_MODULES = {"pickle", "cPickle", "dill", "marshal", "shelve", "cloudpickle", "joblib"}


def _unsafe(tree: ast.AST) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] in _UNSAFE_MODULES]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in _UNSAFE_MODULES:
            found.append((node.lineno, node.module or ""))
        elif isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name) and node.func.id in {"eval", "exec"}:
                found.append((node.lineno, node.func.id))
            for keyword in node.keywords:
                if keyword.arg == "allow_pickle" and not (
                    isinstance(keyword.value, ast.Constant) and keyword.value.value is False
                ):
                    found.append((node.lineno, "allow_pickle"))
    return found


def test_no_pickle_eval_or_exec_in_our_code() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for package in ("provider", "emulator")
        for path in (ROOT / package).rglob("*.py")
        for line, what in _unsafe(ast.parse(path.read_text()))
    ]
    assert not offenders, offenders


def test_data_dir_is_owner_only(tmp_path: Path) -> None:
    from personalize_emulator import Emulator

    with Emulator(tmp_path / "fresh") as emulator:
        mode = stat.S_IMODE(emulator.data_dir.stat().st_mode)
    assert mode == 0o700


@pytest.mark.slow
def test_binds_loopback_by_default_and_warns_when_wider(tmp_path: Path) -> None:
    def start(*extra: str) -> tuple[str, str]:
        process = subprocess.Popen(
            [sys.executable, "-m", "personalize_emulator.cli", "serve", "--port", "0", "--data-dir",
             str(tmp_path / "s"), *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        process.terminate()
        _, err = process.communicate(timeout=30)
        return url, err

    url, err = start()
    assert url.startswith("http://127.0.0.1:")
    assert "accepts any credentials" not in err
    url, err = start("--host", "0.0.0.0")
    assert url.startswith("http://0.0.0.0:")
    assert "accepts any credentials" in err


@pytest.mark.slow
def test_secrets_never_reach_state_files_or_logs(start_server: Any, tmp_path: Path, interactions_csv: Path,
                                                 build_dataset: Any, wait_for: Any) -> None:
    server = start_server(None, "--log-level", "DEBUG")
    client = boto3.client("personalize", region_name="us-east-1", endpoint_url=server.url,
                          aws_access_key_id="AKIDSENTINEL", aws_secret_access_key=SENTINEL,
                          aws_session_token=SENTINEL + "-token")
    arns = build_dataset(client, interactions_csv, "secret")
    solution = client.create_solution(name="secret", datasetGroupArn=arns["group"],
                                      recipeArn="arn:aws:personalize:::recipe/aws-popularity-count")["solutionArn"]
    wait_for(lambda: client.describe_solution(solutionArn=solution)["solution"])
    version = client.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    wait_for(lambda: client.describe_solution_version(solutionVersionArn=version)["solutionVersion"])
    assert server.stop() == 0
    leaks = [str(p) for p in server.data_dir.rglob("*") if p.is_file() and SENTINEL.encode() in p.read_bytes()]
    assert not leaks
    assert SENTINEL not in server.stderr
    assert server.stderr  # the DEBUG log was really captured


def test_the_unsafe_code_scan_can_fail() -> None:
    found = _unsafe(ast.parse("import pickle\nfrom dill import dumps\neval('1')\nnp.load(f, allow_pickle=True)\n"))
    assert [what for _, what in found] == ["pickle", "dill", "eval", "allow_pickle"]
