#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The layers of dqm/ as dqm/DESIGN.md draws them: every #include of a
file in dqm/LAYER/ names a header of LAYER or of a layer below it, and the
compiler is given only the libraries the layer may use (the stream layer
no json-glib, Cairo, Pango or GTK; the monitor layer no Cairo, Pango or
GTK). Arguments: the source and build directories. Prints TAP."""

import json
import os
import re
import sys

BELOW = {
    "stream": set(),
    "setup": {"stream"},
    "histogram": set(),
    "reco": {"setup", "stream"},
    "sim": {"setup", "stream"},
    "monitor": {"reco", "setup", "stream", "histogram"},
    "plot": {"monitor", "reco", "setup", "stream", "histogram"},
    "service": {"registry", "monitor", "reco", "setup", "stream", "histogram"},
    "web": {"service", "registry", "monitor", "reco", "setup", "stream", "histogram"},
    "registry": {"monitor", "reco", "setup", "stream", "histogram"},
}
FORBIDDEN_FLAGS = {
    "stream": ["json-glib", "cairo", "pango", "gtk-4"],
    "histogram": ["zmq", "cairo", "pango", "gtk-4"],
    "monitor": ["cairo", "pango", "gtk-4"],
    "reco": ["cairo", "pango", "gtk-4", "json-glib"],
    "sim": ["cairo", "pango", "gtk-4", "json-glib"],
    "service": ["cairo", "pango", "gtk-4"],
    "web": ["cairo", "pango", "gtk-4"],
    "registry": ["cairo", "pango", "gtk-4", "zmq", "soup"],
}


def main():
    source, build = sys.argv[1], sys.argv[2]
    dqm = os.path.join(source, "dqm")
    layer_of = {}
    for layer in BELOW:
        for name in os.listdir(os.path.join(dqm, layer)):
            if name.endswith(".h"):
                layer_of[name] = layer
    checks = [("no C file directly under dqm/",
               not [n for n in os.listdir(dqm) if n.endswith((".c", ".h"))])]
    for layer in sorted(BELOW):
        bad = []
        for name in sorted(os.listdir(os.path.join(dqm, layer))):
            if not name.endswith((".c", ".h")):
                continue
            with open(os.path.join(dqm, layer, name), encoding="utf-8") as f:
                for header in re.findall(r'^#include "([^"]+)"', f.read(), re.M):
                    owner = layer_of.get(header)
                    if owner is not None and owner != layer and owner not in BELOW[layer]:
                        bad.append("%s includes %s (%s)" % (name, header, owner))
        checks.append(("dqm/%s/ includes only itself and %s%s" % (
            layer, ", ".join(sorted(BELOW[layer])) or "nothing else", ": " + "; ".join(bad) if bad else ""),
            not bad))
    with open(os.path.join(build, "compile_commands.json"), encoding="utf-8") as f:
        commands = json.load(f)
    for layer, words in sorted(FORBIDDEN_FLAGS.items()):
        mine = [c for c in commands if "/dqm/%s/" % layer in "/" + os.path.relpath(c["file"] if os.path.isabs(c["file"]) else os.path.join(c["directory"], c["file"]), source)]
        found = sorted({w for c in mine for w in words if w in c["command"]})
        checks.append(("dqm/%s/ is compiled (%d files) without %s%s" % (
            layer, len(mine), ", ".join(words), ": but with " + ", ".join(found) if found else ""),
            len(mine) > 0 and not found))
    print("1..%d" % len(checks))
    for number, (name, ok) in enumerate(checks, 1):
        print("%s %d %s" % ("ok" if ok else "not ok", number, name))
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
