"""The embedded local model without the model or the server: fake chunk files and a fake server.

The fake server is a small Python script standing in for `llama-server`: it serves GET /health on
the port it is given and records its PID, so the tests can check the child is really gone.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from summarizer import api
from summarizer.backends import local as local_model
from summarizer.errors import ConfigurationError, NoBackendError, ProviderError

LOOPBACK = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])

_FAKE_SERVER = """\
import http.server
import json
import os
import signal
import sys

if os.environ.get("FAKE_SERVER_IGNORE_TERM"):
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
port = int(sys.argv[sys.argv.index("--port") + 1])
with open(os.environ["FAKE_SERVER_PIDFILE"], "w") as record:
    json.dump({"pid": os.getpid(), "argv": sys.argv[1:],
               "api_key": os.environ.get("LLAMA_API_KEY")}, record)


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200 if self.path == "/health" else 404)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


http.server.HTTPServer(("127.0.0.1", port), Handler).serve_forever()
"""


# --- ensure_model_file --------------------------------------------------------------------------


@pytest.fixture
def parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[Path], bytes]:
    """Three small chunk files standing in for the 22 packages, and their concatenation."""
    chunks = [b"GGUF" + bytes(range(256)) * 3, b"middle chunk\n" * 50, b"the end"]
    paths = []
    for number, chunk in enumerate(chunks, start=1):
        path = tmp_path / "site" / f"part{number:02d}.bin"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(chunk)
        paths.append(path)
    joined = b"".join(chunks)
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(local_model, "MODEL_SHA256", hashlib.sha256(joined).hexdigest())
    monkeypatch.setattr(local_model, "MODEL_BYTES", len(joined))
    return paths, joined


def test_ensure_model_file_joins_verifies_and_marks(
        parts: tuple[list[Path], bytes], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    paths, joined = parts
    calls: list[int] = []

    def model_parts() -> list[Path]:
        calls.append(1)
        if len(calls) > 1:
            raise AssertionError("the parts were read again although the joined model is verified")
        return paths

    monkeypatch.setattr(local_model, "model_parts", model_parts)
    messages: list[str] = []
    target = local_model.ensure_model_file(messages.append)

    assert target == tmp_path / "cache" / "models" / f"{local_model.MODEL_NAME}.gguf"
    assert target.read_bytes() == joined
    marker = target.with_suffix(".sha256")
    assert marker.read_text().strip() == local_model.MODEL_SHA256
    assert messages == ["joining the local model (once)"]
    assert not list(target.parent.glob("*.part-*"))

    assert local_model.ensure_model_file(messages.append) == target
    assert len(calls) == 1
    assert messages == ["joining the local model (once)"]  # no second join announced


def test_ensure_model_file_rejoins_a_damaged_model(
        parts: tuple[list[Path], bytes], monkeypatch: pytest.MonkeyPatch) -> None:
    paths, joined = parts
    monkeypatch.setattr(local_model, "model_parts", lambda: paths)
    target = local_model.ensure_model_file()
    target.write_bytes(joined[:-1])  # truncated, the marker still there

    assert local_model.ensure_model_file() == target
    assert target.read_bytes() == joined


def test_ensure_model_file_rejects_a_wrong_sha256(
        parts: tuple[list[Path], bytes], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    paths, _ = parts
    monkeypatch.setattr(local_model, "model_parts", lambda: paths)
    monkeypatch.setattr(local_model, "MODEL_SHA256", "0" * 64)

    with pytest.raises(ConfigurationError, match=r"expected 0{64}.*reinstall the \[local\] extra"):
        local_model.ensure_model_file()

    models = tmp_path / "cache" / "models"
    assert sorted(models.iterdir()) == []  # no joined file, no marker, no .part-* left behind


def test_ensure_model_file_without_the_parts_names_both_ways_out(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(local_model, "model_parts", lambda: None)

    with pytest.raises(NoBackendError) as raised:
        local_model.ensure_model_file()

    assert "[local]" in str(raised.value)
    assert "OPENAI_BASE_URL" in str(raised.value)
    assert not (tmp_path / "models").exists()


# --- local_server with a fake llama-server ------------------------------------------------------


def _executable(path: Path, body: str) -> Path:
    path.write_text(f"#!{sys.executable}\n{body}", encoding="utf-8")
    path.chmod(0o755)
    return path


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _gone(pid: int, within: float = 3.0) -> bool:
    deadline = time.monotonic() + within
    while _alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


@pytest.fixture
def fake_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Install the fake server; yields the file where it records its PID and arguments."""
    (tmp_path / "bin").mkdir()
    binary = _executable(tmp_path / "bin" / "llama-server", _FAKE_SERVER)
    record = tmp_path / "server.json"
    monkeypatch.setenv("FAKE_SERVER_PIDFILE", str(record))
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "cache").mkdir()
    monkeypatch.setattr(local_model, "server_binary", lambda: binary)
    monkeypatch.setattr(local_model, "ensure_model_file", lambda progress=None: tmp_path / "model.gguf")
    monkeypatch.setattr(local_model, "_START_TIMEOUT", 10.0)
    yield record
    # Never leave a fake behind, whatever the test did (only our own script, by its PID).
    if record.is_file():
        pid = json.loads(record.read_text())["pid"]
        cmdline = Path(f"/proc/{pid}/cmdline")
        if cmdline.is_file() and str(binary).encode() in cmdline.read_bytes():
            os.kill(pid, signal.SIGKILL)


