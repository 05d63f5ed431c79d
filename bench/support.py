"""The support check on the recorded model's own statements and on perturbed copies of them.

    python bench/support.py [--show]

Replays the recorded answers (the seeds' cassettes and the MEANTIME eval cassettes in
cassettes/eval/focused; no model runs), takes every model-written statement whose evidence is in
the article (headline and summary sentences, fact claims, actor roles, what a figure counts, a
date's event), and makes perturbed copies of each: a number changed, a name swapped, a negation
added or removed, status or modality changed, scope widened to "all", an entity added. Each
perturbed copy is false of its evidence by construction (the new number and names are not in the
article). In the same run it measures, for today's behaviour (no check: every statement with a
located evidence is shown) and for the rules:

- false accepts: perturbed statements shown as the model wrote them;
- false rejects: original statements replaced by their evidence. Some of these are right (the
  model did add a detail); `--show` lists them with the rule's reason, to read.

Undecided statements (no rule broken, but words of their own) fall back to the evidence when no
judge is asked, as the pipeline does: they count as rejects. The lenient line shows what accepting
them would give (a judge saying yes to every one).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import vcr
from pydantic import BaseModel

from summarizer.api import Summarizer
from summarizer.backends.grammar import COMPACT_JSON
from summarizer.backends.openai import OpenAIProvider
from summarizer.evaluation.recording import (
    VCR_CONFIG,
    cassette,
    recorded_answer_format,
    recorded_model,
)
from summarizer.evaluation.runs import cassette_path, read_gold, replay_provider
from summarizer.extract.drafts import (
    ActorDraft,
    DateDraft,
    FactDraft,
    QuantityDraft,
    SentenceDraft,
)
from summarizer.extract.pipeline import drafted_items, summarize_document
from summarizer.extract.recheck import ModelSupportJudge
from summarizer.extract.settling import reanchored
from summarizer.extract.support import Verdict, check
from summarizer.llm.provider import Extraction, Message
from summarizer.normalize.lexicon import capitalized_words
from summarizer.normalize.quantities import figures
from summarizer.normalize.temporal import dates_written
from summarizer.text.alignment import align
from summarizer.text.document import Document, metadata_overrides, read_article
from summarizer.text.sentences import sentence_bounds

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "cassettes" / "eval" / "focused"
GOLD = ROOT / "bench" / "data" / "meantime_5w.jsonl"


class Capture:
    """A provider that keeps every parsed answer the recorded one returns."""

    def __init__(self, inner: OpenAIProvider) -> None:
        self.inner = inner
        self.values: list[BaseModel] = []
        self.model, self.endpoint_kind = inner.model, inner.endpoint_kind
        self.parameters = inner.parameters

    def extract(self, messages: Sequence[Message], response_model: type[Any],
                context: Mapping[str, object]) -> Extraction[Any]:
        result = self.inner.extract(messages, response_model, context)
        self.values.append(result.value)
        return result


@dataclass(frozen=True)
class Statement:
    doc: Document
    kind: str
    text: str
    evidence: str
    context: str
    label: bool
    dates: str  # the evidence's dates written out, against the article's publication date


def _recorded() -> list[tuple[Document, date | None, list[tuple[str, BaseModel]]]]:
    """Every article with its publication date and the recorded model's parsed drafts, replayed."""
    out = []
    model = recorded_model(ROOT / "cassettes")
    compact = recorded_answer_format(ROOT / "cassettes") == COMPACT_JSON
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        capture = Capture(OpenAIProvider(model=model, base_url="http://replay.invalid/v1",
                                         api_key="unused", endpoint_kind="local", attempts=1,
                                         compact_json=compact))
        doc = read_article(path)
        with vcr.VCR(record_mode="none", **VCR_CONFIG).use_cassette(
                str(ROOT / "cassettes" / f"seed_{path.name[:3]}.yaml")):
            summary = summarize_document(doc, capture)  # type: ignore[arg-type]
        out.append((doc, _day(summary.document.published),
                    [item for v in capture.values for item in drafted_items(v)]))
    provider = replay_provider(EVAL)
    for article in read_gold(GOLD):
        capture = Capture(provider)  # type: ignore[arg-type]
        doc = Document(id=article.id, raw=article.text)
        given = metadata_overrides(title=article.title, published=article.published)
        with cassette(cassette_path(EVAL, article.id), "none"):
            summary = summarize_document(doc, capture, metadata=given)  # type: ignore[arg-type]
        out.append((doc, _day(summary.document.published),
                    [item for v in capture.values for item in drafted_items(v)]))
    return out


