#!/usr/bin/env python3
"""Runs a command on a pseudo-terminal of a given size and reads what it writes through pyte,
a VT100 terminal emulator, as a runner's terminal would show it.

    run-in-terminal.py COLUMNS ROWS QUIT_AFTER_SECONDS KEYS [RESIZE_AFTER NEW_COLUMNS NEW_ROWS] -- COMMAND...

After QUIT_AFTER_SECONDS it records the screen, then types KEYS (Python escapes: "q",
"\\x03" for Ctrl-C; "SIGTERM" sends that signal instead), then Ctrl-D once a second (the end of input for any question that
follows). With RESIZE_AFTER, the terminal is resized (the command gets SIGWINCH) after that
many seconds, before the screen is recorded. Prints one JSON object: the screen's rows just before the keys, how many lines had
scrolled off the top by then, the command's exit status, and how it left the terminal: whether
the alternate screen it entered was left last, whether the cursor is shown, and whether the
terminal is back in canonical mode with echo. Bounded: it kills the command 30 s after the keys.
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

import signal

import pyte


def main():
    columns, rows, quit_after, keys = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
    separator = sys.argv.index("--")
    command = sys.argv[separator + 1:]
    resize = [float(a) for a in sys.argv[5:separator]] if separator > 5 else None
    terminate = keys == "SIGTERM"
    keys = b"" if terminate else keys.encode().decode("unicode_escape").encode("latin-1")
    raw = bytearray()
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
        if resize is not None and elapsed >= resize[0]:
            new_columns, new_rows = int(resize[1]), int(resize[2])
            screen.resize(new_rows, new_columns)
            fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", new_rows, new_columns, 0, 0))
            resize = None
        if snapshot is None and elapsed >= quit_after:
            snapshot = {"display": list(screen.display), "scrolled": len(screen.history.top)}
            if terminate:
                os.kill(pid, signal.SIGTERM)
            else:
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
            raw.extend(data)
    attributes = termios.tcgetattr(master)
    _, wait_status = os.waitpid(pid, 0)
    status = os.waitstatus_to_exitcode(wait_status)
    snapshot = snapshot or {"display": list(screen.display), "scrolled": len(screen.history.top)}
    snapshot["exit"] = status
    entered, left = raw.rfind(b"\x1b[?1049h"), raw.rfind(b"\x1b[?1049l")
    snapshot["alternateScreen"] = "never" if entered < 0 else ("left" if left > entered else "still on")
    snapshot["cursorShown"] = not screen.cursor.hidden
    lflag = attributes[3]
    snapshot["canonicalEcho"] = bool(lflag & termios.ICANON) and bool(lflag & termios.ECHO)
    print(json.dumps(snapshot))


main()
