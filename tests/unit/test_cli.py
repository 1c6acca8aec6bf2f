import json
import subprocess
import sys


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "nanodex", *args], capture_output=True, text=True, cwd=cwd)


def test_extract_then_stats(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.py").write_text("def f():\n    return g()\n\ndef g():\n    return 1\n")
    (src / "b.nix").write_text('{ stdenv, zlib }: stdenv.mkDerivation { pname = "b"; buildInputs = [ zlib ]; }\n')
    out = run("extract", str(src), "-o", str(tmp_path / "g.sqlite"), "--workers", "1")
    assert out.returncode == 0, out.stderr
    assert "calls" in out.stdout
    stats = json.loads(run("graph-stats", str(tmp_path / "g.sqlite"), "--json").stdout)
    assert stats["nodes"]["by_kind_lang"]["function"] == {"python": 2}
    assert stats["nodes"]["by_kind_lang"]["package"] == {"nix": 1}
    assert stats["edges"]["by_kind_resolution"]["calls"] == {"scope": 1}   # g() found in the same module
    assert stats["edges"]["by_kind_resolution"]["depends_on"] == {"exact": 1}


def test_errors_are_one_line(tmp_path):
    out = run("graph-stats", str(tmp_path / "missing.sqlite"))
    assert out.returncode == 2
    assert out.stderr.strip().count("\n") == 0
    assert "missing.sqlite: no such graph database" in out.stderr
    bad = tmp_path / "c.yaml"
    bad.write_text("graph: {workers: -1}\n")
    out = run("check-config", str(bad))
    assert out.returncode == 2
    assert out.stderr.strip() == ("nanodex: config.graph.workers: -1 is not allowed; expected a number >= 0 "
                                  "(parallel parser processes per source (0 = one per core the job is given))")


def test_serve_print_builds_the_command_from_config(tmp_path):
    from conftest import ROOT

    (tmp_path / "adapter").mkdir()
    (tmp_path / "adapter/adapter_config.json").write_text('{"r": 8}')
    out = run("serve", "--config", str(ROOT / "config/config.yaml"), "--adapter", str(tmp_path / "adapter"),
              "--memory-fraction", "0.2", "--print", cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == (
        "python -m vllm.entrypoints.openai.api_server --model resources/models/smollm2-135m-instruct "
        f"--served-model-name base --enable-lora --lora-modules nanodex={tmp_path / 'adapter'} --max-lora-rank 8 "
        "--max-model-len 2048 --dtype auto --host 127.0.0.1 --port 8000 --gpu-memory-utilization 0.2")