def _day(published: str | None) -> date | None:
    return date.fromisoformat(published) if published else None


def statements(doc: Document, published: date | None,
               drafts: list[tuple[str, BaseModel]]) -> list[Statement]:
    found: list[Statement] = []
    for section, draft in drafts:
        evidence = draft.expression if isinstance(draft, DateDraft) else \
            str(getattr(draft, "evidence", ""))
        located = align(doc, evidence)
        if not located.found:
            continue  # grounding rejects it before any statement is read
        quoted = " \u2026 ".join(span.text for span in located.spans)
        context = doc.raw[slice(*sentence_bounds(doc.raw, located.spans[0].start,
                                                 located.spans[-1].end))]
        pairs: list[tuple[str, str, bool]] = []
        if isinstance(draft, SentenceDraft):
            pairs.append((section, draft.text, False))
        elif isinstance(draft, FactDraft):
            pairs.append(("facts", draft.claim, False))
        elif isinstance(draft, ActorDraft):
            pairs.append(("role", draft.role, True))
        elif isinstance(draft, QuantityDraft):
            pairs.append(("counted", draft.counted, True))
        elif isinstance(draft, DateDraft):
            pairs.append(("event", draft.event, True))
        dates = dates_written(context or quoted, published)
        found += [Statement(doc, kind, text, quoted, context, label, dates)
                  for kind, text, label in pairs if text.strip()]
    return found


def verdict(s: Statement, text: str) -> Verdict:
    """What grounding decides: the rules, then a claim the article states word for word elsewhere
    is moved there (`settling.reanchored`)."""
    found = check(text, s.evidence, s.context, label=s.label, dates=s.dates)
    if found.outcome != "supported" and not s.label and reanchored(s.doc, text) is not None:
        return Verdict("supported", "re-anchored")
    return found


# --- perturbations: each returns a copy that its evidence does not support, or None ---------

_NAMES = ("Brazil", "NATO", "Tokyo", "Microsoft", "Interpol", "Nigeria", "Kowalski")
_AUX = re.compile(r"\b(is|are|was|were|has|have|had|will|can|would|did|does|do)\b")
_NEG = re.compile(r"\s*\b(?:not|never|no longer)\b|n't\b")
_STATUS = [(r"\b(?:begun|began|begins|started|starts|start|begin)\b", "finished"),
           (r"\bwill\b", "has"), (r"\bwould\b", "had"), (r"\b(?:may|might|could)\b", "did"),
           (r"\b(?:is|are) (\w+ing)\b", r"have finished \1")]
_SCOPE = re.compile(r"\b(some|several|many|most|the|its|their)\b", re.IGNORECASE)


def _absent(doc: Document, options: Sequence[str]) -> str:
    return next(o for o in options if o.lower() not in doc.raw.lower())


def number_changed(s: Statement) -> str | None:
    found = [f for f in figures(s.text) if f.value is not None]
    if not found:
        return None
    figure = found[0]
    new = next(str(n) for n in (int(figure.value or 0) * 3 + 7, 9871, 4127)
               if str(n) not in s.doc.raw)
    return s.text[:figure.start] + new + s.text[figure.end:]


def name_swapped(s: Statement) -> str | None:
    names = [n for n in capitalized_words(s.text) if n.lower() in s.evidence.lower()]
    if not names:
        return None
    return re.sub(rf"\b{re.escape(names[-1])}\b", _absent(s.doc, _NAMES), s.text, count=1)


def negation_flipped(s: Statement) -> str | None:
    if _NEG.search(s.text):
        return _NEG.sub("", s.text, count=1)
    aux = _AUX.search(s.text)
    if aux:
        return s.text[:aux.end()] + " not" + s.text[aux.end():]
    return "not " + s.text if s.label else None


def status_changed(s: Statement) -> str | None:
    for pattern, replacement in _STATUS:
        changed = re.sub(pattern, replacement, s.text, count=1)
        if changed != s.text:
            return changed
    return None


def scope_widened(s: Statement) -> str | None:
    if re.search(r"\b(all|every|entire|whole|each)\b", s.text, re.IGNORECASE):
        return None
    match = _SCOPE.search(s.text)
    if match is None:
        return "all " + s.text if s.label else None
    word = match.group(1)
    new = "all" if word.lower() in ("some", "several", "many", "most") else f"all {word}"
    return s.text[:match.start()] + new + s.text[match.end():]


