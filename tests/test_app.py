#!/usr/bin/python3
"""The display as a user starts it: na64dqm --demo under Xvfb with a fault
injected. The window comes up, the fault's alarm is raised and named, no
GTK warning is printed, and SIGTERM closes it cleanly with the run's
snapshot written. Prints TAP."""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time

APP = os.environ["NA64DQM_APP"]
WORK = tempfile.mkdtemp(prefix="na64dqm-app-")


def main():
    snapshots = os.path.join(WORK, "snapshots")
    env = dict(os.environ, GSK_RENDERER="cairo", GTK_A11Y="none", NO_AT_BRIDGE="1")
    app = subprocess.Popen([APP, "--demo", "--demo-fault", "dead-channel=hcal0:1,1", "--snapshot-dir", snapshots],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    # The first spill ends about 5 s in; its alarms follow.
    time.sleep(13)
    alive = app.poll() is None
    app.send_signal(signal.SIGTERM)
    out, err = app.communicate(timeout=60)
    checks = [
        ("the window ran until told to stop", alive),
        ("SIGTERM closes it with exit status 0", app.returncode == 0),
        ("the injected fault raised its alarm, naming the cell",
         "ALARM Dead channels: OK → ALARM" in out and "hcal0:1,1" in out),
        ("no GTK or GLib warning", "WARNING" not in err and "CRITICAL" not in err),
    ]
    try:
        with open(os.path.join(snapshots, "run-000001", "summary.json")) as f:
            summary = json.load(f)
        dead = [a for a in summary["alarms"] if a["id"] == "dead-channels"][0]
        checks.append(("the run's snapshot holds the latched alarm", dead["latched"] == "ALARM"))
        checks.append(("events were analysed", summary["events"] > 1000))
    except (OSError, ValueError, IndexError) as error:
        checks.append(("the run's snapshot was written (%s)" % error, False))
    print("1..%d" % len(checks))
    for number, (name, ok) in enumerate(checks, 1):
        print("%s %d %s" % ("ok" if ok else "not ok", number, name))
    if not all(ok for _, ok in checks):
        print("# stdout:\n# " + out.replace("\n", "\n# "))
        print("# stderr:\n# " + err.replace("\n", "\n# "))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
