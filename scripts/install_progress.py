"""Shows a pip install's steps and llama.cpp's build progress, and keeps pip's whole output in a log.

Reads `pip install --verbose` on stdin (scripts/install-local). Prints pip's top-level steps
(collecting, downloading, building, installed) and, while llama-server builds, the percentage CMake
reports, each line headed by the time since the start.
"""

import re
import sys
import time
from pathlib import Path

STEP = re.compile(r"^(Collecting |Downloading |Building wheel for |Created wheel for |Installing collected "
                  r"|Successfully installed |ERROR)")
BUILT = re.compile(r"^\s*\[\s*(\d+)%\] Built target (\S+)")


def main(log_path: str) -> None:
    start = time.monotonic()
    with Path(log_path).open("w", encoding="utf-8") as log:
        for line in sys.stdin:
            log.write(line)
            minutes, seconds = divmod(int(time.monotonic() - start), 60)
            stamp = f"[{minutes:2d}:{seconds:02d}]"
            if built := BUILT.match(line):
                print(f"{stamp} llama-server build {built[1]:>3}% ({built[2]})", flush=True)
            elif STEP.match(line):
                print(f"{stamp} {line.rstrip()}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
