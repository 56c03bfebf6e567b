"""Uploading figures against the fake Tandoor (loopback, both flavours).

    python bench/bench_upload.py [--uploads 50]

Prints: payload build time; per-upload latency (p50 / p99) and HTTP requests per upload for new
posts with a photo; the same posts again (linked, not duplicated); and a faulty run where every
fourth create loses its answer after saving, some connections reset and some creates get a 502,
retried like the queue does — with the number of recipes in the end (must equal the posts).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from instarecipe_desktop.core.errors import RecoverableError
from instarecipe_desktop.pipeline.uploading.tandoor import (
    TandoorClient,
    TandoorUploader,
    UploadRecords,
    build_recipe_payload,
)
from tests.fakes.fake_tandoor import TOKEN, V2, V15, FakeTandoor
from tests.uploading.conftest import (
    make_context,
    make_extraction,
    make_png,
    sample_recipe,
)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def ms(values: list[float]) -> str:
    p50, p99 = percentile(values, 0.5) * 1000, percentile(values, 0.99) * 1000
    return f"p50 {p50:6.2f} ms  p99 {p99:6.2f} ms"


def bench_payload(repeat: int = 2000) -> None:
    normal = sample_recipe()
    huge = sample_recipe(description="A long caption. " * 200)
    for step in huge.steps:
        for ingredient in step.ingredients:
            ingredient.note = "a very long note " * 30
    for label, recipe in (("typical", normal), ("oversized", huge)):
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            build_recipe_payload(recipe, source_url="https://www.instagram.com/p/X/")
            times.append(time.perf_counter() - start)
        print(f"payload build, {label:9}: {ms(times)}")


async def upload_many(
    server: FakeTandoor, data_dir: Path, count: int, *, retries: int = 0, faulty: bool = False
) -> tuple[list[float], int, int]:
    records = UploadRecords(data_dir / "records.sqlite3")
    uploader = TandoorUploader(TandoorClient(server.base_url, TOKEN), records)
    times: list[float] = []
    failures = 0
    png = make_png(64, 64)
    try:
        for n in range(count):
            url = f"https://www.instagram.com/p/BENCH{n:04d}/"
            if faulty and n % 4 == 3:  # the create is saved, its answer lost
                server.add_fault("lose_response", "POST", "/api/recipe/")
            if faulty and n % 8 == 7:  # ... and the check right after it fails too
                server.add_fault("reset", "GET", "/api/recipe/")
            if faulty and n % 10 == 5:  # a 502 before saving
                server.add_fault("status", "POST", "/api/recipe/", status=502)
            for attempt in range(retries + 1):
                ctx = make_context(data_dir, url=url, shortcode=f"BENCH{n:04d}")
                extraction = make_extraction(data_dir, image=png, post={"canonicalUrl": url})
                start = time.perf_counter()
                try:
                    await uploader.upload(ctx, sample_recipe(name=f"Bench recipe {n}"), extraction)
                except RecoverableError:
                    failures += 1
                    if attempt == retries:
                        raise
                    continue
                finally:
                    times.append(time.perf_counter() - start)
                break
    finally:
        await uploader.aclose()
        records.close()
    return times, failures, len(server.requests)


async def main_async(count: int) -> None:
    bench_payload()
    for version in (V2, V15):
        with tempfile.TemporaryDirectory() as tmp, FakeTandoor(version) as server:
            data_dir = Path(tmp)
            times, _, requests = await upload_many(server, data_dir, count)
            print(
                f"{version}: {count} new posts with photo: {ms(times)}, "
                f"{requests / count:.1f} requests/upload, {len(server.recipes)} recipes"
            )
            before = len(server.requests)
            times, _, requests = await upload_many(server, data_dir, count)
            print(
                f"{version}: the same {count} posts again:  {ms(times)}, "
                f"{(requests - before) / count:.1f} requests/upload, "
                f"{len(server.recipes)} recipes"
            )
        with tempfile.TemporaryDirectory() as tmp, FakeTandoor(version) as server:
            times, failures, requests = await upload_many(
                server, Path(tmp), count, retries=3, faulty=True
            )
            print(
                f"{version}: {count} posts with faults: {failures} recoverable failures "
                f"retried, {len(server.recipes)} recipes for {count} posts, "
                f"{requests / count:.1f} requests/upload"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--uploads", type=int, default=50)
    args = parser.parse_args()
    asyncio.run(main_async(args.uploads))


if __name__ == "__main__":
    main()
