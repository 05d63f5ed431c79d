"""The Ray Data integration (optional extra `ray`) on a Ray cluster started on this machine (Ray
2.60 has no local mode any more), replaying the seeds' cassettes in the workers: its records are
the lines `summarizer batch` writes for the same articles."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ray = pytest.importorskip("ray", reason="the optional extra `ray` is not installed")

from summarizer.batch.ray_data import errors, records, summarize_dataset  # noqa: E402
from summarizer.batch.session import run_batch  # noqa: E402
from tests.conftest import ROOT, SEEDS  # noqa: E402
from tests.ray_replay import replaying_provider  # noqa: E402

pytestmark = [pytest.mark.ray, pytest.mark.slow,
              # Ray Data warns about its own deprecated settings
              pytest.mark.filterwarnings("ignore::DeprecationWarning:ray")]


@pytest.fixture(scope="module")
def cluster() -> Iterator[None]:
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
             object_store_memory=100 * 1024 * 1024,
             runtime_env={"env_vars": {"PYTHONPATH": path}})
    try:
        yield
    finally:
        ray.shutdown()


def _without_elapsed(record: dict[str, Any]) -> dict[str, Any]:
    summary = dict(record["summary"])
    summary["metadata"] = {k: v for k, v in summary["metadata"].items() if k != "elapsed_seconds"}
    return {**record, "summary": summary}


def test_a_dataset_of_articles_gives_the_records_batch_writes(cluster: None, tmp_path: Path) -> None:
    import ray.data

    paths = sorted(SEEDS.values())
    articles = [{"id": p.stem, "text": p.read_text(encoding="utf-8")} for p in paths]
    articles.append({"id": "empty", "text": "   "})
    archive = tmp_path / "archive.jsonl"
    archive.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    # the rows batch reads from the archive, each with the source batch records for it
    rows = [{**a, "source": f"{archive}:{n}"} for n, a in enumerate(articles, start=1)]
    done = summarize_dataset(ray.data.from_items(rows), concurrency=2, batch_size=2,
                             provider=replaying_provider).materialize()
    from_ray = sorted((_without_elapsed(r) for r in records(done)), key=lambda r: r["id"])
    assert [r["id"] for r in from_ray] == [p.stem for p in paths]
    (failed,) = errors(done)

    out = tmp_path / "r.jsonl"
    run_batch([archive], out, tmp_path / "e.jsonl", concurrency=1,
              provider=replaying_provider(), concurrent_passes=False)
    assert [failed] == [json.loads(line) for line in
                        (tmp_path / "e.jsonl").read_text(encoding="utf-8").splitlines()]
    assert (failed["id"], failed["kind"]) == ("empty", "input")
    written = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert from_ray == sorted((_without_elapsed(r) for r in written), key=lambda r: r["id"])
