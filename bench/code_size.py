#!/usr/bin/env python3
"""Lines per Rust function and per file, against the project's bar (STYLE.md: files <= ~800
lines, functions <= ~100).

    python3 bench/code_size.py                 # top 5 of each under src/, exit 1 past the bar
    python3 bench/code_size.py --top 20 src tests --max-fn 100 --max-file 800

A function counts from its `fn` line to its closing brace, both included (a nested `fn` counts
for itself and inside its parent; closures are part of their function). The scanner skips
comments, strings, raw strings and char literals, so braces inside them do not count; `fn(…)`
pointer types and trait methods without a body are not functions here.
"""

import argparse
import pathlib
import re
import sys

IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def code_mask(text):
    """`text` with every comment, string and char literal blanked out (newlines kept)."""
    out = list(text)
    i, n = 0, len(text)

    def blank(a, b):
        for k in range(a, b):
            if out[k] != "\n":
                out[k] = " "

    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            blank(i, j)
            i = j
        elif text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            blank(i, j)
            i = j
        elif c == "r" and re.match(r'r#*"', text[i:i + 260]) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            hashes = re.match(r'r(#*)"', text[i:]).group(1)
            end = text.find('"' + hashes, i + len(hashes) + 2)
            j = n if end < 0 else end + 1 + len(hashes)
            blank(i, j)
            i = j
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            blank(i, j + 1)
            i = j + 1
        elif c == "'":
            # A char literal ('x', '\n', '\u{1F600}', '{') or a lifetime ('a).
            m = re.match(r"'(\\u\{[0-9A-Fa-f]+\}|\\.|[^\\'])'", text[i:i + 12])
            if m:
                blank(i, i + m.end())
                i += m.end()
            else:
                i += 1
        else:
            i += 1
    return "".join(out)


def functions(path):
    """(name, first line, line count) of every function with a body in `path`."""
    text = path.read_text(encoding="utf-8")
    code = code_mask(text)
    found = []
    for m in re.finditer(r"\bfn\s+([A-Za-z_][A-Za-z0-9_]*)", code):
        # The body opens at the first `{` outside parentheses/brackets/angles; `;` first means
        # a declaration without a body.
        depth, j = 0, m.end()
        while j < len(code):
            ch = code[j]
            if ch in "([":
                depth += 1
            elif ch in ")]":
                depth -= 1
            elif ch == ";" and depth == 0:
                j = -1
                break
            elif ch == "{" and depth == 0:
                break
            j += 1
        if j < 0 or j >= len(code):
            continue
        braces, k = 0, j
        while k < len(code):
            if code[k] == "{":
                braces += 1
            elif code[k] == "}":
                braces -= 1
                if braces == 0:
                    break
            k += 1
        first = code.count("\n", 0, m.start()) + 1
        last = code.count("\n", 0, k) + 1
        found.append((m.group(1), first, last - first + 1))
    return found


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("roots", nargs="*", default=["src"], help="folders to scan (default: src)")
    ap.add_argument("--top", type=int, default=5, help="how many of each to list (default 5)")
    ap.add_argument("--max-fn", type=int, default=100, help="longest function allowed (default 100)")
    ap.add_argument("--max-file", type=int, default=800, help="longest file allowed (default 800)")
    args = ap.parse_args()

    files = sorted(p for r in args.roots for p in pathlib.Path(r).rglob("*.rs"))
    sizes = [(len(p.read_text(encoding="utf-8").splitlines()), str(p)) for p in files]
    fns = [(count, f"{p}:{line}", name) for p in files for name, line, count in functions(p)]
    sizes.sort(key=lambda s: (-s[0], s[1]))
    fns.sort(key=lambda f: (-f[0], f[1]))

    print(f"{len(files)} files, {sum(s[0] for s in sizes)} lines, {len(fns)} functions")
    print(f"\nlongest files (bar: {args.max_file}):")
    for lines, p in sizes[:args.top]:
        print(f"  {lines:5}  {p}")
    print(f"\nlongest functions (bar: {args.max_fn}):")
    for count, at, name in fns[:args.top]:
        print(f"  {count:5}  {name}  ({at})")
    over = [s for s in sizes if s[0] > args.max_file] + [f for f in fns if f[0] > args.max_fn]
    if over:
        print(f"\n{len(over)} past the bar")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
