"""Decoder benchmark: each backend and our scan pipeline on 720p frames, on one core.

    python tests/bench/decode_bench.py                 # 500 clean + 500 hard frames
    python tests/bench/decode_bench.py --quick         # 200 + 200, well under a minute
    python tests/bench/decode_bench.py --corpus ../shared/qr-samples

Frames are generated with fixed seeds (terminal/scanner/synthetic.py): clean
ones are cards held square-on; hard ones combine two or three of small,
tilted, blurred, motion-blurred, noisy, glare, dim and dark mode. A corpus
is any folder of NAME.png|jpg|webp photos with the expected text in NAME.txt
(nested one level); photos without a .txt must decode to nothing.

Times include the greyscale conversion every backend needs. The last line
printed is one JSON object with the headline numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from terminal.domain.codes import ALPHABET, BODY_LENGTH, check_character, payload_for
from terminal.scanner import synthetic
from terminal.scanner.confirm import Confirmer
from terminal.scanner.decoders import BACKENDS, DecoderUnavailable, make_decoder, to_gray
from terminal.scanner.pipeline import FrameDecoder, ScanPipeline

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp"}


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


@dataclass
class Tally:
    times_ms: dict[str, list[float]] = field(default_factory=lambda: {"clean": [], "hard": [], "empty": []})
    hits: Counter = field(default_factory=Counter)
    stages: Counter = field(default_factory=Counter)
    corpus_decoded: int = 0
    corpus_false_positives: int = 0
    corpus_ms: list[float] = field(default_factory=list)
    corpus_stages: Counter = field(default_factory=Counter)


def matches(detections, expected: bytes) -> bool:
    return any(d.data == expected or (d.text is not None and d.text.encode("utf-8") == expected) for d in detections)


class Runner:
    """Something to time: a raw backend, or the pipeline (which reports its fallback stage)."""

    def __init__(self, name: str, backend: str | None = None) -> None:
        self.name = name
        if backend:
            decoder = make_decoder(backend)
            self.decode = lambda image: (decoder.decode(to_gray(image)), "primary")
        else:
            pipeline = ScanPipeline(FrameDecoder(make_decoder("auto")), Confirmer())
            self.clock = 0.0

            def decode(image):
                self.clock += 1.0  # frames far apart: confirmation state never matters here
                outcome = pipeline.process(image, self.clock)
                return outcome.decode.detections, outcome.decode.stage

            self.decode = decode


def time_frames(runner: Runner, frames, kind: str, tally: Tally) -> None:
    for frame in frames:
        start = time.perf_counter()
        detections, stage = runner.decode(frame.image)
        tally.times_ms[kind].append((time.perf_counter() - start) * 1000.0)
        if frame.text is not None and any(d.text == frame.text for d in detections):
            tally.hits[kind] += 1
            if kind == "hard":
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
    for _path, image, expected in corpus:
        if image is None:  # OpenCV cannot open it (e.g. a 1x1 WebP): nothing to read
            continue
        start = time.perf_counter()
        detections, stage = runner.decode(image)
        tally.corpus_ms.append((time.perf_counter() - start) * 1000.0)
        if expected is None:
            tally.corpus_false_positives += bool(detections)
        elif matches(detections, expected):
            tally.corpus_decoded += 1
            tally.corpus_stages[stage] += 1


def median(values):
    return statistics.median(values) if values else float("nan")


def p95(values):
    return float(np.percentile(values, 95)) if values else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="200 clean + 200 hard frames")
    parser.add_argument("--frames", type=int, help="frames per set (default 500, or 200 with --quick)")
    parser.add_argument("--corpus", type=Path, help="folder of real photos: NAME.png|jpg|webp + NAME.txt")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args(argv)
    count = max(200, args.frames or (200 if args.quick else 500))

    pinned = pin_to_one_core()
    started = time.perf_counter()
    texts = card_payloads(64, args.seed)
    frames = {
        "clean": synthetic.frame_set("clean", count, args.seed, texts),
        "hard": synthetic.frame_set("hard", count, args.seed + 1, texts),
        # an empty counter: what the scanner does most of the day
        "empty": [synthetic.render(None, synthetic.hard_spoilers(rng), rng)
                  for rng in [np.random.default_rng(args.seed + 2)] for _ in range(50)],
    }
    corpus = load_corpus(args.corpus) if args.corpus else []
    print(f"Decode benchmark: {count} clean + {count} hard 1280x720 frames, seed {args.seed}, pinned to {pinned}"
          f" (frames generated in {time.perf_counter() - started:.1f} s)")

    runners: list[Runner] = []
    notes = []
    for backend in BACKENDS:
        try:
            runners.append(Runner(backend, backend))
        except DecoderUnavailable as exc:
            notes.append(f"{backend}: {exc.message}")
    runners.append(Runner("pipeline"))

    tallies: dict[str, Tally] = {}
    for runner in runners:
        tally = tallies[runner.name] = Tally()
        for kind, kind_frames in frames.items():
            time_frames(runner, kind_frames, kind, tally)
        if corpus:
            time_corpus(runner, corpus, tally)

    summary = report(tallies, count, corpus, notes)
    summary["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(summary, sort_keys=True))
    return 0


def report(tallies: dict[str, Tally], count: int, corpus, notes: list[str]) -> dict:
    corpus_total = sum(1 for _, _, e in corpus if e is not None)
    corpus_negatives = sum(1 for _, _, e in corpus if e is None)
    header = (f"{'decoder':<10} {'all med':>8} {'all p95':>8} {'clean med':>9} {'hard med':>9} {'hard p95':>9}"
              f" {'idle med':>9} {'clean':>9} {'hard':>9}")
    if corpus:
        header += f" {'photos':>9} {'false+':>7} {'ms/photo':>9}"
    print()
    print("ms per frame (median, p95); 'idle' = empty counter; rates = frames decoded to the right text")
    print(header)
    print("-" * len(header))
    for name, t in tallies.items():
        both = t.times_ms["clean"] + t.times_ms["hard"]
        line = (f"{name:<10} {median(both):8.2f} {p95(both):8.2f} {median(t.times_ms['clean']):9.2f}"
                f" {median(t.times_ms['hard']):9.2f} {p95(t.times_ms['hard']):9.2f}"
                f" {median(t.times_ms['empty']):9.2f}"
                f" {t.hits['clean']:>4}/{count:<4} {t.hits['hard']:>4}/{count:<4}")
        if corpus:
            line += (f" {t.corpus_decoded:>4}/{corpus_total:<4} {t.corpus_false_positives:>3}/{corpus_negatives:<3}"
                     f" {statistics.fmean(t.corpus_ms) if t.corpus_ms else float('nan'):9.2f}")
        print(line)
    pipe = tallies["pipeline"]
    stages = ", ".join(f"{k} {v}" for k, v in pipe.stages.most_common())
    print(f"\npipeline: hard frames read at each stage: {stages}")
    if corpus:
        stages = ", ".join(f"{k} {v}" for k, v in pipe.corpus_stages.most_common())
        print(f"pipeline: photos read at each stage: {stages}")
    for note in notes:
        print(f"note: {note}")

    def all_ms(t: Tally) -> list[float]:
        return t.times_ms["clean"] + t.times_ms["hard"]

    pipeline_med = median(all_ms(pipe))
    zbar = tallies.get("zbar")
    zbar_med = median(all_ms(zbar)) if zbar else None
    singles = {n: t for n, t in tallies.items() if n != "pipeline"}
    best_hard = max(t.hits["hard"] for t in singles.values())
    summary = {
        "frames_per_set": count,
        "pipeline_ms_median": round(pipeline_med, 3),
        "pipeline_ms_p95": round(p95(all_ms(pipe)), 3),
        "pipeline_idle_ms_median": round(median(pipe.times_ms["empty"]), 3),
        "pyzbar_ms_median": round(zbar_med, 3) if zbar_med is not None else None,
        "speedup_vs_pyzbar": round(zbar_med / pipeline_med, 1) if zbar_med is not None else None,
        "ms_median": {n: round(median(all_ms(t)), 3) for n, t in tallies.items()},
        "clean_rate": {n: round(t.hits["clean"] / count, 4) for n, t in tallies.items()},
        "hard_rate": {n: round(t.hits["hard"] / count, 4) for n, t in tallies.items()},
    }
    checks = [
        ("pipeline median <= 10 ms", pipeline_med <= 10.0),
        ("pipeline >= 10x faster than pyzbar", zbar_med is not None and zbar_med / pipeline_med >= 10),
        ("hard-frame rate >= best single backend", pipe.hits["hard"] >= best_hard),
    ]
    if corpus:
        summary["corpus_total"] = corpus_total
        summary["corpus_decoded"] = {n: t.corpus_decoded for n, t in tallies.items()}
        summary["corpus_false_positives"] = {n: t.corpus_false_positives for n, t in tallies.items()}
        best_corpus = max(t.corpus_decoded for t in singles.values())
        checks.append(("photo rate >= best single backend", pipe.corpus_decoded >= best_corpus))
    print("targets: " + "; ".join(f"{name}: {'yes' if ok else 'NO'}" for name, ok in checks))
    summary["targets_met"] = all(ok for _, ok in checks)
    return summary


if __name__ == "__main__":
    sys.exit(main())
