"""Load the shared benchmark logs into the training core's input contract (TrainingData).

The files live next to the repository (``../shared/data`` by default, or ``$PERSONALIZE_BENCH_DATA``)
and are never copied into it. Each loader returns None when its files are absent, so the benchmark
skips that data set cleanly.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np

from personalize_emulator.training import Interactions, Table, TrainingData

__all__ = ["DATASETS", "data_root", "load_groceries", "load_ml_100k", "load_ml_latest_small"]

ML100K_GENRES = (
    "unknown", "Action", "Adventure", "Animation", "Children", "Comedy", "Crime", "Documentary", "Drama",
    "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western",
)
YEAR = re.compile(r"\((\d{4})\)\s*$")


def data_root() -> Path:
    default = Path(__file__).resolve().parents[2] / "shared" / "data"
    return Path(os.environ.get("PERSONALIZE_BENCH_DATA", default))


def _interactions(users: list[str], items: list[str], times: list[int], kind: str,
                  values: list[float] | None) -> Interactions:
    n = len(users)
    return Interactions(
        user_id=np.array(users),
        item_id=np.array(items),
        timestamp=np.array(times, dtype=np.int64),
        event_type=np.full(n, kind),
        event_value=np.array(values, dtype=np.float64) if values is not None else np.full(n, np.nan),
    )


def load_ml_100k(root: Path) -> TrainingData | None:
    folder = root / "ml-100k"
    if not (folder / "u.data").exists():
        return None
    raw = np.loadtxt(folder / "u.data", dtype=np.int64)
    interactions = _interactions(raw[:, 0].astype(str).tolist(), raw[:, 1].astype(str).tolist(),
                                 raw[:, 3].tolist(), "rating", raw[:, 2].astype(float).tolist())
    keys, genres, years = [], [], []
    for line in (folder / "u.item").read_text(encoding="latin-1").splitlines():
        fields = line.split("|")
        keys.append(fields[0])
        flags = fields[5:24]
        genres.append("|".join(g for g, f in zip(ML100K_GENRES, flags, strict=True) if f == "1"))
        date = fields[2]
        years.append(float(date[-4:]) if date else np.nan)
    items = Table(np.array(keys), {"GENRES": np.array(genres), "YEAR": np.array(years)},
                  frozenset({"GENRES"}))
    ukeys, ages, genders, jobs = [], [], [], []
    for line in (folder / "u.user").read_text(encoding="latin-1").splitlines():
        uid, age, gender, job, _ = line.split("|")
        ukeys.append(uid)
        ages.append(float(age))
        genders.append(gender)
        jobs.append(job)
    users = Table(np.array(ukeys), {"AGE": np.array(ages), "GENDER": np.array(genders),
                                    "OCCUPATION": np.array(jobs)}, frozenset({"GENDER", "OCCUPATION"}))
    return TrainingData(interactions, items=items, users=users)


def load_ml_latest_small(root: Path) -> TrainingData | None:
    folder = root / "ml-latest-small"
    if not (folder / "ratings.csv").exists():
        return None
    users, items, times, values = [], [], [], []
    with (folder / "ratings.csv").open(newline="") as handle:
        for row in csv.DictReader(handle):
            users.append(row["userId"])
            items.append(row["movieId"])
            times.append(int(row["timestamp"]))
            values.append(float(row["rating"]))
    interactions = _interactions(users, items, times, "rating", values)
    keys, genres, years = [], [], []
    with (folder / "movies.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            keys.append(row["movieId"])
            genres.append("" if row["genres"] == "(no genres listed)" else row["genres"])
            match = YEAR.search(row["title"].strip())
            years.append(float(match.group(1)) if match else np.nan)
    table = Table(np.array(keys), {"GENRES": np.array(genres), "YEAR": np.array(years)}, frozenset({"GENRES"}))
    return TrainingData(interactions, items=table)


def load_groceries(root: Path) -> TrainingData | None:
    path = root / "groceries" / "Groceries_dataset.csv"
    if not path.exists():
        return None
    users, items, times = [], [], []
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle):
            day = dt.datetime.strptime(row["Date"], "%d-%m-%Y").replace(tzinfo=dt.UTC)
            users.append(row["Member_number"])
            items.append(row["itemDescription"])
            times.append(int(day.timestamp()))
    return TrainingData(_interactions(users, items, times, "purchase", None))


DATASETS: dict[str, Callable[[Path], TrainingData | None]] = {
    "ml-100k": load_ml_100k,
    "ml-latest-small": load_ml_latest_small,
    "groceries": load_groceries,
}
