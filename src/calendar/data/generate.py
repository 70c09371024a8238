#!/usr/bin/env python3
"""Generate onboard's holiday data files from the Python `holidays` package.

What it generates
    One file per calendar id, `<ID>.tsv`, in the same folder as this script:
    PY, CO, CH, FR, ES, IN (national) and CH-VD, CH-ZH, CH-GE, ES-MD, ES-CT
    (national + regional holidays, i.e. the full list that
    `holidays.country_holidays(CC, subdiv=SD)` returns), for the years
    2020 through 2040 inclusive. Each file starts with `# ` header lines,
    followed by one `YYYY-MM-DD<TAB>Name` line per date, sorted by date then
    name. When the package gives several names for one date it joins them
    with "; "; that joined string is kept as one line.

Pinned version
    holidays==0.109 (the script refuses to run with any other version, so the
    output is reproducible byte for byte).

How to re-run (from the repository root)
    pip install holidays==0.109 && python3 src/calendar/data/generate.py

The script needs no network access at run time and is deterministic: the same
package version always produces byte-identical files (UTF-8, LF line endings).
"""

import collections
import re
import os
import sys
import warnings

PINNED_HOLIDAYS_VERSION = "0.109"
FIRST_YEAR = 2020
LAST_YEAR = 2040

HERE = os.path.dirname(os.path.abspath(__file__))

# (id, country code, subdivision or None, preferred language,
#  English display name, IANA time zone)
CALENDARS = [
    ("PY", "PY", None, "es", "Paraguay", "America/Asuncion"),
    ("CO", "CO", None, "es", "Colombia", "America/Bogota"),
    ("CH", "CH", None, "de", "Switzerland", "Europe/Zurich"),
    ("CH-VD", "CH", "VD", "fr", "Switzerland, Vaud", "Europe/Zurich"),
    ("CH-ZH", "CH", "ZH", "de", "Switzerland, Zurich", "Europe/Zurich"),
    ("CH-GE", "CH", "GE", "fr", "Switzerland, Geneva", "Europe/Zurich"),
    ("FR", "FR", None, "fr", "France", "Europe/Paris"),
    ("ES", "ES", None, "es", "Spain", "Europe/Madrid"),
    ("ES-MD", "ES", "MD", "es", "Spain, Madrid", "Europe/Madrid"),
    ("ES-CT", "ES", "CT", "es", "Spain, Catalonia", "Europe/Madrid"),
    # en_IN (Indian English) is the package's default language for India.
    ("IN", "IN", None, "en_IN", "India", "Asia/Kolkata"),
]


def import_pinned_holidays():
    """Import `holidays` and make sure it is exactly the pinned version."""
    hint = "run: pip install holidays==%s" % PINNED_HOLIDAYS_VERSION
    try:
        import holidays
    except ImportError:
        sys.exit("error: the Python package `holidays` is not installed; " + hint)
    if holidays.__version__ != PINNED_HOLIDAYS_VERSION:
        sys.exit(
            "error: holidays %s is installed but this script is pinned to %s; %s"
            % (holidays.__version__, PINNED_HOLIDAYS_VERSION, hint)
        )
    return holidays


def load_calendar(holidays, country, subdiv, language):
    """Return (entries, language_used, notes) for one calendar.

    entries is a sorted list of (datetime.date, name) for FIRST_YEAR..LAST_YEAR.
    """
    notes = []
    cls = holidays.country_holidays(country).__class__
    supported = getattr(cls, "supported_languages", ()) or ()
    lang = language
    if lang not in supported:
        lang = cls.default_language
        notes.append(
            "language %r is not supported by the package for %s; using its "
            "default language %r" % (language, country, lang)
        )
    if subdiv is not None and subdiv not in cls.subdivisions:
        return None, lang, ["subdivision %s-%s not supported" % (country, subdiv)]

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = holidays.country_holidays(
            country,
            subdiv=subdiv,
            language=lang,
            years=range(FIRST_YEAR, LAST_YEAR + 1),
        )
        entries = sorted(table.items())
    # Keep each distinct warning once, in a stable order, as a header note.
    seen = []
    for w in caught:
        text = " ".join(str(w.message).split())
        if text not in seen:
            seen.append(text)
    for text in seen:
        notes.append("package warning: " + text)
    return entries, lang, notes


