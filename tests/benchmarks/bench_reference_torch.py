#!/usr/bin/python3
"""PyTorch reference for `metarewarding bench` (BenchCommand.cs): the same Llama configurations, shapes, optimizer
and measurement (warm-up, then the median of N timed runs), printing the same JSON line.

Run with Debian's PyTorch (apt-get install python3-torch libopenblas0-pthread), not a pyenv python:
    /usr/bin/python3 bench_reference_torch.py --size 3m --mode train --batch 8
Debian 12 ships PyTorch 1.13, which has no fused scaled_dot_product_attention, so attention is written out
(matmul, mask, softmax, matmul) as transformers' "eager" Llama attention does.
"""
import argparse, json, math, resource, statistics, time
import torch
import torch.nn as nn
import torch.nn.functional as F

CONFIGS = {  # must match BenchCommand.ConfigFor
    "3m": dict(vocab=2048, hidden=256, inter=688, layers=3, heads=4, kv_heads=4, head_dim=64),
    "100m": dict(vocab=32000, hidden=768, inter=2048, layers=8, heads=12, kv_heads=4, head_dim=64),
}
EPS, THETA = 1e-5, 10000.0


class RMSNorm(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        return self.weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + EPS))


def rotate_half(x):
    a, b = x.chunk(2, dim=-1)
    return torch.cat((-b, a), dim=-1)


class Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.h, self.kv, self.d = c["heads"], c["kv_heads"], c["head_dim"]
        self.q_proj = nn.Linear(c["hidden"], self.h * self.d, bias=False)
        self.k_proj = nn.Linear(c["hidden"], self.kv * self.d, bias=False)
        self.v_proj = nn.Linear(c["hidden"], self.kv * self.d, bias=False)
        self.o_proj = nn.Linear(self.h * self.d, c["hidden"], bias=False)

    def forward(self, x, cos, sin, cache):
        B, T, _ = x.shape
        q = self.q_proj(x).view(B, T, self.h, self.d).transpose(1, 2)
        k = self.k_proj(x).view(B, T, self.kv, self.d).transpose(1, 2)
        v = self.v_proj(x).view(B, T, self.kv, self.d).transpose(1, 2)
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        if cache is not None:
            if "k" in cache:
                k, v = torch.cat([cache["k"], k], 2), torch.cat([cache["v"], v], 2)
            cache["k"], cache["v"] = k, v
        rep = self.h // self.kv
        k, v = k.repeat_interleave(rep, 1), v.repeat_interleave(rep, 1)
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.d)
        if T > 1:
            S = k.shape[2]
            mask = torch.ones(T, S, dtype=torch.bool).tril(S - T)
            scores = scores.masked_fill(~mask, float("-inf"))
        out = scores.softmax(-1) @ v
        return self.o_proj(out.transpose(1, 2).reshape(B, T, self.h * self.d))


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.input_layernorm, self.post_attention_layernorm = RMSNorm(c["hidden"]), RMSNorm(c["hidden"])
        self.self_attn = Attention(c)
        self.gate_proj = nn.Linear(c["hidden"], c["inter"], bias=False)
        self.up_proj = nn.Linear(c["hidden"], c["inter"], bias=False)
        self.down_proj = nn.Linear(c["inter"], c["hidden"], bias=False)

    def forward(self, x, cos, sin, cache):
        x = x + self.self_attn(self.input_layernorm(x), cos, sin, cache)
        h = self.post_attention_layernorm(x)
        return x + self.down_proj(F.silu(self.gate_proj(h)) * self.up_proj(h))


class Llama(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        self.embed_tokens = nn.Embedding(c["vocab"], c["hidden"])
        self.layers = nn.ModuleList(Block(c) for _ in range(c["layers"]))
        self.norm = RMSNorm(c["hidden"])
        self.lm_head = nn.Linear(c["hidden"], c["vocab"], bias=False)
        d = c["head_dim"]
        self.register_buffer("inv_freq", 1.0 / THETA ** (torch.arange(0, d, 2).float() / d), persistent=False)

    def forward(self, ids, start=0, caches=None):
        T = ids.shape[1]
        freqs = torch.outer(torch.arange(start, start + T).float(), self.inv_freq)
        emb = torch.cat([freqs, freqs], -1)
        cos, sin = emb.cos()[None, None], emb.sin()[None, None]
        x = self.embed_tokens(ids)
        for i, layer in enumerate(self.layers):
            x = layer(x, cos, sin, None if caches is None else caches[i])
        return self.lm_head(self.norm(x)).float()


def median_time(fn, warmup, repeats):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter(); fn(); times.append(time.perf_counter() - t0)
    return sorted(times)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--size", default="3m"); p.add_argument("--mode", default="train")
    p.add_argument("--batch", type=int, default=8); p.add_argument("--seq", type=int, default=128)
    p.add_argument("--prompt", type=int, default=32); p.add_argument("--new-tokens", type=int, default=64)
    p.add_argument("--warmup", type=int, default=1); p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    c = CONFIGS[a.size]
    model = Llama(c)
    g = torch.Generator().manual_seed(0)
    if a.mode == "train":
        model.train()
        ids = torch.randint(3, c["vocab"], (a.batch, a.seq), generator=g)
        opt = torch.optim.AdamW(model.parameters(), lr=1e-4, betas=(0.9, 0.95), eps=1e-8, weight_decay=0.0)

        def step():  # same work as OptimizerStepper: loss on tokens 1..T-1, backward, clip 1.0, AdamW
            opt.zero_grad()
            logits = model(ids)
            loss = F.cross_entropy(logits[:, :-1].reshape(-1, c["vocab"]), ids[:, 1:].reshape(-1))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()

        times, tokens, seq = median_time(step, a.warmup, a.repeats), a.batch * a.seq, a.seq
    else:
        model.eval()
        prompt = torch.randint(3, c["vocab"], (a.batch, a.prompt), generator=g)

        @torch.no_grad()
        def generate():  # greedy, KV cache: one prefill, then one token per step
            caches = [dict() for _ in range(c["layers"])]
            nxt = model(prompt, 0, caches)[:, -1].argmax(-1, keepdim=True)
            pos = a.prompt
            for _ in range(a.new_tokens - 1):
                nxt = model(nxt, pos, caches)[:, -1].argmax(-1, keepdim=True)
                pos += 1

        times, tokens, seq = median_time(generate, a.warmup, a.repeats), a.batch * a.new_tokens, a.prompt + a.new_tokens
    med = statistics.median(times)
    print(json.dumps({"impl": "pytorch-" + torch.__version__, "size": a.size, "mode": a.mode, "batch": a.batch, "seq": seq,
                      "parameters": sum(p.numel() for p in model.parameters()), "threads": a.threads,
                      "median_s": round(med, 4), "tokens_per_s": round(tokens / med, 1), "times_s": [round(t, 4) for t in times],
                      "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}))


if __name__ == "__main__":
    main()