def _recorded(record: Path) -> dict[str, object]:
    return dict(json.loads(record.read_text()))


@LOOPBACK
def test_local_server_yields_the_url_and_stops_the_child(fake_server: Path, tmp_path: Path) -> None:
    messages: list[str] = []
    with local_model.local_server(messages.append) as server:
        url = server.base_url
        assert url.startswith("http://127.0.0.1:")
        assert url.endswith("/v1")
        port = int(url.removeprefix("http://127.0.0.1:").removesuffix("/v1"))
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as response:
            assert response.status == 200
        recorded = _recorded(fake_server)
        pid = int(str(recorded["pid"]))
        assert _alive(pid)

    assert _gone(pid)
    argv = recorded["argv"]
    assert isinstance(argv, list)
    assert argv[argv.index("-m") + 1] == str(tmp_path / "model.gguf")
    assert argv[argv.index("--host") + 1] == "127.0.0.1"
    assert argv[argv.index("--port") + 1] == str(port)
    assert argv[argv.index("-np") + 1] == "1"
    assert argv[argv.index("--ctx-size") + 1] == "8192"
    assert messages == [f"starting the local model on 127.0.0.1:{port}"]
    # the run's key reaches the server by its environment, never its command line (which any
    # local user can read), and /health answered without it
    assert recorded["api_key"] == server.api_key
    assert len(server.api_key) == 43  # 32 random bytes, URL-safe base64
    assert not any(server.api_key in arg for arg in argv)
    assert "--api-key" not in argv


@LOOPBACK
def test_local_server_slots_each_get_the_whole_window(fake_server: Path) -> None:
    with local_model.local_server(slots=3):
        argv = _recorded(fake_server)["argv"]
    assert isinstance(argv, list)
    assert argv[argv.index("-np") + 1] == "3"
    assert argv[argv.index("--ctx-size") + 1] == str(3 * 8192)  # llama.cpp divides it by -np
    assert "--no-kv-unified" in argv


@pytest.mark.parametrize(("raw", "expected"), [(None, 1), ("2", 2), (" 16 ", 16)])
def test_local_slots_come_from_the_environment(monkeypatch: pytest.MonkeyPatch, raw: str | None,
                                               expected: int) -> None:
    from summarizer.backends import config

    if raw is None:
        monkeypatch.delenv("SUMMARIZER_LOCAL_SLOTS", raising=False)
    else:
        monkeypatch.setenv("SUMMARIZER_LOCAL_SLOTS", raw)
    assert config.local_slots() == expected
    assert config.local_slots(4) == 4  # an argument wins


@pytest.mark.parametrize("raw", ["0", "17", "two", "1.5"])
def test_bad_local_slots_are_a_configuration_error(monkeypatch: pytest.MonkeyPatch,
                                                   raw: str) -> None:
    from summarizer.backends import config
    from summarizer.errors import ConfigurationError

    monkeypatch.setenv("SUMMARIZER_LOCAL_SLOTS", raw)
    with pytest.raises(ConfigurationError, match="SUMMARIZER_LOCAL_SLOTS must be a whole number "
                                                 f"from 1 to 16, not '{raw}'"):
        config.local_slots()


