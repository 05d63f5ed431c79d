"""Shows a pip install's steps and llama.cpp's build progress, and keeps pip's whole output in a log.

Reads `pip install --verbose` on stdin (scripts/install-local). Prints pip's top-level steps
(collecting, downloading, building, installed) and, while llama-server builds, each new percentage CMake
reports with its step, each line headed by the time since the start.
"""

import re
import sys
import time
from pathlib import Path

STEP = re.compile(r"^\s*(Collecting |Downloading |Building wheel|Created wheel |Installing collected "
                  r"|Successfully installed |ERROR)")
PERCENT = re.compile(r"^\s*\[\s*(\d+)%\] (.*)")


def main(log_path: str) -> None:
    start = time.monotonic()
    shown = ""
    with Path(log_path).open("w", encoding="utf-8") as log:
        for line in sys.stdin:
            log.write(line)
            minutes, seconds = divmod(int(time.monotonic() - start), 60)
            stamp = f"[{minutes:2d}:{seconds:02d}]"
            if (step := PERCENT.match(line)) and step[1] != shown:
                shown = step[1]
                print(f"{stamp} llama-server build {shown:>3}%: {step[2]}", flush=True)
            elif STEP.match(line):
                print(f"{stamp} {line.strip()}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
