"""How many requests the embedded model should work on at once (llama-server's `-np` slots).

    python bench/slots.py [--cassettes cassettes/eval/focused] [--articles 4] [--slots 1,2,3,4]

The recorded pass requests of the first articles of the dev gold (the requests our pipeline sent:
system prompt, pass prompt, article, the compact-JSON grammar, max_tokens, temperature 0) are sent
again, unchanged, straight to the embedded llama-server (the `[local]` extra, all cores), started
afresh for each slot count N with `-np N`. N requests are kept in flight, in the recorded order, so
with N = 3 an article's three passes are asked at once. Printed per slot count, in the same run:
wall seconds, seconds per article, completion tokens generated per second over all slots, the
prompt tokens the server processed (after its prefix reuse), and the speed-up against one slot.

The model generates again: temperature 0 on llama.cpp is not bit-reproducible across slot counts
(batched arithmetic differs), so the completion tokens differ a little between rows; compare the
tokens per second as well as the seconds.
"""

from __future__ import annotations

import argparse
import concurrent.futures as futures
import json
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.tokens import read_calls  # noqa: E402
from summarizer.backends.local import local_server  # noqa: E402

_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def pass_requests(cassettes: Path, articles: int) -> list[dict[str, Any]]:
    """The first answered request of each pass of the first `articles` cassettes, in order."""
    bodies = []
    for path in sorted(cassettes.glob("*.yaml"))[:articles]:
        for call in read_calls(path):
            if call.kind == "pass":
                bodies.append(_request_body(path, call.messages))
    return bodies


def _request_body(path: Path, messages: list[dict[str, Any]]) -> dict[str, Any]:
    import yaml

    for interaction in yaml.safe_load(path.read_text(encoding="utf-8"))["interactions"]:
        body = interaction["request"]["body"]
        request = json.loads(body["string"] if isinstance(body, dict) else body)
        if request["messages"] == messages:
            return dict(request)
    raise LookupError(path)


def send(base_url: str, key: str, body: dict[str, Any]) -> dict[str, Any]:
    request = urllib.request.Request(
        f"{base_url}/chat/completions", data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {key}"})
    with _NO_PROXY.open(request, timeout=1800) as response:
        answer: dict[str, Any] = json.loads(response.read())
        return answer


def run(slots: int, options: list[str], bodies: list[dict[str, Any]]) -> tuple[float, int, int]:
    """Wall seconds, completion tokens and processed prompt tokens for all `bodies`."""
    with local_server(slots=slots, options=options) as server:
        started = time.perf_counter()
        with futures.ThreadPoolExecutor(slots) as pool:
            answers = list(pool.map(lambda body: send(server.base_url, server.api_key, body),
                                    bodies))
        wall = time.perf_counter() - started
    completion = sum(int(a["usage"]["completion_tokens"]) for a in answers)
    processed = sum(int(a.get("timings", {}).get("prompt_n", 0)) for a in answers)
    return wall, completion, processed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cassettes", type=Path, default=ROOT / "cassettes/eval/focused")
    parser.add_argument("--articles", type=int, default=4)
    parser.add_argument("--slots", default="1,2,3,4")
    parser.add_argument("--variant", action="append", default=[],
                        help="'N: more llama-server arguments', in place of --slots (repeatable)")
    args = parser.parse_args()
    bodies = pass_requests(args.cassettes, args.articles)
    print(f"{len(bodies)} pass requests of {args.articles} articles from {args.cassettes}")
    variants = [(int(n), options.split()) for n, _, options in
                (v.partition(":") for v in args.variant)]
    variants = variants or [(int(x), []) for x in args.slots.split(",")]
    print(f"{'slots':>5} {'seconds':>8} {'s/article':>9} {'completion':>10} {'tok/s':>6} "
          f"{'prompt processed':>16} {'speed-up':>8}", flush=True)
    first = None
    for slots, options in variants:
        wall, completion, processed = run(slots, options, bodies)
        first = first or wall
        print(f"{slots:>5} {wall:>8.1f} {wall / args.articles:>9.1f} {completion:>10} "
              f"{completion / wall:>6.1f} {processed:>16} {first / wall:>7.2f}x  "
              f"{' '.join(options)}", flush=True)


if __name__ == "__main__":
    main()
