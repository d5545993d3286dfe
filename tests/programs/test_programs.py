#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The command-line programs as a user runs them: na64dqm-sim against the
independent spec client, recording and replay, na64dqm-monitor, and the
messages for bad input. Prints TAP."""

import contextlib
import http.client
import json
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import spec_client  # noqa: E402

SIM = os.environ["NA64DQM_SIM"]
MONITOR = os.environ["NA64DQM_MONITOR"]
WORK = tempfile.mkdtemp(prefix="na64dqm-programs-")
SHORT = ["--spill-length", "0.5", "--spill-gap", "0.3"]


def run(*args, check=True):
    result = subprocess.run(list(args), capture_output=True, text=True, timeout=120)
    if check and result.returncode != 0:
        raise AssertionError("%s failed (%d): %s%s" % (args, result.returncode, result.stdout, result.stderr))
    return result


def endpoint(name):
    return "ipc://%s/%s.ipc" % (WORK, name)


def record(name, *extra):
    path = os.path.join(WORK, name)
    run(SIM, "--spills", "2", "--fast", "--no-publish", "--quiet", "--record", path, *SHORT, *extra)
    return path


def test_sim_stream_passes_the_spec_client():
    where = endpoint("live")
    sim = subprocess.Popen([SIM, "--bind", where, "--spills", "2", "--wait-subscriber", "20", *SHORT],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    consumer = spec_client.follow(where, 60)
    out, err = sim.communicate(timeout=60)
    assert sim.returncode == 0, err
    assert consumer.errors == [], consumer.errors[:5]
    assert consumer.eor is not None, "no eor"
    assert consumer.counts[4] == 2 and consumer.counts[5] == 2 and consumer.counts[2] == 1
    assert consumer.counts[1] > 1000
    assert consumer.eor["events_sent"] == consumer.counts[1]
    assert consumer.counts[6] >= 1, "no heartbeat"


def test_spec_client_sees_injected_corruption():
    where = endpoint("corrupt")
    sim = subprocess.Popen([SIM, "--bind", where, "--spills", "1", "--wait-subscriber", "20",
                            "--corrupt-fraction", "0.1", "--quiet", *SHORT])
    consumer = spec_client.follow(where, 60)
    sim.wait(timeout=60)
    assert consumer.eor is not None
    events = consumer.counts[1] + len(consumer.errors)
    assert 0.05 * events < len(consumer.errors) < 0.15 * events, (len(consumer.errors), events)


def test_same_seed_same_file():
    a = record("a.n64", "--seed", "5", "--start-time", "0")
    b = record("b.n64", "--seed", "5", "--start-time", "0")
    c = record("c.n64", "--seed", "6", "--start-time", "0")
    with open(a, "rb") as fa, open(b, "rb") as fb, open(c, "rb") as fc:
        da, db, dc = fa.read(), fb.read(), fc.read()
    assert len(da) > 1000000
    assert da == db
    assert da != dc


def test_monitor_reads_a_recording():
    path = record("monitor.n64", "--seed", "9")
    result = run(MONITOR, "--input", path)
    lines = [l for l in result.stdout.splitlines() if " spill " in l and " events of " in l]
    assert len(lines) == 2, result.stdout
    for line in lines:
        received, sent = line.split(": ")[1].split(" events of ")
        assert received == sent.split()[0], line
    assert "run 1 started: e- beam, 100 GeV" in result.stdout, result.stdout
    assert "run 1 ended: " in result.stdout
    assert "bad 0, lost 0, dropped 0" in result.stdout, result.stdout


def test_truncated_recording_keeps_the_rest():
    path = record("cut.n64", "--seed", "10")
    size = os.path.getsize(path)
    with open(path, "r+b") as f:
        f.truncate(size - 20)
    result = run(MONITOR, "--input", path)
    # The damage is said, counted, and both spills are kept whole.
    assert "1 bad message (1 in all), the last:" in result.stderr and "truncated" in result.stderr, result.stderr
    assert "bad 1" in result.stdout
    assert result.stdout.count(" events of ") == 2
    assert "run 1 ended (no eor)" in result.stdout, result.stdout


def test_replay_publishes_the_recording():
    path = record("replay.n64", "--seed", "11")
    where = endpoint("replay")
    sim = subprocess.Popen([SIM, "--replay", path, "--bind", where, "--speed", "0", "--wait-subscriber", "20", "--quiet"])
    consumer = spec_client.follow(where, 60)
    sim.wait(timeout=60)
    assert sim.returncode == 0
    assert consumer.errors == []
    reader = run(MONITOR, "--input", path).stdout
    assert "stream: %d messages" % sum(consumer.counts.values()) in reader, reader


def test_monitor_follows_a_live_run():
    where = endpoint("monitor-live")
    monitor = subprocess.Popen([MONITOR, "--connect", where, "--until-eor"], stdout=subprocess.PIPE, text=True)
    time.sleep(0.3)
    run(SIM, "--bind", where, "--spills", "1", "--wait-subscriber", "20", "--quiet", *SHORT)
    out, _ = monitor.communicate(timeout=60)
    assert monitor.returncode == 0
    assert "run 1 started: e- beam, 100 GeV" in out, out
    assert "run 1 ended: " in out and "bad 0, lost 0, dropped 0" in out, out


def live_run_through_the_monitor(name, sim_args, monitor_args=()):
    """A simulated run published live and watched by the monitor to its eor."""
    where = endpoint(name)
    monitor = subprocess.Popen([MONITOR, "--connect", where, "--until-eor", *monitor_args],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(0.3)
    run(SIM, "--bind", where, "--wait-subscriber", "20", "--quiet", *SHORT, *sim_args)
    out, err = monitor.communicate(timeout=90)
    assert monitor.returncode == 0, (out, err)
    return out


def test_stall_raises_the_stream_alarm():
    out = live_run_through_the_monitor("stall", ["--spills", "2", "--stall", "1:3"], ["--stall-seconds", "1"])
    assert "Stream: OK → ALARM" in out or "Stream: OK → WARNING" in out, out
    assert "stalls 1" in out, out


def test_restart_raises_the_stream_alarm_and_loses_nothing_after():
    out = live_run_through_the_monitor("restart", ["--spills", "3", "--restart", "1"])
    assert "Stream: OK → " in out, out
    assert "run 1 ended: " in out and "bad 0" in out, out


def test_trigger_loss_raises_the_trigger_alarm():
    out = live_run_through_the_monitor("trigger-loss", ["--spills", "3", "--trigger-loss", "0.6",
                                                        "--faults-from-spill", "2"])
    before = out.split("run 1 spill 2:")[0]
    assert "Triggers per beam particle: OK → ALARM" in out, out
    assert "Triggers per beam particle" not in before, before


def test_monitor_killed_mid_run_resumes_from_its_checkpoint():
    where = endpoint("crash")
    snapshots = os.path.join(WORK, "crash-snapshots")
    sim = subprocess.Popen([SIM, "--bind", where, "--spills", "6", "--wait-subscriber", "20", "--quiet", *SHORT])
    first = subprocess.Popen([MONITOR, "--connect", where, "--snapshot-dir", snapshots],
                             stdout=subprocess.PIPE, text=True)
    seen = []
    for line in first.stdout:
        seen.append(line)
        if line.startswith("run 1 spill 2:"):
            break
    time.sleep(0.55)  # past the 0.3 s gap, into spill 3
    first.kill()      # SIGKILL: no handler, nothing saved on the way out
    first.wait()
    assert os.path.exists(os.path.join(snapshots, ".checkpoint-run-000001")), seen
    second = subprocess.run([MONITOR, "--connect", where, "--snapshot-dir", snapshots, "--until-eor"],
                            capture_output=True, text=True, timeout=60)
    sim.wait(timeout=60)
    assert second.returncode == 0, (second.stdout, second.stderr)
    assert "run 1 resumed from its checkpoint: spills up to 2 kept" in second.stdout, second.stdout
    with open(os.path.join(snapshots, "run-000001", "summary.json")) as f:
        summary = json.load(f)
    assert summary["resumed"] is True and summary["resumed_after_spill"] == 2, summary
    assert [s["spill"] for s in summary["spills"]] == [1, 2, 3, 4, 5, 6], summary["spills"]
    assert summary["events_in_gap"] > 0
    spill3 = summary["spills"][2]
    assert 0 < spill3["events"] < spill3["events_sent"], spill3  # spill 3 partly
    # Nothing counted twice, nothing else lost: analysed + gap = sent.
    sent = summary["events_sent_per_eor"]
    assert summary["events"] + summary["events_in_gap"] == sent, (summary["events"], summary["events_in_gap"], sent)
    assert sum(s["events"] for s in summary["spills"]) == summary["events"]
    assert not os.path.exists(os.path.join(snapshots, ".checkpoint-run-000001")), "the checkpoint outlived its run"


def test_checkpoint_of_a_run_that_ended_unwatched_becomes_a_snapshot():
    """The monitor is killed in run 1 and comes back only for run 2: run 1's
    checkpoint is made into run-000001-recovered and removed."""
    where = endpoint("orphan")
    snapshots = os.path.join(WORK, "orphan-snapshots")
    sim = subprocess.Popen([SIM, "--bind", where, "--spills", "3", "--wait-subscriber", "20", "--quiet", *SHORT])
    first = subprocess.Popen([MONITOR, "--connect", where, "--snapshot-dir", snapshots],
                             stdout=subprocess.PIPE, text=True)
    for line in first.stdout:
        if line.startswith("run 1 spill 2:"):
            break
    time.sleep(0.5)  # spill 2's checkpoint is written
    first.kill()
    first.wait()
    sim.wait(timeout=60)
    second = subprocess.Popen([MONITOR, "--connect", where, "--snapshot-dir", snapshots, "--until-eor"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(0.3)
    run(SIM, "--bind", where, "--run", "2", "--spills", "1", "--wait-subscriber", "20", "--quiet", *SHORT)
    out, err = second.communicate(timeout=60)
    assert second.returncode == 0, (out, err)
    recovered = os.path.join(snapshots, "run-000001-recovered")
    assert "snapshot written: " + recovered in out, out
    with open(os.path.join(recovered, "summary.json")) as f:
        summary = json.load(f)
    assert [s["spill"] for s in summary["spills"]] == [1, 2], summary["spills"]
    assert not os.path.exists(os.path.join(snapshots, ".checkpoint-run-000001"))
    assert os.path.exists(os.path.join(snapshots, "run-000002", "summary.json"))


def test_monitor_snapshot_is_drawn_by_jsroot():
    # From a recording: read without loss, so no alarm depends on how busy
    # the machine is (live following has its own tests).
    recording = os.path.join(WORK, "run17.n64")
    # Spills of 3 s: enough beam triggers for the beam's purity to be judged.
    # A fixed seed: a healthy run whose alarms all stay OK, every time (with a
    # random one, a VETO-noise fluctuation latched a warning now and then).
    run(SIM, "--spills", "3", "--fast", "--no-publish", "--quiet", "--run", "17", "--record", recording, *SHORT,
        "--spill-length", "3", "--seed", "17", "--start-time", "1790000000000000000")
    snapshots = os.path.join(WORK, "snapshots")
    result = run(MONITOR, "--input", recording, "--snapshot-dir", snapshots)
    out = result.stdout
    run_dir = os.path.join(snapshots, "run-000017")
    assert "snapshot written: " + run_dir in out, out
    assert sum(line.startswith("run 17 spill ") for line in out.splitlines()) == 3, out
    with open(os.path.join(run_dir, "summary.json")) as f:
        summary = json.load(f)
    assert summary["run"] == 17 and summary["n_spills"] == 3 and summary["ended_by_eor"]
    assert summary["counters"]["bad"] == 0 and summary["counters"]["lost_events"] == 0
    assert all(a["latched"] == "OK" for a in summary["alarms"]), [a for a in summary["alarms"] if a["latched"] != "OK"]
    for picture in ("ecal_vs_hcal", "cut_flow", "ecal_main_mean", "spill_purity"):
        for kind in ("png", "svg"):
            assert os.path.getsize(os.path.join(run_dir, "plots", picture + "." + kind)) > 5000
    check = run(os.environ["NA64DQM_NODE"], os.environ["NA64DQM_JSROOT_CHECK"],
                os.path.join(run_dir, "histograms.json"), check=False)
    assert check.returncode == 0, check.stdout[-2000:] + check.stderr[-2000:]
    drawn = [l for l in check.stdout.splitlines() if l.startswith("ok ")]
    assert len(drawn) > 90, check.stdout[-500:]


def test_monitor_saves_on_sigterm():
    where = endpoint("sigterm")
    snapshots = os.path.join(WORK, "sigterm-snapshots")
    sim = subprocess.Popen([SIM, "--bind", where, "--wait-subscriber", "20", "--quiet", "--run", "23", *SHORT])
    monitor = subprocess.Popen([MONITOR, "--connect", where, "--snapshot-dir", snapshots],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(3)
    monitor.terminate()
    out, err = monitor.communicate(timeout=60)
    sim.terminate()
    sim.wait(timeout=30)
    assert monitor.returncode == 0, err
    assert "na64dqm-monitor: stopped" in out, out
    with open(os.path.join(snapshots, "run-000023", "summary.json")) as f:
        summary = json.load(f)
    assert summary["events"] > 0 and not summary["ended_by_eor"]


def test_recording_is_never_overwritten():
    path = record("keep.n64", "--seed", "12")
    before = open(path, "rb").read()
    result = run(SIM, "--spills", "1", "--fast", "--no-publish", "--record", path, check=False)
    assert result.returncode == 1
    assert "already exists" in result.stderr, result.stderr
    assert open(path, "rb").read() == before


def test_bad_input_is_named():
    cases = [
        ([SIM, "--rate", "fast"], "Cannot parse double value"),
        ([SIM, "--dead-channel", "ecal-main:9,9"], "--dead-channel: “ecal-main:9,9” is not an NA64 channel"),
        ([SIM, "--veto-inefficiency", "4:0.5"], "VETO counter “4” is not 0, 1 or 2"),
        ([SIM, "--config", "/nonexistent/na64.conf"], "/nonexistent/na64.conf"),
        ([SIM, "--beam", "kaon"], "beam “kaon” is not configured"),
        ([SIM, "--rate", "-5", "--no-publish"], "[spill] beam_rate_hz"),
        ([SIM, "--bind", "carrier-pigeon://loft"], "carrier-pigeon://loft"),
        ([SIM, "--replay", "/nonexistent.n64", "--no-publish"], "/nonexistent.n64"),
        ([MONITOR, "--input", "/nonexistent.n64"], "/nonexistent.n64"),
        ([MONITOR, "--connect", "nowhere"], "nowhere"),
    ]
    bad_config = os.path.join(WORK, "bad.conf")
    with open(bad_config, "w") as f:
        f.write("[ecal]\nmain_mev_per_count=zero\n")
    cases.append(([SIM, "--config", bad_config], bad_config + ": [ecal] main_mev_per_count: “zero” is not a number"))
    for args, text in cases:
        result = run(*args, check=False)
        assert result.returncode == 1, (args, result.returncode)
        assert text in result.stderr, (args, result.stderr)


class Skip(Exception):
    """A check that cannot run here: reported as skipped, with the reason."""


@contextlib.contextmanager
def small_disk(name, size):
    """A tmpfs of @size at WORK/@name: a disk that fills for real (root)."""
    path = os.path.join(WORK, name)
    os.makedirs(path)
    if os.geteuid() != 0:
        raise Skip("mounting a small tmpfs needs root")
    mount = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", path],
                           capture_output=True, text=True)
    if mount.returncode != 0:
        raise Skip("mount -t tmpfs refused: " + mount.stderr.strip())
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", path], capture_output=True)


def test_recording_to_a_full_disk():
    with small_disk("full-recording", "300k") as disk:
        path = os.path.join(disk, "run.n64")
        sim = run(SIM, "--spills", "3", "--fast", "--no-publish", "--quiet", "--record", path, *SHORT, check=False)
        assert sim.returncode != 0, ("exit status 0 on a full disk", sim.stderr)
        assert path in sim.stderr and "No space left on device" in sim.stderr, sim.stderr
        assert "recording stopped after" in sim.stderr, sim.stderr
        monitor = run(MONITOR, "--input", path, "--quiet")
        processed = int(monitor.stdout.split(" events processed")[0].split()[-1])
        assert processed > 20, monitor.stdout
        # A disk already full: no recording is started, none is left behind.
        filler = os.open(os.path.join(disk, "filler"), os.O_WRONLY | os.O_CREAT)
        try:
            while os.write(filler, b"\0" * 4096) > 0:
                pass
        except OSError:
            pass
        os.close(filler)
        second = os.path.join(disk, "second.n64")
        sim = run(SIM, "--spills", "1", "--fast", "--no-publish", "--quiet", "--record", second, *SHORT, check=False)
        assert sim.returncode != 0 and second in sim.stderr, sim.stderr
        assert not os.path.exists(second), "a recording without its magic was left behind"


def test_snapshot_to_a_full_disk_is_kept_and_written_later():
    recording = record("for-full-disk.n64")
    with small_disk("full-snapshots", "64k") as disk:
        snapshots = os.path.join(disk, "snapshots")
        monitor = subprocess.Popen([MONITOR, "--input", recording, "--snapshot-dir", snapshots, "--quiet"],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        said = []
        reader = threading.Thread(target=lambda: said.extend(monitor.stderr), daemon=True)
        reader.start()
        deadline = time.time() + 30
        while not any("snapshot not written, kept in memory" in line for line in said):
            assert time.time() < deadline and monitor.poll() is None, said
            time.sleep(0.1)
        assert any("No space left on device" in line for line in said), said
        # Space comes back: the snapshot kept in memory is written at its next try.
        subprocess.run(["mount", "-o", "remount,size=20m", disk], check=True)
        out = monitor.communicate(timeout=60)[0]
        assert monitor.returncode == 0, (monitor.returncode, out, said)
        assert "snapshot written: " + os.path.join(snapshots, "run-000001") in out, out
        assert sorted(os.listdir(snapshots)) == ["registry.sqlite", "run-000001"], os.listdir(snapshots)
        with open(os.path.join(snapshots, "run-000001", "summary.json")) as f:
            assert json.load(f)["run"] == 1
        # The run registry on the same disk: its rows waited too, none lost.
        listed = run(os.environ["NA64DQM_CTL"], "runs", "--registry", os.path.join(snapshots, "registry.sqlite"),
                     "--csv").stdout.splitlines()
        assert len(listed) == 2 and listed[1].startswith("1,e-,") and listed[1].endswith("/run-000001"), listed


def read_bodies(path):
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"N64RAW01"
    bodies, pos = [], 8
    while pos + 16 <= len(data):
        size = struct.unpack_from("<I", data, pos + 8)[0]
        bodies.append(bytearray(data[pos:pos + size]))
        pos += size
    return bodies


def write_bodies(path, bodies):
    with open(path, "wb") as f:
        f.write(b"N64RAW01")
        for body in bodies:
            f.write(body)


def body_type(body):
    return struct.unpack_from("<H", body, 6)[0]


def resampled(body, n_samples):
    """The same evt with @n_samples samples a record (cut, or the last one
    repeated)."""
    n_sadc, old, n_hits = struct.unpack_from("<HHH", body, 44)
    out = bytearray(body[:52])
    struct.pack_into("<H", out, 46, n_samples)
    pos = 52
    for _ in range(n_sadc):
        samples = list(struct.unpack_from("<%dH" % old, body, pos + 4))
        samples = (samples + [samples[-1]] * n_samples)[:n_samples]
        out += body[pos:pos + 4] + struct.pack("<%dH" % n_samples, *samples)
        pos += 4 + 2 * old
    out += body[pos:pos + 10 * n_hits]
    struct.pack_into("<I", out, 8, len(out))
    return out


def test_poisoned_recording_tells_its_story():
    """One bad value at a time in an otherwise valid run, a repeated event,
    events of 9, 63 and 64 samples, an eos before its spill's last events,
    a missing sos, a wrong eor count and a
    thousand valid-looking garbage bodies: each bad one counted under its
    reason, every valid event kept."""
    bodies = read_bodies(record("for-poison.n64", "--seed", "21"))
    events = [i for i, b in enumerate(bodies) if body_type(b) == 1]
    n_events = len(events)
    k1, k2, k3, k4 = events[100], events[200], events[300], events[400]
    struct.pack_into("<Q", bodies[k1], 24, struct.unpack_from("<Q", bodies[k1], 24)[0] | (1 << 62))
    struct.pack_into("<I", bodies[k2], 16, 4000000)
    struct.pack_into("<Q", bodies[k3], 32, struct.unpack_from("<Q", bodies[k3], 32)[0] + 20 * 365 * 86400 * 10**9)
    sos2 = [i for i, b in enumerate(bodies) if body_type(b) == 4][1]
    eor = [i for i, b in enumerate(bodies) if body_type(b) == 3][0]
    struct.pack_into("<Q", bodies[eor], 24, struct.unpack_from("<Q", bodies[eor], 24)[0] + 5)
    rng = random.Random(5)
    garbage = []
    for _ in range(1000):
        size = rng.randrange(16, 400)
        body = bytearray(rng.getrandbits(8) for _ in range(size))
        struct.pack_into("<4sHHII", body, 0, b"N64S", 1, 1, size, 1)
        garbage.append(body)
    # Events of 9, 63 and 64 samples (the spec allows 8-64) in a 32-sample run.
    for n_samples, k in ((9, events[500]), (63, events[600]), (64, events[700])):
        bodies[k] = resampled(bodies[k], n_samples)
    # The eos of spill 1 overtakes its last five events.
    eos1 = [i for i, b in enumerate(bodies) if body_type(b) == 5][0]
    bodies.insert(eos1 - 5, bodies.pop(eos1))
    poisoned = []
    for i, body in enumerate(bodies):
        if i == sos2:
            continue  # the sos of spill 2 never came
        poisoned.append(body)
        if i == k4:
            poisoned.append(bytearray(body))  # the same event twice
        if i == events[n_events // 2 + 500]:
            poisoned.extend(garbage)
    path = os.path.join(WORK, "poisoned.n64")
    write_bodies(path, poisoned)
    snapshots = os.path.join(WORK, "poisoned-snapshots")
    monitor = run(MONITOR, "--input", path, "--snapshot-dir", snapshots, "--quiet")
    with open(os.path.join(snapshots, "run-000001", "summary.json")) as f:
        summary = json.load(f)
    reasons = summary["counters"]["bad_by_reason"]
    assert reasons["event_id jump"] == 1 and reasons["spill order"] == 1 and reasons["time order"] == 1, reasons
    assert reasons["event_id order"] == 1, reasons  # the repeated event
    assert summary["counters"]["bad"] == 1004, (summary["counters"]["bad"], reasons)
    assert summary["events"] == n_events - 3, (summary["events"], n_events)
    assert summary["counters"]["lost_events"] == 0, summary["counters"]
    assert [s["spill"] for s in summary["spills"]] == [1, 2], summary["spills"]
    assert summary["events_after_their_eos"] == 5, summary
    assert "1004 bad" in monitor.stderr or "bad message" in monitor.stderr, monitor.stderr


def test_corrupted_replays_never_crash_the_monitor():
    """A bounded random-corruption replay of a recorded run: bytes flipped
    in random bodies, bodies cut short or doubled; the monitor exits 0 with
    its snapshot every time and keeps the events left whole."""
    bodies = read_bodies(record("for-corruption.n64", "--seed", "22"))
    rng = random.Random(int(os.environ.get("NA64DQM_CORRUPTION_SEED", "7")))
    rounds = int(os.environ.get("NA64DQM_CORRUPTION_ROUNDS", "12"))
    for round_ in range(rounds):
        damaged = []
        for body in bodies:
            body = bytearray(body)
            roll = rng.random()
            if roll < 0.02:
                for _ in range(rng.randrange(1, 8)):
                    body[rng.randrange(len(body))] ^= 1 << rng.randrange(8)
            elif roll < 0.025:
                body = body[:rng.randrange(1, len(body))]
            elif roll < 0.03:
                damaged.append(bytearray(body))
            damaged.append(body)
        path = os.path.join(WORK, "corrupted-%d.n64" % round_)
        write_bodies(path, damaged)
        snapshots = os.path.join(WORK, "corrupted-snapshots-%d" % round_)
        result = run(MONITOR, "--input", path, "--snapshot-dir", snapshots, "--quiet", check=False)
        assert result.returncode == 0, (round_, result.returncode, result.stderr[-2000:])
        processed = int(result.stdout.split(" events processed")[0].split()[-1])
        assert processed > 0.8 * sum(1 for b in bodies if body_type(b) == 1), (round_, processed)
        assert any(name.startswith("run-") for name in os.listdir(snapshots)), (round_, os.listdir(snapshots))


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def test_garbage_flood_then_a_valid_run():
    """A hostile publisher floods the monitor with valid-looking garbage as
    fast as the socket takes it, then sends a real run: the garbage is
    counted, memory stays bounded, and every event of the run is kept."""
    import zmq

    bodies = read_bodies(record("for-flood.n64", "--seed", "23"))
    topics = {1: b"evt", 2: b"sor", 3: b"eor", 4: b"sos", 5: b"eos", 6: b"hbt"}
    where = endpoint("flood")
    context = zmq.Context()
    publisher = context.socket(zmq.PUB)
    publisher.setsockopt(zmq.SNDHWM, 0)
    publisher.bind(where)
    monitor = subprocess.Popen([MONITOR, "--connect", where, "--until-eor", "--quiet"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(1.0)  # the subscription reaches the publisher
        before = rss_kib(monitor.pid)
        rng = random.Random(9)
        junk = [bytearray(rng.getrandbits(8) for _ in range(200)) for _ in range(64)]
        for body in junk:
            struct.pack_into("<4sHHII", body, 0, b"N64S", 1, 1, len(body), 1)
        deadline = time.time() + 3
        flooded = 0
        while time.time() < deadline:
            for body in junk:
                publisher.send_multipart([b"evt", bytes(body)])
            flooded += len(junk)
        time.sleep(1.0)
        after = rss_kib(monitor.pid)
        for body in bodies:
            publisher.send_multipart([topics[body_type(body)], bytes(body)])
            time.sleep(0.00005)
        out, err = monitor.communicate(timeout=90)
    finally:
        if monitor.poll() is None:
            monitor.kill()
        publisher.close(0)
        context.term()
    assert monitor.returncode == 0, (out, err)
    n_events = sum(1 for b in bodies if body_type(b) == 1)
    assert ("%d events processed" % n_events) in out, (n_events, out)
    bad = int(out.split("bad ")[1].split(",")[0])
    assert bad > 1000, (bad, flooded, out)
    assert after - before < 64 * 1024, ("RSS grew by %d KiB during the flood" % (after - before))


def web_monitor(name, *extra):
    """A monitor on a live simulated run with its web view; its port."""
    port = random.randrange(20000, 60000)
    where = endpoint(name)
    sim = subprocess.Popen([SIM, "--bind", where, "--quiet", *SHORT], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    monitor = subprocess.Popen([MONITOR, "--connect", where, "--http", "127.0.0.1:%d" % port, "--quiet", *extra],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return sim, monitor, port


def http_get(port, path, method="GET"):
    import http.client
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.putrequest(method, path, skip_host=False, skip_accept_encoding=True)
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


def wait_web(port, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            status, body = http_get(port, "/status.json")
            if status == 200 and json.loads(body)["run"]["events"] > 0:
                return json.loads(body)
        time.sleep(0.2)
    raise AssertionError("no web view with events on port %d" % port)


def test_web_view_is_browsed_by_stock_jsroot():
    sim, monitor, port = web_monitor("web")
    try:
        wait_web(port)
        node = os.environ["NA64DQM_NODE"]
        if not os.path.exists(node) and not shutil.which(node):
            raise Skip("no node")
        result = subprocess.run([node, os.environ["NA64DQM_JSROOT_BROWSE"], "http://127.0.0.1:%d/" % port, "100"],
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
        assert "not ok" not in result.stdout
    finally:
        sim.terminate(); monitor.terminate(); sim.wait(); monitor.wait()


def test_web_view_refuses_what_is_not_an_item():
    sim, monitor, port = web_monitor("web-escapes")
    try:
        before = wait_web(port)["web"]
        bad = ["/../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/ECAL/..%2f..%2fpasswd/root.json",
               "/ECAL/%00/root.json", "/ECAL/nothing/root.json", "/HCAL/ecal_energy/root.json",
               "//etc/passwd", "/ECAL/ecal_energy/root.json/../../x",
               "/jsrootsys/../package.json", "/jsrootsys/package.json", "/jsrootsys/modules/../../../etc/passwd",
               "/jsrootsys/modules/nothing.mjs"]
        for path in bad:
            status, body = http_get(port, path)
            assert status in (400, 404, 414), (path, status, body[:100])
            assert b"root:" not in body
        status, _ = http_get(port, "/h.json", "POST")
        assert status == 405, status
        status, _ = http_get(port, "/" + "a" * 5000)
        assert status == 414, status
        status, _ = http_get(port, "/h.json", "HEAD")
        assert status == 200, status
        status, body = http_get(port, "/ECAL/ecal_energy/root.json")
        assert status == 200 and json.loads(body)["_typename"] == "TH1D"
        # JSROOT's browser page and its files, from the table made at start.
        status, body = http_get(port, "/jsroot.htm")
        assert status == 200 and b"buildGUI('onlineGUI', 'online')" in body, (status, body[:200])
        status, body = http_get(port, "/jsrootsys/modules/gui.mjs")
        assert status == 200 and b"buildGUI" in body, status
        after = json.loads(http_get(port, "/status.json")[1])["web"]
        assert after["not_found"] - before["not_found"] >= len(bad) - 2, (before, after)
        assert after["refused"] - before["refused"] == 2, (before, after)
    finally:
        sim.terminate(); monitor.terminate(); sim.wait(); monitor.wait()


def web_security(name):
    """A self-signed certificate for 127.0.0.1 and a password file for alice."""
    directory = os.path.join(WORK, name)
    os.makedirs(directory, exist_ok=True)
    cert, key, passwords = (os.path.join(directory, f) for f in ("cert.pem", "key.pem", "passwords"))
    run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-days", "2",
        "-keyout", key, "-out", cert)
    made = subprocess.run([os.environ["NA64DQM_CTL"], "web-password", "alice"], input="correct horse\n",
                          capture_output=True, text=True, timeout=30)
    assert made.returncode == 0 and made.stdout.startswith("alice:$y$"), made
    with open(passwords, "w") as f:
        f.write("# readers of the web view\n" + made.stdout)
    return cert, key, passwords


def expired_certificate(directory):
    """A certificate that expired on 2020-01-02, and its key (openssl ca: req
    cannot back-date)."""
    ca = os.path.join(directory, "expired")
    os.makedirs(ca, exist_ok=True)
    open(os.path.join(ca, "index.txt"), "w").close()
    with open(os.path.join(ca, "serial"), "w") as f:
        f.write("01\n")
    with open(os.path.join(ca, "ca.conf"), "w") as f:
        f.write("[ca]\ndefault_ca = here\n[here]\ndatabase = index.txt\nserial = serial\nnew_certs_dir = .\n"
                "default_md = sha256\npolicy = any\n[any]\ncommonName = supplied\n")
    key, request, cert = (os.path.join(ca, f) for f in ("key.pem", "req.pem", "cert.pem"))
    run("openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-subj", "/CN=localhost", "-keyout", key, "-out", request)
    subprocess.run(["openssl", "ca", "-batch", "-config", "ca.conf", "-selfsign", "-keyfile", key, "-in", request,
                    "-out", cert, "-startdate", "20200101000000Z", "-enddate", "20200102000000Z"],
                   cwd=ca, check=True, capture_output=True, timeout=60)
    return cert, key


def https_get(port, path, cert, user=None, password=None, host=None):
    import base64
    import http.client
    import ssl
    context = ssl.create_default_context(cafile=cert)
    connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=10, context=context)
    headers = {}
    if user is not None:
        headers["Authorization"] = "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()
    if host:
        headers["Host"] = host
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, response.getheader("WWW-Authenticate"), body


def wait_for_https(port, cert):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            status, _, body = https_get(port, "/status.json", cert, "alice", "correct horse")
            if status == 200 and json.loads(body)["run"]["events"] > 0:
                return
        time.sleep(0.2)
    raise AssertionError("no HTTPS web view with events on port %d" % port)


def test_web_view_beyond_loopback_needs_consent():
    cert, key, passwords = web_security("web-open-security")
    sim, monitor, port = web_monitor("web-open")
    sim.terminate(); monitor.terminate(); sim.wait(); monitor.wait()
    recording = record("web-open.n64")
    for extra, why in (([], "without TLS and passwords"),
                       (["--http-cert", cert, "--http-key", key], "without passwords"),
                       (["--http-passwords", passwords], "without TLS (the passwords would go in the clear)"),
                       (["--http-cert", cert], "TLS needs both a certificate and its key file")):
        refused = run(MONITOR, "--input", recording, "--http", "0.0.0.0:%d" % port, *extra, check=False)
        assert refused.returncode == 1, refused
        assert why in refused.stderr, (extra, refused.stderr)
        if not extra:
            assert "refusing to serve the web view on 0.0.0.0" in refused.stderr and "--http-insecure" in refused.stderr
    old_cert, old_key = expired_certificate(os.path.join(WORK, "web-open-security"))
    refused = run(MONITOR, "--input", recording, "--http", "127.0.0.1:%d" % port, "--http-cert", old_cert,
                  "--http-key", old_key, check=False)
    assert refused.returncode == 1 and "the certificate expired on 2020-01-02" in refused.stderr, refused.stderr
    broken = os.path.join(WORK, "web-open-security", "broken")
    with open(broken, "w") as f:
        f.write("alice:plain-text-password\n")
    refused = run(MONITOR, "--input", recording, "--http", "127.0.0.1:%d" % port, "--http-passwords", broken,
                  check=False)
    assert refused.returncode == 1 and broken + ":1: the hash of alice" in refused.stderr, refused.stderr
    sim, monitor, port = web_monitor("web-insecure")
    monitor.terminate(); monitor.wait()
    insecure = subprocess.Popen([MONITOR, "--connect", endpoint("web-insecure"), "--http", "0.0.0.0:%d" % port,
                                 "--http-insecure", "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
    try:
        wait_web(port)
    finally:
        insecure.terminate(); sim.terminate()
        out, err = insecure.communicate(timeout=30); sim.wait()
    assert "served in the clear" in err, err


def test_web_view_over_tls_with_passwords():
    import re
    cert, key, passwords = web_security("web-tls")
    sim, monitor, port = web_monitor("web-tls", "--http-cert", cert, "--http-key", key, "--http-passwords", passwords)
    try:
        wait_for_https(port, cert)
        status, challenge, _ = https_get(port, "/status.json", cert)
        assert status == 401 and challenge.startswith("Basic realm="), (status, challenge)
        assert https_get(port, "/h.json", cert, "alice", "wrong")[0] == 401
        assert https_get(port, "/h.json", cert, "mallory", "correct horse")[0] == 401
        status, _, body = https_get(port, "/ECAL/ecal_energy/root.json", cert, "alice", "correct horse")
        assert status == 200 and json.loads(body)["_typename"] == "TH1D"
        # A page elsewhere whose name was rebound to 127.0.0.1 sends its own Host.
        assert https_get(port, "/h.json", cert, "alice", "correct horse", host="evil.example:%d" % port)[0] == 421
        # Plain HTTP on the HTTPS port gets no answer.
        with contextlib.suppress(OSError, http.client.HTTPException):
            assert http_get(port, "/status.json")[0] != 200
        web = json.loads(https_get(port, "/status.json", cert, "alice", "correct horse")[2])["web"]
        assert web["unauthorized"] == 3 and web["refused"] == 1, web
        # Ten wrong tries shut this address out for a minute: more tries are
        # refused unchecked; a password already checked still lets alice in.
        for _ in range(10):
            https_get(port, "/h.json", cert, "alice", "guess")
        assert https_get(port, "/h.json", cert, "alice", "guess")[0] == 401
        status, _, body = https_get(port, "/status.json", cert, "alice", "correct horse")
        assert status == 200 and json.loads(body)["web"]["locked_out"] >= 1, body[:300]
        # A real browser, given the password once, draws the shift page over TLS
        # (before the lockout: a monitor of its own).
    finally:
        sim.terminate(); monitor.terminate(); sim.wait(); monitor.wait()
    sim, monitor, port = web_monitor("web-tls-browser", "--http-cert", cert, "--http-key", key,
                                     "--http-passwords", passwords)
    try:
        wait_for_https(port, cert)
        browser = shutil.which("chromium")
        result = subprocess.run([browser, "--headless=new", "--no-sandbox", "--disable-gpu", "--ignore-certificate-errors",
                                 "--window-size=1500,1000", "--virtual-time-budget=10000", "--dump-dom",
                                 "https://alice:correct%%20horse@127.0.0.1:%d/" % port],
                                capture_output=True, text=True, timeout=120)
        plots = re.findall(r'<div class="plot" id="([^"]+)"[^>]*>(.*?)</div>\s*(?=<div class="plot"|</div>)',
                           result.stdout, re.S)
        assert len([name for name, inner in plots if "<svg" in inner]) == 9, (len(plots), result.stdout[-2000:])
    finally:
        sim.terminate(); monitor.terminate(); sim.wait(); monitor.wait()


def test_web_view_slow_client_blocks_nobody():
    import socket
    sim, monitor, port = web_monitor("web-slow")
    try:
        wait_web(port)
        slow = [socket.create_connection(("127.0.0.1", port)) for _ in range(20)]
        for s in slow:
            s.sendall(b"GET /h.json HTTP/1.1\r\nHost: x\r\n")  # never finished
        start = time.monotonic()
        for _ in range(20):
            status, _ = http_get(port, "/h.json")
            assert status == 200
        assert time.monotonic() - start < 5
        for s in slow:
            s.close()
        # Sockets that come and go without a whole request take no place:
        # more of them than the 64 requests served at once, then a request.
        for _ in range(100):
            socket.create_connection(("127.0.0.1", port)).close()
        for _ in range(70):
            half = socket.create_connection(("127.0.0.1", port))
            half.sendall(b"GET /h.j")
            half.close()
        time.sleep(0.5)
        status, _ = http_get(port, "/h.json")
        assert status == 200, status
        # A request with a body (never read: its connection is closed at once),
        # and one left unfinished: the server closes it after 15 s of silence.
        with_body = socket.create_connection(("127.0.0.1", port), timeout=5)
        with_body.sendall(b"GET /h.json HTTP/1.1\r\nHost: localhost\r\nContent-Length: 999999999\r\n\r\n")
        assert with_body.recv(100) == b"", "a request with a body was answered or held"
        with_body.close()
        unfinished = socket.create_connection(("127.0.0.1", port), timeout=30)
        unfinished.sendall(b"GET /h.json HTTP/1.1\r\nHost: localhost\r\n")
        start = time.monotonic()
        assert unfinished.recv(100) == b""
        waited = time.monotonic() - start
        assert 12 < waited < 25, waited
        print("# an unfinished request closed after %.1f s" % waited)
        web = json.loads(http_get(port, "/status.json")[1])["web"]
        assert web["refused"] >= 1, web
    finally:
        sim.terminate(); monitor.terminate(); sim.wait(); monitor.wait()


def chromium_dom(url):
    """The page's DOM after its scripts ran, in Debian's headless Chromium."""
    browser = shutil.which("chromium")
    assert browser, "no chromium: tools/setup installs Debian's chromium"
    result = subprocess.run([browser, "--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1500,1000",
                             "--virtual-time-budget=10000", "--dump-dom", url],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def chromium_screenshot(url, name):
    """A 1500×1000 screenshot of the page in WORK; how many distinct byte
    values its pixels hold (a blank page: a handful)."""
    import zlib
    path = os.path.join(WORK, name)
    result = subprocess.run([shutil.which("chromium"), "--headless=new", "--no-sandbox", "--disable-gpu",
                             "--window-size=1500,1000", "--virtual-time-budget=10000", "--screenshot=" + path, url],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and os.path.exists(path), result.stderr[-2000:]
    with open(path, "rb") as f:
        png = f.read()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (1500, 1000), png[:24]
    chunks, at = [], 8
    while at < len(png):
        length, kind = struct.unpack(">I4s", png[at:at + 8])
        if kind == b"IDAT":
            chunks.append(png[at + 8:at + 8 + length])
        at += 12 + length
    return len(set(zlib.decompress(b"".join(chunks))))


def test_web_pages_in_a_real_browser():
    import re
    sim, monitor, port = web_monitor("web-chromium")
    try:
        wait_web(port)
        base = "http://127.0.0.1:%d/" % port
        shift = chromium_dom(base)
        status = json.loads(http_get(port, "/status.json")[1])
        # Nine plots drawn by JSROOT, each its SVG.
        plots = re.findall(r'<div class="plot" id="([^"]+)"[^>]*>(.*?)</div>\s*(?=<div class="plot"|</div>)', shift, re.S)
        drawn = [name for name, inner in plots if "<svg" in inner]
        assert len(drawn) == 9, (len(plots), drawn)
        # E_ECAL vs E_HCAL carries the signal box (and the E0 diagonal) as on the wall screen.
        assert "signal box" in dict(plots)["Physics_ecal_vs_hcal"]
        assert status["signal_box"]["ecal_max_gev"] == status["run"]["beam_energy_gev"] / 2, status["signal_box"]
        # The alarm list is status.json's, alarm by alarm.
        table = shift[shift.index('<table id="alarms"'):shift.index("</table>", shift.index('<table id="alarms"'))]
        titles = re.findall(r"<tr class=\"[^\"]*\"[^>]*><td>([^<]*)</td>", table)
        import html
        expected = [a["title"] for a in status["alarms"]]
        assert len(expected) > 10 and [html.unescape(t) for t in titles] == expected, (titles, expected)
        # JSROOT's own browser on the same server lists our folders and draws an item.
        browser = chromium_dom(base + "jsroot.htm?item=ECAL/ecal_energy&opt=hist")
        # "Entries" is the drawn histogram's statistics box, not the browser's own buttons.
        assert "ECAL" in browser and "Physics" in browser and "Entries" in browser
        # And as a person sees them: pictures of both pages, not blank.
        for url, name in ((base, "web-shift.png"), (base + "jsroot.htm?item=ECAL/ecal_energy&opt=hist",
                                                     "web-browser.png")):
            colours = chromium_screenshot(url, name)
            assert colours > 100, (name, colours)
    finally:
        sim.terminate(); monitor.terminate(); sim.wait(); monitor.wait()


def test_web_view_serves_past_runs():
    import html
    import re
    snapshots = os.path.join(WORK, "web-runs-snapshots")
    for number in (5, 6):
        run(MONITOR, "--input", record("web-runs-%d.n64" % number, "--run", str(number)), "--snapshot-dir", snapshots,
            "--quiet")
    decoy = os.path.join(snapshots, "run-decoy")
    os.makedirs(decoy)
    with open(os.path.join(decoy, "summary.json"), "w") as f:
        f.write("{}")
    sim, monitor, port = web_monitor("web-runs", "--snapshot-dir", snapshots)
    try:
        wait_web(port)
        status, body = http_get(port, "/runs/summary.json")
        lines = json.loads(body)
        assert status == 200 and [r["name"] for r in lines] == ["run-000006", "run-000005"], lines
        for r, number in zip(lines, (6, 5)):
            with open(os.path.join(snapshots, r["name"], "summary.json")) as f:
                summary = json.load(f)
            assert r["run"] == number and r["events"] == summary["events"] > 0, (r, summary["events"])
            assert r["beam_counts"] == sum(s["beam_counts"] for s in summary["spills"]) > 0
        for path in ("/runs/run-decoy/h.json", "/runs/run-000007/", "/runs/run-000005/plots/ecal_energy.png",
                     "/runs/run-000005/../../etc/passwd", "/runs/run-000005/ECAL/nothing/root.json"):
            assert http_get(port, path)[0] == 404, path
        status, body = http_get(port, "/runs/run-000005/histograms.json")
        assert status == 200 and json.loads(body)["_typename"] == "TList"
        # Stock JSROOT browses a past run as it browses the live one.
        node = os.environ["NA64DQM_NODE"]
        if not os.path.exists(node) and not shutil.which(node):
            raise Skip("no node")
        result = subprocess.run([node, os.environ["NA64DQM_JSROOT_BROWSE"],
                                 "http://127.0.0.1:%d/runs/run-000005/" % port, "100"],
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0 and "not ok" not in result.stdout, result.stdout[-3000:] + result.stderr[-2000:]
        # In a browser: the table of runs is summary.json's, and a run opens in JSROOT.
        page = chromium_dom("http://127.0.0.1:%d/runs/" % port)
        names = re.findall(r'<tr><td><a href="([^"/]+)/">', page)
        assert names == ["run-000006", "run-000005"], names
        assert "2 snapshots" in page
        browser = chromium_dom("http://127.0.0.1:%d/runs/run-000005/?item=ECAL/ecal_energy&opt=hist" % port)
        assert "run-000005" in html.unescape(browser) and "Entries" in browser
    finally:
        sim.terminate(); monitor.terminate(); sim.wait(); monitor.wait()


def test_monitor_keeps_the_run_registry():
    import csv
    import io
    ctl = os.environ["NA64DQM_CTL"]
    snapshots = os.path.join(WORK, "registry-snapshots")
    registry = os.path.join(snapshots, "registry.sqlite")
    recordings = {11: record("registry-11.n64", "--run", "11", "--spills", "3"),
                  12: record("registry-12.n64", "--run", "12", "--beam", "mu-")}
    for number in (11, 12, 11):  # run 11 replayed: its row updated, not doubled
        out = run(MONITOR, "--input", recordings[number], "--snapshot-dir", snapshots, "--quiet").stdout
        assert "run registry " + registry in out, out
        assert "reference for run" not in out, out  # no earlier run of that beam
    # A later e- run takes the latest good e- run as its shape reference, and says so.
    later = run(MONITOR, "--input", record("registry-13.n64", "--run", "13"), "--snapshot-dir", snapshots,
                "--quiet").stdout
    assert "reference for run 13: run 11, the latest of e- 100 GeV" in later, later
    with open(os.path.join(snapshots, "run-000013", "summary.json")) as f:
        summary = json.load(f)
    assert summary["reference"].startswith("run 11, the latest of e- 100 GeV"), summary["reference"]
    assert summary["reference_comparison"], summary["reference_comparison"]
    listed = run(ctl, "runs", "--registry", registry, "--csv").stdout
    rows = {int(r["run"]): r for r in csv.DictReader(io.StringIO(listed))}
    assert sorted(rows) == [11, 12, 13], listed
    for number, row in rows.items():
        with open(os.path.join(snapshots, "run-%06d" % number, "summary.json")) as f:
            summary = json.load(f)
        # The run's particles on target: exactly the sum of its eos scalers.
        assert int(row["beam_counts"]) == sum(s["beam_counts"] for s in summary["spills"]) > 0, (row, summary["spills"])
        assert int(row["spills"]) == len(summary["spills"]) and int(row["events"]) == summary["events"], row
        assert row["beam"] == summary["beam"] and row["quality"] in ("good", "warning", "bad"), row
        assert row["snapshot"].startswith("/") and os.path.isdir(row["snapshot"]), row
    # The newest snapshot of each: the replay's second one of run 11.
    assert rows[11]["snapshot"].endswith("/run-000011-2") and rows[12]["snapshot"].endswith("/run-000012"), rows
    assert rows[12]["beam"] == "mu-" and int(rows[11]["spills"]) == 3
    only = run(ctl, "runs", "--registry", registry, "--beam", "mu-", "--csv").stdout.splitlines()
    assert len(only) == 2 and only[1].startswith("12,mu-,"), only
    table = run(ctl, "runs", "--registry", registry).stdout
    assert "3 runs, %d beam particles counted on target" % sum(int(r["beam_counts"]) for r in rows.values()) in table
    assert run(ctl, "runs", "--registry", registry, "--since", "2099-01-01").stdout.endswith("0 runs, 0 beam particles "
                                                                                          "counted on target\n")
    bad = run(ctl, "runs", "--registry", registry, "--since", "yesterday", check=False)
    assert bad.returncode == 2 and "--since yesterday" in bad.stderr, bad
    missing = run(ctl, "runs", "--registry", os.path.join(WORK, "no-such-registry.sqlite"), check=False)
    assert missing.returncode == 1 and "no-such-registry.sqlite" in missing.stderr, missing


def test_help_documents_every_option():
    sim_help = run(SIM, "--help-all").stdout
    for option in ("--bind", "--config", "--beam", "--run", "--spills", "--rate", "--spill-length", "--spill-gap",
                   "--seed", "--start-time", "--record", "--replay", "--speed", "--wait-subscriber", "--fast",
                   "--no-publish", "--dead-channel", "--hot-channel", "--pedestal-drift", "--veto-inefficiency",
                   "--veto-noise", "--hadron-fraction", "--srd-off", "--corrupt-fraction", "--stall", "--restart",
                   "--faults-from-spill", "Examples:"):
        assert option in sim_help, option
    monitor_help = run(MONITOR, "--help").stdout
    for option in ("--connect", "--input", "--stall-seconds", "--until-eor", "--http", "--http-insecure",
                   "--http-cert", "--http-key", "--http-passwords", "--registry", "--elog-dir", "--elog-command",
                   "Examples:"):
        assert option in monitor_help, option


def main():
    tests = [(name, f) for name, f in globals().items() if name.startswith("test_")]
    # NA64DQM_ONLY=word,word runs the tests whose names hold one of them
    # (CI runs the bad-input ones again against the sanitizer build).
    only = [w for w in os.environ.get("NA64DQM_ONLY", "").split(",") if w]
    if only:
        tests = [(name, f) for name, f in tests if any(w in name for w in only)]
    print("1..%d" % len(tests))
    failed = 0
    for number, (name, function) in enumerate(tests, 1):
        try:
            function()
            print("ok %d %s" % (number, name))
        except Skip as reason:
            print("ok %d %s # SKIP %s" % (number, name, reason))
        except Exception:
            failed += 1
            print("not ok %d %s" % (number, name))
            for line in traceback.format_exc().splitlines():
                print("# " + line)
        sys.stdout.flush()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
