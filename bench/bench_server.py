"""Server benchmark: the emulator's HTTP stack against moto's, and GetRecommendations under load.

Why this exists: issue 3 sets three goals for ``personalize-emulator serve`` and asks for one run
that measures them side by side, so the ratios are never taken across machines or days:

- Describe* requests/s on ONE keep-alive connection, at least 3x moto's ``ThreadedMotoServer``
  answering DescribeSchema (moto implements the four schema calls of personalize);
- GetRecommendations p99 <= 5 ms on one connection, for a campaign on 100k interactions;
- GetRecommendations >= 1,000 requests/s over 4 concurrent connections (4 client processes).

How: every server runs in its own process (the emulator's ``serve`` command, moto's
``ThreadedMotoServer`` in a child Python, and a do-nothing httptools server as the noise floor).
Every request is built and SigV4-signed once by botocore (captured from a real boto3 call on
``before-send``) and then replayed verbatim by load generators in separate processes over persistent
``http.client`` connections; no server checks signatures, so replaying is what a busy boto3 client
looks like on the wire, minus boto3's own client-side cost.  Throughput cases alternate round-robin
within each repetition so drift hits all of them alike; the table reports medians over repetitions.
The "closed" column counts responses after which the server closed the connection: moto's server
answers ``Connection: close`` every time, so its requests also pay a TCP connect (its choice, not the
client's).  On a shared machine other work shows up in the tails: the load average is printed and
the floor rows show what the machine and client cost with no server work at all.  The
100k-interaction log is synthetic (long-tail item popularity and user activity), written as CSV into
a temporary directory and imported through the emulator's ``file://`` extension.

    python bench/bench_server.py [--quick] [--out bench/out]

Results are printed as a table and written as JSON under ``bench/out/`` (git-ignored).
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import multiprocessing as mp
import os
import platform
import select
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from functools import partial
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from progress_lines import step

__all__ = ["main"]

GOAL_DESCRIBE_RATIO = 3.0
GOAL_P99_MS = 5.0
GOAL_RPS_4 = 1000.0
CONCURRENT = 4
N_INTERACTIONS = 100_000
N_USERS = 6_000
N_ITEMS = 20_000
USER_POOL = 256
REGION = "us-east-1"
RECIPES = ("aws-popularity-count", "aws-user-personalization")
MOTO_SERVER = """
import signal, sys
from moto.server import ThreadedMotoServer
server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
print("http://127.0.0.1:%d" % server.get_host_and_port()[1], flush=True)
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
signal.pause()
"""

#: The noise floor: a do-nothing HTTP/1.1 server (httptools on uvloop, one write per response) answering
#: a fixed JSON body.  Its latency under the same load generator is what this machine and client
#: cost with no server work at all; p99s above it are the emulator's, p99s at it are the machine's.
FLOOR_SERVER = """
import asyncio, signal, socket
import httptools
BODY = b'{"itemList":[],"recommendationId":"RID-00000000-0000-4000-8000-000000000000"}'
REPLY = (b"HTTP/1.1 200 OK\\r\\ncontent-type: application/json\\r\\ncontent-length: %d\\r\\n\\r\\n" % len(BODY)) + BODY
class Floor(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport, self.parser = transport, httptools.HttpRequestParser(self)
    def data_received(self, data):
        self.parser.feed_data(data)
    def on_message_complete(self):
        self.transport.write(REPLY)
try:
    import uvloop
    loop = uvloop.new_event_loop()
except ImportError:
    loop = asyncio.new_event_loop()
asyncio.set_event_loop(loop)
sock = socket.create_server(("127.0.0.1", 0))
server = loop.run_until_complete(loop.create_server(Floor, sock=sock))
print("http://127.0.0.1:%d" % sock.getsockname()[1], flush=True)
loop.add_signal_handler(signal.SIGTERM, loop.stop)
loop.run_forever()
server.close()
"""


@dataclass(frozen=True, slots=True)
class Replay:
    """One botocore-built, signed request, ready to be sent again byte for byte."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True, slots=True)
class Case:
    """A named request mix sent to one server (``url``)."""

    name: str
    url: str
    replays: tuple[Replay, ...]


@dataclass(slots=True)
class Plan:
    """How long and how often to measure."""

    reps: int
    seconds: float
    warmup: int
    latency_requests: int


@dataclass(slots=True)
class Result:
    """Everything one run measured, as written to JSON."""

    machine: dict[str, Any]
    plan: dict[str, Any]
    describe: dict[str, dict[str, Any]] = field(default_factory=dict)
    recommendations: dict[str, dict[str, Any]] = field(default_factory=dict)
    not_measured: dict[str, str] = field(default_factory=dict)
    goals: list[dict[str, Any]] = field(default_factory=list)


# -- load generation (runs in child processes) -------------------------------------------------------
def _connect(url: str) -> http.client.HTTPConnection:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
    conn.connect()
    return conn


def _exchange(conn: http.client.HTTPConnection, replay: Replay) -> tuple[int, bool]:
    """Send one request, read the whole answer: (status, whether the server closed the connection).

    When the server closes (``Connection: close``), http.client opens a new connection for the next
    request; the caller counts those, since "one keep-alive connection" is then not what was measured.
    """
    conn.request(replay.method, replay.path, replay.body, replay.headers)
    response = conn.getresponse()
    response.read()
    return response.status, response.will_close


@dataclass(slots=True)
class _Tally:
    """One connection's outcome over one timed window."""

    requests: int = 0
    errors: int = 0
    reconnects: int = 0
    seconds: float = 0.0
    latencies_ns: list[int] = field(default_factory=list)

    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def _drive(conn: http.client.HTTPConnection, replays: Sequence[Replay], *, seconds: float = 0.0,
           count: int = 0, record: bool = False) -> _Tally:
    """Send ``replays`` round-robin for ``seconds`` (or exactly ``count`` requests)."""
    tally = _Tally()
    clock = time.perf_counter_ns
    n = len(replays)
    start = clock()
    deadline = start + int(seconds * 1e9)
    i = 0
    while (i < count) if count else (clock() < deadline):
        before = clock()
        status, closed = _exchange(conn, replays[i % n])
        if record:
            tally.latencies_ns.append(clock() - before)
        tally.errors += status != 200
        tally.reconnects += closed
        i += 1
    tally.requests = i
    tally.seconds = (clock() - start) / 1e9
    return tally


def _throughput_worker(cases: Sequence[Case], plan: Plan, barrier: Barrier | None, out: Any) -> None:
    """One connection per case; each repetition drives every case in turn (round-robin)."""
    conns = {case.name: _connect(case.url) for case in cases}
    for case in cases:
        _drive(conns[case.name], case.replays, count=plan.warmup)
    tallies: dict[str, list[dict[str, Any]]] = {case.name: [] for case in cases}
    for _ in range(plan.reps):
        for case in cases:
            if barrier is not None:
                barrier.wait()
            tally = _drive(conns[case.name], case.replays, seconds=plan.seconds)
            tallies[case.name].append({"requests": tally.requests, "seconds": tally.seconds,
                                       "errors": tally.errors, "reconnects": tally.reconnects})
    for conn in conns.values():
        conn.close()
    out.put(tallies)


def _latency_worker(case: Case, plan: Plan, out: Any) -> None:
    """Sequential requests on one connection, each timed from send to last body byte."""
    conn = _connect(case.url)
    _drive(conn, case.replays, count=plan.warmup)
    reps = []
    for _ in range(plan.reps):
        tally = _drive(conn, case.replays, count=plan.latency_requests, record=True)
        reps.append({"latencies_ns": tally.latencies_ns, "seconds": tally.seconds, "errors": tally.errors,
                     "reconnects": tally.reconnects})
    conn.close()
    out.put(reps)


def _run_processes(target: Callable[..., None], args_per_process: Sequence[tuple[Any, ...]]) -> list[Any]:
    """Run ``target(*args, queue)`` in one fresh process per args tuple; their results, in order."""
    ctx = mp.get_context("spawn")
    queues = [ctx.Queue() for _ in args_per_process]
    processes = [ctx.Process(target=target, args=(*args, q), daemon=True)
                 for args, q in zip(args_per_process, queues, strict=True)]
    for process in processes:
        process.start()
    results = [_result(q, p) for q, p in zip(queues, processes, strict=True)]
    for process in processes:
        process.join(timeout=60)
        if process.exitcode != 0:
            raise RuntimeError(f"load generator exited with {process.exitcode}")
    return results


def _result(queue: Any, process: Any) -> Any:
    """The process's result, or an error as soon as it died without one."""
    import queue as queue_module

    while True:
        try:
            return queue.get(timeout=1.0)
        except queue_module.Empty:
            if not process.is_alive():
                raise RuntimeError(f"load generator died with exit code {process.exitcode}") from None


def _spawn_barrier(parties: int) -> Barrier:
    return mp.get_context("spawn").Barrier(parties)


# -- servers -----------------------------------------------------------------------------------------
class Server:
    """A server in a child process whose first stdout line is its URL; stderr goes to ``log``."""

    def __init__(self, name: str, argv: Sequence[str], log: Path, *, timeout: float = 120.0) -> None:
        self.name = name
        self._log = log.open("wb")
        self.process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=self._log)
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        line = self.process.stdout.readline().decode().strip() if ready else ""
        if not line.startswith("http"):
            self.stop()
            tail = log.read_text(errors="replace").strip().splitlines()[-3:]
            raise RuntimeError(f"{name} did not start (first line {line!r}): {' | '.join(tail)}")
        self.url = line
        # Keep draining stdout so the child never blocks on a full pipe.
        threading.Thread(target=_drain, args=(self.process.stdout,), daemon=True).start()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


