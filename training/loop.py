"""The training loop: resumable, seeded, checkpointed outside the repository.

Loss per group of four candidates: a listwise softmax over the candidates and
the learned "no answer" logit (the answering sentence, or "none" for an
unanswerable group), plus a per-sentence logistic loss on the same logits so
that ``sigmoid(relevance)`` means "this sentence answers" whatever the number
of candidates at run time, plus start/end cross-entropy over the answering
sentence's tokens.

A run stops after ``--minutes`` and saves; the next run picks up at the same
group with the same optimiser state, so training spreads over work sessions.
"""

from __future__ import annotations

import logging
import math
import random
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

from training.bases import BASES, Base
from training.data import Prepared
from training.reader import Reader, batch, pair

log = logging.getLogger("training")

SEED = 13
GROUPS_PER_STEP = 8
LEARNING_RATE = 5e-5
WARMUP_STEPS = 300
SAVE_EVERY = 100


def order(prepared: Prepared, seed: int = SEED) -> list[int]:
    """Every group once, shuffled with the run's seed: the same order in every session."""
    groups = list(range(len(prepared.groups)))
    random.Random(seed).shuffle(groups)
    return groups


def base_of(prepared: Prepared) -> Base:
    """The base whose tokeniser prepared the groups (groups pickled before there was a
    choice are MiniLM's)."""
    return BASES[getattr(prepared, "base", "minilm")]


def group_pairs(prepared: Prepared, number: int):
    group = prepared.groups[number]
    article = prepared.articles[group.article]
    base = base_of(prepared)
    pairs = []
    for i in group.candidates:
        context = article.sentences[i - 1] if i > 0 else None
        pairs.append(pair(group.question, article.sentences[i], context, base))
    return group, article, pairs


def _span_targets(group, article, pairs) -> tuple[int, int]:
    """Token positions of the answer's first and last token, or (-100, -100)."""
    if group.answer < 0:
        return -100, -100
    sentence = group.candidates[group.answer]
    offsets = article.offsets[sentence]
    chosen = pairs[group.answer]
    start_char, end_char = group.span
    kept = chosen.sentence_to - chosen.sentence_from
    inside = [
        t
        for t in range(min(kept, len(offsets)))
        if offsets[t][1] > start_char and offsets[t][0] < end_char
    ]
    if not inside:
        return -100, -100
    return chosen.sentence_from + inside[0], chosen.sentence_from + inside[-1]


def losses(
    model: Reader, prepared: Prepared, numbers: list[int], device: torch.device | None = None
) -> torch.Tensor:
    pairs, targets, starts, ends, answerable = [], [], [], [], []
    for number in numbers:
        group, article, found = group_pairs(prepared, number)
        start, end = _span_targets(group, article, found)
        for k, p in enumerate(found):
            pairs.append(p)
            answerable.append(1.0 if k == group.answer else 0.0)
            hit = k == group.answer
            starts.append(start if hit else -100)
            ends.append(end if hit else -100)
        targets.append(group.answer + 1)  # 0 is "none"
    device = device or torch.device("cpu")
    ids, types, mask, inside = (t.to(device) for t in batch(pairs))
    relevance, start_logits, end_logits = model(ids, types, mask)
    grouped = relevance.view(len(numbers), -1)
    none = torch.zeros(len(numbers), 1, device=device, dtype=grouped.dtype)
    listwise = torch.cat([none, grouped], dim=1)
    loss = nn.functional.cross_entropy(listwise, torch.tensor(targets, device=device))
    loss = loss + nn.functional.binary_cross_entropy_with_logits(
        relevance, torch.tensor(answerable, device=device, dtype=relevance.dtype)
    )
    blocked = torch.finfo(start_logits.dtype).min
    start_logits = start_logits.masked_fill(~inside, blocked)
    end_logits = end_logits.masked_fill(~inside, blocked)
    start_t, end_t = torch.tensor(starts, device=device), torch.tensor(ends, device=device)
    if (start_t >= 0).any():
        span = nn.functional.cross_entropy(start_logits, start_t, ignore_index=-100)
        span = span + nn.functional.cross_entropy(end_logits, end_t, ignore_index=-100)
        loss = loss + 0.5 * span
    return loss