@LOOPBACK
def test_local_server_gets_a_fresh_key_each_run(fake_server: Path) -> None:
    with local_model.local_server() as first:
        pass
    with local_model.local_server() as second:
        pass
    assert first.api_key != second.api_key


@LOOPBACK
def test_local_server_is_reached_without_the_environments_proxy(
        fake_server: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy in the environment (here a closed port) is not asked to reach the loopback server."""
    for name in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    with local_model.local_server() as server:
        assert server.base_url.startswith("http://127.0.0.1:")
        pid = int(str(_recorded(fake_server)["pid"]))
    assert _gone(pid)


@LOOPBACK
@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
def test_local_server_stops_the_child_when_the_body_fails(
        fake_server: Path, error: type[BaseException]) -> None:
    with pytest.raises(error, match="from the body"), local_model.local_server():
        pid = int(str(_recorded(fake_server)["pid"]))
        raise error("from the body")

    assert _gone(pid)


@LOOPBACK
def test_local_server_kills_the_child_when_interrupted_while_stopping(
        fake_server: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second Ctrl-C (or SIGTERM, which the CLI turns into one) while we wait for the server to
    stop must not leave it running: here it ignores SIGTERM and the interrupt comes mid-wait."""
    monkeypatch.setenv("FAKE_SERVER_IGNORE_TERM", "1")

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        with pytest.raises(KeyboardInterrupt), local_model.local_server():
            pid = int(str(_recorded(fake_server)["pid"]))
            signal.setitimer(signal.ITIMER_REAL, 0.3)  # fires while local_server waits for the child
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)

    assert _gone(pid)


