"""``personalize-emulator``: run the local Amazon Personalize as a server.

    personalize-emulator serve [--host 127.0.0.1] [--port N] [--data-dir DIR] [--allow-file-root DIR ...]
                               [--clock-speed X]

The first line on stdout is the URL to give boto3 (``endpoint_url=`` or
``AWS_ENDPOINT_URL_PERSONALIZE``); logs (including training progress) go to stderr.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="personalize-emulator", description="A local Amazon Personalize.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the Personalize APIs over HTTP")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback only)")
    serve.add_argument("--port", type=int, default=4566 + 100, help="port (0 picks a free one; default 4666)")
    serve.add_argument("--data-dir", type=Path, default=Path(".personalize"),
                       help="where state and models live (default: ./.personalize)")
    serve.add_argument("--allow-file-root", type=Path, action="append", default=[], metavar="DIR",
                       help="a directory file:// imports may read (repeatable; none allowed by default)")
    serve.add_argument("--account-id", default="123456789012", help="the account id in ARNs")
    serve.add_argument("--training-workers", type=int, default=None, help="concurrent training jobs")
    serve.add_argument("--quota", action="append", default=[], metavar="NAME=N",
                       help="change a default quota, e.g. campaigns=20 (repeatable; names: "
                            "dataset_groups, schemas, datasets, event_trackers, solutions, "
                            "solutions_per_dataset_group, campaigns, solution_versions_in_progress)")
    serve.add_argument("--progression-describes", type=int, default=None, metavar="N",
                       help="Describe/List answers that must show a status before it advances (default 1; "
                            "0 = by time only)")
    serve.add_argument("--progression-seconds", type=float, default=None, metavar="S",
                       help="or advance S seconds after the work is done, unseen (default 5; 0 = at once)")
    serve.add_argument("--clock-speed", type=float, default=None, metavar="X",
                       help="emulated seconds per real second (default 1 = real time); e.g. 3600 runs "
                            "an hour of schedules (automatic training) per second")
    serve.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    return parser


def _quota(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name or not value:
        raise ValueError(f"--quota takes NAME=N, got {text!r}")
    return name.strip(), value.strip()


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=args.log_level, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from pydantic import ValidationError

    from .emulator import Emulator
    from .server import serve
    from .settings import Settings

    try:
        options: dict[str, object] = {"account_id": args.account_id,
                                      "allow_file_roots": tuple(p.resolve() for p in args.allow_file_root)}
        if args.clock_speed is not None:
            options["clock_speed"] = args.clock_speed
        if args.training_workers:
            options["training_workers"] = args.training_workers
        if args.quota:
            options["quotas"] = dict(_quota(q) for q in args.quota)
        progression = {k: v for k, v in (("describes", args.progression_describes),
                                         ("seconds", args.progression_seconds)) if v is not None}
        if progression:
            options["progression"] = progression
        settings = Settings.model_validate(options)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"])
        print(f"personalize-emulator: invalid option {where}: {error['msg']}", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"personalize-emulator: {exc}", file=sys.stderr)
        return 2
    emulator = Emulator(args.data_dir, settings=settings)

    def announce(url: str) -> None:
        print(url, flush=True)
        logging.getLogger("personalize_emulator").info("serving on %s (console: %s/_console/), state in %s", url, url,
                                                       emulator.data_dir)

    try:
        serve(emulator, host=args.host, port=args.port, announce=announce)
    except OSError as exc:
        print(f"personalize-emulator: cannot listen on {args.host}:{args.port}: {exc.strerror}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
