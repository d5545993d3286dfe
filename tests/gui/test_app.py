#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The display as a user starts it, in its own D-Bus session under Xvfb:
na64dqm --demo with a fault injected. The window comes up; starting
na64dqm again only raises it (one display per session); the fault's alarm is
raised and named; acknowledging it (the app's acknowledge-all action, here
over D-Bus as a second program would) stops its blinking; no GTK warning is
printed; SIGTERM closes it cleanly with the run's snapshot. Without a
session bus it runs standalone and says so in one line. Snapshots on
demand, and without --snapshot-dir in the user's data dir, are written
where the log says. Prints TAP."""

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time

APP = os.environ["NA64DQM_APP"]
WORK = tempfile.mkdtemp(prefix="na64dqm-app-")


class Lines:
    """The program's stdout, read as it comes."""

    def __init__(self, stream):
        self.lines = []
        self.thread = threading.Thread(target=self.read, args=(stream,), daemon=True)
        self.thread.start()

    def read(self, stream):
        for line in stream:
            self.lines.append(line)

    def wait_for(self, text, seconds):
        deadline = time.time() + seconds
        while time.time() < deadline:
            if any(text in line for line in self.lines):
                return True
            time.sleep(0.2)
        return False

    def text(self):
        return "".join(self.lines)


def without_session_bus(env):
    """Over ssh or from a service there is no session bus: one line says
    the display runs standalone, and nothing is warned."""
    env = dict(env, DBUS_SESSION_BUS_ADDRESS="disabled:", XDG_DATA_HOME=os.path.join(WORK, "data"))
    default_dir = os.path.join(WORK, "data", "na64dqm", "snapshots")
    # Accessibility on, as on a real desktop: it is GTK's AT-SPI set-up that
    # looks for the session bus.
    env.pop("GTK_A11Y", None)
    env.pop("NO_AT_BRIDGE", None)
    app = subprocess.Popen([APP, "--demo"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    out = Lines(app.stdout)
    said = out.wait_for("no D-Bus session bus; running as a standalone display", 15)
    time.sleep(2)
    alive = app.poll() is None
    app.send_signal(signal.SIGTERM)
    err = app.communicate(timeout=60)[1]
    return [
        ("without --snapshot-dir it says where snapshots go (the user's data dir)",
         "snapshots go to " + default_dir in out.text()),
        ("... and the run's snapshot is written there",
         os.path.exists(os.path.join(default_dir, "run-000001", "summary.json"))),
        ("without a session bus it says it runs standalone", said),
        ("without a session bus the window runs, and SIGTERM exits 0", alive and app.returncode == 0),
        ("without a session bus no GTK or GLib warning%s" % (": " + err.strip()[:200] if err.strip() else ""),
         "WARNING" not in err and "CRITICAL" not in err),
    ]


def main():
    snapshots = os.path.join(WORK, "snapshots")
    env = dict(os.environ, GSK_RENDERER="cairo", GTK_A11Y="none", NO_AT_BRIDGE="1",
               XDG_CONFIG_HOME=os.path.join(WORK, "config"))
    checks = []
    app = subprocess.Popen([APP, "--demo", "--demo-fault", "dead-channel=hcal0:1,1", "--snapshot-dir", snapshots],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    out = Lines(app.stdout)
    time.sleep(3)
    owner = subprocess.run(["gdbus", "call", "--session", "--dest", "org.freedesktop.DBus", "--object-path",
                            "/org/freedesktop/DBus", "--method", "org.freedesktop.DBus.NameHasOwner", "org.na64.Dqm"],
                           capture_output=True, text=True, env=env, timeout=30)
    checks.append(("the display owns org.na64.Dqm on its session bus (%s)" % owner.stdout.strip(),
                   owner.stdout.strip() == "(true,)"))
    second = subprocess.run([APP], capture_output=True, text=True, env=env, timeout=30)
    checks.append(("a second start raises the first and leaves (exit 0)",
                   second.returncode == 0 and "already open" in second.stderr))
    checks.append(("the first display keeps running", app.poll() is None))
    # The first spill ends about 5 s in; its alarms follow.
    raised = out.wait_for("ALARM Dead channels: OK → ALARM", 25)
    checks.append(("the injected fault raised its alarm, naming the cell", raised and "hcal0:1,1" in out.text()))
    call = subprocess.run(["gdbus", "call", "--session", "--dest", "org.na64.Dqm", "--object-path", "/org/na64/Dqm",
                           "--method", "org.freedesktop.Application.ActivateAction", "acknowledge-all", "[]", "{}"],
                          capture_output=True, text=True, env=env, timeout=30)
    checks.append(("acknowledge-all is reachable over D-Bus %s" % call.stderr.strip(), call.returncode == 0))
    checks.append(("acknowledging stops the blinking, and the log says so",
                   out.wait_for("acknowledged Dead channels", 10)))
    call = subprocess.run(["gdbus", "call", "--session", "--dest", "org.na64.Dqm", "--object-path", "/org/na64/Dqm",
                           "--method", "org.freedesktop.Application.ActivateAction", "snapshot", "[]", "{}"],
                          capture_output=True, text=True, env=env, timeout=30)
    checks.append(("a snapshot on demand (Ctrl+S, or the snapshot action) is written and the log says where",
                   call.returncode == 0 and out.wait_for("snapshot written: " + snapshots + "/run-000001-spill-", 15)))
    alive = app.poll() is None
    app.send_signal(signal.SIGTERM)
    err = app.communicate(timeout=60)[1]
    out.thread.join(5)
    checks += [
        ("the window ran until told to stop", alive),
        ("SIGTERM closes it with exit status 0", app.returncode == 0),
        ("no GTK or GLib warning", "WARNING" not in err and "CRITICAL" not in err),
    ]
    try:
        with open(os.path.join(snapshots, "run-000001", "summary.json")) as f:
            summary = json.load(f)
        dead = [a for a in summary["alarms"] if a["id"] == "dead-channels"][0]
        checks.append(("the run's snapshot holds the latched alarm", dead["latched"] == "ALARM"))
        checks.append(("the snapshot records the acknowledgement", dead["unacknowledged"] is False))
        checks.append(("events were analysed", summary["events"] > 1000))
    except (OSError, ValueError, IndexError, KeyError) as error:
        checks.append(("the run's snapshot was written (%s)" % error, False))
    checks += without_session_bus(env)
    print("1..%d" % len(checks))
    for number, (name, ok) in enumerate(checks, 1):
        print("%s %d %s" % ("ok" if ok else "not ok", number, name))
    if not all(ok for _, ok in checks):
        print("# stdout:\n# " + out.text().replace("\n", "\n# "))
        print("# stderr:\n# " + err.replace("\n", "\n# "))
        print("# second start:\n# " + second.stderr.replace("\n", "\n# "))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
