"""Batch throughput against a STUB OpenAI-compatible server (bench/stub_openai.py: the answers
Qwen2.5-Coder-1.5B recorded for seed 000, served after a fixed delay); no model is asked.

    python bench/batch.py [--delay 0.3] [--levels 1,8,32,128] [--articles 1000] [--memory 1000,10000]
                          [--workers 1,2]

The stub runs in a child process, as a real endpoint would be elsewhere: its CPU is not the batch's.
Every article of the archive is seed 000 with its own publication date, so no cache across
articles (there is one, of resolved dates) answers for another article what it computed for the
first; the stub's answers ground in every one of them.

First the pipeline's own time per article (delay 0, concurrency 1: reading, prompts, the model
client's work for each request and answer, validation, grounding, writing): the CPU seconds of this
process per article, and the share the model client (instructor, openai, httpx2: everything inside
the provider's `extract`) takes. Then, for each concurrency level, articles per second next to the
ideal in the same run, concurrency / (delay * calls per article) with the passes asked in turn
(with --concurrent-passes all three at once: concurrency / delay), once per worker count of
`--workers` (processes of `summarizer batch --workers`; 1: this process alone). Then the peak memory
(max RSS) of a child process summarizing 1,000 and 10,000 articles.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import inspect
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.stub_openai import SEED_ARTICLE
from summarizer.api import Summarizer
from summarizer.batch.session import run_batch
from summarizer.llm.provider import Draft, Extraction, Message, Provider, ProviderWrapper, aextract

CALLS_PER_ARTICLE = 3  # the three focused passes of the default variant


def write_archive(path: Path, count: int) -> Path:
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    first = datetime.date(2000, 1, 1)
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            published = (first + datetime.timedelta(days=n)).isoformat()
            out.write(json.dumps({"id": f"a{n:06}", "text": text, "published": published}) + "\n")
    return path


@contextlib.contextmanager
def stub_server(delay: float) -> Iterator[str]:
    """The stub in a child process; yields its base URL."""
    child = subprocess.Popen([sys.executable, str(Path(__file__).with_name("stub_openai.py")),
                              str(delay)], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        yield child.stdout.readline().strip()
    finally:
        child.terminate()
        child.wait()


class _ClientClock(ProviderWrapper):
    """Counts the CPU seconds spent inside the provider (the model client) in this process."""

    def __init__(self, inner: Provider) -> None:
        super().__init__(inner)
        self.seconds = 0.0

    def extract(self, messages: Sequence[Message], response_model: type[Draft],
                context: Mapping[str, object]) -> Extraction[Draft]:
        started = time.thread_time()
        try:
            return self._inner.extract(messages, response_model, context)
        finally:
            self.seconds += time.thread_time() - started

    async def aextract(self, messages: Sequence[Message], response_model: type[Draft],
                       context: Mapping[str, object]) -> Extraction[Draft]:
        # at concurrency 1 with the passes in turn nothing else runs on the loop meanwhile: the
        # loop thread's CPU during the await is the request's
        started = time.thread_time()
        try:
            return await aextract(self._inner, messages, response_model, context)
        finally:
            self.seconds += time.thread_time() - started


def timed_run(delay: float, concurrency: int, count: int, work: Path, clock: bool = False,
              concurrent_passes: bool = False, workers: int = 1) -> tuple[float, float, float]:
    """Wall and CPU seconds of this process for `count` articles, and the CPU seconds inside the
    model client (measured with `clock` only, at concurrency 1)."""
    archive = write_archive(work / f"in-{concurrency}-{count}.jsonl", count)
    out = work / f"out-{concurrency}-{count}-{workers}.jsonl"
    with stub_server(delay) as base_url:
        provider = None
        if clock:
            provider = _ClientClock(Summarizer(base_url=base_url, api_key="unused",
                                               model="stub").provider)
        started, cpu = time.perf_counter(), time.process_time()
        totals = run_batch([archive], out, work / "errors.jsonl", concurrency=concurrency,
                           base_url=base_url, api_key="unused", model="stub", provider=provider,
                           # (the code before the option existed asked the passes in turn)
                           **({"concurrent_passes": concurrent_passes} if "concurrent_passes"
                              in inspect.signature(run_batch).parameters else {}),
                           **({"workers": workers} if workers > 1 else {}))
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert totals.done == count and totals.failed == 0, totals
    return elapsed, cpu, provider.seconds if provider else 0.0


def peak_memory(count: int) -> int:
    """Max RSS in KiB of a child process that summarizes `count` articles (delay 0)."""
    child = subprocess.run([sys.executable, __file__, "--child", str(count)], check=True,
                           capture_output=True, text=True)
    return int(child.stdout.split()[-1])


def main() -> None:
    # the stub serves the three passes' answers: the ideal counts three calls per article
    os.environ.setdefault("SUMMARIZER_SUPPORT_CHECK", "rules")
    parser = argparse.ArgumentParser()
    parser.add_argument("--delay", type=float, default=0.3)
    parser.add_argument("--levels", default="1,8,32,128")
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--memory", default="1000,10000")
    parser.add_argument("--concurrent-passes", action="store_true",
                        help="ask an article's three passes at once (ideal: concurrency / delay)")
    parser.add_argument("--workers", default="1",
                        help="worker process counts to measure each level with, e.g. 1,2")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        if args.child:
            timed_run(0.0, 8, args.child, work)
            print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
            return
        timed_run(0.0, 1, 5, work)  # imports, compiled patterns and templates: not per article
        wall, cpu, client = timed_run(0.0, 1, 100, work, clock=True)
        print(f"own time per article (delay 0, concurrency 1, 100 articles): {wall * 10:.1f} ms "
              f"wall, {cpu * 10:.1f} ms CPU, of which the model client {client * 10:.1f} ms "
              f"and the rest {(cpu - client) * 10:.1f} ms", flush=True)
        print(f"{'concurrency':>11} {'workers':>7} {'articles':>8} {'seconds':>8} {'art/s':>7} "
              f"{'ideal':>7} {'ratio':>6}")
        for level in (int(x) for x in args.levels.split(",") if x):
            # at low concurrency 1,000 articles would take minutes of pure waiting: 20 per slot
            count = min(args.articles, max(20, 20 * level))
            for workers in (int(x) for x in args.workers.split(",") if x):
                if workers > level:
                    continue
                seconds, _, _ = timed_run(args.delay, level, count, work,
                                          concurrent_passes=args.concurrent_passes, workers=workers)
                ideal = level / (args.delay * (1 if args.concurrent_passes else CALLS_PER_ARTICLE))
                rate = count / seconds
                print(f"{level:>11} {workers:>7} {count:>8} {seconds:>8.1f} {rate:>7.2f} {ideal:>7.2f} "
                      f"{rate / ideal:>6.2f}", flush=True)
    for count in (int(x) for x in args.memory.split(",") if x):
        print(f"peak memory, {count} articles: {peak_memory(count) / 1024:.1f} MiB", flush=True)


if __name__ == "__main__":
    main()
