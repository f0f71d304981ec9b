"""Private build directories beside a store, named after their owner so that leftovers of a
killed process can be recognised and removed by the next one.

A store (or a merge output) is built in ``.<name>.<kind>-<uuid>.<pid>.<host>`` next to it and
renamed into place. A process killed before the rename leaves that directory behind; the next
creator of the same name removes the ones whose owner process is gone (same host, pid not
running). Directories of other hosts are never touched: their owner may be alive.
"""

from __future__ import annotations

import os
import shutil
import socket
import uuid

__all__ = ["remove_stale", "scratch_dir"]


def _host() -> str:
    """This host's name with the characters that could break the name pattern replaced."""
    return "".join(c if c.isalnum() or c == "-" else "_" for c in socket.gethostname()) or "host"


def scratch_dir(parent: str, name: str, kind: str) -> str:
    """Path (not created) of a new private build directory for ``name`` in ``parent``."""
    return os.path.join(parent, f".{name}.{kind}-{uuid.uuid4().hex}.{os.getpid()}.{_host()}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def remove_stale(parent: str, name: str, kind: str) -> list[str]:
    """Remove the build directories of ``name`` whose owner process (on this host) is gone.

    Returns the paths removed. Names not of this module's pattern are left alone.
    """
    prefix, host, removed = f".{name}.{kind}-", _host(), []
    try:
        entries = os.listdir(parent)
    except OSError:
        return removed
    for entry in entries:
        if not entry.startswith(prefix):
            continue
        parts = entry[len(prefix) :].split(".", 2)
        if len(parts) != 3 or parts[2] != host or not parts[1].isdigit():
            continue
        pid = int(parts[1])
        if pid == os.getpid() or _alive(pid):
            continue
        path = os.path.join(parent, entry)
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed
