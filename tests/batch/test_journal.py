"""The results file of a batch (summarizer.batch.journal): what a line holds, which articles a rerun
skips, and what a crash may leave behind.

The rule: an article is done when a whole line (ending in a newline) with its (id, sha256) is in
the results file. A torn last line (a write a crash interrupted) is cut off and its article redone;
an article whose text changed has another sha256 and is redone; failures are not results and are
redone (the errors file is rewritten by every run). A whole line that is no result stops the batch
rather than being skipped or overwritten."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.stub_openai import SEED_ARTICLE, Stub, serving
from summarizer.batch import journal
from summarizer.batch.journal import ErrorsFile, ResultsFile, results_line, stored_lines
from summarizer.batch.session import run_batch
from summarizer.errors import InputError


def record(doc_id: object, sha: object, **more: object) -> dict[str, object]:
    return {"id": doc_id, "sha256": sha, "summary": {}, **more}


def line(doc_id: str, sha: str) -> str:
    return results_line(record(doc_id, sha)) + "\n"


# --- what a line holds ---------------------------------------------------------------------------


def test_a_result_is_one_compact_json_line_with_its_key_done(tmp_path: Path) -> None:
    out = tmp_path / "r.jsonl"
    results = ResultsFile(out)
    assert out.read_bytes() == b""  # made on opening
    assert results.done == set()
    results.append(record("a", "1", source="in/a.txt", summary={"headline": "Zürich, “quoted”"}))
    results.close()
    # one line, no spaces, non-ASCII as written (UTF-8), newline-terminated
    assert out.read_bytes() == ('{"id":"a","sha256":"1","summary":{"headline":"Zürich, “quoted”"},'
                                '"source":"in/a.txt"}\n').encode()
    assert results.done == {("a", "1")}


def test_reopening_reads_back_every_key_as_strings(tmp_path: Path) -> None:
    out = tmp_path / "r.jsonl"
    out.write_text(line("a", "1") + line("b", "2") + results_line(record(7, 8)) + "\n",
                   encoding="utf-8")
    assert ResultsFile(out).done == {("a", "1"), ("b", "2"), ("7", "8")}
    assert [(n, r["id"]) for n, r in stored_lines(out)] == [(1, "a"), (2, "b"), (3, 7)]


def test_appending_keeps_what_an_earlier_run_wrote(tmp_path: Path) -> None:
    out = tmp_path / "r.jsonl"
    first = ResultsFile(out)
    first.append(record("a", "1"))
    first.close()
    second = ResultsFile(out)
    assert second.done == {("a", "1")}
    second.append(record("b", "2"))
    second.close()
    assert out.read_text(encoding="utf-8") == line("a", "1") + line("b", "2")


def test_the_same_id_with_other_text_is_not_done(tmp_path: Path) -> None:
    out = tmp_path / "r.jsonl"
    out.write_text(line("a", "1"), encoding="utf-8")
    done = ResultsFile(out).done
    assert ("a", "1") in done
    assert ("a", "2") not in done  # the article changed: it is summarized again


# --- what a crash leaves ---------------------------------------------------------------------------


@pytest.mark.parametrize("torn", ['{"id": "b", "sha256": "2", "summ', "{",
                                  '{"id":"b","sha256":"2","summary":{}}'])
def test_a_torn_last_line_is_cut_off_and_its_article_redone(tmp_path: Path, torn: str) -> None:
    # even a line of valid JSON is torn without its newline: the fsync never happened
    out = tmp_path / "r.jsonl"
    out.write_text(line("a", "1") + torn, encoding="utf-8")
    results = ResultsFile(out)
    assert results.done == {("a", "1")}
    assert out.read_text(encoding="utf-8") == line("a", "1")  # cut before anything is appended
    results.append(record("b", "2"))
    results.close()
    assert out.read_text(encoding="utf-8") == line("a", "1") + line("b", "2")


def test_a_file_holding_only_a_torn_line_is_emptied(tmp_path: Path) -> None:
    out = tmp_path / "r.jsonl"
    out.write_text('{"id": "a", "sha', encoding="utf-8")
    assert ResultsFile(out).done == set()
    assert out.read_bytes() == b""


def test_a_torn_line_longer_than_a_read_block_is_cut_at_the_last_newline(tmp_path: Path) -> None:
    # _drop_torn_tail looks back 64 KiB at a time: the newline lies two blocks before the end
    out = tmp_path / "r.jsonl"
    torn = '{"id": "b", "sha256": "2", "summary": "' + "x" * 150_000
    out.write_text(line("a", "1") + torn, encoding="utf-8")
    assert ResultsFile(out).done == {("a", "1")}
    assert out.read_text(encoding="utf-8") == line("a", "1")


def test_reading_stops_at_a_torn_line_without_parsing_it(tmp_path: Path) -> None:
    out = tmp_path / "r.jsonl"
    out.write_text(line("a", "1") + "not json, and torn", encoding="utf-8")
    assert [n for n, _ in stored_lines(out)] == [1]


@pytest.mark.parametrize(("content", "why"), [
    ("{broken\n", "not a results line (Expecting property name enclosed in double quotes: "
                  "line 1 column 2 (char 1))"),
    ('{"id": "b", "sha256": "2"}\n', "not a results line (no id, sha256 or summary)"),
    ('["b", "2", {}]\n', "not a results line (no id, sha256 or summary)"),
])
def test_a_whole_line_that_is_no_result_stops_the_batch(tmp_path: Path, content: str, why: str) -> None:
    out = tmp_path / "r.jsonl"
    out.write_text(line("a", "1") + content + line("c", "3"), encoding="utf-8")
    with pytest.raises(InputError) as raised:
        ResultsFile(out)
    assert str(raised.value) == f"{out}:2: {why}"
    assert out.read_text(encoding="utf-8") == line("a", "1") + content + line("c", "3")  # untouched


def test_a_short_write_is_cut_back_rather_than_left_torn(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "r.jsonl"
    results = ResultsFile(out)
    results.append(record("a", "1"))

    class DiskFull:
        """os, except that a write stores only its first 5 bytes (a full disk)."""

        def __getattr__(self, name: str) -> object:
            return getattr(os, name)

        @staticmethod
        def write(fd: int, data: bytes) -> int:
            return os.write(fd, data[:5])

    monkeypatch.setattr(journal, "os", DiskFull())
    size = len(line("b", "2").encode())
    with pytest.raises(InputError, match=rf"^short write \(5 of {size} bytes\): disk full\?$"):
        results.append(record("b", "2"))
    monkeypatch.undo()
    results.close()
    assert out.read_text(encoding="utf-8") == line("a", "1")
    assert results.done == {("a", "1")}


def test_a_results_file_that_cannot_be_written_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"/missing/r\.jsonl: cannot be written \(No such file"):
        ResultsFile(tmp_path / "missing" / "r.jsonl")


def test_the_errors_file_is_rewritten_by_every_run(tmp_path: Path) -> None:
    errors = tmp_path / "e.jsonl"
    first = ErrorsFile(errors)
    first.append({"id": "a", "reason": "empty"})
    first.close()
    second = ErrorsFile(errors)
    assert errors.read_bytes() == b""  # a failure of the last run is not remembered: it is retried
    second.append({"id": "b", "reason": "ünreadable"})
    second.close()
    assert errors.read_text(encoding="utf-8") == '{"id": "b", "reason": "ünreadable"}\n'


# --- an incomplete result, redone ------------------------------------------------------------------


def incomplete(doc_id: str, sha: str) -> dict[str, object]:
    return record(doc_id, sha, summary={"incomplete": [{"name": "entities", "error": "HTTP 500"}]})


def test_an_incomplete_result_is_not_done_and_its_redo_replaces_it_on_closing(tmp_path: Path) -> None:
    out = tmp_path / "r.jsonl"
    first = ResultsFile(out)
    first.append(record("a", "1"))
    first.append(incomplete("b", "2"))
    first.append(record("c", "3"))
    first.close()
    assert first.done == {("a", "1"), ("c", "3")}
    second = ResultsFile(out)
    assert second.done == {("a", "1"), ("c", "3")}  # b is asked again
    second.append(record("b", "2"))
    assert second.done == {("a", "1"), ("b", "2"), ("c", "3")}
    assert out.read_text(encoding="utf-8").count('"id":"b"') == 2  # until closed
    second.close()
    assert out.read_text(encoding="utf-8") == line("a", "1") + line("c", "3") + line("b", "2")
    assert not list(tmp_path.glob(".r.jsonl.*"))  # no temporary file left


def test_a_redo_that_is_incomplete_again_replaces_the_old_line_and_stays_to_redo(tmp_path: Path) -> None:
    out = tmp_path / "r.jsonl"
    out.write_text(results_line(incomplete("b", "2")) + "\n" + line("a", "1"), encoding="utf-8")
    results = ResultsFile(out)
    results.append(incomplete("b", "2"))
    results.close()
    assert _ids_of(out) == ["a", "b"]
    assert ResultsFile(out).done == {("a", "1")}


def test_a_crash_between_a_redo_and_closing_is_repaired_on_opening(tmp_path: Path) -> None:
    """Both lines of a redone article are in the file (closing never ran): the later wins."""
    out = tmp_path / "r.jsonl"
    out.write_text(results_line(incomplete("b", "2")) + "\n" + line("a", "1") + line("b", "2"),
                   encoding="utf-8")
    results = ResultsFile(out)
    assert results.done == {("a", "1"), ("b", "2")}
    assert out.read_text(encoding="utf-8") == line("a", "1") + line("b", "2")  # before any append
    results.append(record("c", "3"))
    results.close()
    assert _ids_of(out) == ["a", "b", "c"]


def test_a_redo_after_a_repair_takes_out_the_right_line(tmp_path: Path) -> None:
    """Lines renumbered after the repair on opening: the redo of d takes out d's line only."""
    out = tmp_path / "r.jsonl"
    out.write_text(line("a", "1") + line("a", "1") + results_line(incomplete("d", "4")) + "\n"
                   + line("e", "5"), encoding="utf-8")
    results = ResultsFile(out)
    results.append(record("d", "4"))
    results.close()
    assert out.read_text(encoding="utf-8") == line("a", "1") + line("e", "5") + line("d", "4")


