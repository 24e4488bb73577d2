"""How fast /learn searches a large library: builds 500 articles from the real ones and times
queries. Prints figures; it asserts nothing (benchmarks are not tests).

    .venv/bin/python bench/search_bench.py
"""

from __future__ import annotations

import statistics
import time
from dataclasses import replace
from pathlib import Path

from bot.domain.content import ContentIndex, load_library

CONTENT = Path(__file__).resolve().parent.parent / "content"
ARTICLES = 500
QUERIES = [
    "aura", "migrane", "what triggers migraines", "ketamine blood pressure", "after my session",
    "journal", "sleep", "coffee", "driving after a dose", "worst headache ever", "low mood",
    "integration practices nature", "is ketamine proven for migraine", "postdrome tired",
]  # fmt: skip


def main() -> None:
    real = list(load_library(CONTENT).values())
    words = [word for article in real for word in article.text.split()]
    many = []
    for number in range(ARTICLES):
        base = real[number % len(real)]
        # Vary each copy's vocabulary so the index grows as a real library's would.
        extra = " ".join(f"{words[(number * 7 + k) % len(words)]}{number}" for k in range(40))
        many.append(replace(base, id=f"{base.id}-{number}", text=f"{base.text} {extra}"))
    started = time.perf_counter()
    index = ContentIndex(many)
    built = time.perf_counter() - started
    timings = []
    for _ in range(10):
        for query in QUERIES:
            started = time.perf_counter()
            index.search(query)
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    print(f"{len(many)} articles indexed in {built * 1000:.0f} ms")
    print(
        f"{len(timings)} searches: median {statistics.median(timings):.2f} ms, "
        f"95th percentile {timings[int(len(timings) * 0.95)]:.2f} ms, "
        f"slowest {timings[-1]:.2f} ms"
    )


if __name__ == "__main__":
    main()
