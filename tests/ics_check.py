#!/usr/bin/env python3
"""Validate an .ics file written by cchc (src/render/ics/).

Usage: python3 tests/ics_check.py FILE.ics [FILE.ics ...] [--expect-events N]

Checks, on the raw bytes: UTF-8, CRLF line ends only, every physical line <= 75 octets.
Then parses with the Python `icalendar` package (pip install icalendar) and checks: one
VCALENDAR with VERSION 2.0 and PRODID; every VEVENT has UID, DTSTAMP, DTSTART and DTEND as
dates (all-day) with DTEND > DTSTART, or a DTSTART date alone (RFC 5545 3.6.1: one day); UIDs unique; optional event count. A recurring event
(RRULE) must have a FREQ and an UNTIL date not before DTSTART, and its rule must yield at least
one occurrence from DTSTART to UNTIL (expanded with dateutil, which icalendar depends on); the
counts of one-day, multi-day (spans) and recurring events are printed, and --expect-recurring /
--expect-spans check them.
Prints a summary; exits 1 on any problem, 2 on bad usage or a missing dependency.
"""

import argparse
import datetime
import sys

try:
    import icalendar
except ImportError:  # pragma: no cover - environment problem, not a file problem
    print("ics_check: Python package 'icalendar' missing: pip install icalendar", file=sys.stderr)
    sys.exit(2)


def check_raw(data: bytes, problems: list) -> None:
    """Byte-level checks that parsers forgive but RFC 5545 requires."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        problems.append(f"not UTF-8: {err}")
    if not data.endswith(b"\r\n"):
        problems.append("file does not end with CRLF")
    lines = data.split(b"\r\n")
    for number, line in enumerate(lines, start=1):
        if b"\n" in line or b"\r" in line:
            problems.append(f"line {number}: bare LF or CR (lines must end with CRLF)")
        if len(line) > 75:
            problems.append(f"line {number}: {len(line)} octets (max 75)")
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(f"line {number}: fold splits a UTF-8 character")


def is_date_only(value) -> bool:
    return isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)


def check_event(index: int, event, seen_uids: dict, problems: list) -> None:
    uid = str(event.get("UID", "")).strip()
    where = f"VEVENT #{index} ({uid or 'no UID'})"
    if not uid:
        problems.append(f"{where}: missing UID")
    elif uid in seen_uids:
        problems.append(f"{where}: UID duplicates VEVENT #{seen_uids[uid]}")
    else:
        seen_uids[uid] = index
    if event.get("DTSTAMP") is None:
        problems.append(f"{where}: missing DTSTAMP")
    start = event.get("DTSTART")
    if start is None:
        problems.append(f"{where}: missing DTSTART")
        return
    if event.get("DURATION") is not None:
        problems.append(f"{where}: DURATION (cchc writes DTEND or a one-day DTSTART)")
        return
    start, end = start.dt, end_of(event)
    if not is_date_only(start) or not is_date_only(end):
        problems.append(f"{where}: DTSTART/DTEND must be dates (VALUE=DATE)")
    elif end <= start:
        problems.append(f"{where}: DTEND {end} is not after DTSTART {start}")
    elif event.get("RRULE") is not None:
        check_rrule(where, event, start, problems)


def check_rrule(where: str, event, start, problems: list) -> None:
    """A recurring deadline: FREQ, an UNTIL at or after DTSTART, and real occurrences."""
    rule = event.get("RRULE")
    if not rule.get("FREQ"):
        problems.append(f"{where}: RRULE without FREQ")
        return
    until = (rule.get("UNTIL") or [None])[0]
    if until is None:
        problems.append(f"{where}: RRULE without UNTIL (the plan's end)")
        return
    if isinstance(until, datetime.datetime):
        until = until.date()
    if until < start:
        problems.append(f"{where}: UNTIL {until} before DTSTART {start}")
        return
    try:
        from dateutil.rrule import rrulestr
        text = rule.to_ical().decode()
        first = datetime.datetime.combine(start, datetime.time())
        days = list(rrulestr(text, dtstart=first))
    except Exception as err:  # a rule dateutil cannot read is a problem of the file
        problems.append(f"{where}: RRULE {rule.to_ical()!r} does not expand: {err}")
        return
    if not days or days[0].date() < start or days[-1].date() > until:
        problems.append(f"{where}: RRULE yields no occurrence from {start} to {until}")


def end_of(event):
    """DTEND, or for a DATE DTSTART without DTEND the day after (RFC 5545 3.6.1: one day)."""
    end = event.get("DTEND")
    if end is not None:
        return end.dt
    start = event.get("DTSTART").dt
    if is_date_only(start):
        return start + datetime.timedelta(days=1)
    return start


def shape_of(event) -> str:
    if event.get("RRULE") is not None:
        return "recurring"
    start = event.get("DTSTART")
    if start is not None and (end_of(event) - start.dt).days > 1:
        return "span"
    return "day"


def check_file(path: str, expect_events, expect_recurring=None, expect_spans=None) -> list:
    problems = []
    with open(path, "rb") as handle:
        data = handle.read()
    check_raw(data, problems)
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except Exception as err:  # the parser raises ValueError and friends
        return problems + [f"icalendar cannot parse: {err}"]
    if calendar.name != "VCALENDAR":
        problems.append(f"top component is {calendar.name}, not VCALENDAR")
    if str(calendar.get("VERSION", "")) != "2.0":
        problems.append("VERSION is not 2.0")
    if not calendar.get("PRODID"):
        problems.append("missing PRODID")
    events = list(calendar.walk("VEVENT"))
    seen_uids = {}
    for index, event in enumerate(events, start=1):
        check_event(index, event, seen_uids, problems)
    if expect_events is not None and len(events) != expect_events:
        problems.append(f"{len(events)} events, expected {expect_events}")
    shapes = [shape_of(e) for e in events]
    for kind, want in (("recurring", expect_recurring), ("span", expect_spans)):
        if want is not None and shapes.count(kind) != want:
            problems.append(f"{shapes.count(kind)} {kind} events, expected {want}")
    name = calendar.get("X-WR-CALNAME", "")
    zones = len(list(calendar.walk("VTIMEZONE")))
    line_count = data.count(b"\r\n")
    print(f"{path}: '{name}', {len(events)} events ({shapes.count('day')} one-day, "
          f"{shapes.count('span')} spans, {shapes.count('recurring')} recurring), "
          f"{zones} time zone(s), {line_count} lines, {len(problems)} problem(s)")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", metavar="FILE.ics")
    parser.add_argument("--expect-events", type=int, default=None, metavar="N",
                        help="fail unless each file has exactly N VEVENTs")
    parser.add_argument("--expect-recurring", type=int, default=None, metavar="N",
                        help="fail unless each file has exactly N events with an RRULE")
    parser.add_argument("--expect-spans", type=int, default=None, metavar="N",
                        help="fail unless each file has exactly N multi-day events")
    args = parser.parse_args()
    failed = False
    for path in args.files:
        try:
            problems = check_file(path, args.expect_events, args.expect_recurring,
                                  args.expect_spans)
        except OSError as err:
            problems = [f"cannot read: {err}"]
        for problem in problems:
            print(f"{path}: {problem}", file=sys.stderr)
        failed = failed or bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
