#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every catalogue in po/LINGUAS compiles with msgfmt --check (format
strings, plural forms, header) and translates every message the sources
have today: a fresh template is extracted from po/POTFILES and compared
with msgcmp, so a new string without its translations fails. Prints TAP."""

import os
import subprocess
import sys
import tempfile

SOURCE = sys.argv[1]
PO = os.path.join(SOURCE, "po")


def main():
    languages = [l.strip() for l in open(os.path.join(PO, "LINGUAS")) if l.strip() and not l.startswith("#")]
    files = [l.strip() for l in open(os.path.join(PO, "POTFILES")) if l.strip() and not l.startswith("#")]
    checks = [("at least de, es, fr, it and ru", {"de", "es", "fr", "it", "ru"} <= set(languages))]
    with tempfile.TemporaryDirectory() as work:
        pot = os.path.join(work, "fresh.pot")
        xgettext = subprocess.run(["xgettext", "--from-code=UTF-8", "--keyword=_", "--keyword=N_", "--keyword=C_:1c,2",
                                   "--keyword=NC_:1c,2", "--keyword=g_dngettext:2,3", "--keyword=ngettext:1,2",
                                   "-o", pot, "--directory", SOURCE] + files, capture_output=True, text=True)
        checks.append(("xgettext extracts the template (%s)" % xgettext.stderr.strip()[:200], xgettext.returncode == 0))
        for lang in languages:
            po = os.path.join(PO, lang + ".po")
            check = subprocess.run(["msgfmt", "--check", "--statistics", "-o", os.devnull, po],
                                   capture_output=True, text=True)
            stats = check.stderr.strip()
            checks.append(("%s.po passes msgfmt --check: %s" % (lang, stats),
                           check.returncode == 0 and "fuzzy" not in stats and "untranslated" not in stats))
            compare = subprocess.run(["msgcmp", po, pot], capture_output=True, text=True)
            checks.append(("%s.po translates every message of the sources%s" % (
                lang, "" if compare.returncode == 0 else ": " + compare.stderr.strip().replace("\n", " | ")[:400]),
                compare.returncode == 0))
    print("1..%d" % len(checks))
    for number, (name, ok) in enumerate(checks, 1):
        print("%s %d %s" % ("ok" if ok else "not ok", number, name))
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
