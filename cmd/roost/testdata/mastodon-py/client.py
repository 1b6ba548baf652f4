#!/usr/bin/python3
"""Drives a roost site through Mastodon.py, the Python client library.

The Go test TestMastodonPyClient runs this script. It speaks a line protocol:
the script prints one JSON object per line on stdout ({"event": ...}) for
what it saw, and reads one JSON object per line on stdin for what the test
did on the other site. Anything on stderr is a log for a failing test.

Usage: client.py --base http://bob.test --hosts bob.test=127.0.0.1:PORT,...
                 --username bob.test --follow @alice.test
The owner's password comes in the ROOST_PASSWORD environment variable.
"""

import argparse
import json
import os
import signal
import socket
import struct
import sys
import threading
import time
import zlib

import requests
from mastodon import Mastodon, MastodonNotFoundError, StreamListener

SCRIPT_TIMEOUT = 55  # seconds; the Go test allows 60
POLL_TIMEOUT = 20  # seconds to wait for federation to deliver something


def emit(event, **fields):
    fields["event"] = event
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def wait_for_test(event):
    """Blocks until the test writes the line {"event": event, ...}."""
    for line in sys.stdin:
        msg = json.loads(line)
        if msg.get("event") == event:
            return msg
        log("ignored message from the test:", line.strip())
    raise EOFError("the test closed stdin while the script waited for " + event)


def install_host_map(spec):
    """Makes every connection to a mapped name go to its loopback address.

    The test sites have made-up names (bob.test) that no DNS resolves.
    Mastodon.py builds some URLs from what the server announces (the
    streaming URL in /api/v1/instance), so the names must work the way they
    would for a real app; resolving them here keeps URLs and Host headers
    intact.
    """
    table = {}
    for entry in filter(None, (e.strip() for e in spec.split(","))):
        name, addr = entry.split("=", 1)
        host, port = addr.rsplit(":", 1)
        table[name.lower()] = (host, int(port))
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        target = table.get(str(host).lower())
        if target is not None and int(port or 80) == 80:
            host, port = target
        return real(host, port, *args, **kwargs)

    socket.getaddrinfo = getaddrinfo


def push_keys():
    """A P-256 key pair and auth secret, as a browser makes for Web Push."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return {"pubkey": public, "auth": os.urandom(16)}


def tiny_png():
    """A 2x2 red PNG, built by hand so the script needs no image library."""
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def poll(what, fn, timeout=POLL_TIMEOUT):
    """Calls fn until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = fn()
        if got:
            return got
        time.sleep(0.2)
    raise TimeoutError("timed out waiting for " + what)


