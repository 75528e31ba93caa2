"""Inspect and load uploaded files in another process, with a memory and a time limit (SPEC §2.6).

The dashboard's server is shared by every user: a file that makes a reader abort (a native library running out of
memory cannot be caught) or run for ever must end only its own process. Progress and messages come back over a
pipe; the outcome (results, or the plain line of UnreadableFile / LoadBusy) is raised or returned here as if the
work had been done in this process.
"""
from __future__ import annotations

import os
import pickle
import select
import struct
import subprocess
import sys
import time
from pathlib import Path

from core import warehouse_file
from .readers import UnreadableFile

ROOT = Path(__file__).resolve().parent.parent
MEMORY_LIMIT_BYTES = 2 << 30        # 2 GB of address space for the worker
INSPECT_SECONDS = 120
LOAD_SECONDS = 1800


def _limit_memory(limit: int) -> None:
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _send(fd: int, kind: str, payload) -> None:
    data = pickle.dumps((kind, payload))
    os.write(fd, struct.pack(">Q", len(data)))
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _worker(job: str, args: dict, fd: int) -> None:
    """Runs in the child: do the job, sending ("progress"|"wait"|"done"|"unreadable"|"busy", payload)."""
    from . import load
    try:
        if job == "inspect":
            _send(fd, "done", load.inspect_file(**args))
        else:
            _send(fd, "done", load.load_files(**args, progress=lambda f, m: _send(fd, "progress", (f, m)),
                                              on_wait=lambda m: _send(fd, "wait", m)))
    except UnreadableFile as exc:
        _send(fd, "unreadable", str(exc))
    except warehouse_file.LoadBusy as exc:
        _send(fd, "busy", str(exc))
    except MemoryError:
        _send(fd, "unreadable", "the file needs more memory than a load may use; split it into smaller files")
    except Exception as exc:  # noqa: BLE001 - the page shows one line, never a traceback
        _send(fd, "unreadable", f"the file could not be read ({exc.__class__.__name__}: {str(exc)[:200]})")


def _messages(fd: int, child: subprocess.Popen, deadline: float):
    """The child's messages as they come; ("ended", None) when it ends without a last word, ("late", None) at the
    deadline."""
    buffer = b""
    while True:
        while len(buffer) >= 8:
            size = struct.unpack(">Q", buffer[:8])[0]
            if len(buffer) < 8 + size:
                break
            yield pickle.loads(buffer[8:8 + size])
            buffer = buffer[8 + size:]
        if time.monotonic() > deadline:
            yield "late", None
            return
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            block = os.read(fd, 1 << 20)
            if not block:             # the child closed its end: it has ended
                yield "ended", None
                return
            buffer += block


def _run(job: str, args: dict, seconds: int, progress=None, on_wait=None, memory: int = MEMORY_LIMIT_BYTES):
    read_end, write_end = os.pipe()
    # A fresh interpreter (nothing of the server's threads or memory copied), its address space capped.
    child = subprocess.Popen([sys.executable, "-m", "etl.isolated", str(write_end)], stdin=subprocess.PIPE,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, pass_fds=(write_end,),
                             cwd=str(ROOT), preexec_fn=lambda: _limit_memory(memory))
    os.close(write_end)
    try:
        child.stdin.write(pickle.dumps((job, args)))
        child.stdin.close()
        for kind, payload in _messages(read_end, child, time.monotonic() + seconds):
            if kind == "progress" and progress:
                progress(*payload)
            elif kind == "wait" and on_wait:
                on_wait(payload)
            elif kind == "done":
                return payload
            elif kind == "unreadable":
                raise UnreadableFile(payload)
            elif kind == "busy":
                raise warehouse_file.LoadBusy(payload)
            elif kind == "late":
                raise UnreadableFile(f"{_names(args)}: reading took longer than {seconds} seconds, the limit for "
                                     "one load; nothing was loaded. Split the file into smaller files")
            elif kind == "ended":
                child.wait(timeout=10)
                raise UnreadableFile(_ended_message(args, child.returncode, memory))
    finally:
        if child.poll() is None:
            child.kill()
        child.wait(timeout=10)
        os.close(read_end)


def _names(args: dict) -> str:
    names = [n for n in (args.get("display_names") or [args.get("display_name")]) if n]
    names = names or [Path(p).name for p in args.get("paths", [args.get("path", "")])]
    return ", ".join(str(n) for n in names)


def _ended_message(args: dict, exitcode, memory: int) -> str:
    return (f"{_names(args)}: the file could not be read within the limits of one load ({memory / 2**30:.1f} GB "
            f"of memory); nothing was loaded and the warehouse is as it was (the reader stopped with code {exitcode})")


def inspect_file(path: Path, settings, display_name: str | None = None, sheet: str | None = None,
                 memory: int = MEMORY_LIMIT_BYTES):
    """load.inspect_file, in another process."""
    return _run("inspect", {"path": Path(path), "settings": settings, "display_name": display_name, "sheet": sheet},
                INSPECT_SECONDS, memory=memory)


def load_files(paths: list[Path], settings, display_names: list[str] | None = None, sheet: str | None = None,
               progress=None, on_wait=None, memory: int = MEMORY_LIMIT_BYTES):
    """load.load_files, in another process: all or nothing, as there."""
    return _run("load", {"paths": [Path(p) for p in paths], "settings": settings, "display_names": display_names,
                         "sheet": sheet},
                LOAD_SECONDS, progress=progress, on_wait=on_wait, memory=memory)


if __name__ == "__main__":
    _job, _args = pickle.loads(sys.stdin.buffer.read())
    _worker(_job, _args, int(sys.argv[1]))