def _ids_of(out: Path) -> list[str]:
    return [str(r["id"]) for _, r in stored_lines(out)]


# --- one run at a time ----------------------------------------------------------------------------


def test_a_results_file_open_for_writing_cannot_be_opened_again_until_closed(tmp_path: Path) -> None:
    out = tmp_path / "r.jsonl"
    first = ResultsFile(out)
    with pytest.raises(InputError, match=r"r\.jsonl: another summarizer batch is writing these "
                       r"results now: wait for it to end, or give another --out \(its lock on "
                       r"r\.jsonl\.lock ends with it; nothing to delete\)$"):
        ResultsFile(out)
    link = tmp_path / "elsewhere.jsonl"
    link.symlink_to(out)
    with pytest.raises(InputError, match="another summarizer batch"):  # the same file, by a link
        ResultsFile(link)
    first.close()
    ResultsFile(out).close()  # closed: the next run may write


def test_a_results_file_that_fails_to_open_leaves_no_lock_held(tmp_path: Path) -> None:
    out = tmp_path / "r.jsonl"
    out.write_text("{broken\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a results line"):
        ResultsFile(out)
    out.write_text("", encoding="utf-8")
    ResultsFile(out).close()


def test_the_lock_of_a_killed_run_is_gone_with_it(tmp_path: Path) -> None:
    """SIGKILL runs no cleanup: the kernel drops the flock, and the lock file left behind holds
    nobody back."""
    out = tmp_path / "r.jsonl"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; "
         "from summarizer.batch.journal import ResultsFile; ResultsFile(Path(sys.argv[1])); "
         "print('holding', flush=True); time.sleep(600)", str(out)],
        stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline() == "holding\n"
    with pytest.raises(InputError, match="another summarizer batch"):
        ResultsFile(out)
    os.kill(holder.pid, signal.SIGKILL)
    holder.communicate()
    assert (tmp_path / "r.jsonl.lock").exists()
    ResultsFile(out).close()


