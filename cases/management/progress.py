"""A dependency-free progress line for long management commands (written to stderr).

On a terminal it redraws one line; in a log (not a TTY) it prints a line every 10 %, so
captured output stays short.
"""

from __future__ import annotations

from typing import TextIO

BAR_WIDTH = 30


class ProgressLine:
    def __init__(self, stream: TextIO, *, enabled: bool = True) -> None:
        self.stream = stream
        self.enabled = enabled
        self.tty = bool(getattr(stream, "isatty", lambda: False)())
        self._label = ""
        self._last = -1

    def __call__(self, label: str, done: int, total: int) -> None:
        """Report `done` of `total` steps of the phase called `label`."""
        if not self.enabled or total <= 0:
            return
        if label != self._label:
            self._label, self._last = label, -1
        percent = done * 100 // total
        step = percent if self.tty else percent // 10 * 10
        if step == self._last and done != total:
            return
        self._last = step
        filled = BAR_WIDTH * done // total
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        text = f"{label} [{bar}] {percent:3d}% {done}/{total}"
        if self.tty:
            self.stream.write("\r" + text + ("\n" if done == total else ""))
        else:
            self.stream.write(text + "\n")
        self.stream.flush()
