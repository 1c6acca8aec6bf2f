"""`nanodex ask`: the training system prompt by default (--system / --no-system), `--local` answers from
the adapter loaded in-process, and `train.chat_template` for a model without one."""

from __future__ import annotations

import io
import json

import pytest

from nanodex.cli import main
from nanodex.errors import ConfigError, NanodexError
from nanodex.testing.fakes import FakeOpenAI
from nanodex.train import chat_template

SYSTEM = "You are nanodex, trained on Nix."


@pytest.fixture(scope="module")
def adapter(tmp_path_factory):
    """A tiny base model and an (untrained) LoRA adapter on it, with nanodex's metadata."""
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from nanodex.train.tiny import make_tiny_model

    root = tmp_path_factory.mktemp("ask")
    base = make_tiny_model(root / "tiny", ["How do I enable nginx on NixOS? Set services.nginx.enable."] * 20)
    model = get_peft_model(AutoModelForCausalLM.from_pretrained(base),
                           LoraConfig(r=4, target_modules="all-linear", task_type="CAUSAL_LM"))
    out = root / "adapter"
    model.save_pretrained(out)
    AutoTokenizer.from_pretrained(base).save_pretrained(out)
    (out / "nanodex_train.json").write_text(json.dumps({"config": {"base_model": str(base)}, "system_prompt": SYSTEM}))
    return out


def _sent(argv, capsys):
    with FakeOpenAI() as server:
        assert main(["ask", "--url", server.url + "/v1", *argv, "How?"]) == 0
        return server.last_body["messages"], capsys.readouterr().out


def test_ask_sends_the_training_system_prompt_by_default(adapter, capsys):
    messages, out = _sent(["--adapter", str(adapter)], capsys)
    assert messages == [{"role": "system", "content": SYSTEM}, {"role": "user", "content": "How?"}]
    assert "You asked: How?" in out
    messages, _ = _sent(["--adapter", str(adapter), "--no-system"], capsys)
    assert messages == [{"role": "user", "content": "How?"}]
    messages, _ = _sent(["--adapter", str(adapter), "--system", "Be brief."], capsys)
    assert messages[0] == {"role": "system", "content": "Be brief."}


def test_ask_without_adapter_metadata_sends_no_system_prompt(tmp_path, capsys):
    messages, _ = _sent(["--adapter", str(tmp_path)], capsys)
    assert [m["role"] for m in messages] == ["user"]


def test_ask_local_answers_from_the_adapter(adapter, capsys):
    assert main(["ask", "--local", "--adapter", str(adapter), "--max-tokens", "5", "How do I enable nginx?"]) == 0
    out = capsys.readouterr().out
    assert out.endswith("\n") and out.strip()


def test_ask_local_interactive_ends_on_empty_line_without_loading(adapter, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("\n"))
    assert main(["ask", "--local", "--adapter", str(adapter)]) == 0
    assert "interactive" in capsys.readouterr().out


def test_ask_local_without_adapter_is_one_line(tmp_path, capsys):
    assert main(["ask", "--local", "--adapter", str(tmp_path / "none"), "hi"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no adapter here" in err


def test_chat_template_named_file_and_missing(tmp_path):
    from transformers import AutoTokenizer

    from nanodex.train.tiny import make_tiny_model

    tok = AutoTokenizer.from_pretrained(make_tiny_model(tmp_path / "m", ["a b c"] * 5))
    tok.chat_template = None
    with pytest.raises(NanodexError, match=r"^m: the tokenizer has no chat template; set train.chat_template"):
        chat_template.apply(tok, None, "m")
    chat_template.apply(tok, "chatml", "m")
    rendered = tok.apply_chat_template([{"role": "user", "content": "hi"}], tokenize=False, add_generation_prompt=True)
    assert rendered == "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n"
    (tmp_path / "t.jinja").write_text("{% for m in messages %}[{{ m['content'] }}]{% endfor %}")
    chat_template.apply(tok, str(tmp_path / "t.jinja"), "m")
    assert tok.apply_chat_template([{"role": "user", "content": "hi"}], tokenize=False) == "[hi]"
    with pytest.raises(ConfigError, match=r"^train.chat_template: 'nope' is neither a known name nor a file"):
        chat_template.apply(tok, "nope", "m")


def test_known_warnings_are_silenced_and_only_those(adapter, caplog):
    import logging
    import warnings

    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    from nanodex.quiet import GEMM_4BIT, known_warnings

    base = json.loads((adapter / "nanodex_train.json").read_text())["config"]["base_model"]
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        known_warnings("lora")
        get_peft_model(AutoModelForCausalLM.from_pretrained(base), LoraConfig(r=4, target_modules="all-linear"))
        warnings.warn("another FutureWarning", FutureWarning, stacklevel=1)
    assert [str(w.message) for w in seen if w.category is FutureWarning] == ["another FutureWarning"]
    bnb = logging.getLogger("bitsandbytes.backends.cpu.ops")
    with caplog.at_level(logging.WARNING):
        bnb.warning(GEMM_4BIT + " from kernels-community: no kernels")
        bnb.warning("something else")
    assert [r.getMessage() for r in caplog.records if r.name == bnb.name] == ["something else"]
