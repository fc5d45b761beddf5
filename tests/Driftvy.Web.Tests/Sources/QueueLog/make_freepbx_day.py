#!/usr/bin/env python3
"""Writes freepbx-day.queue_log: one synthetic day of FreePBX queue 600, in Asterisk's queue_log format, and prints
the counts an independent reader must find (the test asserts them). Deterministic: the same file on every run.

    python3 make_freepbx_day.py                          # the test fixture (320 calls on 2026-10-14)
    python3 make_freepbx_day.py 300000 big.queue_log 1735711200   # a large log for the import benchmark
"""
import random
import sys

rng = random.Random(19)
CALLS = int(sys.argv[1]) if len(sys.argv) > 1 else 320
OUT = sys.argv[2] if len(sys.argv) > 2 else "freepbx-day.queue_log"
DAY0 = int(sys.argv[3]) if len(sys.argv) > 3 else 1791957600  # 2026-10-14 08:00 Stockholm (06:00 UTC)
Q = "600"
AGENTS = ["Local/201@from-queue/n", "Local/202@from-queue/n", "Local/203@from-queue/n", "Local/204@from-queue/n"]
events = []  # (epoch, order, line)
n = 0


def add(epoch, callid, queue, agent, event, *data, newer=False):
    global n
    fields = list(data)
    if newer:
        fields += [""] * (5 - len(fields))  # data1..data5, the unused ones empty
    events.append((epoch, n, "|".join([str(epoch), callid, queue, agent, event] + fields)))
    n += 1


add(DAY0 - 300, "NONE", "NONE", "NONE", "QUEUESTART", "")
for i, a in enumerate(AGENTS):
    add(DAY0 - 240 + i, "NONE", Q, a, "ADDMEMBER", "")
add(DAY0 + 3600 * 3, "NONE", Q, AGENTS[3], "PAUSE", "lunch", newer=True)
add(DAY0 + 3600 * 4, "NONE", Q, AGENTS[3], "UNPAUSE", "", newer=True)
add(DAY0 + 3600 * 5 + 17, "NONE", "NONE", "NONE", "CONFIGRELOAD", "")

truth = dict(offered=0, answered=0, answered60=0, abandoned=0, abandoned5=0, abandoned60=0, waiting=0, ring_no_answer=0)
t = DAY0
for i in range(CALLS):
    t += rng.randint(20, 160)
    uid = f"{t}.{1000 + i}"
    newer = i % 2 == 0
    caller = "anonymous" if i % 23 == 0 else f"07{rng.randint(10000000, 99999999)}"
    add(t, uid, Q, "NONE", "ENTERQUEUE", "", caller, "1", newer=newer)
    truth["offered"] += 1
    r = rng.random()
    if r < 0.70:
        hold = rng.choice([rng.randint(2, 55), rng.randint(2, 58), rng.randint(50, 70), rng.randint(61, 400)])
        agent = rng.choice(AGENTS)
        rounds = rng.choice([0, 0, 1, 2])
        for k in range(rounds):
            at = t + min(hold - 1, 15 * (k + 1))
            add(max(t, at), uid, Q, rng.choice(AGENTS), "RINGNOANSWER", "15000", newer=newer)
            truth["ring_no_answer"] += 1
        add(t + hold, uid, Q, agent, "CONNECT", str(hold), f"{t + hold}.{5000 + i}", "3", newer=newer)
        talk = rng.randint(30, 600)
        end = t + hold + talk
        kind = rng.random()
        if kind < 0.45:
            add(end, uid, Q, agent, "COMPLETECALLER", str(hold), str(talk), "1", newer=newer)
        elif kind < 0.85:
            add(end, uid, Q, agent, "COMPLETEAGENT", str(hold), str(talk), "1", newer=newer)
        elif kind < 0.93:
            add(end, uid, Q, agent, "BLINDTRANSFER", "250", "from-internal", str(hold), str(talk), "1")
        else:
            add(end, uid, Q, agent, "ATTENDEDTRANSFER", "BRIDGE", f"{end}.{7000 + i}", str(hold), str(talk), "1")
        truth["answered"] += 1
        truth["answered60"] += hold <= 60
    else:
        wait = rng.choice([rng.randint(1, 5), rng.randint(1, 5), rng.randint(6, 60), rng.randint(61, 300)])
        how = rng.random()
        if how < 0.6:
            add(t + wait, uid, Q, "NONE", "ABANDON", "1", "1", str(wait), newer=newer)
        elif how < 0.8:
            if newer:
                add(t + wait, uid, Q, "NONE", "EXITWITHTIMEOUT", "1", "1", str(wait), newer=True)
            else:
                add(t + wait, uid, Q, "NONE", "EXITWITHTIMEOUT", "1")  # older layout: position only
        elif how < 0.9:
            add(t + wait, uid, Q, "NONE", "EXITWITHKEY", "5", "1", "1", str(wait), newer=newer)
        else:
            add(t + wait, uid, Q, "NONE", "EXITEMPTY", "1", "1", str(wait), newer=newer)
        truth["abandoned"] += 1
        truth["abandoned5"] += wait <= 5
        truth["abandoned60"] += wait <= 60

# A call still waiting when the file ends, and a DID line FreePBX writes that this reader does not use.
last = max(e[0] for e in events) + 5
add(last, f"{last}.9999", Q, "NONE", "ENTERQUEUE", "", "0701234567", "1")
add(last, f"{last}.9999", Q, "NONE", "DID", "0850850850")
truth["offered"] += 1
truth["waiting"] += 1

events.sort(key=lambda e: (e[0], e[1]))
with open(OUT, "w", newline="\n") as f:
    for _, _, line in events:
        f.write(line + "\n")
print(len(events), "lines", truth)
