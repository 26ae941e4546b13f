"""SSE clients for bench/events.sh: opens N connections to the meeting event feed on one event loop;
connection 0 (the measured one, its own token) counts the events it receives and their delivery
delay (now - the event's "at"); the others (TOKENS_IDLE: tokens of other callers, so each sees none
of the measured client's events unless SAME_OWNER=yes) stay open and are checked to be alive at the
end. Prints one JSON line: connected, alive, events, seconds, events_per_s, p50_ms, p99_ms.
AFTER: the measured client resumes after this sequence number (Last-Event-ID); EVENTS: it stops after
this many events instead of after SECONDS_MEASURED (a catch-up through stored events)."""
import asyncio, json, os, sys, time
from datetime import datetime

host, port = os.environ.get("HOST", "127.0.0.1"), int(os.environ["PORT"])
n = int(os.environ.get("N", "1000"))
seconds = float(os.environ.get("SECONDS_MEASURED", "20"))
token = os.environ["TOKEN"]
idle_tokens = os.environ.get("TOKENS_IDLE", token).split()
after = os.environ.get("AFTER")
limit = int(os.environ.get("EVENTS", "0"))


async def open_stream(tok, resume=None):
    r, w = await asyncio.open_connection(host, port, limit=1 << 20)
    extra = f"Last-Event-ID: {resume}\r\n" if resume else ""
    w.write((f"GET /api/v1/meeting-events HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {tok}\r\n"
             f"Accept: text/event-stream\r\n{extra}\r\n").encode())
    await w.drain()
    status = await r.readline()
    if b" 200 " not in status:
        raise RuntimeError(status.decode().strip())
    while (await r.readline()) not in (b"\r\n", b""):
        pass
    return r, w


async def idle(reader, alive):
    try:
        while await reader.read(65536):
            pass
    except Exception:
        pass
    alive[0] -= 1


async def main():
    idle_streams, alive = [], [0]
    for i in range(1, n):
        idle_streams.append(await open_stream(idle_tokens[i % len(idle_tokens)]))
    alive[0] = len(idle_streams)
    tasks = [asyncio.create_task(idle(r, alive)) for r, _ in idle_streams]
    r, _ = await open_stream(token, after)
    print("ready", flush=True, file=sys.stderr)
    delays, events, start = [], 0, None
    while True:
        line = await r.readline()
        if not line:
            break
        if line.startswith(b"data:"):
            now = time.time()
            if start is None:
                start = now
            events += 1
            at = json.loads(line[5:])["at"]
            delays.append(now - datetime.fromisoformat(at.replace("Z", "+00:00")).timestamp())
            if (limit and events >= limit) or (not limit and now - start >= seconds):
                break
    elapsed = (time.time() - start) if start else 0
    delays.sort()
    q = lambda p: round(delays[min(len(delays) - 1, int(p * len(delays)))] * 1000, 1) if delays else None
    print(json.dumps({"connected": len(idle_streams) + 1, "alive": alive[0] + 1, "events": events,
                      "seconds": round(elapsed, 1), "events_per_s": round(events / elapsed) if elapsed else 0,
                      "p50_ms": q(0.5), "p99_ms": q(0.99)}))
    for t in tasks:
        t.cancel()

asyncio.run(main())
