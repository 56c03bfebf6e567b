"""Fault-injection soak: the real CLI, real adapters, loopback fakes behind fault proxies, SIGKILL.

1. A fake Tandoor (2.x) and a fake OpenAI-compatible server run in this process, each behind a
   ``FaultProxy`` that injects 5xx, 429 with Retry-After, connection resets, hangs (timeouts),
   slow answers, garbage and truncated JSON from the LLM, cut bodies, and Tandoor creates whose
   answer is lost after the recipe was saved.
2. ``instarecipe-desktop add URL --text-file FILE`` queues every item (no Instagram needed).
3. ``instarecipe-desktop run --until-idle`` (a separate process, real LLM parser and real
   Tandoor uploader) is killed with SIGKILL at random moments while it processes, and
   restarted, ``kills`` times; then it runs to the end.
4. Checks: every item terminal, none lost, no recipe twice in Tandoor (per source URL), every
   failure classified in words, ``PRAGMA integrity_check`` ok, no secret on disk or in output.

Full form: ``python bench/soak.py`` (200 items, 12 kills). Short form: tests/reliability.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import queue
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from tests.fakes.fake_llm import FakeLLM  # noqa: E402
from tests.fakes.fake_tandoor import TOKEN, V2, FakeTandoor  # noqa: E402
from tests.reliability.fault_proxy import FaultProxy, FaultRule  # noqa: E402

LLM_KEY = "sk-soak-9f3c2a7e5b1d4c8aa6e0f2d4b6c8e0a2"
TERMINAL = ("success", "error")
CHAT = "/v1/chat/completions"

LLM_RULES = [
    FaultRule("status", 0.04, "POST", CHAT, status=503),
    FaultRule("status", 0.02, "POST", CHAT, status=500),
    FaultRule("status", 0.04, "POST", CHAT, status=429, retry_after=1),
    FaultRule("reset", 0.03, "POST", CHAT),
    FaultRule("hang", 0.02, "POST", CHAT, delay=8.0),
    FaultRule("slow", 0.05, "POST", CHAT, delay=0.6),
    FaultRule("garbage", 0.04, "POST", CHAT),
    FaultRule("truncated", 0.04, "POST", CHAT),
    FaultRule("cut_body", 0.02, "POST", CHAT),
]
TANDOOR_RULES = [
    FaultRule("lose_response", 0.15, "POST", "/api/recipe/"),
    FaultRule("status", 0.03, None, "/api/", status=502),
    FaultRule("status", 0.02, None, "/api/", status=503),
    FaultRule("status", 0.02, None, "/api/", status=429, retry_after=1),
    FaultRule("reset", 0.03, None, "/api/"),
    FaultRule("hang", 0.01, None, "/api/", delay=8.0),
    FaultRule("slow", 0.04, None, "/api/", delay=0.5),
    FaultRule("cut_body", 0.01, "GET", "/api/"),
]


@dataclass
class SoakConfig:
    items: int = 200
    kills: int = 12
    seed: int = 8
    concurrency: int = 4
    add_workers: int = 2
    kill_after: tuple[float, float] = (0.2, 2.5)  # seconds after processing started
    phase_timeout_ms: int = 3000
    run_timeout_s: float = 600.0
    top_up: int = 4  # items added when the queue is done before every kill has happened
    recovery: bool = True  # then: faults off, Retry every failed item, run: all must succeed
    late_adds: int = 6  # runs during which one more link is added by another process
    workdir: Path | None = None
    verbose: bool = False


@dataclass
class SoakReport:
    items: int = 0
    kills: int = 0
    runs: int = 0
    seconds: float = 0.0
    statuses: Counter[str] = field(default_factory=Counter)
    faults: dict[str, Counter[str]] = field(default_factory=dict)
    proxied_requests: dict[str, int] = field(default_factory=dict)
    recovered: int = 0  # succeeded after at least one failure or interruption
    late_added: int = 0  # items added by `add` while a `run` was processing
    interrupted: int = 0  # items a kill caught while running
    linked_existing: int = 0  # a lost create found again instead of making a copy
    lost: list[str] = field(default_factory=list)
    not_terminal: list[str] = field(default_factory=list)
    duplicates: dict[str, int] = field(default_factory=dict)  # source URL -> copies
    unclassified: list[str] = field(default_factory=list)
    error_codes: Counter[str] = field(default_factory=Counter)
    orphan_recipes: int = 0  # recipes in Tandoor whose item ended in error
    integrity: dict[str, str] = field(default_factory=dict)
    tracebacks: list[str] = field(default_factory=list)
    secret_leaks: list[str] = field(default_factory=list)
    last_exit_code: int | None = None
    tandoor_recipes: int = 0
    # the recovery round: faults off, `retry` on every failed item, one more run
    recovery_retried: int = 0
    after_recovery: Counter[str] = field(default_factory=Counter)
    recipes_after_recovery: int = 0
    duplicates_after_recovery: dict[str, int] = field(default_factory=dict)
    recovery_exit_code: int | None = None

    def problems(self) -> list[str]:
        out = []
        if self.lost:
            out.append(f"{len(self.lost)} item(s) lost: {self.lost[:5]}")
        if self.not_terminal:
            out.append(f"{len(self.not_terminal)} item(s) not terminal: {self.not_terminal[:5]}")
        if self.duplicates:
            out.append(f"recipes created twice: {dict(list(self.duplicates.items())[:5])}")
        if self.unclassified:
            out.append(f"unclassified failures: {self.unclassified[:5]}")
        for name, result in self.integrity.items():
            if result != "ok":
                out.append(f"integrity_check of {name}: {result}")
        if self.tracebacks:
            out.append(f"tracebacks in the output: {self.tracebacks[:3]}")
        if self.secret_leaks:
            out.append(f"secrets found in: {self.secret_leaks}")
        if self.last_exit_code != 0:
            out.append(f"the last run exited with {self.last_exit_code}")
        if self.after_recovery:
            if self.after_recovery.get("success", 0) != self.items:
                out.append(f"after Retry without faults not all saved: {self.after_recovery}")
            if self.duplicates_after_recovery:
                out.append(f"copies after the recovery round: {self.duplicates_after_recovery}")
            if self.recipes_after_recovery != self.items:
                out.append(f"{self.recipes_after_recovery} recipes for {self.items} posts")
            if self.recovery_exit_code != 0:
                out.append(f"the recovery run exited with {self.recovery_exit_code}")
        return out


def shortcode(n: int) -> str:
    return f"Soak{n:05d}x{'ABCDEFGH'[n % 8]}"


def caption(n: int) -> str:
    return (
        f"Fluffy pancakes, post {n} ({shortcode(n)}) 🥞\n\nIngredients:\n"
        f"{100 + n} g flour\n2 eggs\n250 ml milk\n1 tbsp sugar\n\n"
        "Whisk everything, rest 5 minutes, fry in butter until golden."
    )


def _env(workdir: Path, tandoor: str, llm: str, config: SoakConfig) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("TANDOOR_API_TOKEN", "LLM_API_KEY", "INSTARECIPE_PHASE_FACTORY")
    }
    env.update(
        {
            "INSTARECIPE_DATA_DIR": str(workdir / "data"),
            "PYTHON_KEYRING_BACKEND": "tests.support.memory_keyring.MemoryKeyring",
            "INSTARECIPE_TEST_KEYRING_FILE": str(workdir / "keyring.json"),
            "PYTHONPATH": str(REPO_ROOT),
            "TANDOOR_BASE_URL": tandoor,
            "LLM_API_BASE_URL": llm,
            "LLM_MODEL": "gpt-4o-mini",
            "QUEUE_CONCURRENCY": str(config.concurrency),
            "QUEUE_TIMEOUT_MS": str(config.phase_timeout_ms),
            "QUEUE_PARSE_TIMEOUT_MS": str(config.phase_timeout_ms + 1000),
            "QUEUE_RETRY_ATTEMPTS": "4",
            "REVIEW_BEFORE_SAVING": "never",  # the fake LLM's answer is not the caption's recipe
            "QUEUE_PROCESSING_ENABLED": "true",
            "INSTARECIPE_BACKOFF_BASE_MS": "150",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "instarecipe_desktop", *args]


def _queue_items(
    config: SoakConfig, workdir: Path, env: dict[str, str], output: list[str], numbers: range
) -> None:
    captions = workdir / "captions"
    captions.mkdir(exist_ok=True)

    def add(n: int) -> None:
        path = captions / f"{n}.txt"
        path.write_text(caption(n), encoding="utf-8")
        url = f"https://www.instagram.com/reel/{shortcode(n)}/?igsh=c29haw=="
        done = subprocess.run(
            _cli("add", url, "--text-file", str(path)),
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        output.append(done.stdout + done.stderr)
        if done.returncode != 0:
            raise RuntimeError(f"add {url} failed ({done.returncode}): {done.stderr}")

    with concurrent.futures.ThreadPoolExecutor(config.add_workers) as pool:
        list(pool.map(add, numbers))


def _add_late(
    config: SoakConfig,
    workdir: Path,
    env: dict[str, str],
    output: list[str],
    number: int,
    delay: float,
) -> None:
    time.sleep(delay)  # the soak driver's own pacing, not a test waiting for a result
    _queue_items(config, workdir, env, output, range(number, number + 1))


def _run_once(
    env: dict[str, str], kill_after: float | None, timeout: float, output: list[str], verbose: bool
) -> tuple[int, bool]:
    """One ``run --until-idle``; SIGKILL ``kill_after`` s after it starts processing.
    Returns (exit code, killed)."""
    proc = subprocess.Popen(
        _cli("run", "--until-idle"),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
    )
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    started_at: float | None = None
    deadline = time.monotonic() + timeout
    killed = False
    while True:
        wait = 0.05
        try:
            line = lines.get(timeout=wait)
        except queue.Empty:
            line = ""
        if line is None:
            break
        if line:
            output.append(line)
            if verbose:
                sys.stderr.write("  | " + line)
            if started_at is None and line.startswith(("started", "saved", "failed", "retrying")):
                started_at = time.monotonic()
        now = time.monotonic()
        if kill_after is not None and started_at is not None and now - started_at >= kill_after:
            proc.send_signal(signal.SIGKILL)
            killed = True
            break
        if now > deadline:
            proc.send_signal(signal.SIGKILL)
            output.append("soak: the run did not finish in time; killed\n")
            break
    code = proc.wait(timeout=60)
    reader.join(timeout=10)
    while True:  # what it printed before dying
        try:
            line = lines.get_nowait()
        except queue.Empty:
            break
        if line:
            output.append(line)
    return code, killed


def run_soak(config: SoakConfig) -> SoakReport:
    rng = random.Random(config.seed)
    report = SoakReport(items=config.items)
    owned_tmp = None
    if config.workdir is None:
        owned_tmp = tempfile.TemporaryDirectory(prefix="instarecipe-soak-")
        workdir = Path(owned_tmp.name)
    else:
        workdir = config.workdir
        workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "keyring.json").write_text(
        json.dumps(
            {
                "instarecipe-desktop\0TANDOOR_API_TOKEN": TOKEN,
                "instarecipe-desktop\0LLM_API_KEY": LLM_KEY,
            }
        )
    )
    output: list[str] = []
    began = time.monotonic()
    tandoor = FakeTandoor(V2).start()
    llm = FakeLLM(api_key=LLM_KEY).start()
    tproxy = FaultProxy(tandoor.port, TANDOOR_RULES, seed=config.seed, name="tandoor-proxy")
    lproxy = FaultProxy(llm.port, LLM_RULES, seed=config.seed + 1, name="llm-proxy")
    tproxy.start()
    lproxy.start()
    try:
        env = _env(workdir, tproxy.base_url, lproxy.base_url + "/v1", config)
        _queue_items(config, workdir, env, output, range(config.items))
        while True:
            kill_after = rng.uniform(*config.kill_after) if report.kills < config.kills else None
            late: threading.Thread | None = None
            if report.runs < config.late_adds and kill_after is not None:  # added mid-run
                number = report.items
                report.items += 1
                report.late_added += 1
                late = threading.Thread(
                    target=_add_late,
                    args=(config, workdir, env, output, number, rng.uniform(0.0, 1.5)),
                )
                late.start()
            code, killed = _run_once(env, kill_after, config.run_timeout_s, output, config.verbose)
            if late is not None:
                late.join()
            report.runs += 1
            report.kills += int(killed)
            if not killed and kill_after is not None and code == 0:
                # the queue ran dry before all the kills: queue a few more and go on
                more = range(report.items, report.items + config.top_up)
                _queue_items(config, workdir, env, output, more)
                report.items += config.top_up
                continue
            if not killed:
                report.last_exit_code = code
                break
        report.faults = {"llm": Counter(lproxy.counts), "tandoor": Counter(tproxy.counts)}
        report.proxied_requests = {"llm": lproxy.requests, "tandoor": tproxy.requests}
        _inspect(report, workdir, tandoor, output)
        if config.recovery:
            lproxy.enabled = tproxy.enabled = False
            _recovery_round(report, config, workdir, env, tandoor, output)
    finally:
        tproxy.close()
        lproxy.close()
        llm.close()
        tandoor.stop()
        report.seconds = time.monotonic() - began
        if owned_tmp is not None:
            owned_tmp.cleanup()
    return report


def _inspect(report: SoakReport, workdir: Path, tandoor: FakeTandoor, output: list[str]) -> None:
    database = workdir / "data" / "queue.sqlite3"
    for path in (database, workdir / "data" / "tandoor_uploads.sqlite3"):
        conn = sqlite3.connect(path)
        try:
            report.integrity[path.name] = conn.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            conn.close()
    conn = sqlite3.connect(database)
    try:
        rows = [json.loads(data) for (data,) in conn.execute("SELECT data FROM items")]
    finally:
        conn.close()
    by_shortcode = {row.get("shortcode"): row for row in rows}
    report.lost = [shortcode(n) for n in range(report.items) if shortcode(n) not in by_shortcode]
    success_sources: set[str] = set()
    for row in rows:
        status = row["status"]
        report.statuses[status] += 1
        log = row.get("log") or []
        troubled = any(e.get("level") in ("warning", "error") for e in log)
        if any("app stopped while this was running" in e.get("message", "") for e in log):
            report.interrupted += 1
        if any(
            "already existed" in e.get("message", "") or "had been saved as" in e.get("message", "")
            for e in log
        ):
            report.linked_existing += 1
        if status not in TERMINAL:
            report.not_terminal.append(f"{row.get('shortcode')}={status}")
        elif status == "success":
            report.recovered += int(troubled)
            success_sources.add(f"https://www.instagram.com/reel/{row['shortcode']}/")
        else:
            detail = row.get("errorDetail") or {}
            message, code = str(row.get("error") or ""), str(detail.get("code") or "")
            report.error_codes[code or "(none)"] += 1
            if (
                not code
                or code == "internal"
                or len(message) < 10
                or "Traceback" in message
                or not (message[0].isupper() or message.startswith("http"))
            ):
                report.unclassified.append(f"{row.get('shortcode')}: [{code}] {message}")
    with tandoor.lock:
        recipes = list(tandoor.recipes.values())
    report.tandoor_recipes = len(recipes)
    per_source = Counter(str(r.get("source_url") or "") for r in recipes)
    report.duplicates = {src: n for src, n in per_source.items() if n > 1}
    report.orphan_recipes = sum(1 for src in per_source if src not in success_sources)
    text = "".join(output)
    report.tracebacks = [chunk[:300] for chunk in text.split("Traceback")[1:]]
    report.secret_leaks = scan_for_secrets(workdir / "data", [TOKEN, LLM_KEY], text)


def _rows(workdir: Path) -> list[dict[str, Any]]:
    conn = sqlite3.connect(workdir / "data" / "queue.sqlite3")
    try:
        return [json.loads(data) for (data,) in conn.execute("SELECT data FROM items")]
    finally:
        conn.close()


def _recovery_round(
    report: SoakReport,
    config: SoakConfig,
    workdir: Path,
    env: dict[str, str],
    tandoor: FakeTandoor,
    output: list[str],
) -> None:
    """The person presses Retry on every failed item once the trouble is over: all of them
    must end saved, each post exactly once in Tandoor (also those whose create was lost)."""
    failed = [row["id"] for row in _rows(workdir) if row["status"] == "error"]

    def retry(item_id: str) -> None:
        done = subprocess.run(
            _cli("retry", item_id), env=env, capture_output=True, text=True, timeout=120
        )
        output.append(done.stdout + done.stderr)

    with concurrent.futures.ThreadPoolExecutor(config.add_workers) as pool:
        list(pool.map(retry, failed))
    report.recovery_retried = len(failed)
    report.recovery_exit_code, _ = _run_once(
        env, None, config.run_timeout_s, output, config.verbose
    )
    report.after_recovery = Counter(row["status"] for row in _rows(workdir))
    with tandoor.lock:
        sources = Counter(str(r.get("source_url") or "") for r in tandoor.recipes.values())
    report.recipes_after_recovery = sum(sources.values())
    report.duplicates_after_recovery = {src: n for src, n in sources.items() if n > 1}


def scan_for_secrets(data_dir: Path, secrets: list[str], *texts: str) -> list[str]:
    """Every file under ``data_dir`` (database, WAL, logs, settings, media) and the given
    texts, searched for each secret (also its last 12 characters, URL-quoted or not)."""
    needles = [s.encode() for s in secrets] + [s[-12:].encode() for s in secrets]
    found = []
    for path in sorted(data_dir.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if any(needle in data for needle in needles):
                found.append(str(path.relative_to(data_dir)))
    for index, text in enumerate(texts):
        raw = text.encode("utf-8", "replace")
        if any(needle in raw for needle in needles):
            found.append(f"<output {index}>")
    return found


def format_table(report: SoakReport) -> str:
    rows: list[tuple[str, str]] = [
        ("items queued", str(report.items)),
        ("runs of `run --until-idle`", str(report.runs)),
        ("SIGKILLs", str(report.kills)),
        ("items added while `run` was processing", str(report.late_added)),
        ("items caught running by a kill", str(report.interrupted)),
        ("requests through the LLM proxy", str(report.proxied_requests.get("llm", 0))),
        ("requests through the Tandoor proxy", str(report.proxied_requests.get("tandoor", 0))),
    ]
    for side in ("llm", "tandoor"):
        for kind, count in sorted(report.faults.get(side, Counter()).items()):
            rows.append((f"fault {side}: {kind}", str(count)))
    rows.append(
        ("faults injected in total", str(sum(sum(c.values()) for c in report.faults.values())))
    )
    for status in ("success", "error", "unhealthy", "pending", "in_progress"):
        rows.append((f"final status {status}", str(report.statuses.get(status, 0))))
    for code, count in sorted(report.error_codes.items()):
        rows.append((f"error code {code}", str(count)))
    rows += [
        ("succeeded after a failure/interruption (recovered)", str(report.recovered)),
        ("lost creates found again (linked, no copy)", str(report.linked_existing)),
        ("recipes in the fake Tandoor", str(report.tandoor_recipes)),
        ("recipes whose item ended in error", str(report.orphan_recipes)),
        ("lost items", str(len(report.lost))),
        ("items not terminal", str(len(report.not_terminal))),
        ("duplicate recipes (per source URL)", str(sum(n - 1 for n in report.duplicates.values()))),
        ("unclassified failures", str(len(report.unclassified))),
        ("integrity_check", ", ".join(f"{k}={v}" for k, v in report.integrity.items())),
        ("secret leaks", str(len(report.secret_leaks))),
        ("recovery: failed items retried (faults off)", str(report.recovery_retried)),
        (
            "recovery: saved after Retry / items",
            f"{report.after_recovery.get('success', 0)} / {report.items}",
        ),
        (
            "recovery: recipes in Tandoor / copies",
            f"{report.recipes_after_recovery} / "
            f"{sum(n - 1 for n in report.duplicates_after_recovery.values())}",
        ),
        ("tracebacks in output", str(len(report.tracebacks))),
        ("wall time", f"{report.seconds:.0f} s"),
    ]
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name.ljust(width)}  {value}" for name, value in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--kills", type=int, default=12)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workdir", type=Path, help="keep the data here (default: a temp dir)")
    parser.add_argument("-v", "--verbose", action="store_true", help="echo the runs' output")
    args = parser.parse_args(argv)
    config = SoakConfig(
        items=args.items,
        kills=args.kills,
        seed=args.seed,
        concurrency=args.concurrency,
        workdir=args.workdir,
        verbose=args.verbose,
    )
    report = run_soak(config)
    print(format_table(report))
    problems = report.problems()
    for problem in problems:
        print(f"FAIL: {problem}")
    if not problems:
        print(
            "OK: every item terminal, none lost, no duplicate, failures classified, "
            "databases intact, no secret leaked."
        )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
