"""GGUF export: the file reads back with gguf's reader and with transformers, with the same logits."""

import pytest

torch = pytest.importorskip("torch")
gguf = pytest.importorskip("gguf")

from nanodex.errors import NanodexError  # noqa: E402
from nanodex.train.gguf_export import export_gguf, modelfile  # noqa: E402
from nanodex.train.tiny import CHATML, make_tiny_model  # noqa: E402

TEXTS = ["services.nginx.enable = true;", "nix flake update", "pkgs.ripgrep in systemPackages"] * 30


def _llama_from(qwen_dir, out):
    """The same tokenizer with a tiny Llama (grouped-query attention: 4 heads, 2 kv heads)."""
    from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

    tok = AutoTokenizer.from_pretrained(qwen_dir)
    torch.manual_seed(1)
    cfg = LlamaConfig(vocab_size=len(tok), hidden_size=128, intermediate_size=256, num_hidden_layers=2,
                      num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=512,
                      initializer_range=0.1, tie_word_embeddings=True, eos_token_id=tok.eos_token_id,
                      pad_token_id=tok.pad_token_id)
    LlamaForCausalLM(cfg).save_pretrained(out)
    tok.save_pretrained(out)
    return out


@pytest.mark.parametrize("arch", ["qwen2", "llama"])
def test_gguf_reads_back_with_the_same_tensors_and_logits(tmp_path, arch):
    from transformers import AutoModelForCausalLM

    model_dir = make_tiny_model(tmp_path / "qwen2", TEXTS, vocab_size=300)
    if arch == "llama":
        model_dir = _llama_from(model_dir, tmp_path / "llama")
    out = tmp_path / "m.gguf"
    report = export_gguf(model_dir, out, dtype="float32")
    want = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32).eval()
    n_tensors = len(want.state_dict()) - 1   # the tied lm_head is token_embd
    reader = gguf.GGUFReader(out)
    assert report["tensors"] == len(reader.tensors) == n_tensors
    assert reader.fields["general.architecture"].contents() == arch
    got = AutoModelForCausalLM.from_pretrained(tmp_path, gguf_file="m.gguf", dtype=torch.float32).eval()
    ids = torch.tensor([[5, 17, 33, 2, 90, 41, 7]])
    with torch.no_grad():
        a, b = want(input_ids=ids).logits, got(input_ids=ids).logits
    assert torch.allclose(a, b, atol=1e-4), (a - b).abs().max()


def test_modelfile_carries_the_chat_template_and_system_prompt():
    text = modelfile("demo.gguf", CHATML, "You are a Nix expert.")
    assert text.startswith("FROM ./demo.gguf\n")
    assert "<|im_start|>{{ .Role }}" in text and 'PARAMETER stop "<|im_end|>"' in text
    assert 'SYSTEM """You are a Nix expert."""' in text
    with pytest.raises(NanodexError, match="not ChatML"):
        modelfile("x.gguf", "{{ bos_token }}[INST] {{ messages }}", None)


def test_export_local_writes_the_gguf_and_a_modelfile_with_the_training_system_prompt(tmp_path):
    import json

    from nanodex.train.gguf_export import export_local

    merged = make_tiny_model(tmp_path / "demo" / "merged", TEXTS, vocab_size=300)
    adapter = tmp_path / "demo" / "adapter"
    adapter.mkdir()
    (adapter / "nanodex_train.json").write_text(json.dumps({"system_prompt": "You know Nix."}))
    export_local(merged, adapter, tmp_path / "demo" / "gguf")
    assert (tmp_path / "demo/gguf/demo.gguf").stat().st_size > 0
    text = (tmp_path / "demo/gguf/Modelfile").read_text()
    assert text.startswith("FROM ./demo.gguf") and 'SYSTEM """You know Nix."""' in text
