"""A server that says it is ready answers its first request as fast as its thousandth.

The first request to a fresh ``serve`` used to take 380-630 ms (the handler modules, numpy and
botocore's service models were loaded lazily by it), which tripped a 0.5 s test timeout.  Timing
assertions flake on a loaded machine, so this checks the cause instead: after :meth:`Emulator.warm`
(which ``serve`` runs before announcing its URL) the first requests of every protocol import no
module at all.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

_SCRIPT = """
import json, sys
from personalize_emulator import Emulator
emulator = Emulator(sys.argv[1])
if sys.argv[2] == "warm":
    emulator.warm()
before = set(sys.modules)
control = {"content-type": "application/x-amz-json-1.1", "x-amz-target": "AmazonPersonalize.CreateDatasetGroup"}
emulator.handle("POST", "/", control, b'{"name": "first"}')
emulator.handle("POST", "/recommendations", {"content-type": "application/json"},
                b'{"campaignArn": "arn:aws:personalize:us-east-1:123456789012:campaign/c", "userId": "u"}')
emulator.handle("POST", "/events", {"content-type": "application/json"},
                b'{"trackingId": "t", "sessionId": "s", "eventList": [{"eventType": "e", "sentAt": 1}]}')
print(json.dumps(sorted(set(sys.modules) - before)))
emulator.close()
"""


def _imported_by_first_requests(tmp_path: Path, mode: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", _SCRIPT, str(tmp_path / mode), mode], capture_output=True,
                         text=True, check=True, timeout=120)
    result: list[str] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def test_first_requests_import_nothing_after_warm(tmp_path: Path) -> None:
    cold = _imported_by_first_requests(tmp_path, "cold")
    assert "botocore.client" in cold  # what the first requests used to pay for (botocore, its models)
    assert _imported_by_first_requests(tmp_path, "warm") == []


def test_serve_warms_before_it_announces() -> None:
    """``serve`` calls warm() before uvicorn announces the URL (read from the source, no server needed)."""
    import inspect

    from personalize_emulator import server

    source = inspect.getsource(server.serve)
    assert source.index("emulator.warm()") < source.index("server.run(")