def year_count_note(entries):
    """List the number of entries per year when it is not the same every year."""
    counts = collections.Counter(d.year for d, _ in entries)
    per_year = [(y, counts.get(y, 0)) for y in range(FIRST_YEAR, LAST_YEAR + 1)]
    if len(set(n for _, n in per_year)) == 1:
        return None
    return "entries per year differ: " + ", ".join("%d=%d" % yn for yn in per_year)


def missing_names_note(entries):
    """Name the holidays that the package gives only for part of the range.

    Names are compared without the package's " (estimated)" suffix, and
    joined names ("A; B") are split, so that a holiday is only reported when
    it is really absent from some years.
    """
    years_of = collections.defaultdict(set)
    for d, name in entries:
        for part in name.split("; "):
            base = part.replace(" (estimated)", "")
            years_of[base].add(d.year)
    all_years = set(range(FIRST_YEAR, LAST_YEAR + 1))
    # Only report names whose last year is before LAST_YEAR or first year is
    # after FIRST_YEAR (i.e. the package stops/starts computing them), not
    # names that merely skip a year because of lunar calendar drift.
    partial = []
    for base in sorted(years_of):
        ys = years_of[base]
        if ys != all_years and (max(ys) < LAST_YEAR or min(ys) > FIRST_YEAR):
            partial.append("%s (%d-%d)" % (base, min(ys), max(ys)))
    if not partial:
        return None
    return "holidays the package gives only in some years (first-last year seen): " + ", ".join(partial)


def complete_years(notes):
    """The years the data is complete for: the requested range, narrowed to what the
    package says it computes ("available only from 2001 to 2035"). onboard warns
    outside these years."""
    first, last = FIRST_YEAR, LAST_YEAR
    for note in notes:
        found = re.search(r"available only from (\d{4}) to (\d{4})", note)
        if found:
            first = max(first, int(found.group(1)))
            last = min(last, int(found.group(2)))
    return first, last


def render(cal_id, country, subdiv, lang, display, tz, version, entries, notes):
    subdiv_repr = "None" if subdiv is None else '"%s"' % subdiv
    lines = [
        "# onboard holiday data: %s (%s)" % (cal_id, display),
        '# source: python holidays %s, holidays.country_holidays("%s", '
        'subdiv=%s, language="%s", years=%d..%d)'
        % (version, country, subdiv_repr, lang, FIRST_YEAR, LAST_YEAR),
        "# time zone: %s" % tz,
        "# years: %d-%d" % complete_years(notes),
        "# generated by src/calendar/data/generate.py; do not edit by hand",
    ]
    for note in notes:
        lines.append("# note: " + note)
    for d, name in sorted(entries, key=lambda e: (e[0], e[1])):
        name = name.strip()
        if "\t" in name or "\n" in name or not name:
            sys.exit("error: unexpected holiday name %r on %s" % (name, d))
        lines.append("%s\t%s" % (d.isoformat(), name))
    return "".join(line.rstrip() + "\n" for line in lines)


def main():
    holidays = import_pinned_holidays()
    for cal_id, country, subdiv, language, display, tz in CALENDARS:
        entries, lang, notes = load_calendar(holidays, country, subdiv, language)
        if entries is None:
            print("skipped %s: %s" % (cal_id, "; ".join(notes)), file=sys.stderr)
            continue
        if country == "IN":
            for note in (year_count_note(entries), missing_names_note(entries)):
                if note:
                    notes.append(note)
            if any("(estimated)" in name for _, name in entries):
                notes.append(
                    'names ending in "(estimated)" are Islamic holidays whose '
                    "dates the package estimates (not officially confirmed)"
                )
        text = render(
            cal_id, country, subdiv, lang, display, tz,
            holidays.__version__, entries, notes,
        )
        path = os.path.join(HERE, cal_id + ".tsv")
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        print("wrote %s (%d lines)" % (path, text.count("\n")))


if __name__ == "__main__":
    main()