def _drain(stream: IO[bytes]) -> None:
    for _ in stream:
        pass


def _client(service: str, url: str) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.client(service, endpoint_url=url, region_name=REGION, aws_access_key_id="bench",
                        aws_secret_access_key="bench",
                        config=Config(retries={"max_attempts": 1}, tcp_keepalive=True))


def _capture(client: Any, call: Callable[[], Any]) -> Replay:
    """Make one real boto3 call and keep the signed request botocore sent for it."""
    seen: list[Any] = []

    def hook(request: Any, **_kwargs: Any) -> None:
        seen.append(request)

    client.meta.events.register("before-send", hook)
    try:
        call()
    finally:
        client.meta.events.unregister("before-send", hook)
    request = seen[-1]
    parts = urlsplit(request.url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    headers = {k: v.decode() if isinstance(v, bytes) else str(v) for k, v in request.headers.items()}
    body = request.body or b""
    return Replay(request.method, path, headers, body.encode() if isinstance(body, str) else bytes(body))


def _describer(method: Callable[..., dict[str, Any]], member: str, **params: Any) -> Callable[[], dict[str, Any]]:
    """A no-argument call returning ``method(**params)[member]`` (a Describe* call's resource)."""

    def describe() -> dict[str, Any]:
        body: dict[str, Any] = method(**params)[member]
        return body

    return describe


def _wait(describe: Callable[[], dict[str, Any]], what: str, timeout: float = 600.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        body = describe()
        status = body.get("status", "")
        if status == "ACTIVE":
            return body
        if "FAILED" in status:
            raise RuntimeError(f"{what} ended {status}: {body.get('failureReason')}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} still {status} after {timeout:.0f} s")
        time.sleep(0.1)


# -- data ----------------------------------------------------------------------------------------------
INTERACTIONS_SCHEMA = json.dumps({
    "type": "record", "name": "Interactions", "namespace": "com.amazonaws.personalize.schema",
    "fields": [{"name": "USER_ID", "type": "string"}, {"name": "ITEM_ID", "type": "string"},
               {"name": "TIMESTAMP", "type": "long"}],
    "version": "1.0",
})


def write_interactions(path: Path, *, n: int = N_INTERACTIONS, seed: int = 7) -> list[str]:
    """A synthetic interaction log with long tails on both sides; returns the user ids in it.

    Item popularity follows a Zipf-like law (weight ~ 1 / (rank + 5)^1.05: a few hundred items take
    most interactions, most items are seen a handful of times) and user activity is log-normal (a
    median user with a few interactions, some with hundreds).  Rows are chronological over 90 days.
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    item_weights = 1.0 / (np.arange(N_ITEMS) + 5.0) ** 1.05
    item_ids = rng.permutation(N_ITEMS)  # popularity rank is not the id order
    activity = rng.lognormal(mean=0.0, sigma=1.2, size=N_USERS)
    users = rng.choice(N_USERS, size=n, p=activity / activity.sum())
    items = item_ids[rng.choice(N_ITEMS, size=n, p=item_weights / item_weights.sum())]
    times = 1_700_000_000 + np.sort(rng.integers(0, 90 * 86_400, size=n))
    with path.open("w", encoding="utf-8") as f:
        f.write("USER_ID,ITEM_ID,TIMESTAMP\n")
        f.writelines(f"u{u},i{i},{t}\n" for u, i, t in zip(users.tolist(), items.tolist(), times.tolist(),
                                                           strict=True))
    return [f"u{u}" for u in np.unique(users).tolist()]


# -- scenarios -------------------------------------------------------------------------------------------
def setup_describe(emulator_url: str, moto_url: str | None) -> list[Case]:
    """A schema and a dataset group on the emulator, a schema on moto; their Describe* requests."""
    emu = _client("personalize", emulator_url)
    emu_schema = emu.create_schema(name="bench-schema", schema=INTERACTIONS_SCHEMA)["schemaArn"]
    dsg = emu.create_dataset_group(name="bench-describe")["datasetGroupArn"]
    _wait(_describer(emu.describe_dataset_group, "datasetGroup", datasetGroupArn=dsg), "dataset group")
    cases = [Case("emulator DescribeSchema", emulator_url,
                  (_capture(emu, lambda: emu.describe_schema(schemaArn=emu_schema)),))]
    if moto_url is not None:
        moto = _client("personalize", moto_url)
        moto_schema = moto.create_schema(name="bench-schema", schema=INTERACTIONS_SCHEMA)["schemaArn"]
        cases.append(Case("moto DescribeSchema", moto_url,
                          (_capture(moto, lambda: moto.describe_schema(schemaArn=moto_schema)),)))
    cases.append(Case("emulator DescribeDatasetGroup", emulator_url,
                      (_capture(emu, lambda: emu.describe_dataset_group(datasetGroupArn=dsg)),)))
    return cases


def setup_campaigns(url: str, data_dir: Path, recipes: Sequence[str]) -> dict[str, Case | str]:
    """Import 100k interactions once, train one solution version per recipe, deploy a campaign each.

    A recipe whose training or deployment fails maps to the reason (reported, not measured), so one
    recipe still in development never hides the others' numbers.
    """
    control = _client("personalize", url)
    csv_path = data_dir / "interactions.csv"
    users = write_interactions(csv_path)
    schema = control.create_schema(name="bench-interactions", schema=INTERACTIONS_SCHEMA)["schemaArn"]
    dsg = control.create_dataset_group(name="bench-recs")["datasetGroupArn"]
    _wait(_describer(control.describe_dataset_group, "datasetGroup", datasetGroupArn=dsg), "dataset group")
    dataset = control.create_dataset(name="bench-interactions", schemaArn=schema, datasetGroupArn=dsg,
                                     datasetType="Interactions")["datasetArn"]
    _wait(_describer(control.describe_dataset, "dataset", datasetArn=dataset), "dataset")
    started = time.perf_counter()
    job = control.create_dataset_import_job(
        jobName="bench-import", datasetArn=dataset, dataSource={"dataLocation": csv_path.as_uri()},
        roleArn="arn:aws:iam::123456789012:role/bench",
    )["datasetImportJobArn"]
    _wait(_describer(control.describe_dataset_import_job, "datasetImportJob", datasetImportJobArn=job), "import")
    print(f"  imported {N_INTERACTIONS:,} interactions in {time.perf_counter() - started:.1f} s", flush=True)
    pool = users[:: max(1, len(users) // USER_POOL)][:USER_POOL]
    cases: dict[str, Case | str] = {}
    for recipe in recipes:
        try:
            cases[recipe] = _deploy(url, dsg, recipe, pool)
        except RuntimeError as exc:
            print(f"  {recipe}: not measured: {exc}", flush=True)
            cases[recipe] = str(exc)
    return cases


def _deploy(url: str, dsg: str, recipe: str, users: Sequence[str]) -> Case:
    """Train ``recipe`` on the dataset group, deploy a campaign, capture one request per user."""
    control = _client("personalize", url)
    runtime = _client("personalize-runtime", url)
    solution = control.create_solution(name=f"bench-{recipe}", datasetGroupArn=dsg,
                                       recipeArn=f"arn:aws:personalize:::recipe/{recipe}")["solutionArn"]
    _wait(_describer(control.describe_solution, "solution", solutionArn=solution), "solution")
    started = time.perf_counter()
    version = control.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    with step(f"training {recipe} (CreateSolutionVersion on the server)"):
        _wait(_describer(control.describe_solution_version, "solutionVersion", solutionVersionArn=version),
              f"{recipe} training", timeout=3600)
    print(f"  trained {recipe} in {time.perf_counter() - started:.1f} s", flush=True)
    campaign = control.create_campaign(name=f"bench-{recipe}", solutionVersionArn=version)["campaignArn"]
    _wait(_describer(control.describe_campaign, "campaign", campaignArn=campaign), "campaign")
    replays = tuple(_capture(runtime, partial(runtime.get_recommendations, campaignArn=campaign, userId=user))
                    for user in users)
    return Case(f"emulator GetRecommendations {recipe}", url, replays)


def floor_case(url: str) -> Case:
    """The noise-floor server's case: the same captured request shape, any body is answered alike."""
    replay = Replay("POST", "/recommendations", {"Content-Type": "application/json", "Content-Length": "2"}, b"{}")
    return Case("floor (do-nothing HTTP server)", url, (replay,))


def measure_describe(cases: Sequence[Case], plan: Plan) -> dict[str, dict[str, Any]]:
    [tallies] = _run_processes(_throughput_worker, [(cases, plan, None)])
    out: dict[str, dict[str, Any]] = {}
    for case in cases:
        reps = tallies[case.name]
        rates = [r["requests"] / r["seconds"] for r in reps]
        out[case.name] = {"rps_median": statistics.median(rates), "rps_reps": rates,
                          "requests": sum(r["requests"] for r in reps), "errors": sum(r["errors"] for r in reps),
                          "reconnects": sum(r["reconnects"] for r in reps)}
    peer = out.get("moto DescribeSchema")
    for row in out.values():
        if peer:
            # Paired: repetition i of each case ran back to back, so their ratio cancels most of the
            # machine's drift; the median of those ratios is the headline, not a ratio of medians.
            ratios = [ours / theirs for ours, theirs in zip(row["rps_reps"], peer["rps_reps"], strict=True)]
            row["vs_moto_reps"] = ratios
            row["vs_moto_median"] = statistics.median(ratios)
    return out


def _percentile(sorted_values: Sequence[int], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of an ascending sequence."""
    rank = max(1, min(len(sorted_values), int(-(-q * len(sorted_values) // 100))))
    return float(sorted_values[rank - 1])


def measure_recommendations(case: Case, plan: Plan) -> dict[str, Any]:
    [latency_reps] = _run_processes(_latency_worker, [(case, plan)])
    p50s, p99s, singles = [], [], []
    for rep in latency_reps:
        values = sorted(rep["latencies_ns"])
        p50s.append(_percentile(values, 50) / 1e6)
        p99s.append(_percentile(values, 99) / 1e6)
        singles.append(len(values) / rep["seconds"])
    barrier = _spawn_barrier(CONCURRENT)
    shards = [Case(case.name, case.url, case.replays[k::CONCURRENT] if len(case.replays) >= CONCURRENT
                   else case.replays) for k in range(CONCURRENT)]
    concurrent = _run_processes(_throughput_worker, [([shard], plan, barrier) for shard in shards])
    totals = [sum(w[case.name][r]["requests"] / w[case.name][r]["seconds"] for w in concurrent)
              for r in range(plan.reps)]
    errors = sum(rep["errors"] for rep in latency_reps) + sum(
        r["errors"] for w in concurrent for r in w[case.name])
    reconnects = sum(rep["reconnects"] for rep in latency_reps) + sum(
        r["reconnects"] for w in concurrent for r in w[case.name])
    return {"p50_ms_median": statistics.median(p50s), "p99_ms_median": statistics.median(p99s),
            "p50_ms_reps": p50s, "p99_ms_reps": p99s, "rps_1conn_median": statistics.median(singles),
            f"rps_{CONCURRENT}conn_median": statistics.median(totals), f"rps_{CONCURRENT}conn_reps": totals,
            "errors": errors, "reconnects": reconnects}


# -- report -------------------------------------------------------------------------------------------------
def machine_notes() -> dict[str, Any]:
    from importlib.metadata import version

    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    packages: dict[str, str | None] = {}
    for name in ("uvicorn", "httptools", "uvloop", "moto", "werkzeug", "botocore"):
        try:
            packages[name] = version(name)
        except Exception:
            packages[name] = None
    return {"cpu": model, "cpus": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform(), "packages": packages, "loadavg_start": _load(),
            "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}


def _load() -> list[float] | None:
    """1/5/15-minute load averages: on a shared machine, other work skews tail latency."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


FLOOR = "floor (do-nothing HTTP server)"


def goals(result: Result) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for name in ("emulator DescribeSchema", "emulator DescribeDatasetGroup"):
        ratio = result.describe.get(name, {}).get("vs_moto_median")
        if ratio is not None:
            rows.append({"goal": f"{name} >= {GOAL_DESCRIBE_RATIO:g}x moto DescribeSchema", "value": ratio,
                         "unit": "x", "met": ratio >= GOAL_DESCRIBE_RATIO})
    for recipe, rec in result.recommendations.items():
        if recipe == FLOOR:
            continue
        rows.append({"goal": f"{recipe} p99 <= {GOAL_P99_MS:g} ms", "value": rec["p99_ms_median"], "unit": "ms",
                     "met": rec["p99_ms_median"] <= GOAL_P99_MS})
        rate = rec[f"rps_{CONCURRENT}conn_median"]
        rows.append({"goal": f"{recipe} >= {GOAL_RPS_4:,.0f} req/s over {CONCURRENT} connections", "value": rate,
                     "unit": "req/s", "met": rate >= GOAL_RPS_4})
    for recipe, reason in result.not_measured.items():
        rows.append({"goal": f"{recipe} (all goals)", "value": None, "unit": reason, "met": False})
    return rows


def print_table(result: Result) -> None:
    m = result.machine
    print(f"\nmachine: {m['cpu']}, {m['cpus']} CPUs, Python {m['python']}, "
          + ", ".join(f"{k} {v}" for k, v in m["packages"].items()))
    print(f"load average (1/5/15 min) at start {m['loadavg_start']}, at end {m.get('loadavg_end')}: "
          "other work on the machine shows up in the tails; compare with the floor rows")
    plan = result.plan
    print(f"plan: {plan['reps']} repetitions, {plan['seconds']:g} s per throughput window, "
          f"{plan['latency_requests']} timed requests per latency repetition; medians over repetitions "
          "(vs moto: median of the per-repetition ratios)\n")
    print(f"{'Describe*, one keep-alive connection':<44}{'req/s':>10}{'vs moto':>10}{'errors':>8}{'closed':>8}")
    for name, row in result.describe.items():
        ratio = f"{row['vs_moto_median']:.2f}x" if "vs_moto_median" in row else "-"
        print(f"{name:<44}{row['rps_median']:>10,.0f}{ratio:>10}{row['errors']:>8}{row['reconnects']:>8}")
    for name, row in result.describe.items():
        if row["reconnects"]:
            print(f"  note: {name}: the server closed the connection after {row['reconnects']:,} of "
                  f"{row['requests']:,} responses (Connection: close), so those requests also paid a new TCP "
                  "connection; that is the server's behaviour, not the client's choice")
    if result.recommendations:
        print(f"\n{'GetRecommendations (100k interactions)':<44}{'p50 ms':>9}{'p99 ms':>9}{'1 conn/s':>10}"
              f"{f'{CONCURRENT} conns/s':>11}{'errors':>8}{'closed':>8}")
        for recipe, rec in result.recommendations.items():
            print(f"{recipe:<44}{rec['p50_ms_median']:>9.2f}{rec['p99_ms_median']:>9.2f}"
                  f"{rec['rps_1conn_median']:>10,.0f}{rec[f'rps_{CONCURRENT}conn_median']:>11,.0f}"
                  f"{rec['errors']:>8}{rec['reconnects']:>8}")
    for recipe, reason in result.not_measured.items():
        print(f"{recipe:<44}not measured: {reason}")
    print("\ngoals:")
    for row in result.goals:
        value = "-" if row["value"] is None else f"{row['value']:,.2f}"
        print(f"  [{'met' if row['met'] else 'MISSED'}] {row['goal']}: {value} {row['unit']}")


# -- main ---------------------------------------------------------------------------------------------------
def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="fewer and shorter repetitions (a smoke run)")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out",
                        help="directory for the JSON results (default: bench/out)")
    parser.add_argument("--skip-recommendations", action="store_true", help="only the Describe* comparison")
    args = parser.parse_args(argv)
    plan = Plan(reps=3, seconds=1.0, warmup=200, latency_requests=1000) if args.quick else Plan(
        reps=5, seconds=3.0, warmup=500, latency_requests=3000)

    from personalize_emulator.training import supported_recipes

    recipes = [r for r in RECIPES if r in supported_recipes()]
    result = Result(machine=machine_notes(), plan=asdict(plan) | {"recipes": recipes,
                                                                  "concurrent_connections": CONCURRENT})
    with tempfile.TemporaryDirectory(prefix="bench-server-") as tmp:
        root = Path(tmp)
        (root / "data").mkdir()
        servers = [
            Server("emulator", [sys.executable, "-m", "personalize_emulator.cli", "serve", "--host", "127.0.0.1",
                                "--port", "0", "--data-dir", str(root / "state"), "--allow-file-root",
                                str(root / "data"), "--log-level", "WARNING"], root / "emulator.log"),
            Server("floor", [sys.executable, "-c", FLOOR_SERVER], root / "floor.log"),
        ]
        emulator, floor = servers
        moto: Server | None = None
        try:
            moto = Server("moto", [sys.executable, "-c", MOTO_SERVER], root / "moto.log")
            servers.append(moto)
        except RuntimeError as exc:  # moto[server] missing or broken: the other numbers still stand
            print(f"moto: not measured: {exc}", flush=True)
            result.not_measured["moto DescribeSchema"] = str(exc)
        try:
            print(f"emulator {emulator.url}, moto {moto.url if moto else '-'}, floor {floor.url}", flush=True)
            print("Describe* on one keep-alive connection ...", flush=True)
            cases = [*setup_describe(emulator.url, moto.url if moto else None),
                     Case(FLOOR, floor.url, floor_case(floor.url).replays)]
            result.describe = measure_describe(cases, plan)
            if moto is not None:
                moto.stop()  # idle from here on; nothing else should share the CPUs
            if not args.skip_recommendations:
                print(f"GetRecommendations, recipes: {', '.join(recipes)} ...", flush=True)
                deployed = setup_campaigns(emulator.url, root / "data", recipes)
                for recipe, case in [*deployed.items(), (FLOOR, floor_case(floor.url))]:
                    if isinstance(case, str):
                        result.not_measured[recipe] = case
                    else:
                        result.recommendations[recipe] = measure_recommendations(case, plan)
        finally:
            for server in servers:
                server.stop()
    result.machine["loadavg_end"] = _load()
    result.goals = goals(result)
    print_table(result)
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = args.out / f"bench_server-{stamp}.json"
    path.write_text(json.dumps(asdict(result), indent=2) + "\n")
    print(f"\nwrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
