"""The PyTorch + PEFT side of gpu_dpo_compare.sh: the same DPO step as `metarewarding bench --mode dpo`.

B pairs of random sequences of T tokens (prompt T/4, chosen and rejected 3T/4) through a randomly initialised
Llama (transformers' LlamaForCausalLM, the same config), sigmoid DPO loss (beta 0.1) against constant reference
log-probs, backward, clip to 1.0, AdamW at lr 5e-6. `--lora R`: the model in bf16 with PEFT LoRA adapters of rank R
(alpha 2R, dropout 0.05) on the seven projections, AdamW over the adapters. Full fine-tuning: fp32 weights under
bf16 autocast (PyTorch's usual mixed precision: the same 16 bytes per parameter as the engine's bf16 weights +
fp32 masters), optionally with gradient checkpointing. Prints one JSON line like the bench verb's.
"""
import argparse, json, math, statistics, time

import torch
import torch.nn.functional as F
from transformers import LlamaConfig, LlamaForCausalLM

PRESETS = {
    "llama-3-8b": dict(vocab_size=128256, hidden_size=4096, intermediate_size=14336, num_hidden_layers=32,
                       num_attention_heads=32, num_key_value_heads=8, head_dim=128, max_position_embeddings=8192,
                       rms_norm_eps=1e-5, rope_theta=500000.0),
    "3m": dict(vocab_size=2048, hidden_size=256, intermediate_size=688, num_hidden_layers=3, num_attention_heads=4,
               num_key_value_heads=4, head_dim=64, max_position_embeddings=2048, rms_norm_eps=1e-5, rope_theta=10000.0),
}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--size", default="llama-3-8b")
    p.add_argument("--device", default="cuda")
    p.add_argument("--batch", type=int, default=1)
    p.add_argument("--seq", type=int, default=1024)
    p.add_argument("--lora", type=int, default=0)
    p.add_argument("--checkpointing", action="store_true")
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--repeats", type=int, default=3)
    a = p.parse_args()
    device = torch.device(a.device)
    config = LlamaConfig(**PRESETS[a.size], tie_word_embeddings=False, attn_implementation="sdpa")
    torch.manual_seed(0)
    with device:
        model = LlamaForCausalLM(config).to(torch.bfloat16 if a.lora else torch.float32)
    if a.checkpointing:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    if a.lora:
        from peft import LoraConfig, get_peft_model
        model = get_peft_model(model, LoraConfig(r=a.lora, lora_alpha=2 * a.lora, lora_dropout=0.05, task_type="CAUSAL_LM",
                                                 target_modules=["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]))
    model.train()
    trainable = [q for q in model.parameters() if q.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=5e-6, betas=(0.9, 0.95), weight_decay=0.0)
    prompt = max(1, a.seq // 4)
    completion = a.seq - prompt
    g = torch.Generator().manual_seed(0)
    ids = lambda n: torch.randint(3, config.vocab_size, (a.batch, n), generator=g)
    prompts = ids(prompt)
    inputs = torch.cat([torch.cat([prompts, ids(completion)], 1), torch.cat([prompts, ids(completion)], 1)], 0).to(device)
    reference = torch.full((2 * a.batch,), -completion * math.log(config.vocab_size), device=device)

    def step():
        optimizer.zero_grad(set_to_none=True)
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=not a.lora and device.type == "cuda"):
            logits = model(input_ids=inputs).logits
        logits = logits[:, prompt - 1:-1].float()
        targets = inputs[:, prompt:]
        logps = (logits.gather(-1, targets.unsqueeze(-1)).squeeze(-1) - logits.logsumexp(-1)).sum(1)
        ratios = (logps - reference)
        loss = -F.logsigmoid(0.1 * (ratios[: a.batch] - ratios[a.batch:])).mean()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trainable, 1.0)
        optimizer.step()
        if device.type == "cuda":
            torch.cuda.synchronize()

    for _ in range(a.warmup):
        step()
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats()
    times = []
    for _ in range(a.repeats):
        t = time.perf_counter()
        step()
        times.append(time.perf_counter() - t)
    median = statistics.median(times)
    line = dict(impl="pytorch+peft" if a.lora else "pytorch", size=a.size, mode="dpo", batch=a.batch, seq=a.seq, lora_rank=a.lora,
                checkpointing=a.checkpointing, median_s=round(median, 4), tokens_per_s=round(2 * a.batch * a.seq / median, 1),
                times_s=[round(t, 4) for t in times], trainable_parameters=sum(q.numel() for q in trainable))
    if device.type == "cuda":
        line.update(peak_allocated_mb=round(torch.cuda.max_memory_allocated() / 2**20, 1),
                    peak_reserved_mb=round(torch.cuda.max_memory_reserved() / 2**20, 1))
    print(json.dumps(line))


if __name__ == "__main__":
    main()
