"""The attention chart's data: matching articles per day, week or month for up to three queries (or
one query split by ministry or source), every bucket of the range filled in, and the same counts as CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from newsarchive.web.params import TimelineParams, WebError
from storage.search import SearchError
from storage.search.timeline import Bucket, Count, Split, count_timeline

MAX_SERIES = 8  # split series shown; the rest are summed as OTHERS
OTHERS = "기타"
MAX_BUCKETS = 2000


@dataclass(frozen=True)
class Series:
    label: str
    counts: list[int]  # one per bucket

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class Timeline:
    params: TimelineParams
    interval: Bucket
    buckets: list[date]
    series: list[Series]  # shown on the chart
    rows: list[tuple[str, date, str, int]]  # (query, bucket, key, articles): every count, for the CSV

    def to_dict(self) -> dict[str, Any]:
        return {"queries": list(self.params.queries), "interval": self.interval, "split": self.params.split,
                "filters": {k: str(v) if v else None for k, v in self.params.filters.kwargs().items()},
                "buckets": [b.isoformat() for b in self.buckets],
                "series": [{"label": s.label, "total": s.total, "counts": s.counts} for s in self.series],
                "csv": self.params.url("/api/timeline", format="csv")}

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["query", self.interval, self.params.split or "key", "articles"])
        for query, bucket, key, count in self.rows:
            writer.writerow([query, bucket.isoformat(), key, count])
        return out.getvalue()


def bucket_start(day: date, interval: Bucket) -> date:
    if interval == "week":
        return day - timedelta(days=day.weekday())
    if interval == "month":
        return day.replace(day=1)
    return day


def next_bucket(day: date, interval: Bucket) -> date:
    if interval == "week":
        return day + timedelta(days=7)
    if interval == "month":
        return (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return day + timedelta(days=1)


def auto_interval(first: date, last: date) -> Bucket:
    span = (last - first).days
    return "day" if span <= 62 else "week" if span <= 730 else "month"


def build_timeline(db_url: str, params: TimelineParams) -> Timeline:
    if not params.queries:
        raise WebError(400, "empty query: give at least one word")
    split: Split | None = params.split  # type: ignore[assignment]
    interval: Bucket = "month" if params.interval == "auto" else params.interval  # type: ignore[assignment]
    since, until = params.filters.since, params.filters.until
    if params.interval == "auto" and since and until:
        interval = auto_interval(since, until)
    def count_all(chosen: Bucket) -> dict[str, list[Count]]:
        return {query: count_timeline(db_url, query, bucket=chosen, split=split,
                                      **params.filters.kwargs())  # type: ignore[arg-type]
                for query in params.queries}

    try:
        counted = count_all(interval)
        starts = [c.start for counts in counted.values() for c in counts]
        if params.interval == "auto" and not (since and until) and starts:
            # counted by month first: the range decides the interval
            chosen = auto_interval(since or min(starts), until or next_bucket(max(starts), interval))
            if chosen != interval:
                interval = chosen
                counted = count_all(interval)
    except SearchError as exc:
        raise WebError(400, str(exc)) from None
    starts = [c.start for counts in counted.values() for c in counts]
    first = since or (min(starts) if starts else None)
    last = until or (max(starts) if starts else None)
    buckets = _buckets(first, last, interval)
    index = {b: i for i, b in enumerate(buckets)}
    rows = [(query, c.start, c.key, c.articles) for query, counts in counted.items() for c in counts]
    if split:
        series = _split_series([(c.key, index[c.start], c.articles) for c in counted[params.queries[0]]],
                               len(buckets))
    else:
        series = []
        for query in params.queries:
            values = [0] * len(buckets)
            for c in counted[query]:
                values[index[c.start]] += c.articles
            series.append(Series(query, values))
    return Timeline(params, interval, buckets, series, rows)


def _buckets(first: date | None, last: date | None, interval: Bucket) -> list[date]:
    if first is None or last is None:
        return []
    out = []
    current = bucket_start(first, interval)
    while current <= last:
        out.append(current)
        if len(out) > MAX_BUCKETS:
            raise WebError(400, f"more than {MAX_BUCKETS} {interval}s in the range: choose a longer interval "
                                "or a shorter date range")
        current = next_bucket(current, interval)
    return out


def _split_series(points: list[tuple[str, int, int]], size: int) -> list[Series]:
    by_key: dict[str, list[int]] = {}
    for key, position, count in points:
        by_key.setdefault(key, [0] * size)[position] += count
    ranked = sorted(by_key.items(), key=lambda item: (-sum(item[1]), item[0]))
    shown = [Series(key, values) for key, values in ranked[:MAX_SERIES]]
    rest = ranked[MAX_SERIES:]
    if rest:
        shown.append(Series(OTHERS, [sum(values[i] for _, values in rest) for i in range(size)]))
    return shown
