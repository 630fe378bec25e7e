"""Reading a workbook in a child process with a memory ceiling.

A 1.5 KB .xlsx can declare (or place one cell at) XFD1048576; the reader then reserves room for
17 billion cells and the process aborts, taking other users' requests with it. Parsing in a forked
child whose address space is capped turns that into a clear refusal: the child dies, the app process
does not. The rows come back pickled through a pipe (a fork shares the file's bytes for free).
"""

import os
import pickle
import resource

from django.conf import settings


class TooLarge(Exception):
    pass


def _address_space() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def run_capped(function, *args):
    """function(*args) in a child limited to the current address space + IMPORT_READ_MEMORY_MB.
    Exceptions of the function come back as they are; running out of memory is TooLarge."""
    if not hasattr(os, "fork") or not os.path.exists("/proc/self/status"):
        return function(*args)
    budget = settings.IMPORT_READ_MEMORY_MB * 1024 * 1024
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns, never runs the parent's cleanup
        try:
            os.close(read_end)
            limit = _address_space() + budget
            resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))
            try:
                outcome = ("ok", function(*args))
            except MemoryError:
                outcome = ("too_large", None)
            except Exception as exc:  # noqa: BLE001  (handed to the parent, which raises it)
                outcome = ("raised", exc)
            payload = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as out:
                out.write(payload)
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as incoming:
        payload = incoming.read()
    os.waitpid(pid, 0)
    if not payload:  # killed or aborted (a native allocation failure aborts the child)
        raise TooLarge
    try:
        status, value = pickle.loads(payload)  # noqa: S301  (our own child's bytes)
    except MemoryError:
        raise TooLarge from None
    if status == "too_large":
        raise TooLarge
    if status == "raised":
        raise value
    return value
