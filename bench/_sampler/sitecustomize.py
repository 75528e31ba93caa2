"""A sampling profiler for the benchmark's server (bench/concurrency.py --profile FILE): every 5 ms, the stack of
every Python thread, counted; written to FILE as collapsed stacks ("frame;frame;frame count") every 5 s and at exit.
Only on sys.path when the benchmark asks for a profile."""
import os
import sys
import threading
import time
from collections import Counter

_OUT = os.environ.get("PWP_BENCH_PROFILE")


def _frames(frame):
    names = []
    while frame is not None:
        code = frame.f_code
        names.append(f"{os.path.basename(code.co_filename)}:{code.co_name}")
        frame = frame.f_back
    return ";".join(reversed(names))


def _sample():
    counts, me, last = Counter(), threading.get_ident(), time.monotonic()
    names = {}
    while True:
        time.sleep(0.005)
        for ident, frame in sys._current_frames().items():
            if ident == me:
                continue
            if ident not in names:
                names[ident] = next((t.name for t in threading.enumerate() if t.ident == ident), "?")
            counts[f"{names[ident].split('-')[0]};{_frames(frame)}"] += 1
        if time.monotonic() - last > 5:
            last = time.monotonic()
            with open(_OUT, "w") as fh:
                for stack, n in counts.most_common():
                    fh.write(f"{stack} {n}\n")


if _OUT and "streamlit" in " ".join(sys.argv):
    threading.Thread(target=_sample, daemon=True, name="bench-sampler").start()
