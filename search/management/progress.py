"""A dependency-free text progress bar for management commands."""

from __future__ import annotations


class ProgressBar:
    def __init__(self, stream, label: str, width: int = 30):
        self.stream = stream
        self.label = label
        self.width = width
        self.finished = False

    def __call__(self, done: int, total: int) -> None:
        if self.finished:
            return
        share = done / total if total else 1.0
        filled = int(self.width * share)
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r{self.label} [{bar}] {done}/{total} ({share:.0%})", ending="")
        self.stream.flush()
        if done >= total:
            self.stream.write("")
            self.finished = True