# --- a batch resumed ------------------------------------------------------------------------------

TEXT = SEED_ARTICLE.read_text(encoding="utf-8")
SHA = hashlib.sha256(TEXT.encode("utf-8")).hexdigest()


@pytest.fixture
def stub(monkeypatch: pytest.MonkeyPatch) -> Iterator[Stub]:
    """The stub endpoint of tests/batch/test_batch.py: every pass answered as the model answered
    seed 000 (three requests an article: the support check asks nothing)."""
    monkeypatch.setenv("SUMMARIZER_SUPPORT_CHECK", "rules")
    with serving(Stub()) as running:
        yield running


def batch(stub: Stub, folder: Path, out: Path) -> tuple[int, int, int, int]:
    """(done, already done, failed, requests) of one batch over `folder` into `out`."""
    asked = len(stub.log)
    totals = run_batch([folder], out, out.with_suffix(".errors.jsonl"), concurrency=2,
                       base_url=stub.base_url, api_key="unused", model="stub")
    return totals.done, totals.already_done, totals.failed, len(stub.log) - asked


def ids(out: Path) -> list[str]:
    return [json.loads(text)["id"] for text in out.read_text(encoding="utf-8").splitlines()]


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_a_rerun_skips_done_articles_and_redoes_the_rest(stub: Stub, tmp_path: Path) -> None:
    folder, out = tmp_path / "in", tmp_path / "r.jsonl"
    folder.mkdir()
    for name in ("a", "b"):
        (folder / f"{name}.txt").write_text(TEXT, encoding="utf-8")
    (folder / "c.txt").write_text("", encoding="utf-8")  # fails: empty
    assert batch(stub, folder, out) == (2, 0, 1, 6)
    assert sorted(ids(out)) == ["a", "b"]

    assert batch(stub, folder, out) == (0, 2, 1, 0)  # nothing asked again

    (folder / "c.txt").write_text(TEXT, encoding="utf-8")  # the failure, fixed: done now
    (folder / "b.txt").write_text(TEXT + "\nA line added.\n", encoding="utf-8")  # another text
    with out.open("a", encoding="utf-8") as handle:  # and a crash in the middle of writing "d"
        handle.write(f'{{"id":"d","sha256":"{SHA}","summ')
    (folder / "d.txt").write_text(TEXT, encoding="utf-8")
    assert batch(stub, folder, out) == (3, 1, 0, 9)
    written = ids(out)  # "b" twice: its first text's line stays
    assert (sorted(written[:2]), sorted(written[2:])) == (["a", "b"], ["b", "c", "d"])
    assert (tmp_path / "r.errors.jsonl").read_bytes() == b""
