#!/usr/bin/env python3
"""Runs a command on a pseudo-terminal of a given size and reads what it writes through pyte,
a VT100 terminal emulator, as a runner's terminal would show it.

    run-in-terminal.py COLUMNS ROWS QUIT_AFTER_SECONDS KEYS -- COMMAND...

After QUIT_AFTER_SECONDS it records the screen, then types KEYS (Python escapes: "q",
"\\x03" for Ctrl-C), then Ctrl-D once a second (the end of input for any question that
follows). Prints one JSON object: the screen's rows just before the keys, how many lines had
scrolled off the top by then, and the command's exit status. Bounded: it kills the command
30 s after the keys.
"""
import fcntl
import json
import os
import pty
import select
import struct
import sys
import termios
import time

import pyte


def main():
    columns, rows, quit_after, keys = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
    command = sys.argv[sys.argv.index("--") + 1:]
    keys = keys.encode().decode("unicode_escape").encode("latin-1")
    screen = pyte.HistoryScreen(columns, rows, history=100_000)
    stream = pyte.ByteStream(screen)
    pid, master = pty.fork()
    if pid == 0:
        os.execvp(command[0], command)
    fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    start = time.monotonic()
    snapshot = None
    next_eof = None
    status = None
    while True:
        elapsed = time.monotonic() - start
        if snapshot is None and elapsed >= quit_after:
            snapshot = {"display": list(screen.display), "scrolled": len(screen.history.top)}
            os.write(master, keys)
            next_eof = elapsed + 1
        if next_eof is not None and elapsed >= next_eof:
            try:
                os.write(master, b"\x04")
            except OSError:
                pass
            next_eof = elapsed + 1
        if elapsed >= quit_after + 30:
            os.kill(pid, 9)
        ready, _, _ = select.select([master], [], [], 0.05)
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:
                data = b""
            if not data:
                break
            stream.feed(data)
    _, wait_status = os.waitpid(pid, 0)
    status = os.waitstatus_to_exitcode(wait_status)
    snapshot = snapshot or {"display": list(screen.display), "scrolled": len(screen.history.top)}
    snapshot["exit"] = status
    print(json.dumps(snapshot))


main()
