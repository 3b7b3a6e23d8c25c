"""One POP3 session with Python's poplib, as a mail client script would run it.

Usage: poplib_session.py HOST PORT CAFILE MODE USER PASSWORD DELETE
MODE is "stls" (port 110, then STLS) or "ssl" (port 995). DELETE is a message number to
delete before QUIT, or 0. Prints what the session saw, one "key:value" line per item.
"""
import poplib
import ssl
import sys

host, port, cafile, mode, user, password, delete = sys.argv[1:8]
context = ssl.create_default_context(cafile=cafile)
context.check_hostname = False  # the certificate names mail.example.test; we dial 127.0.0.1

if mode == "stls":
    pop = poplib.POP3(host, int(port), timeout=20)
    capa_before_tls = pop.capa()
    pop.stls(context=context)
else:
    pop = poplib.POP3_SSL(host, int(port), context=context, timeout=20)
    capa_before_tls = None
capa = pop.capa()
pop.user(user)
pop.pass_(password)
count, size = pop.stat()
if capa_before_tls is not None:
    print("capa_before_tls:" + " ".join(sorted(capa_before_tls)))
print("capa:" + " ".join(sorted(capa)))
print("stat:%d %d" % (count, size))
for line in pop.list()[1]:
    print("list:" + line.decode())
for line in pop.uidl()[1]:
    print("uidl:" + line.decode())
for number in range(1, count + 1):
    response, lines, octets = pop.retr(number)
    print("retr%d:%s" % (number, response.decode()))
    print("retr%d.octets:%d" % (number, octets))
    for line in lines:
        print("retr%d.line:%s" % (number, line.decode()))
if count:
    for line in pop.top(1, 0)[1]:
        print("top1.line:" + line.decode())
if int(delete):
    print("dele:" + pop.dele(int(delete)).decode())
print("quit:" + pop.quit().decode())
