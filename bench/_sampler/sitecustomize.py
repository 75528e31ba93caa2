"""A sampling profiler for the benchmark's server (bench/concurrency.py --profile FILE): every 5 ms, the stack of
every Python thread that is on a CPU at that moment (state R in /proc: not waiting for the GIL, a lock or I/O), counted; written to FILE as collapsed stacks ("frame;frame;frame count") every 5 s and at exit.
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
    names, native = {}, {}
    while True:
        time.sleep(0.005)
        for ident, frame in sys._current_frames().items():
            if ident == me:
                continue
            if ident not in names:
                thread = next((t for t in threading.enumerate() if t.ident == ident), None)
                names[ident] = thread.name if thread else "?"
                native[ident] = thread.native_id if thread else None
            try:
                with open(f"/proc/self/task/{native[ident]}/stat") as fh:
                    if fh.read().rsplit(")", 1)[1].split()[0] != "R":
                        continue
            except (OSError, TypeError):
                continue
            counts[f"{names[ident].split('-')[0]};{_frames(frame)}"] += 1
        if time.monotonic() - last > 5:
            last = time.monotonic()
            with open(_OUT, "w") as fh:
                for stack, n in counts.most_common():
                    fh.write(f"{stack} {n}\n")


if _OUT and not os.environ.get("PWP_BENCH_RUNS_ONLY"):
    threading.Thread(target=_sample, daemon=True, name="bench-sampler").start()


def _count_runs():
    """Each script run: its page, its wall time and the CPU of the script thread, appended to FILE.runs."""
    name = "streamlit.runtime.scriptrunner.script_runner"
    while not hasattr(sys.modules.get(name), "ScriptRunner"):      # imported, and not half way through
        time.sleep(0.05)
    module = sys.modules[name]
    original = module.ScriptRunner._run_script

    import cProfile
    profile, seen = cProfile.Profile(), [0]

    def counted(self, rerun_data):
        t0, c0 = time.perf_counter(), time.thread_time()
        seen[0] += 1
        # PWP_BENCH_CPROFILE=FIRST-LAST: the script runs profiled, counted from 1 (e.g. 8-15: warm runs of one person)
        first, _, last = os.environ.get("PWP_BENCH_CPROFILE", "0-0").partition("-")
        profiled = int(first) <= seen[0] <= int(last or first) and int(first) > 0
        try:
            if profiled:
                profile.enable()
            return original(self, rerun_data)
        finally:
            if profiled:
                profile.disable()
                profile.dump_stats(_OUT + ".pstats")
            with open(_OUT + ".runs", "a") as fh:
                fh.write(f"{getattr(rerun_data, 'page_script_hash', '')[:8]} {getattr(rerun_data, 'page_name', '')} "
                         f"{time.perf_counter() - t0:.3f} {time.thread_time() - c0:.3f}\n")

    module.ScriptRunner._run_script = counted


if _OUT:
    threading.Thread(target=_count_runs, daemon=True, name="bench-runs").start()
