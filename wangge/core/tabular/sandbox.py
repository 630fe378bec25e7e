"""Reading a workbook in a child process with a memory ceiling.

A 1.5 KB .xlsx can declare (or place one cell at) XFD1048576; the reader then reserves room for
17 billion cells and the process aborts, taking other users' requests with it. Parsing in a forked
child whose address space is capped turns that into a clear refusal: the child dies, the app process
does not. The rows come back pickled through a pipe (a fork shares the file's bytes for free) in
batches as the child reads them, so the app process holds one batch at a time and checks rows while
the child still reads.
"""

import contextlib
import fcntl
import os
import pickle
import resource
import signal
import struct
from collections.abc import Iterator

from django.conf import settings


class TooLarge(Exception):
    pass


def _address_space() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


BATCH = 2000  # items per message of stream_capped
PIPE_BYTES = 1 << 20  # what the child may write ahead of the parent (a few batches)
_LENGTH = struct.Struct("!Q")


def _send(out, message) -> None:
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(_LENGTH.pack(len(payload)))
    out.write(payload)


def _receive(incoming):
    head = incoming.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        return None
    payload = incoming.read(_LENGTH.unpack(head)[0])
    return pickle.loads(payload)  # noqa: S301  (our own child's bytes)


def _stream_child(write_end: int, budget: int, function, args) -> None:
    limit = _address_space() + budget
    resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))
    batch = []
    with os.fdopen(write_end, "wb", buffering=1 << 16) as out:
        try:
            for item in function(*args):
                batch.append(item)
                if len(batch) == BATCH:
                    _send(out, ("items", batch))
                    batch = []
            ending = ("done", None)
        except MemoryError:
            batch, ending = [], ("too_large", None)
        except Exception as exc:  # noqa: BLE001  (handed to the parent, which raises it after the rows before it)
            ending = ("raised", exc)
        try:
            _send(out, ("items", batch))
            _send(out, ending)
        except BrokenPipeError:
            pass  # the parent stopped reading: nothing more to say


def _widen(pipe: int) -> None:
    """A pipe as wide as Linux lets anyone make one (1 MB by default, 64 KB otherwise): the child reads on
    while the parent checks a chunk, instead of waiting for it after 64 KB (a few hundred rows)."""
    with contextlib.suppress(OSError, AttributeError, ValueError), open("/proc/sys/fs/pipe-max-size") as limit:
        fcntl.fcntl(pipe, fcntl.F_SETPIPE_SZ, min(int(limit.read()), PIPE_BYTES))


def stream_capped(function, *args) -> Iterator:
    """The items of the generator function(*args), produced in a capped child (as run_capped) and
    handed over in batches. Closing the iterator early ends the child."""
    if not hasattr(os, "fork") or not os.path.exists("/proc/self/status"):
        yield from function(*args)
        return
    budget = settings.IMPORT_READ_MEMORY_MB * 1024 * 1024
    read_end, write_end = os.pipe()
    _widen(write_end)
    pid = os.fork()
    if pid == 0:  # the child: never returns, never runs the parent's cleanup
        try:
            os.close(read_end)
            _stream_child(write_end, budget, function, args)
        finally:
            os._exit(0)
    os.close(write_end)
    finished = False
    try:
        with os.fdopen(read_end, "rb", buffering=1 << 16) as incoming:
            while True:
                try:
                    message = _receive(incoming)
                except MemoryError:
                    raise TooLarge from None
                if message is None:  # killed or aborted (a native allocation failure aborts the child)
                    raise TooLarge
                status, value = message
                if status == "items":
                    yield from value
                elif status == "done":
                    finished = True
                    return
                elif status == "too_large":
                    raise TooLarge
                else:
                    raise value
    finally:
        if not finished:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
