#!/usr/bin/python3
"""An SMTP server for tests (Debian's python3-aiosmtpd): stores every message it accepts in a
directory, as the raw bytes (<n>.eml) and as what a mail reader would show (<n>.json: headers
decoded, both MIME parts), and can refuse an address for good (550 to RCPT TO) or be slow to
acknowledge a message it has already stored (to catch a sender killed in between)."""

import argparse
import asyncio
import email
import email.policy
import json
import os
import signal
import threading

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory, refuse, ack_delay):
        self.directory = directory
        self.refuse = {a.lower() for a in refuse}
        self.ack_delay = ack_delay
        # A restarted server goes on numbering after what it kept before.
        self.count = len([f for f in os.listdir(directory) if f.endswith(".eml")])
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            n = self.count
        raw = envelope.original_content or envelope.content
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        plain = msg.get_body(("plain",))
        html = msg.get_body(("html",))
        view = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "from": str(msg.get("From", "")),
            "reply_to": str(msg.get("Reply-To", "")),
            "to": str(msg.get("To", "")),
            "subject": str(msg.get("Subject", "")),
            "message_id": str(msg.get("Message-ID", "")),
            "date": str(msg.get("Date", "")),
            "list_unsubscribe": str(msg.get("List-Unsubscribe", "")),
            "list_unsubscribe_post": str(msg.get("List-Unsubscribe-Post", "")),
            "content_type": msg.get_content_type(),
            "text": plain.get_content() if plain is not None else "",
            "html": html.get_content() if html is not None else "",
        }
        base = os.path.join(self.directory, "%06d" % n)
        with open(base + ".eml.tmp", "wb") as f:
            f.write(raw)
        os.rename(base + ".eml.tmp", base + ".eml")
        with open(base + ".json.tmp", "w") as f:
            json.dump(view, f)
        os.rename(base + ".json.tmp", base + ".json")
        if self.ack_delay > 0:
            await asyncio.sleep(self.ack_delay)
        return "250 Message accepted"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--dir", required=True)
    p.add_argument("--refuse", action="append", default=[])
    p.add_argument("--ack-delay", type=float, default=0.0)
    a = p.parse_args()
    controller = Controller(Sink(a.dir, a.refuse, a.ack_delay), hostname="127.0.0.1",
                            port=a.port)
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