class Collector(StreamListener):
    """Keeps what the user stream delivers, for the main thread to check."""

    def __init__(self):
        super().__init__()
        self.lock = threading.Lock()
        self.updates, self.edits, self.deletes, self.notifications = {}, {}, [], []

    def on_update(self, status):
        with self.lock:
            self.updates[str(status["id"])] = status["content"]

    def on_status_update(self, status):
        with self.lock:
            self.edits[str(status["id"])] = status["content"]

    def on_delete(self, status_id):
        with self.lock:
            self.deletes.append(str(status_id))

    def on_notification(self, notification):
        with self.lock:
            self.notifications.append(notification["type"])

    def on_abort(self, err):
        log("stream aborted:", err)

    def saw(self, updates, edit, delete, notification):
        with self.lock:
            return (set(updates) <= self.updates.keys() and edit in self.edits
                    and delete in self.deletes and notification in self.notifications)

    def report(self):
        with self.lock:
            return {"updates": [{"id": k, "content": v} for k, v in self.updates.items()],
                    "edits": [{"id": k, "content": v} for k, v in self.edits.items()],
                    "deletes": list(self.deletes), "notifications": list(self.notifications)}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--base", required=True)
    p.add_argument("--hosts", default="")
    p.add_argument("--username", required=True)
    p.add_argument("--follow", required=True)
    args = p.parse_args()
    password = os.environ["ROOST_PASSWORD"]

    # Nothing may hang the test: give up well before the Go side does.
    signal.signal(signal.SIGALRM, lambda *_: os._exit(3))
    signal.alarm(SCRIPT_TIMEOUT)
    install_host_map(args.hosts)

    scopes = ["read", "write", "follow", "push"]
    client_id, client_secret = Mastodon.create_app(
        "roost test (Mastodon.py)", scopes=scopes, api_base_url=args.base, request_timeout=20)
    # version_check_mode="created" (the default) refuses methods the server's
    # announced version predates, so this also checks that roost's version
    # string parses.
    api = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=args.base,
                   request_timeout=20, ratelimit_method="throw")
    api.log_in(username=args.username, password=password, scopes=scopes)
    me = api.account_verify_credentials()
    emit("login", acct=me["acct"], username=me["username"], version=api.retrieve_mastodon_version())

    # The stream opens before the post so that the post's update reaches it.
    collector = Collector()
    # The stream runs in a daemon thread that ends with the script; closing
    # it would wait for the blocked read, that is for the next heartbeat.
    api.stream_user(collector, run_async=True, timeout=30)
    time.sleep(0.3)

    media = api.media_post(tiny_png(), mime_type="image/png", description="a red square", file_name="red.png")
    status = api.status_post("Hello from Mastodon.py, with a red square", media_ids=[media["id"]])
    emit("posted", id=str(status["id"]), uri=status["uri"], content=status["content"],
         media=[{"type": m["type"], "url": m["url"], "description": m["description"]}
                for m in status["media_attachments"]])

    home = api.timeline_home(limit=20)
    emit("home", ids=[str(s["id"]) for s in home])

    # Follow the other site's owner, found by what a person would type.
    found = api.search_v2(args.follow, resolve=True, result_type="accounts")
    if not found["accounts"]:
        raise LookupError("search found no account for " + args.follow)
    target = found["accounts"][0]
    api.account_follow(target["id"])
    rel = poll("the follow to be accepted",
               lambda: [r for r in api.account_relationships(target["id"]) if r["following"]])[0]
    emit("followed", acct=target["acct"], account_id=str(target["id"]),
         following=rel["following"], requested=rel["requested"])

    # Mention autocomplete: the first letters of the followed handle; and
    # full-text search for the words of the client's own post.
    prefix = args.follow.lstrip("@")[:3]
    accounts = api.account_search(prefix, limit=5)
    statuses = api.search_v2("red square", resolve=False, result_type="statuses")["statuses"]
    emit("searched", accts=[a["acct"] for a in accounts], status_ids=[str(s["id"]) for s in statuses])

    # What apps do every day: a direct message listed as a conversation, a
    # push subscription (keys made as a browser makes them), a followed
    # hashtag and a filter (Mastodon.py 1.8 has no call for following tags:
    # its request helper sends it), and the avatar as an image a phone can show.
    dm = api.status_post("@" + target["acct"] + " psst, just us", visibility="direct")
    conversation = poll("the direct message as a conversation",
                        lambda: [c for c in api.conversations()
                                 if c["last_status"] and str(c["last_status"]["id"]) == str(dm["id"])])
    sub = api.push_subscription_set("http://127.0.0.1:9/push", push_keys(), mention_events=True)
    request = api._Mastodon__api_request
    instance = request("GET", "/api/v2/instance")
    request("POST", "/api/v1/tags/roostdaily/follow")
    tags = request("GET", "/api/v1/followed_tags")
    api.filter_create("spoiler", ["home"])
    avatar = requests.get(api.account_verify_credentials()["avatar"], timeout=10)
    emit("daily", conversation=bool(conversation), server_key=sub["server_key"],
         vapid_key=instance["configuration"]["vapid"]["public_key"],
         avatar_type=avatar.headers.get("Content-Type", ""),
         followed_tags=[t["name"] for t in tags], filter_keywords=[f["phrase"] for f in api.filters()])

    note = wait_for_test("alice_posted")
    arrived = poll("the followed account's post in the home timeline",
                   lambda: [s for s in api.timeline_home(limit=40) if note["text"] in s["content"]])[0]
    emit("arrived", id=str(arrived["id"]), uri=arrived["uri"], content=arrived["content"],
         acct=arrived["account"]["acct"])

    fav = api.status_favourite(arrived["id"])
    boost = api.status_reblog(arrived["id"])
    again = api.status(arrived["id"])
    emit("reacted", favourited=fav["favourited"], reblog_of=str(boost["reblog"]["id"]),
         status_favourited=again["favourited"], status_reblogged=again["reblogged"],
         favourites_count=again["favourites_count"], reblogs_count=again["reblogs_count"])

    reply = api.status_reply(arrived, "A reply from Mastodon.py")
    emit("replied", id=str(reply["id"]), uri=reply["uri"], content=reply["content"],
         in_reply_to_id=str(reply["in_reply_to_id"]))

    wait_for_test("alice_liked")
    notes = poll("a favourite notification",
                 lambda: [n for n in api.notifications(types=["favourite"])
                          if n["status"] and str(n["status"]["id"]) == str(reply["id"])])
    emit("notified", type=notes[0]["type"], acct=notes[0]["account"]["acct"], status_id=str(notes[0]["status"]["id"]))

    edited = api.status_update(status["id"], status="Edited by Mastodon.py")
    emit("edited", id=str(edited["id"]), content=edited["content"], fetched=api.status(status["id"])["content"])

    api.status_delete(reply["id"])
    code = 200
    try:
        api.status(reply["id"])
    except MastodonNotFoundError:
        code = 404
    emit("deleted", id=str(reply["id"]), status=code)

    # Everything above also reached the stream opened at the start.
    want = ([str(status["id"]), str(arrived["id"])], str(status["id"]), str(reply["id"]), "favourite")
    try:
        poll("the user stream", lambda: collector.saw(*want))
    except TimeoutError as e:
        log(e)  # the test says what is missing
    emit("streamed", **collector.report())
    emit("done")


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # the test shows stderr when it fails
        log("error:", type(e).__name__, e)
        sys.exit(1)