def entity_added(s: Statement) -> str | None:
    return f"{s.text.rstrip('. ')} with {_absent(s.doc, _NAMES)}"


PERTURBATIONS: dict[str, Callable[[Statement], str | None]] = {
    "number changed": number_changed, "name swapped": name_swapped,
    "negation added/removed": negation_flipped, "status/modality changed": status_changed,
    "scope widened": scope_widened, "entity added": entity_added,
}


def _rate(part: int, whole: int) -> str:
    return f"{part}/{whole} = {100 * part / whole:.1f}%" if whole else "-"


JUDGE_CASSETTE = ROOT / "bench" / "cassettes" / "support_judge.yaml"
REVIEW = ROOT / "bench" / "data" / "support_review.jsonl"


def _reviews() -> dict[tuple[str, str, str, str], str]:
    """The project's own reading of the originals that rules + judge reject (REVIEW): whether each
    is "supported" by its evidence's sentence, "unsupported", or true only by "elsewhere" in the
    article; keyed by (document id, kind, statement, evidence)."""
    rows = [json.loads(line) for line in REVIEW.read_text().splitlines() if line.strip()]
    return {(r["doc"], r["kind"], r["statement"], r["evidence"]): r["review"] for r in rows}


def _reviewed_rate(rejected: list[Statement], originals: list[Statement],
                   wrong: tuple[str, ...]) -> str:
    """False rejects among the originals a reader would accept: a rejected original counts unless
    the review says it is not in `wrong`'s classes of supported; an unreviewed one counts."""
    review = _reviews()

    def said(s: Statement) -> str:
        return review.get((s.doc.id, s.kind, s.text, s.evidence), "unreviewed")

    right = sum(said(s) not in (*wrong, "unreviewed") for s in rejected)
    false = sum(said(s) in (*wrong, "unreviewed") for s in rejected)
    return _rate(false, len(originals) - right)