@LOOPBACK
def test_local_server_reports_a_server_that_exits_at_start(
        fake_server: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    failing = _executable(tmp_path / "bin" / "failing-server",
                          "import sys\nprint('fake: cannot load model', flush=True)\nsys.exit(1)\n")
    monkeypatch.setattr(local_model, "server_binary", lambda: failing)
    log_path = tmp_path / "cache" / "llama-server.log"

    with pytest.raises(ProviderError, match="exited at start") as raised, local_model.local_server():
        pytest.fail("the body must not run when the server did not start")

    assert str(log_path) in str(raised.value)
    assert "fake: cannot load model" in log_path.read_text()


@LOOPBACK
def test_a_server_that_crashes_at_start_is_started_again_without_repacking(
        fake_server: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """llama.cpp's AMX kernels crash (SIGSEGV) on a CPU that lists AMX which the VM does not
    grant; without weight repacking the server runs. A crash is retried once that way."""
    crashing = _executable(tmp_path / "bin" / "amx-server",
                           "import os, signal, sys\n"
                           "if '--no-repack' not in sys.argv:\n"
                           "    os.kill(os.getpid(), signal.SIGSEGV)\n"
                           f"os.execv({str(tmp_path / 'bin' / 'llama-server')!r}, sys.argv)\n")
    monkeypatch.setattr(local_model, "server_binary", lambda: crashing)
    messages: list[str] = []
    with local_model.local_server(messages.append) as server:
        argv = _recorded(fake_server)["argv"]
        assert isinstance(argv, list) and "--no-repack" in argv
        assert server.base_url.startswith("http://127.0.0.1:")
    log_path = tmp_path / "cache" / "llama-server.log"
    assert messages[1] == (f"the local model server crashed at start (SIGSEGV); see {log_path}; "
                           "starting it again without weight repacking (--no-repack)")
    assert len(messages) == 3 and all(m.startswith("starting the local model") for m in messages[::2])
    # a crash without repacking too is reported, not retried for ever
    monkeypatch.setattr(local_model, "server_binary", lambda: _executable(
        tmp_path / "bin" / "always-crashing", "import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)\n"))
    with pytest.raises(ProviderError, match=r"crashed at start \(SIGSEGV\)"), local_model.local_server():
        pytest.fail("the body must not run when the server did not start")


@LOOPBACK
def test_local_server_gives_up_on_a_server_that_never_answers(
        fake_server: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    silent = _executable(tmp_path / "bin" / "silent-server",
                         "import json, os, time\n"
                         "with open(os.environ['FAKE_SERVER_PIDFILE'], 'w') as f:\n"
                         "    json.dump({'pid': os.getpid()}, f)\n"
                         "time.sleep(60)\n")
    monkeypatch.setattr(local_model, "server_binary", lambda: silent)
    monkeypatch.setattr(local_model, "_START_TIMEOUT", 0.5)

    with pytest.raises(ProviderError, match="did not start in") as raised, local_model.local_server():
        pytest.fail("the body must not run when the server did not start")

    assert "llama-server.log" in str(raised.value)
    assert _gone(int(str(_recorded(fake_server)["pid"])))


def test_local_server_without_the_binary_is_no_backend(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(local_model, "server_binary", lambda: None)

    with pytest.raises(NoBackendError, match="OPENAI_BASE_URL"), local_model.local_server():
        pytest.fail("the body must not run without a server binary")


# --- _library_path ------------------------------------------------------------------------------


@pytest.fixture
def bin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("LD_LIBRARY_PATH", raising=False)
    directory = tmp_path / "site" / "bin"
    directory.mkdir(parents=True)
    (directory / "llama-server").write_bytes(b"")
    return directory


def test_library_path_makes_the_soname_links(bin_dir: Path) -> None:
    real = bin_dir / "libx.so.0.1.0"
    real.write_bytes(b"\x7fELF fake library")
    (bin_dir / "_symlinks.json").write_text(json.dumps({"libx.so.0": "libx.so.0.1.0",
                                                        "libx.so": "libx.so.0"}))

    env = local_model._library_path(bin_dir / "llama-server")

    assert list(env) == ["LD_LIBRARY_PATH"]
    libraries = Path(env["LD_LIBRARY_PATH"])
    assert libraries.is_relative_to(Path(os.environ["SUMMARIZER_CACHE_DIR"]))
    for name in ("libx.so.0", "libx.so"):
        assert (libraries / name).is_symlink()
        assert (libraries / name).resolve() == real.resolve()
        assert (libraries / name).read_bytes() == b"\x7fELF fake library"
    assert not bin_dir.joinpath("libx.so.0").exists()  # nothing written into site-packages

    assert local_model._library_path(bin_dir / "llama-server") == env  # again: links already there


def test_library_path_keeps_an_inherited_path(bin_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (bin_dir / "liby.so.1.2").write_bytes(b"")
    (bin_dir / "_symlinks.json").write_text(json.dumps({"liby.so.1": "liby.so.1.2"}))
    monkeypatch.setenv("LD_LIBRARY_PATH", "/opt/inherited")

    ours, inherited = local_model._library_path(bin_dir / "llama-server")["LD_LIBRARY_PATH"].split(
        os.pathsep)

    assert inherited == "/opt/inherited"
    assert (Path(ours) / "liby.so.1").resolve() == (bin_dir / "liby.so.1.2").resolve()


def test_library_path_follows_an_upgraded_library(bin_dir: Path) -> None:
    """Reinstalling the [local] extra in the same place with a newer library must not leave the
    soname link pointing at the removed file."""
    (bin_dir / "libx.so.0.1.0").write_bytes(b"old")
    (bin_dir / "_symlinks.json").write_text(json.dumps({"libx.so.0": "libx.so.0.1.0"}))
    local_model._library_path(bin_dir / "llama-server")
    (bin_dir / "libx.so.0.1.0").unlink()
    (bin_dir / "libx.so.0.2.0").write_bytes(b"new")
    (bin_dir / "_symlinks.json").write_text(json.dumps({"libx.so.0": "libx.so.0.2.0"}))

    env = local_model._library_path(bin_dir / "llama-server")

    assert (Path(env["LD_LIBRARY_PATH"]) / "libx.so.0").read_bytes() == b"new"


def test_library_path_without_a_manifest_is_empty(bin_dir: Path) -> None:
    assert local_model._library_path(bin_dir / "llama-server") == {}
    assert not (Path(os.environ["SUMMARIZER_CACHE_DIR"]) / "llama-libs").exists()


# --- resolve_backend ----------------------------------------------------------------------------


@pytest.fixture
def no_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "SUMMARIZER_MODEL", "SUMMARIZER_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_resolve_backend_with_nothing_configured_or_installed(no_env: pytest.MonkeyPatch) -> None:
    no_env.setattr(local_model, "is_installed", lambda: False)

    with pytest.raises(NoBackendError, match=r"\[local\].*OPENAI_BASE_URL"):
        api.resolve_backend()


def test_resolve_backend_falls_back_to_the_local_model(no_env: pytest.MonkeyPatch) -> None:
    no_env.setattr(local_model, "is_installed", lambda: True)

    backend = api.resolve_backend()

    assert backend == api.Backend("local", local_model.MODEL_NAME, timeout=600.0)
    assert backend.base_url is None


def test_resolve_backend_with_an_api_key_is_openai(no_env: pytest.MonkeyPatch) -> None:
    no_env.setattr(local_model, "is_installed", lambda: True)  # a key wins over the local model
    no_env.setenv("OPENAI_API_KEY", "sk-test")

    assert api.resolve_backend() == api.Backend("openai", api.DEFAULT_OPENAI_MODEL, None, "sk-test",
                                                timeout=120.0)


def test_resolve_backend_with_a_base_url_and_model_is_openai_compatible(
        no_env: pytest.MonkeyPatch) -> None:
    no_env.setattr(local_model, "is_installed", lambda: False)
    no_env.setenv("OPENAI_BASE_URL", "http://gpu-box:8080/v1")
    no_env.setenv("SUMMARIZER_MODEL", "qwen-coder")

    backend = api.resolve_backend()

    assert backend == api.Backend("openai-compatible", "qwen-coder", "http://gpu-box:8080/v1", None,
                                  timeout=120.0)


@pytest.mark.parametrize(("url", "expected"), [
    ("http://localhost:11434/v1", 600.0), ("http://127.0.0.1:8080/v1", 600.0),
    ("http://[::1]:8000/v1", 600.0), ("https://api.example.com/v1", 120.0),
    ("http://10.0.0.5:8080/v1", 120.0)])
def test_resolve_backend_default_timeout_by_where_the_model_runs(
        no_env: pytest.MonkeyPatch, url: str, expected: float) -> None:
    no_env.delenv("SUMMARIZER_TIMEOUT", raising=False)
    no_env.setenv("OPENAI_BASE_URL", url)
    no_env.setenv("SUMMARIZER_MODEL", "m")
    assert api.resolve_backend().timeout == expected


def test_resolve_backend_timeout_argument_beats_the_environment(no_env: pytest.MonkeyPatch) -> None:
    no_env.setenv("OPENAI_API_KEY", "sk-test")
    no_env.setenv("SUMMARIZER_TIMEOUT", "45")
    assert api.resolve_backend().timeout == 45.0
    assert api.resolve_backend(timeout=7.5).timeout == 7.5


@pytest.mark.parametrize("value", ["0", "-3", "soon", "inf", "nan"])
def test_resolve_backend_rejects_a_timeout_that_is_no_duration(
        no_env: pytest.MonkeyPatch, value: str) -> None:
    no_env.setenv("OPENAI_API_KEY", "sk-test")
    no_env.setenv("SUMMARIZER_TIMEOUT", value)
    with pytest.raises(ConfigurationError) as raised:
        api.resolve_backend()
    assert str(raised.value) == (f"--timeout / SUMMARIZER_TIMEOUT must be a number of seconds > 0, "
                                 f"not {value!r}")


def test_resolve_backend_error_shows_the_url_without_credentials(no_env: pytest.MonkeyPatch) -> None:
    no_env.setenv("OPENAI_BASE_URL", "http://user:hunter2@gpu-box:8080/v1?api_key=sk-secret")
    with pytest.raises(ConfigurationError) as raised:
        api.resolve_backend()
    assert "http://***@gpu-box:8080/v1?api_key=***" in str(raised.value)
    assert "hunter2" not in str(raised.value) and "sk-secret" not in str(raised.value)


def test_resolve_backend_with_a_base_url_but_no_model(no_env: pytest.MonkeyPatch) -> None:
    no_env.setenv("OPENAI_BASE_URL", "http://gpu-box:8080/v1")

    with pytest.raises(ConfigurationError, match="SUMMARIZER_MODEL"):
        api.resolve_backend()