def train(
    prepared: Prepared, work: Path, *, minutes: float, epochs: float = 1.0, device: str = "cpu"
) -> int:
    """Train from the checkpoint in ``work`` (or from the base weights) for ``minutes``;
    returns the step reached. ``epochs`` sets the schedule's length. ``device``: "cuda" on
    a machine with a GPU (the same recipe, many times faster); a checkpoint moves freely
    between the two."""
    torch.manual_seed(SEED)
    np.random.seed(SEED)
    target = torch.device(device)
    sequence = order(prepared)
    total_steps = math.ceil(len(sequence) * epochs / GROUPS_PER_STEP)
    base = base_of(prepared)
    model = Reader(base)
    checkpoint = work / "checkpoint.pt"
    saved = (
        torch.load(checkpoint, map_location=target, weights_only=False)
        if checkpoint.exists()
        else None
    )
    if saved is None:
        base.load(model.encoder)
    model.to(target)
    # The word embeddings stay as they are: most of the vocabulary never occurs in the
    # questions and sentences of one epoch, and updating 11.7 M rows (e5: 96 M) every step
    # costs time.
    model.encoder.words.weight.requires_grad_(False)
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=LEARNING_RATE, weight_decay=0.01)
    half = torch.cuda.is_bf16_supported() if target.type == "cuda" else bfloat16_helps()
    log.info("bfloat16 autocast on %s: %s", target.type, "on" if half else "off")
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer,
        lambda step: min(1.0, (step + 1) / WARMUP_STEPS) * max(0.0, 1 - step / total_steps),
    )
    step = 0
    if saved is not None:
        model.load_state_dict(saved["model"])
        optimizer.load_state_dict(saved["optimizer"])
        schedule.load_state_dict(saved["schedule"])
        step = int(saved["step"])
        torch.set_rng_state(saved["torch_rng"].cpu())
        log.info("resumed at step %d of %d", step, total_steps)
    else:
        log.info("started from the base weights; %d steps planned", total_steps)
    model.train()
    deadline = time.monotonic() + minutes * 60
    started, done_pairs, running = time.monotonic(), 0, 0.0
    while step < total_steps and time.monotonic() < deadline:
        at = (step * GROUPS_PER_STEP) % len(sequence)
        numbers = sequence[at : at + GROUPS_PER_STEP]
        with torch.autocast(target.type, dtype=torch.bfloat16, enabled=half):
            loss = losses(model, prepared, numbers, target)
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        step += 1
        done_pairs += sum(len(prepared.groups[n].candidates) for n in numbers)
        running = 0.98 * running + 0.02 * loss.item() if step > 1 else loss.item()
        if step % 20 == 0:
            rate = done_pairs / (time.monotonic() - started)
            log.info("step %d/%d loss %.3f  %.1f pairs/s", step, total_steps, running, rate)
        if step % SAVE_EVERY == 0:
            _save(checkpoint, model, optimizer, schedule, step, base)
    _save(checkpoint, model, optimizer, schedule, step, base)
    return step


def bfloat16_helps() -> bool:
    """Whether the CPU computes in bfloat16 (AMX or AVX512-BF16): training then runs about
    twice as fast under autocast, with fp32 master weights. Elsewhere bf16 is emulated and
    slower, so fp32 it is (the recipe is the same, only slower)."""
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return " amx_bf16" in flags or " avx512_bf16" in flags


def _save(path: Path, model, optimizer, schedule, step: int, base: Base) -> None:
    """Written beside, then renamed: a run killed mid-save leaves the last checkpoint whole."""
    partial = path.with_suffix(".partial")
    torch.save(
        {
            "model": model.state_dict(),
            "optimizer": optimizer.state_dict(),
            "schedule": schedule.state_dict(),
            "step": step,
            "torch_rng": torch.get_rng_state(),
            "base": base.name,
        },
        partial,
    )
    partial.replace(path)
