#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""One analysis, many screens, as the control room runs it: na64dqm-monitor
--serve on a simulated DAQ, two na64dqm --attach displays under Xvfb and
na64dqm-ctl. Alarms and acknowledgements are the same on both screens, a
command without an allowed key is refused, a monitor restarted under a
display is noticed and recovered from, a display killed changes nothing.
Prints TAP."""

import contextlib
import glob
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback

SIM = os.environ["NA64DQM_SIM"]
MONITOR = os.environ["NA64DQM_MONITOR"]
DISPLAY_PROGRAM = os.environ["NA64DQM_DISPLAY"]
CTL = os.environ["NA64DQM_CTL"]
WORK = tempfile.mkdtemp(prefix="na64dqm-service-")
SHORT = ["--spill-length", "1", "--spill-gap", "0.5"]


class Setup:
    """A directory of its own (keys, logs, snapshots) and a port pair."""

    def __init__(self, name):
        self.dir = os.path.join(WORK, name)
        os.makedirs(self.dir)
        self.env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(self.dir, "config"),
                        XDG_DATA_HOME=os.path.join(self.dir, "data"))
        self.port = random.randrange(20000, 60000, 2)
        self.serve = "tcp://127.0.0.1:%d" % self.port
        self.daq = "ipc://%s/daq.ipc" % self.dir
        self.keys = os.path.join(self.dir, "config", "na64dqm", "keys")
        self.processes = []

    def log(self, name):
        return os.path.join(self.dir, name + ".log")

    def start(self, name, *args):
        out = open(self.log(name), "w")
        process = subprocess.Popen(list(args), stdout=out, stderr=subprocess.STDOUT, env=self.env)
        self.processes.append(process)
        return process

    def sim(self, *extra):
        return self.start("sim", SIM, "--bind", self.daq, "--quiet", *SHORT, *extra)

    def monitor(self, name="monitor", *extra):
        return self.start(name, MONITOR, "--connect", self.daq, "--serve", self.serve, "--snapshot-dir",
                          os.path.join(self.dir, "snapshots"), "--quiet", *extra)

    def display(self, name):
        return self.start(name, DISPLAY_PROGRAM, "--standalone", "--attach", self.serve)

    def ctl(self, *args, timeout=30):
        # A loaded machine (two displays, a simulator, a monitor on 2 cores) may
        # be slow to shake hands; the timing claims are measured apart.
        wait = [] if "--timeout" in args else ["--timeout", "15"]
        return subprocess.run([CTL, "--connect", self.serve, *wait, *args], capture_output=True, text=True,
                              env=self.env, timeout=timeout)

    def status(self):
        result = self.ctl("status", "--compact")
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    def status_holds(self, test):
        """Whether @test holds of the status; False while the monitor does
        not answer (starting, restarting, a loaded machine): for waits, which
        ask again."""
        result = self.ctl("status", "--compact")
        if result.returncode != 0:
            print("# status not yet: " + result.stderr.strip().replace("\n", " ")[:200])
            return False
        return test(json.loads(result.stdout))

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


@contextlib.contextmanager
def setup(name):
    s = Setup(name)
    try:
        yield s
    finally:
        s.stop()


def read(path):
    with open(path, errors="replace") as f:
        return f.read()


def wait_for(what, condition, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("not within %.0f s: %s" % (timeout, what))


def wait_log(s, name, text, timeout):
    return wait_for("“%s” in %s's log:\n%s" % (text, name, read(s.log(name))[-2000:]),
                    lambda: text in read(s.log(name)), timeout)


def alarm(status, alarm_id):
    return next(a for a in status["alarms"] if a["id"] == alarm_id)


def test_two_displays_share_alarms_and_acknowledgements():
    with setup("two") as s:
        s.sim("--dead-channel", "ecal-main:2,3")
        s.monitor()
        wait_for("the monitor's key", lambda: os.path.exists(os.path.join(s.keys, "monitor.pub")), 20)
        s.display("wall")
        s.display("desk")
        # The same alarm on both screens, from the one analysis.
        for screen in ("wall", "desk"):
            wait_log(s, screen, "ALARM Dead channels", 60)
        assert alarm(s.status(), "dead-channels")["unacknowledged"]

        # A key the monitor does not know: refused, said why, nothing changed.
        assert s.ctl("keygen", "--name", "stranger").returncode == 0
        refused = s.ctl("--key", os.path.join(s.keys, "stranger.key"), "ack", "all")
        assert refused.returncode == 1, refused
        assert "not allowed" in refused.stderr, refused.stderr
        time.sleep(0.6)
        assert alarm(s.status(), "dead-channels")["unacknowledged"]
        assert s.status()["service"]["not_allowed"] == 1

        # An allowed key: done, and both screens stop blinking within a second.
        assert s.ctl("keygen", "--allow").returncode == 0
        start = time.monotonic()
        done = s.ctl("ack", "dead-channels", "--who", "anna", "--comment", "cell 2,3 dead, expert called")
        assert done.returncode == 0, done.stderr
        assert "1 alarm acknowledged" in done.stdout, done.stdout
        for screen in ("wall", "desk"):
            wait_log(s, screen, "acknowledged Dead channels", max(0.05, 1.0 - (time.monotonic() - start) + 0.25))
        print("# acknowledged on both screens after %.2f s" % (time.monotonic() - start))
        assert not alarm(s.status(), "dead-channels")["unacknowledged"]

        # Who and why are in the snapshot's alarm log.
        assert s.ctl("snapshot").returncode == 0
        summary = wait_for("a snapshot", lambda: glob.glob(os.path.join(s.dir, "snapshots", "run-*", "summary.json")),
                           30)[0]
        wait_for("the snapshot's alarm log", lambda: "acknowledged_by" in read(summary), 10)
        log = json.loads(read(summary))["alarm_log"]
        acks = [e for e in log if e.get("acknowledged_by")]
        assert acks and acks[-1]["acknowledged_by"] == "anna (key client)", acks
        assert acks[-1]["comment"] == "cell 2,3 dead, expert called"


def test_monitor_restart_under_an_attached_display():
    with setup("restart") as s:
        s.sim()
        monitor = s.monitor()
        wait_for("the monitor's key", lambda: os.path.exists(os.path.join(s.keys, "monitor.pub")), 20)
        s.display("wall")
        wait_log(s, "wall", "attached to the monitor", 20)
        wait_for("a first state", lambda: s.status_holds(lambda st: st["run"]["events"] > 0), 30)
        time.sleep(1)
        # Gone without a word.
        monitor.kill()
        monitor.wait()
        killed = time.monotonic()
        wait_log(s, "wall", "silent for", 2.0)
        print("# silence seen after %.2f s" % (time.monotonic() - killed))
        s.monitor("monitor-again")
        wait_log(s, "wall", "back after", 20)
        # And it follows the new monitor's state.
        events = s.status()["counters"]["events_processed"]
        wait_for("events after the restart", lambda: s.status_holds(lambda st: st["counters"]["events_processed"] > events), 20)


def test_killed_display_changes_nothing():
    with setup("kill") as s:
        s.sim("--spills", "3", "--wait-subscriber", "20")
        monitor = s.monitor()
        wait_for("the monitor's key", lambda: os.path.exists(os.path.join(s.keys, "monitor.pub")), 20)
        screen = s.display("wall")
        wait_log(s, "wall", "attached to the monitor", 20)
        wait_for("a run under way", lambda: s.status_holds(lambda st: st["run"]["events"] > 0), 30)
        screen.kill()
        screen.wait()
        # The run goes on to its end and its snapshot, as if nobody had watched.
        wait_for("the end of run", lambda: s.status_holds(lambda st: st["run"]["ended"]), 60)
        wait_for("the run's snapshot", lambda: glob.glob(os.path.join(s.dir, "snapshots", "run-000001", "summary.json")),
                 30)
        status = s.status()
        assert status["run"]["spills"] == 3, status
        assert status["run"]["events"] > 0, status
        assert monitor.poll() is None


def web_status(port):
    import urllib.request
    with urllib.request.urlopen("http://127.0.0.1:%d/status.json" % port, timeout=10) as response:
        return json.loads(response.read())


def test_demo_serves_a_second_screen_and_browsers():
    with setup("demo") as s:
        web = random.randrange(20000, 60000)
        s.start("demo", DISPLAY_PROGRAM, "--standalone", "--demo", "--serve", s.serve, "--http", "127.0.0.1:%d" % web)
        wait_log(s, "demo", "serving other displays", 30)
        wait_for("the demo's run", lambda: s.status_holds(lambda st: st["run"]["events"] > 0), 30)
        s.display("second")
        wait_log(s, "second", "attached to the monitor", 20)
        # The display's own analysis in a browser: the same run as na64dqm-ctl sees.
        wait_log(s, "demo", "web view on http://127.0.0.1:%d/" % web, 10)
        assert web_status(web)["run"]["number"] == s.status()["run"]["number"]
        assert web_status(web)["run"]["events"] > 0
        # An attached display has no analysis to serve: the monitor serves the web view.
        attached = subprocess.run([DISPLAY_PROGRAM, "--attach", s.serve, "--http", "127.0.0.1:%d" % (web + 1)],
                                  capture_output=True, text=True, env=s.env, timeout=30)
        assert attached.returncode == 1 and "the monitor serves the web view" in attached.stderr, attached


def test_shifter_flags_a_run():
    import csv
    import io
    with setup("flag") as s:
        s.sim()
        s.monitor()
        registry = os.path.join(s.dir, "snapshots", "registry.sqlite")
        wait_log(s, "monitor", "run registry " + registry, 20)
        wait_for("the monitor's key", lambda: os.path.exists(os.path.join(s.keys, "monitor.pub")), 20)

        def runs():
            listed = subprocess.run([CTL, "runs", "--registry", registry, "--csv"], capture_output=True, text=True,
                                    timeout=30)
            return list(csv.DictReader(io.StringIO(listed.stdout))) if listed.returncode == 0 else []
        run = int(wait_for("a run in the registry", runs, 30)[0]["run"])
        # Without an allowed key: refused, nothing written.
        assert s.ctl("keygen", "--name", "stranger").returncode == 0
        refused = s.ctl("--key", os.path.join(s.keys, "stranger.key"), "flag", str(run), "bad")
        assert refused.returncode == 1 and "not allowed" in refused.stderr, refused
        assert s.ctl("keygen", "--allow").returncode == 0
        unknown = s.ctl("flag", "999999", "good")
        assert unknown.returncode == 1 and "no run 999999 in the registry" in unknown.stderr, unknown
        usage = s.ctl("flag", str(run), "splendid")
        assert usage.returncode == 2, usage
        assert runs()[0]["shifter_flag"] == ""
        done = s.ctl("flag", str(run), "bad", "--comment", "VETO 1 unplugged from spill 3")
        assert done.returncode == 0 and "flag: done" in done.stdout, done
        flagged = wait_for("the flag in the registry", lambda: [r for r in runs() if r["shifter_flag"] == "bad"], 10)
        assert flagged[0]["run"] == str(run) and flagged[0]["comment"] == "VETO 1 unplugged from spill 3", flagged
        # The monitor's own updates at the spills that end meanwhile leave it alone.
        time.sleep(2)
        assert [r for r in runs() if r["run"] == str(run)][0]["shifter_flag"] == "bad"


def test_shift_writes_an_elog_entry():
    with setup("elog") as s:
        posted = os.path.join(s.dir, "posted.txt")
        s.sim()
        s.monitor("monitor", "--elog-command", "sh -c 'echo \"$1\" > \"%s\"' sh" % posted)
        wait_for("the monitor's key", lambda: os.path.exists(os.path.join(s.keys, "monitor.pub")), 20)
        wait_for("a run", lambda: s.status_holds(lambda st: st["run"]["events"] > 0), 30)
        assert s.ctl("keygen", "--name", "stranger").returncode == 0
        refused = s.ctl("--key", os.path.join(s.keys, "stranger.key"), "elog", "--comment", "x")
        assert refused.returncode == 1 and "not allowed" in refused.stderr, refused
        assert s.ctl("keygen", "--allow").returncode == 0
        done = s.ctl("elog", "--comment", "purity dips, beam line called")
        assert done.returncode == 0 and done.stdout.startswith("e-log entry "), done
        entry = done.stdout.split(" ", 2)[2].strip()
        assert entry.startswith(os.path.join(s.dir, "snapshots", "elog", "elog-")), entry
        with open(os.path.join(entry, "entry.txt")) as f:
            text = f.read()
        assert "comment: purity dips, beam line called" in text and "particles on target" in text, text
        # The pictures and the site's command follow from a thread.
        wait_for("the posted entry", lambda: os.path.exists(posted) and open(posted).read().strip() == entry, 20)
        for name, magic in (("view.png", b"\x89PNG"), ("view.pdf", b"%PDF")):
            with open(os.path.join(entry, name), "rb") as f:
                assert f.read(4) == magic, name


def test_ctl_says_what_is_wrong():
    with setup("ctl") as s:
        unknown = s.ctl("format-disk")
        assert unknown.returncode == 2 and "unknown command" in unknown.stderr, unknown
        os.makedirs(s.keys)
        assert s.ctl("keygen", "--monitor").returncode == 0
        nobody = s.ctl("--timeout", "1", "status")
        assert nobody.returncode == 1 and "monitor within 1.0 s" in nobody.stderr, nobody
        again = s.ctl("keygen", "--monitor")
        assert again.returncode == 1 and "not replaced" in again.stderr, again


def test_serving_beyond_loopback_needs_keys():
    with setup("open") as s:
        s.sim()
        process = s.start("monitor", MONITOR, "--connect", s.daq, "--serve", "tcp://0.0.0.0:%d" % s.port, "--quiet")
        assert process.wait(timeout=30) == 1
        said = read(s.log("monitor"))
        assert "refusing to serve beyond this machine" in said and "na64dqm-ctl keygen --monitor" in said, said


def main():
    tests = [(name, f) for name, f in globals().items() if name.startswith("test_")]
    print("1..%d" % len(tests))
    failed = 0
    for number, (name, function) in enumerate(tests, 1):
        try:
            function()
            print("ok %d %s" % (number, name))
        except Exception:
            failed += 1
            print("not ok %d %s" % (number, name))
            for line in traceback.format_exc().splitlines():
                print("# " + line)
        sys.stdout.flush()
    if not failed:
        shutil.rmtree(WORK, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
