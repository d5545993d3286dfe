#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""An independent stream-v1 consumer, written from shared/spec/stream-v1.md
alone (it shares no code with libdqm). It checks every rule of the spec and
prints what it saw. Used by the tests to hold the C side to the text."""

import struct
import sys
import time

TOPICS = {b"evt": 1, b"sor": 2, b"eor": 3, b"sos": 4, b"eos": 5, b"hbt": 6}
FIXED_SIZE = {3: 32, 4: 32, 5: 56, 6: 32}
CHANNELS = (set(range(0, 72)) | set(range(100, 136)) | set(range(200, 206))
            | set(range(300, 303)) | set(range(400, 405)) | {410, 411})


class SpecError(Exception):
    pass


def check(condition, what):
    if not condition:
        raise SpecError(what)


def decode(topic, body):
    """Returns (type, run, fields) or raises SpecError naming the rule."""
    check(topic in TOPICS, "unknown topic %r" % topic)
    check(len(body) >= 16, "body shorter than the header")
    magic, version, mtype, size, run = struct.unpack_from("<4sHHII", body, 0)
    check(magic == b"N64S", "magic")
    check(version == 1, "version")
    check(1 <= mtype <= 6, "type")
    check(TOPICS[topic] == mtype, "topic does not match type")
    check(size == len(body), "size field vs frame length")
    check(run > 0, "run > 0")
    fields = {}
    if mtype == 1:
        check(len(body) >= 52, "evt fixed part")
        spill, in_spill, event_id, time_ns, trigger, n_sadc, n_samples, n_hits, reserved = \
            struct.unpack_from("<IIQQIHHHH", body, 16)
        check(n_sadc <= 512, "n_sadc <= 512")
        check(8 <= n_samples <= 64, "8 <= n_samples <= 64")
        check(n_hits <= 4096, "n_hits <= 4096")
        check(size == 52 + n_sadc * (4 + 2 * n_samples) + 10 * n_hits, "evt size formula")
        check(reserved == 0, "evt reserved")
        check(trigger & ~0xF == 0, "trigger bits")
        check(spill >= 1 and in_spill >= 1, "spill and event_in_spill from 1")
        offset, seen, records = 52, set(), []
        for _ in range(n_sadc):
            channel, flags = struct.unpack_from("<HH", body, offset)
            samples = struct.unpack_from("<%dH" % n_samples, body, offset + 4)
            check(channel in CHANNELS, "channel %d not in the table" % channel)
            check(channel not in seen, "channel %d twice" % channel)
            check(flags & ~1 == 0, "SADC flags")
            check(max(samples) <= 4095, "sample > 4095")
            seen.add(channel)
            records.append((channel, flags, samples))
            offset += 4 + 2 * n_samples
        hits = []
        for _ in range(n_hits):
            plane, strip, a0, a1, a2 = struct.unpack_from("<5H", body, offset)
            check(plane < 16 and strip < 320 and max(a0, a1, a2) <= 4095, "strip hit range")
            hits.append((plane, strip, a0, a1, a2))
            offset += 10
        fields = dict(spill=spill, event_in_spill=in_spill, event_id=event_id, time_ns=time_ns,
                      trigger=trigger, records=records, hits=hits)
    elif mtype == 2:
        check(len(body) >= 30, "sor fixed part")
        time_ns, beam, reserved, energy, tag_len = struct.unpack_from("<QBBHH", body, 16)
        check(tag_len <= 255 and size == 30 + tag_len, "sor size")
        check(reserved == 0, "sor reserved")
        check(1 <= beam <= 4, "beam code")
        try:
            tag = body[30:30 + tag_len].decode("utf-8")
        except UnicodeDecodeError:
            raise SpecError("tag not UTF-8")
        fields = dict(time_ns=time_ns, beam=beam, energy=energy, tag=tag)
    else:
        check(size == FIXED_SIZE[mtype], "exact size of type %d" % mtype)
        if mtype in (3, 6):
            fields = dict(zip(("time_ns", "events_sent"), struct.unpack_from("<QQ", body, 16)))
        elif mtype == 4:
            spill, reserved, time_ns = struct.unpack_from("<IIQ", body, 16)
            check(reserved == 0 and spill >= 1, "sos fields")
            fields = dict(spill=spill, time_ns=time_ns)
        else:
            spill, reserved, time_ns, beam_counts, triggers, sent = struct.unpack_from("<IIQQQQ", body, 16)
            check(reserved == 0 and spill >= 1, "eos fields")
            fields = dict(spill=spill, time_ns=time_ns, beam_counts=beam_counts, triggers=triggers,
                          events_sent=sent)
    return mtype, run, fields


class Consumer:
    """Decodes a stream and checks the sequencing rules across messages."""

    def __init__(self):
        self.errors = []
        self.counts = {t: 0 for t in TOPICS.values()}
        self.last_event_id = {}
        self.events_in_spill = 0
        self.spills = []
        self.eor = None

    def feed(self, frames):
        try:
            check(len(frames) == 2, "frame count %d" % len(frames))
            mtype, run, fields = decode(frames[0], frames[1])
        except SpecError as error:
            self.errors.append(str(error))
            return None
        self.counts[mtype] += 1
        if mtype == 1:
            last = self.last_event_id.get(run)
            if last is not None and fields["event_id"] <= last:
                self.errors.append("event_id not increasing")
            self.last_event_id[run] = fields["event_id"]
            self.events_in_spill += 1
        elif mtype == 4:
            self.events_in_spill = 0
        elif mtype == 5:
            if fields["events_sent"] != self.events_in_spill:
                self.errors.append("eos events_sent %d, received %d" % (fields["events_sent"], self.events_in_spill))
            self.spills.append(fields)
        elif mtype == 3:
            self.eor = fields
        return mtype


def follow(endpoint, timeout_s):
    import zmq
    context = zmq.Context.instance()
    socket = context.socket(zmq.SUB)
    for topic in TOPICS:
        socket.setsockopt(zmq.SUBSCRIBE, topic)
    socket.connect(endpoint)
    consumer = Consumer()
    deadline = time.monotonic() + timeout_s
    while consumer.eor is None and time.monotonic() < deadline:
        if socket.poll(200):
            consumer.feed(socket.recv_multipart())
    socket.close(0)
    return consumer


def main():
    if len(sys.argv) != 3:
        print("usage: spec_client.py ENDPOINT TIMEOUT_S", file=sys.stderr)
        return 2
    consumer = follow(sys.argv[1], float(sys.argv[2]))
    print("messages by type:", consumer.counts, "spills:", len(consumer.spills), "errors:", len(consumer.errors))
    for error in consumer.errors[:20]:
        print("error:", error)
    return 0 if consumer.eor is not None and not consumer.errors else 1


if __name__ == "__main__":
    sys.exit(main())
