"""Decoder benchmark: each single backend, their union, and our scan pipeline on 720p frames, on one core.

    python tests/bench/decode_bench.py                 # 400 clean + 500 hard frames, 40 card visits
    python tests/bench/decode_bench.py --quick         # fewer of each, under a minute
    python tests/bench/decode_bench.py --corpus DIR    # real photos (default: ../shared/qr-samples if present)

Frames are generated with fixed seeds (terminal/scanner/synthetic.py): clean
ones are cards held square-on; hard ones combine two or three of small,
tilted, blurred, motion-blurred, noisy, glare, dim and dark mode. The
pipeline's rescue stages were chosen and ordered on frames of the tuning seed
(``TUNING_SEED``); every figure here comes from a different seed, which
tuning never saw (``--tuning`` runs on the tuning seed instead, to tune).

What is compared, on the same frames:
- each single backend (zxing-cpp, zbar, OpenCV) as shipped, one read per frame;
- their union: a frame counts when any one of them reads it;
- the pipeline with a card in view (every rescue stage may run, 40 ms budget):
  it should read every frame the union reads;
- the pipeline at first sight (as deployed, fresh state, the idle budget on):
  only rescues when the backend located a symbol;
- idle: empty counter frames in sequence through the deployed pipeline, the
  decode CPU time per frame (the thread's own time, so other programs on a
  shared machine do not count) and the wall time;
- card visits: an empty counter, then a card held up for a few frames, again
  and again; frames read and cards accepted by the deployed pipeline against
  the same pipeline running every stage on every frame (no time budget in
  either, so machine load cannot change what they read).

A corpus is any folder of NAME.png|jpg|webp photos with the expected text
in NAME.txt (nested one level); photos without a .txt must decode to nothing.
Times include the greyscale conversion every backend needs. Exits 1 when a
target is missed; the last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "bench")]

from _common import print_result  # noqa: E402

from terminal.domain.codes import ALPHABET, BODY_LENGTH, check_character, payload_for  # noqa: E402
from terminal.scanner import synthetic  # noqa: E402
from terminal.scanner.confirm import Confirmer  # noqa: E402
from terminal.scanner.decoders import (  # noqa: E402
    BACKENDS,
    DecoderUnavailable,
    make_decoder,
    to_gray,
)
from terminal.scanner.pipeline import FrameDecoder, ScanPipeline  # noqa: E402

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp"}
DEFAULT_CORPUS = ROOT.parent / "shared" / "qr-samples"
# the seed the rescue stages were chosen on; reported figures never use it
TUNING_SEED = 2024
REPORT_SEED = 7321
IDLE_TARGET_MS = 2.0
PIPELINE_TARGET_MS = 10.0


def pin_to_one_core() -> str:
    cv2.setNumThreads(1)  # zxing-cpp and zbar are single-threaded already
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"cpu {cpu}"
    return "OpenCV single-threaded (no CPU affinity on this OS)"


def card_payloads(count: int, seed: int) -> list[str]:
    rng = np.random.default_rng(seed)
    bodies = ("".join(rng.choice(list(ALPHABET), BODY_LENGTH)) for _ in range(count))
    return [payload_for(b + check_character(b)) for b in bodies]


def matches(detections, expected: bytes) -> bool:
    return any(d.data == expected or (d.text is not None and d.text.encode("utf-8") == expected)
               for d in detections)


@dataclass
class Tally:
    times_ms: dict[str, list[float]] = field(default_factory=lambda: {"clean": [], "hard": []})
    read: dict[str, set[int]] = field(default_factory=lambda: {"clean": set(), "hard": set(), "corpus": set()})
    stages: Counter = field(default_factory=Counter)
    corpus_false_positives: int = 0
    corpus_ms: list[float] = field(default_factory=list)


class Runner:
    """Something to time on single frames: a raw backend, or the pipeline in one of its modes."""

    def __init__(self, name: str, backend: str | None = None, in_view: bool = False) -> None:
        self.name = name
        if backend:
            decoder = make_decoder(backend)
            self.decode = lambda image: (decoder.decode(to_gray(image)), "primary")
            return
        frame_decoder = FrameDecoder(make_decoder("auto"))

        def decode(image):
            frame_decoder.reset()  # every frame is a new card: no history to lean on
            if in_view:
                frame_decoder.engage()
            result = frame_decoder.decode(image)
            return result.detections, result.stage

        self.decode = decode


def time_frames(runner: Runner, frames, kind: str, tally: Tally) -> None:
    for number, frame in enumerate(frames):
        start = time.perf_counter()
        detections, stage = runner.decode(frame.image)
        tally.times_ms[kind].append((time.perf_counter() - start) * 1000.0)
        if any(d.text == frame.text for d in detections):
            tally.read[kind].add(number)
            tally.stages[stage] += 1


def load_corpus(root: Path) -> list[tuple[Path, np.ndarray | None, bytes | None]]:
    paths = [p for p in sorted(root.iterdir()) if p.is_file()]
    for sub in sorted(p for p in root.iterdir() if p.is_dir()):
        paths += [p for p in sorted(sub.iterdir()) if p.is_file()]
    items = []
    for path in paths:
        if path.suffix.lower() not in IMAGE_SUFFIXES:
            continue
        image = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
        if image is not None and image.dtype != np.uint8:
            image = cv2.convertScaleAbs(image, alpha=255.0 / max(1, int(image.max())))
        expected_file = path.with_suffix(".txt")
        expected = expected_file.read_bytes() if expected_file.exists() else None
        items.append((path, image, expected))
    return items


def time_corpus(runner: Runner, corpus, tally: Tally) -> None:
    for number, (_path, image, expected) in enumerate(corpus):
        if image is None:  # OpenCV cannot open it (e.g. a 1x1 WebP): nothing to read
            continue
        start = time.perf_counter()
        detections, _stage = runner.decode(image)
        tally.corpus_ms.append((time.perf_counter() - start) * 1000.0)
        if expected is None:
            tally.corpus_false_positives += bool(detections)
        elif matches(detections, expected):
            tally.read["corpus"].add(number)


def empty_frames(count: int, rng: np.random.Generator) -> list[np.ndarray]:
    """An empty counter: what the scanner sees most of the day."""
    return [synthetic.render(None, synthetic.hard_spoilers(rng), rng).image for _ in range(count)]


def measure_idle(frames: list[np.ndarray]) -> dict:
    frame_decoder = FrameDecoder(make_decoder("auto"))
    wall, cpu = [], []
    for image in frames:
        start_wall, start_cpu = time.perf_counter(), time.thread_time()
        frame_decoder.decode(image)
        cpu.append((time.thread_time() - start_cpu) * 1000.0)
        wall.append((time.perf_counter() - start_wall) * 1000.0)
    return {
        "cpu_ms_median": statistics.median(cpu),
        "cpu_ms_mean": statistics.fmean(cpu),
        "wall_ms_median": statistics.median(wall),
        "stage_runs_per_frame": sum(frame_decoder.stage_runs.values()) / len(frames),
    }


@dataclasses.dataclass(frozen=True)
class Visit:
    text: str
    frames: list[np.ndarray]


def card_visits(count: int, gap: int, shown: int, rng: np.random.Generator, texts: list[str]):
    """(frame, text or None, visit number) in order: ``gap`` empty frames, then a card for ``shown`` frames."""
    sequence = []
    for visit in range(count):
        sequence += [(image, None, visit) for image in empty_frames(gap, rng)]
        spoilers = synthetic.hard_spoilers(rng)
        backdrop = synthetic.background(rng)
        centre = rng.uniform((400, 250), (880, 470))
        text = texts[visit % len(texts)]
        for _ in range(shown):  # a hand is never still: it moves and turns a little
            jittered = dataclasses.replace(spoilers, angle=spoilers.angle + float(rng.uniform(-4, 4)))
            at = tuple(float(c) for c in centre + rng.uniform(-15, 15, 2))
            sequence.append((synthetic.render(text, jittered, rng, backdrop=backdrop, centre=at).image, text, visit))
    return sequence


def run_visits(sequence, budgeted: bool) -> dict:
    idle = FrameDecoder(make_decoder("auto")).idle if budgeted else None
    frame_decoder = FrameDecoder(make_decoder("auto"), budget_ms=None, idle=idle)
    pipeline = ScanPipeline(frame_decoder, Confirmer())
    reads = 0
    accepted: dict[int, int] = {}
    first_frame: dict[int, int] = {}
    for number, (image, text, visit) in enumerate(sequence):
        if text is not None:
            first_frame.setdefault(visit, number)
        outcome = pipeline.process(image, number / 15.0)
        if text is not None and any(d.text == text for d in outcome.decode.detections):
            reads += 1 + len(outcome.decode.earlier)
        if outcome.card and text is not None and outcome.card.code in text:
            accepted.setdefault(visit, number - first_frame[visit])
    return {
        "reads": reads,
        "cards": len(accepted),
        "frames_to_card_mean": round(statistics.fmean(accepted.values()), 2) if accepted else None,
        "stage_runs": sum(frame_decoder.stage_runs.values()),
    }


def median(values):
    return statistics.median(values) if values else float("nan")


def p95(values):
    return float(np.percentile(values, 95)) if values else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer frames and visits; under a minute")
    parser.add_argument("--frames", type=int, help="hard frames (default 500, or 100 with --quick)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS if DEFAULT_CORPUS.is_dir() else None,
                        help="folder of real photos: NAME.png|jpg|webp + NAME.txt")
    parser.add_argument("--seed", type=int, default=REPORT_SEED, help="seed of the reported frames")
    parser.add_argument("--tuning", action="store_true", help=f"use the tuning seed {TUNING_SEED} instead")
    args = parser.parse_args(argv)
    seed = TUNING_SEED if args.tuning else args.seed
    if seed == TUNING_SEED and not args.tuning:
        parser.error(f"seed {TUNING_SEED} is the tuning seed; reported figures need frames tuning never saw")
    hard_count = args.frames or (100 if args.quick else 500)
    clean_count = max(50, hard_count * 2 // 3)
    visits, gap, shown = (10, 10, 6) if args.quick else (40, 20, 8)

    pinned = pin_to_one_core()
    started = time.perf_counter()
    texts = card_payloads(64, seed)
    frames = {
        "clean": synthetic.frame_set("clean", clean_count, seed, texts),
        "hard": synthetic.frame_set("hard", hard_count, seed + 1, texts),
    }
    idle_frames = empty_frames(60 if args.quick else 200, np.random.default_rng(seed + 2))
    sequence = card_visits(visits, gap, shown, np.random.default_rng(seed + 3), texts)
    corpus = load_corpus(args.corpus) if args.corpus else []
    print(f"Decode benchmark: {clean_count} clean + {hard_count} hard 1280x720 frames, {visits} card visits,"
          f" seed {seed}{' (TUNING seed)' if args.tuning else ''}, pinned to {pinned}"
          f" (frames generated in {time.perf_counter() - started:.1f} s)")

    runners: list[Runner] = []
    notes = []
    for backend in BACKENDS:
        try:
            runners.append(Runner(backend, backend))
        except DecoderUnavailable as exc:
            notes.append(f"{backend}: {exc.message}")
    singles = [r.name for r in runners]
    runners += [Runner("pipeline", in_view=True), Runner("first sight")]

    tallies: dict[str, Tally] = {}
    for runner in runners:
        tally = tallies[runner.name] = Tally()
        for kind, kind_frames in frames.items():
            time_frames(runner, kind_frames, kind, tally)
        if corpus:
            time_corpus(runner, corpus, tally)
    idle = measure_idle(idle_frames)
    visits_budgeted = run_visits(sequence, budgeted=True)
    visits_every_stage = run_visits(sequence, budgeted=False)

    summary = report(tallies, singles, frames, corpus, idle, visits_budgeted, visits_every_stage, notes)
    summary.update(seed=seed, tuning_seed=TUNING_SEED, seconds=round(time.perf_counter() - started, 1))
    print_result(summary)
    return 0 if summary["targets_met"] else 1


def report(tallies: dict[str, Tally], singles: list[str], frames, corpus, idle: dict,
           visits_budgeted: dict, visits_every_stage: dict, notes: list[str]) -> dict:
    counts = {kind: len(kind_frames) for kind, kind_frames in frames.items()}
    positives = {n for n, (_, image, e) in enumerate(corpus) if e is not None}
    negatives = sum(1 for _, _, e in corpus if e is None)
    union = {kind: set().union(*(tallies[n].read[kind] for n in singles)) for kind in ("clean", "hard", "corpus")}
    header = (f"{'decoder':<12} {'all med':>8} {'all p95':>8} {'clean med':>9} {'hard med':>9} {'hard p95':>9}"
              f" {'clean':>9} {'hard':>9}")
    if corpus:
        header += f" {'photos':>9} {'false+':>7} {'ms/photo':>9}"
    print()
    print("ms per frame (median, p95); counts = frames decoded to the right text")
    print(header)
    print("-" * len(header))
    rows = [(name, t) for name, t in tallies.items()]
    for name, t in rows:
        both = t.times_ms["clean"] + t.times_ms["hard"]
        line = (f"{name:<12} {median(both):8.2f} {p95(both):8.2f} {median(t.times_ms['clean']):9.2f}"
                f" {median(t.times_ms['hard']):9.2f} {p95(t.times_ms['hard']):9.2f}"
                f" {len(t.read['clean']):>4}/{counts['clean']:<4} {len(t.read['hard']):>4}/{counts['hard']:<4}")
        if corpus:
            line += (f" {len(t.read['corpus']):>4}/{len(positives):<4} {t.corpus_false_positives:>3}/{negatives:<3}"
                     f" {statistics.fmean(t.corpus_ms) if t.corpus_ms else float('nan'):9.2f}")
        print(line)
    union_line = (f"{'union of ' + str(len(singles)):<12} {'':>8} {'':>8} {'':>9} {'':>9} {'':>9}"
                  f" {len(union['clean']):>4}/{counts['clean']:<4} {len(union['hard']):>4}/{counts['hard']:<4}")
    if corpus:
        union_line += f" {len(union['corpus']):>4}/{len(positives):<4}"
    print(union_line)

    pipe = tallies["pipeline"]
    first = tallies["first sight"]
    best = max(singles, key=lambda n: (len(tallies[n].read["hard"]), -median(tallies[n].times_ms["hard"])))
    missed = {kind: sorted(union[kind] - pipe.read[kind]) for kind in union}
    print("\npipeline ('pipeline' = card in view, every stage may run): hard frames read at each stage: "
          + ", ".join(f"{k} {v}" for k, v in pipe.stages.most_common()))
    print("frames some single backend read and the pipeline did not: "
          + "; ".join(f"{kind} {len(v)}" for kind, v in missed.items()))
    print(f"best single backend on hard frames: {best}")
    print(f"idle (empty counter, deployed pipeline): {idle['cpu_ms_median']:.2f} ms CPU median"
          f" ({idle['cpu_ms_mean']:.2f} mean), {idle['wall_ms_median']:.2f} ms wall median,"
          f" {idle['stage_runs_per_frame']:.2f} decoder runs per frame")
    print(f"card visits, budgeted: {visits_budgeted}")
    print(f"card visits, every stage on every frame: {visits_every_stage}")
    for note in notes:
        print(f"note: {note}")

    def all_ms(t: Tally) -> list[float]:
        return t.times_ms["clean"] + t.times_ms["hard"]

    summary = {
        "frames": counts,
        "ms_median": {n: round(median(all_ms(t)), 3) for n, t in tallies.items()},
        "ms_p95": {n: round(p95(all_ms(t)), 3) for n, t in tallies.items()},
        "clean_read": {n: len(t.read["clean"]) for n, t in tallies.items()} | {"union": len(union["clean"])},
        "hard_read": {n: len(t.read["hard"]) for n, t in tallies.items()} | {"union": len(union["hard"])},
        "best_single_backend": best,
        "pipeline_vs_best_single": {
            "hard_read": [len(pipe.read["hard"]), len(tallies[best].read["hard"])],
            "ms_median": [round(median(all_ms(pipe)), 3), round(median(all_ms(tallies[best])), 3)],
        },
        "union_missed_by_pipeline": {kind: len(v) for kind, v in missed.items()},
        "idle_decode_ms_median": round(idle["cpu_ms_median"], 3),
        "idle_decode_ms_mean": round(idle["cpu_ms_mean"], 3),
        "idle_wall_ms_median": round(idle["wall_ms_median"], 3),
        "visits": {"budgeted": visits_budgeted, "every_stage": visits_every_stage},
    }
    checks = [
        (f"pipeline median <= {PIPELINE_TARGET_MS:g} ms", median(all_ms(pipe)) <= PIPELINE_TARGET_MS),
        (f"idle decode median <= {IDLE_TARGET_MS:g} ms CPU", idle["cpu_ms_median"] <= IDLE_TARGET_MS),
        ("hard frames read >= union of single backends", len(pipe.read["hard"]) >= len(union["hard"])),
        ("first sight reads >= best single backend", len(first.read["hard"]) >= len(tallies[best].read["hard"])),
        ("reads per visit not lower with the idle budget", visits_budgeted["reads"] >= visits_every_stage["reads"]),
        ("cards per visit not lower with the idle budget", visits_budgeted["cards"] >= visits_every_stage["cards"]),
    ]
    if corpus:
        summary["corpus"] = {
            "photos": len(positives),
            "negatives": negatives,
            "read": {n: len(t.read["corpus"]) for n, t in tallies.items()} | {"union": len(union["corpus"])},
            "false_positives": {n: t.corpus_false_positives for n, t in tallies.items()},
        }
        checks += [
            ("photos read >= union of single backends", len(pipe.read["corpus"]) >= len(union["corpus"])),
            ("no false positives on photos without a code", pipe.corpus_false_positives == 0),
        ]
    print("targets: " + "; ".join(f"{name}: {'yes' if ok else 'NO'}" for name, ok in checks))
    summary["targets_missed"] = [name for name, ok in checks if not ok]
    summary["targets_met"] = not summary["targets_missed"]
    return summary


if __name__ == "__main__":
    sys.exit(main())
