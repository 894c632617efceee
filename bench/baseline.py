#!/usr/bin/env python3
"""The Python baseline of `cargo xtask bench-batch`: the standard library's html.parser over
every .html file under DIR, and the balance check of section 三 (new_received + carried_over
== outcomes.total + carried_forward, per column). A simpler job than `xxgk check`: one table,
one equation, labels found by substring.

Usage: python3 bench/baseline.py DIR   (prints one JSON line: files, bytes, seconds, failed)
"""

import json
import os
import sys
import time
from html.parser import HTMLParser


class Rows(HTMLParser):
    """The rows of cell texts of the table after the heading of section 三."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.heading = None  # text of the h2 being read
        self.armed = False  # section 三's heading seen, its table not yet
        self.inside = False  # in section 三's table
        self.rows = []
        self.cell = None

    def handle_starttag(self, tag, attrs):
        if tag == "h2":
            self.heading = ""
        elif tag == "table" and self.armed:
            self.inside, self.armed = True, False
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "h2" and self.heading is not None:
            self.armed = "三、收到和处理" in self.heading
            self.heading = None
        elif tag == "table":
            self.inside = False
        elif self.inside and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(self.cell.strip())
            self.cell = None

    def handle_data(self, data):
        if self.heading is not None:
            self.heading += data
        if self.cell is not None:
            self.cell += data


def number(s):
    try:
        return int(s)
    except ValueError:
        return 0


def balanced(rows):
    """Whether every column balances; None when the rows are not found."""
    found = {}
    keys = (("本年新收", "new"), ("上年结转", "carried"), ("总计", "total"), ("结转下年度", "forward"))
    for row in rows:
        if not any(c.lstrip("-").isdigit() for c in row):
            continue  # a header row
        label = "".join(c for c in row if c and not c.lstrip("-").isdigit())
        for needle, key in keys:
            if needle in label and key not in found:
                found[key] = [number(c) for c in row[-7:]]
    if len(found) < 4:
        return None
    return all(
        n + c == t + f
        for n, c, t, f in zip(found["new"], found["carried"], found["total"], found["forward"])
    )


def main():
    root = sys.argv[1]
    start = time.perf_counter()
    files = size = failed = unread = 0
    for folder, _, names in os.walk(root):
        for name in sorted(names):
            if not name.endswith(".html"):
                continue
            with open(os.path.join(folder, name), "rb") as f:
                data = f.read()
            files += 1
            size += len(data)
            p = Rows()
            p.feed(data.decode("utf-8"))
            p.close()
            ok = balanced(p.rows)
            if ok is None:
                unread += 1
            elif not ok:
                failed += 1
    seconds = time.perf_counter() - start
    print(json.dumps({"files": files, "bytes": size, "seconds": seconds, "failed": failed, "unread": unread}))


if __name__ == "__main__":
    main()
