"""A real SMTP server on loopback for the tests (aiosmtpd, Debian's
python3-aiosmtpd): every message it accepts is written to DIR as
<n>.eml (the exact bytes received) with <n>.rcpt (the recipients).
A recipient whose address starts with "refuse" is refused (550); one
that starts with "drop" makes the server drop the connection at once, as
a server that crashes or restarts mid-run does.

usage: /usr/bin/python3 smtp_server.py DIR PORT [CERT KEY USER PASSWORD]
       /usr/bin/python3 smtp_server.py DIR PORT CERT KEY smtps
With CERT and KEY (PEM files) it offers STARTTLS and requires it, and
requires AUTH (PLAIN or LOGIN) as USER with PASSWORD, over TLS only; with
"smtps" it speaks TLS from the first byte instead (port 465 style). Each
accepted message also gets <n>.session ("tls=yes user=USER").
Prints "ready" once it listens; stops on SIGTERM.
"""
import os
import signal
import ssl
import sys
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


class Handler:
    def __init__(self, out):
        self.out = out
        self.n = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().startswith("drop"):
            server.transport.abort()
            return "421 4.3.0 gone"
        if address.lower().startswith("refuse"):
            return "550 5.1.1 <%s>: Recipient address rejected: mailbox unavailable" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.n += 1
        path = os.path.join(self.out, "%d" % self.n)
        with open(path + ".rcpt", "w") as f:
            f.write("\n".join(envelope.rcpt_tos))
        with open(path + ".session", "w") as f:
            login = session.auth_data.login.decode() if session.auth_data else "none"
            # STARTTLS sets session.ssl; implicit TLS shows on the transport.
            tls = session.ssl or server.transport.get_extra_info("ssl_object")
            f.write("tls=%s user=%s" % ("yes" if tls else "no", login))
        # The message last, whole: a reader that sees <n>.eml sees the rest.
        with open(path + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content)
        os.rename(path + ".eml.tmp", path + ".eml")
        return "250 2.0.0 Ok: queued as Q%d" % self.n


def main():
    out, port = sys.argv[1], int(sys.argv[2])
    os.makedirs(out, exist_ok=True)
    options = {}
    if len(sys.argv) == 7:
        cert, key, user, password = sys.argv[3:7]
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)

        def authenticate(server, session, envelope, mechanism, auth_data):
            ok = auth_data.login == user.encode() and auth_data.password == password.encode()
            return AuthResult(success=ok, handled=False, auth_data=auth_data)

        options = dict(
            tls_context=context,
            require_starttls=True,
            authenticator=authenticate,
            auth_required=True,
            auth_require_tls=True,
        )
    if len(sys.argv) == 6 and sys.argv[5] == "smtps":
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(sys.argv[3], sys.argv[4])
        options = dict(ssl_context=context)
    controller = Controller(Handler(out), hostname="127.0.0.1", port=port, **options)
    controller.start()
    print("ready", flush=True)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    while not stop:
        time.sleep(0.05)
    controller.stop()


if __name__ == "__main__":
    main()
