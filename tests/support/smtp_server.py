"""A real SMTP server on loopback for the tests (aiosmtpd, Debian's
python3-aiosmtpd): every message it accepts is written to DIR as
<n>.eml (the exact bytes received) with <n>.rcpt (the recipients).
A recipient whose address starts with "refuse" is refused (550).

usage: /usr/bin/python3 smtp_server.py DIR PORT
Prints "ready" once it listens; stops on SIGTERM.
"""
import os
import signal
import sys
import time

from aiosmtpd.controller import Controller


class Handler:
    def __init__(self, out):
        self.out = out
        self.n = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().startswith("refuse"):
            return "550 5.1.1 <%s>: Recipient address rejected: mailbox unavailable" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.n += 1
        path = os.path.join(self.out, "%d" % self.n)
        with open(path + ".eml", "wb") as f:
            f.write(envelope.original_content)
        with open(path + ".rcpt", "w") as f:
            f.write("\n".join(envelope.rcpt_tos))
        return "250 2.0.0 Ok: queued as Q%d" % self.n


def main():
    out, port = sys.argv[1], int(sys.argv[2])
    os.makedirs(out, exist_ok=True)
    controller = Controller(Handler(out), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    while not stop:
        time.sleep(0.05)
    controller.stop()


if __name__ == "__main__":
    main()