def judged(questions: dict[str, list[tuple[str, str]]], record: bool
           ) -> tuple[dict[tuple[str, str, str], bool | None], ModelSupportJudge]:
    """The model's verdict on each (document id, statement, evidence), asked as the pipeline asks
    it (one `ModelSupportJudge` call per article and 12 statements), replayed from JUDGE_CASSETTE
    (with `record`, the embedded local model answers what it lacks)."""
    if record:
        stack = contextlib.ExitStack()
        provider = stack.enter_context(Summarizer()).provider
    else:
        stack = contextlib.ExitStack()
        provider = replay_provider(ROOT / "cassettes")
    judge = ModelSupportJudge(provider)
    answers: dict[tuple[str, str, str], bool | None] = {}
    JUDGE_CASSETTE.parent.mkdir(parents=True, exist_ok=True)
    with stack, cassette(JUDGE_CASSETTE, "new_episodes" if record else "none"):
        for doc_id, pairs in sorted(questions.items()):
            for (statement, evidence), verdict_ in zip(pairs, judge(pairs), strict=True):
                answers[(doc_id, statement, evidence)] = verdict_
    return answers, judge


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="list the originals the rules reject "
                        "and the perturbed statements they accept")
    parser.add_argument("--judge", action="store_true", help="also put the undecided statements "
                        "to the model as a judge (replayed from " + str(JUDGE_CASSETTE.relative_to(
                            ROOT)) + ")")
    parser.add_argument("--record", action="store_true", help="with --judge: ask the embedded "
                        "local model the questions the cassette lacks")
    args = parser.parse_args()
    recorded = _recorded()
    originals = [s for doc, day, drafts in recorded for s in statements(doc, day, drafts)]
    print(f"{len(recorded)} articles, {len(originals)} model-written statements with a located "
          "evidence")
    first = {id(s): verdict(s, s.text) for s in originals}
    outcomes = Counter(v.outcome for v in first.values())
    print("originals:", dict(outcomes))
    kinds: dict[str, Counter[str]] = {}
    reanchors = 0
    for s in originals:
        found = first[id(s)]
        kinds.setdefault(("claims" if not s.label else "labels"), Counter())[found.outcome] += 1
        reanchors += found.reason == "re-anchored"
        if args.show and found.outcome != "supported":
            print(f"  original {s.kind} {s.text!r}: {found.outcome}: {found.reason}")
    perturbed: dict[str, list[tuple[Statement, str, Verdict]]] = {}
    for name, perturb in PERTURBATIONS.items():
        for s in originals:
            changed = perturb(s)
            if changed is None or changed == s.text:
                continue
            found = verdict(s, changed)
            perturbed.setdefault(name, []).append((s, changed, found))
            if args.show and found.outcome == "supported":
                print(f"  accepted {name}: {changed!r} (evidence {s.evidence!r})")
    for kind, counts in kinds.items():
        print(f"  {kind}: {dict(counts)}")
    print(f"  claims moved to where the article states them word for word: {reanchors}")
    answers: dict[tuple[str, str, str], bool | None] = {}
    judge: ModelSupportJudge | None = None
    if args.judge:
        questions: dict[str, list[tuple[str, str]]] = {}
        undecided = [(s, s.text) for s in originals if first[id(s)].outcome == "undecided"] + [
            (s, text) for items in perturbed.values() for s, text, v in items
            if v.outcome == "undecided"]
        for s, text in undecided:
            pairs = questions.setdefault(s.doc.id, [])
            if (text, s.evidence) not in pairs:
                pairs.append((text, s.evidence))
        for doc_id, pairs in questions.items():  # originals and copies mixed, as a fixed draw
            random.Random(doc_id).shuffle(pairs)
        answers, judge = judged(questions, args.record)

    def accepted(s: Statement, text: str, found: Verdict) -> bool:
        return found.outcome == "supported" or (
            found.outcome == "undecided" and answers.get((s.doc.id, text, s.evidence)) is True)

    print(f"\n{'perturbation':26} {'n':>5} {'no check: accepted':>19} {'rules: accepted':>16} "
          f"{'undecided':>10}" + (f" {'rules+judge: accepted':>22}" if judge else ""))
    everything = [item for items in perturbed.values() for item in items]
    for name, items in [*perturbed.items(), ("all", everything)]:
        n = len(items)
        counts = Counter(v.outcome for _, _, v in items)
        line = (f"{name:26} {n:5d} {100.0:18.1f}% {100 * counts['supported'] / n:15.1f}% "
                f"{100 * counts['undecided'] / n:9.1f}%")
        if judge:
            line += f" {100 * sum(accepted(*item) for item in items) / n:21.1f}%"
        print(line)
    total = Counter(v.outcome for _, _, v in everything)
    n_perturbed, n_originals = len(everything), len(originals)
    print(f"\nfalse accepts on perturbed statements: no check {_rate(n_perturbed, n_perturbed)}; "
          f"rules {_rate(total['supported'], n_perturbed)}; rules, undecided accepted "
          f"{_rate(total['supported'] + total['undecided'], n_perturbed)}")
    print(f"false rejects on the originals: no check {_rate(0, n_originals)}; rules "
          f"{_rate(n_originals - outcomes['supported'], n_originals)} (broke a rule "
          f"{outcomes['unsupported']}, undecided {outcomes['undecided']}); rules, undecided "
          f"accepted {_rate(outcomes['unsupported'], n_originals)}")
    if judge:
        false_accepts = sum(accepted(*item) for item in everything)
        false_rejects = sum(not accepted(s, s.text, first[id(s)]) for s in originals)
        said = Counter(answers.values())
        print(f"rules + judge: false accepts {_rate(false_accepts, n_perturbed)}; false rejects "
              f"{_rate(false_rejects, n_originals)}")
        rejected = [s for s in originals if not accepted(s, s.text, first[id(s)])]
        by_review = Counter(_reviews().get((s.doc.id, s.kind, s.text, s.evidence), "unreviewed")
                            for s in rejected)
        print(f"  the {len(rejected)} rejected originals as reviewed ({REVIEW.relative_to(ROOT)}): "
              f"{dict(sorted(by_review.items()))}")
        print("  false rejects among the originals a reader would accept: "
              f"{_reviewed_rate(rejected, originals, ('supported', 'elsewhere'))} (true anywhere "
              f"in the article); {_reviewed_rate(rejected, originals, ('supported',))} (true of "
              "the evidence's sentence)")
        print(f"the judge: {len(answers)} questions in {judge.calls} calls, "
              f"{judge.prompt_tokens} prompt + {judge.completion_tokens} completion tokens; "
              f"answered supported {said[True]}, not supported {said[False]}, nothing "
              f"{said[None]}")


if __name__ == "__main__":
    main()
