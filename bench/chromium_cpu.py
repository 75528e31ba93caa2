"""All of Chromium's CPU, not only the renderer's main thread: every process Chromium runs under this benchmark (the
browser process, one renderer per tab, the GPU process compositing in software under --disable-gpu, network and
storage utilities) and each of their threads, read from /proc/<pid>/task/<tid>/stat (utime + stime).

    before = snapshot(); ...; spent = difference(before, snapshot())    # {("renderer", "main"): seconds, ...}

Only processes below this Python process (the Playwright driver and the Chromium it starts) are counted: other
sessions' browsers on the same machine are not. Threads are grouped by what they do (`THREADS`; a process's main
thread is the one whose id is the process's), processes by their --type (the browser process has none). The Playwright driver (node) is counted apart: it is the benchmark's, not
the page's.
"""
from __future__ import annotations

import os
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")
# Chromium's thread names (/proc/.../comm, 15 characters at most) -> a short group.
THREADS = {"Compositor": "compositor", "VizCompositorTh": "viz compositor", "CompositorTileW": "raster",
           "Chrome_ChildIOT": "io", "Chrome_IOThread": "io", "ThreadPoolForeg": "thread pool",
           "ThreadPoolBackg": "thread pool", "ThreadPoolServi": "thread pool", "ThreadPoolSingl": "thread pool",
           "DedicatedWorker": "worker", "v8:ProfEvntProc": "v8", "V8 DefaultWorke": "v8"}


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            parent = int(Path(f"/proc/{entry.name}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        tree.setdefault(parent, []).append(int(entry.name))
    return tree


def _kind(pid: int) -> str | None:
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return None
    if len(argv) <= 2 and b" --" in argv[0]:        # Chromium's children rewrite their command line as one string
        argv = argv[0].split(b" ")
    program = argv[0].decode(errors="replace")
    if "chrom" not in program.lower():
        return "playwright driver" if "node" in program or "playwright" in program else None
    for arg in argv[1:]:
        if arg.startswith(b"--type="):
            kind = arg[7:].decode()
            if kind == "utility":
                sub = next((a for a in argv if a.startswith(b"--utility-sub-type=")), b"")
                kind = "utility " + sub.split(b"=", 1)[-1].decode().rsplit(".", 1)[-1] if sub else kind
            return {"gpu-process": "gpu"}.get(kind, kind)
    return "browser"


def snapshot() -> dict[tuple[int, int], tuple[str, str, float]]:
    """{(pid, tid): (process kind, thread group, CPU seconds so far)} for every thread below this process."""
    tree, out = _children(), {}
    todo = list(tree.get(os.getpid(), []))
    while todo:
        pid = todo.pop()
        todo += tree.get(pid, [])
        kind = _kind(pid)
        if kind is None:
            continue
        try:
            tids = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for tid in tids:
            try:
                text = Path(f"/proc/{pid}/task/{tid}/stat").read_text()
            except OSError:
                continue
            name = text[text.index("(") + 1:text.rindex(")")]
            fields = text.rsplit(")", 1)[1].split()
            # a process's main thread is named after the program ("chromium"); SwiftShader's are Thread<NN>
            group = "main" if int(tid) == pid else "swiftshader" if name.startswith("Thread<") else THREADS.get(name, "other")
            if kind == "playwright driver":
                group = "all"
            out[(pid, int(tid))] = (kind, group, (int(fields[11]) + int(fields[12])) / TICK)
    return out


def difference(before: dict, after: dict) -> dict[tuple[str, str], float]:
    """CPU seconds spent between two snapshots, per (process kind, thread group); threads that ended in between are
    lost (their last figures are not kept by Linux), threads new since count whole."""
    spent: dict[tuple[str, str], float] = {}
    for key, (kind, group, seconds) in after.items():
        used = seconds - before.get(key, (kind, group, 0.0))[2]
        if used > 0:
            spent[(kind, group)] = spent.get((kind, group), 0.0) + used
    return spent


def chromium_total(spent: dict[tuple[str, str], float]) -> float:
    return sum(s for (kind, _), s in spent.items() if kind != "playwright driver")


def by_kind(spent: dict[tuple[str, str], float]) -> dict[str, float]:
    out: dict[str, float] = {}
    for (kind, _), s in spent.items():
        out[kind] = out.get(kind, 0.0) + s
    return out


def merged(seen: dict, now: dict) -> dict:
    """`seen` brought up to date with a new snapshot, keeping the last figures of threads that have ended since (a
    closed browser context's renderer): take snapshots now and then while tabs open and close, and difference the
    merged ones."""
    return {**seen, **now}
