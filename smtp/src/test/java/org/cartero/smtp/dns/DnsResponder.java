package org.cartero.smtp.dns;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.cartero.core.config.HostPort;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A DNS server on 127.0.0.1 (UDP, an ephemeral port) for tests, answering from the records a test
 * gives it with dnsjava's own message classes: MX, A, AAAA and CNAME records (CNAME chains are
 * followed within the answer, as a recursive resolver does), names that do not exist (NXDOMAIN),
 * that fail (SERVFAIL) or that are never answered (a timeout). It counts the questions it was asked.
 */
public final class DnsResponder implements AutoCloseable {

    private enum Failure { NXDOMAIN, SERVFAIL, SILENT }

    private record Key(Name name, int type) {}

    private final DatagramSocket socket;
    private final Map<Key, List<Record>> records = new ConcurrentHashMap<>();
    private final Map<Name, Failure> failures = new ConcurrentHashMap<>();
    private final List<String> questions = new CopyOnWriteArrayList<>();
    private final Thread server;
    private long ttl = 3600;

    public DnsResponder() throws SocketException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        server = Thread.ofVirtual().name("dns-responder").start(this::serve);
    }

    /** The address for {@code [smtp] dns_resolver}. */
    public HostPort address() {
        return new HostPort("127.0.0.1", socket.getLocalPort());
    }

    /** The TTL of the records added from now on (seconds; 0 means "do not cache"). */
    public DnsResponder ttl(long seconds) {
        ttl = seconds;
        return this;
    }

    public DnsResponder mx(String domain, int preference, String host) {
        return add(new MXRecord(name(domain), DClass.IN, ttl, preference, name(host)));
    }

    /** RFC 7505: "0 ." */
    public DnsResponder nullMx(String domain) {
        return add(new MXRecord(name(domain), DClass.IN, ttl, 0, Name.root));
    }

    public DnsResponder a(String host, String address) {
        return add(new ARecord(name(host), DClass.IN, ttl, InetAddress.ofLiteral(address)));
    }

    public DnsResponder aaaa(String host, String address) {
        return add(new AAAARecord(name(host), DClass.IN, ttl, InetAddress.ofLiteral(address)));
    }

    public DnsResponder cname(String alias, String target) {
        return add(new CNAMERecord(name(alias), DClass.IN, ttl, name(target)));
    }

    public DnsResponder nxdomain(String name) {
        failures.put(name(name), Failure.NXDOMAIN);
        return this;
    }

    public DnsResponder servfail(String name) {
        failures.put(name(name), Failure.SERVFAIL);
        return this;
    }

    /** Questions about this name get no answer at all: the client times out. */
    public DnsResponder silent(String name) {
        failures.put(name(name), Failure.SILENT);
        return this;
    }

    /** How often the question "name type" (e.g. "example.test MX") was asked. */
    public long asked(String name, int type) {
        String question = name(name) + " " + Type.string(type);
        return questions.stream().filter(question::equals).count();
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        server.join();
    }

    private DnsResponder add(Record record) {
        records.computeIfAbsent(new Key(record.getName(), record.getType()), k -> new CopyOnWriteArrayList<>()).add(record);
        return this;
    }

    private void serve() {
        byte[] buffer = new byte[512];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                Message query = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
                Message response = answer(query);
                if (response == null) continue;
                byte[] wire = response.toWire(512);
                socket.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
            } catch (IOException e) {
                if (socket.isClosed()) return;
            }
        }
    }

    private Message answer(Message query) {
        Record question = query.getQuestion();
        questions.add(question.getName() + " " + Type.string(question.getType()));
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.RA);
        if (query.getHeader().getFlag(Flags.RD)) response.getHeader().setFlag(Flags.RD);
        response.addRecord(question, Section.QUESTION);

        Name name = question.getName();
        Set<Name> visited = new HashSet<>();
        while (true) {
            Failure failure = failures.get(name);
            if (failure == Failure.SILENT) return null;
            if (failure != null) {
                response.getHeader().setRcode(failure == Failure.NXDOMAIN ? Rcode.NXDOMAIN : Rcode.SERVFAIL);
                return response;
            }
            List<Record> cname = records.get(new Key(name, Type.CNAME));
            if (cname != null && question.getType() != Type.CNAME && visited.add(name)) {
                response.addRecord(cname.getFirst(), Section.ANSWER);
                name = ((CNAMERecord) cname.getFirst()).getTarget();
                continue;
            }
            break;
        }
        List<Record> matching = records.getOrDefault(new Key(name, question.getType()), List.of());
        for (Record record : matching) response.addRecord(record, Section.ANSWER);
        if (matching.isEmpty() && response.getSection(Section.ANSWER).isEmpty()) {
            boolean exists = false;
            for (Key key : new ArrayList<>(records.keySet())) exists |= key.name().equals(name);
            if (!exists) response.getHeader().setRcode(Rcode.NXDOMAIN);
            // An SOA in the authority section makes the negative answer cacheable (RFC 2308); its minimum is 0.
            response.addRecord(new SOARecord(Name.root, DClass.IN, 0, name("ns.test"), name("hostmaster.test"),
                    1, 3600, 600, 86400, 0), Section.AUTHORITY);
        }
        return response;
    }

    private static Name name(String text) {
        try {
            return Name.fromString(text, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
