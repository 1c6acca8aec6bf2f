"""`nanodex serve` (command line, health wait, clean stop) and `nanodex ask` (streaming, errors)
against an OpenAI-compatible server on localhost."""

import io
import json
import subprocess
import sys
import time

import pytest

from nanodex.errors import NanodexError
from nanodex.serve.ask import ask, served_models
from nanodex.serve.command import serve, vllm_command, wait_healthy
from nanodex.testing.fakes import FakeOpenAI


@pytest.fixture
def adapter(tmp_path):
    (tmp_path / "adapter").mkdir()
    (tmp_path / "adapter/adapter_config.json").write_text(json.dumps({"r": 16, "lora_alpha": 32}))
    return tmp_path / "adapter"


def test_vllm_command_line(adapter):
    cmd = vllm_command("resources/models/smollm2-135m-instruct", adapter, port=8123, python="/envs/serve/bin/python")
    assert cmd == ["/envs/serve/bin/python", "-m", "vllm.entrypoints.openai.api_server",
                   "--model", "resources/models/smollm2-135m-instruct", "--served-model-name", "base",
                   "--enable-lora", "--lora-modules", f"nanodex={adapter}", "--max-lora-rank", "16",
                   "--max-model-len", "2048", "--dtype", "auto", "--host", "127.0.0.1", "--port", "8123"]
    with pytest.raises(NanodexError, match="adapter_config.json: not found; train an adapter first"):
        vllm_command("m", adapter.parent / "missing")


def test_ask_streams_and_reports_errors():
    with FakeOpenAI() as server:
        out = io.StringIO()
        answer = ask("How do I enable nginx?", server.url + "/v1", "nanodex", out=out)
        assert answer.strip() == "[nanodex] You asked: How do I enable nginx?"
        assert out.getvalue().strip() == answer.strip()
        assert served_models(server.url + "/v1") == ["base", "nanodex"]
        with pytest.raises(NanodexError, match=r"model 'nope' is not served at .*; served models: base, nanodex"):
            ask("hi", server.url + "/v1", "nope", out=io.StringIO())
    with pytest.raises(NanodexError, match=r"cannot reach http://127.0.0.1:9/v1: is the server running\?"):
        ask("hi", "http://127.0.0.1:9/v1", out=io.StringIO())


def _free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_waits_for_health_and_stops_cleanly_on_sigterm(tmp_path):
    """The supervisor with a stand-in server process (the real vLLM server needs its own
    environment: see the README); SIGTERM to `serve` stops the server and `serve` itself."""
    import os
    import signal

    port = _free_port()
    child = tmp_path / "server.py"
    child.write_text("import sys, time\nfrom http.server import ThreadingHTTPServer\n"
                     "from nanodex.testing.fakes import FakeOpenAI\n"
                     "s = FakeOpenAI()\ns.server.server_close()\n"
                     f"s.server = ThreadingHTTPServer(('127.0.0.1', {port}), s.server.RequestHandlerClass)\n"
                     "s.server.serve_forever()\n")
    code = (f"import sys; from nanodex.serve.command import serve; "
            f"sys.exit(serve([sys.executable, {str(child)!r}], 'http://127.0.0.1:{port}', timeout=30))")
    sup = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           env={**os.environ, "PYTHONPATH": os.getcwd()})
    assert wait_healthy(f"http://127.0.0.1:{port}", timeout=30) < 30
    time.sleep(0.5)   # let `serve` see the health check too
    sup.send_signal(signal.SIGTERM)
    output, _ = sup.communicate(timeout=30)
    assert "+ " in output and "serving at http://127.0.0.1" in output
    with pytest.raises(NanodexError):
        wait_healthy(f"http://127.0.0.1:{port}", timeout=1.5)   # the server is gone too


def test_serve_reports_a_server_that_dies_before_it_is_healthy():
    with pytest.raises(NanodexError, match="the server exited with status 3 before it was healthy"):
        serve([sys.executable, "-c", "import sys; sys.exit(3)"], "http://127.0.0.1:9", timeout=5)


def test_merged_command_serves_the_merged_model_without_lora(tmp_path):
    from nanodex.serve.command import merged_command

    with pytest.raises(NanodexError, match="no merged model; set train.merge: true"):
        merged_command(tmp_path / "merged")
    (tmp_path / "merged").mkdir()
    (tmp_path / "merged" / "config.json").write_text("{}")
    cmd = merged_command(tmp_path / "merged", port=8123)
    assert cmd[:5] == ["python", "-m", "vllm.entrypoints.openai.api_server", "--model", str(tmp_path / "merged")]
    assert "--enable-lora" not in cmd and cmd[cmd.index("--served-model-name") + 1] == "nanodex"
