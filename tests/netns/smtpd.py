# A mail server that stores each message as DIR/NNN.eml, the envelope's
# recipients on a first line "X-Rcpt-To: a, b".
import asyncio, os, sys
from aiosmtpd.smtp import SMTP

host, port, d = sys.argv[1], int(sys.argv[2]), sys.argv[3]

class Store:
    async def handle_DATA(self, server, session, envelope):
        n = len([f for f in os.listdir(d) if f.endswith(".eml")])
        p = os.path.join(d, "%03d.eml" % n)
        with open(p + ".tmp", "wb") as f:
            f.write(("X-Rcpt-To: %s\r\n" % ", ".join(envelope.rcpt_tos)).encode())
            f.write(envelope.original_content or envelope.content)
        os.rename(p + ".tmp", p)
        return "250 OK stored"

loop = asyncio.new_event_loop()
srv = loop.run_until_complete(
    loop.create_server(lambda: SMTP(Store(), hostname="mail.example.com"), host, port))
print("ready", flush=True)
loop.run_forever()
