"""One backward over 3 micro-batches, as the training loop shares them out, then the LoRA gradients
(clipped to `clip` if > 0) written by rank 0: run by tests/unit/test_fsdp.py with plain python (one
process) and under torchrun (2 gloo ranks, sharded). `average`: FSDP's default mean reduction put back,
to show the test tells the two apart.

    python fsdp_grads.py MODEL_DIR OUT.pt CLIP [average]
"""

import sys

import torch

from nanodex.train.distributed import init_from_env, rank_share, shard, sharded
from nanodex.train.loop import forward_loss
from nanodex.train.run import _decoder_layers, add_lora


def batches():
    gen = torch.Generator().manual_seed(1)
    out = []
    for rows, length in ((2, 9), (1, 12), (3, 7)):
        ids = torch.randint(5, 300, (rows, length), generator=gen)
        labels = ids.clone()
        labels[:, : length // 3] = -100   # a prompt: not trained on
        out.append({"input_ids": ids, "labels": labels, "attention_mask": torch.ones_like(ids),
                    "position_ids": torch.arange(length).repeat(rows, 1)})
    return out


def main(model_dir: str, out: str, clip: float, average: bool) -> None:
    from torch.distributed.fsdp import FSDPModule
    from transformers import AutoModelForCausalLM

    ranks = init_from_env()
    torch.manual_seed(0)
    cfg = {"method": "lora", "lora": {"r": 4, "alpha": 8, "dropout": 0.0, "target_modules": "all-linear"}}
    model = add_lora(AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32), cfg)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "lora_B" in name:
                p.normal_(0, 0.05)   # B starts at zero: A's gradient would be zero too
    if ranks.world > 1:
        shard(model, _decoder_layers(model), ranks)
        if average:
            for module in model.modules():
                if isinstance(module, FSDPModule):
                    module.set_gradient_divide_factor(None)
    micro = batches()
    n_tokens = sum(int((b["labels"][:, 1:] != -100).sum()) for b in micro)
    for b, weight in rank_share(micro, ranks, even=sharded(model)):
        loss_sum, _ = forward_loss(model, b)
        (weight * loss_sum / n_tokens).backward()
    params = [p for p in model.parameters() if p.requires_grad]
    if clip > 0:
        torch.nn.utils.clip_grad_norm_(params, clip)
    grads = {n: (p.grad.full_tensor() if sharded(model) else p.grad).clone()
             for n, p in model.named_parameters() if p.requires_grad}
    if ranks.main:
        torch.save(grads, out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4:] == ["average"])
