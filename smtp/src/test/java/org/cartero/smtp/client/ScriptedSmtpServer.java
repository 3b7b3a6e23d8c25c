package org.cartero.smtp.client;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocket;
import org.cartero.core.tls.TlsContext;
import org.cartero.smtp.protocol.BareLineEndings;
import org.cartero.smtp.protocol.DataReader;
import org.cartero.smtp.protocol.MessageRejectedException;

/**
 * An SMTP server for the cases smtp-sink cannot play: it offers exactly the extensions a test
 * names, answers chosen commands with chosen replies (4xx the first time and 250 the next, say),
 * does STARTTLS and AUTH, can hold its replies to MAIL and RCPT until DATA arrives (a client that
 * does not pipeline then waits for ever), can stall or break off, and records what it received.
 *
 * <p>A reply rule matches a command line by its start (case-insensitively); "." stands for the end
 * of the data. Special replies: {@value #CLOSE} closes the connection without a word,
 * {@value #STALL} answers nothing and reads nothing more, {@value #STALL_DATA} (for DATA) answers
 * 354 and then reads nothing more, {@value #BAD_TLS} (for STARTTLS) answers 220 and then sends
 * what is not TLS.
 */
public final class ScriptedSmtpServer implements AutoCloseable {

    public static final String CLOSE = "CLOSE";
    public static final String STALL = "STALL";
    public static final String STALL_DATA = "STALL-DATA";
    public static final String BAD_TLS = "BAD-TLS";

    /** A message as the server took it. */
    public record Received(String helo, String mailFrom, List<String> rcptTo, byte[] content, boolean tls, String authUser) {
        public String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    private record Rule(String prefix, Deque<String> replies) {}

    private final ServerSocket listener;
    private final List<String> extensions = new ArrayList<>(List.of("PIPELINING", "8BITMIME", "ENHANCEDSTATUSCODES"));
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<List<String>> transcripts = new CopyOnWriteArrayList<>();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger mostActive = new AtomicInteger();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final Thread acceptor;
    private volatile String greeting = "220 scripted.test ESMTP";
    private volatile TlsContext tls;
    private volatile String user;
    private volatile String password;
    private volatile String mechanisms;
    private volatile boolean holdReplies;
    private volatile Duration endOfDataDelay = Duration.ZERO;

    private ScriptedSmtpServer(InetSocketAddress address) throws IOException {
        listener = new ServerSocket();
        listener.bind(address);
        acceptor = Thread.ofVirtual().name("scripted-smtp").start(this::accept);
    }

    /** A server on 127.0.0.1, on an ephemeral port. */
    public static ScriptedSmtpServer start() throws IOException {
        return new ScriptedSmtpServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    /** A server on another loopback address (127.0.0.2, ::1) and a given port: MX hosts share the MX port. */
    public static ScriptedSmtpServer start(String address, int port) throws IOException {
        return new ScriptedSmtpServer(new InetSocketAddress(InetAddress.ofLiteral(address), port));
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** The EHLO keywords offered (replacing the defaults PIPELINING, 8BITMIME, ENHANCEDSTATUSCODES). */
    public ScriptedSmtpServer offer(String... keywords) {
        extensions.clear();
        extensions.addAll(List.of(keywords));
        return this;
    }

    public ScriptedSmtpServer greeting(String greeting) {
        this.greeting = greeting;
        return this;
    }

    /** Offers STARTTLS with this server certificate. */
    public ScriptedSmtpServer tls(TlsContext tls) {
        this.tls = tls;
        return this;
    }

    /** Offers AUTH with these mechanisms (PLAIN, LOGIN; after TLS when TLS is offered) and accepts these credentials. */
    public ScriptedSmtpServer auth(String user, String password, String... mechanisms) {
        this.user = user;
        this.password = password;
        this.mechanisms = String.join(" ", mechanisms);
        return this;
    }

    /** Answers commands that start with {@code prefix} with these replies, one per command, then as usual. */
    public ScriptedSmtpServer reply(String prefix, String... replies) {
        rules.add(new Rule(prefix.toUpperCase(Locale.ROOT), new ArrayDeque<>(List.of(replies))));
        return this;
    }

    /** Keeps the replies to MAIL and RCPT until DATA comes: only a pipelining client gets them. */
    public ScriptedSmtpServer holdRepliesUntilData() {
        holdReplies = true;
        return this;
    }

    /** Waits this long before answering the end of the data, so that sessions overlap. */
    public ScriptedSmtpServer endOfDataDelay(Duration delay) {
        endOfDataDelay = delay;
        return this;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** The command lines of each session so far (AUTH responses included). */
    public List<List<String>> transcripts() {
        return List.copyOf(transcripts);
    }

    public int sessions() {
        return transcripts.size();
    }

    /** The most sessions that were open at one time. */
    public int mostConcurrentSessions() {
        return mostActive.get();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        listener.close();
        for (Socket socket : open) socket.close();
        acceptor.join();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                open.add(socket);
                Thread.ofVirtual().start(() -> session(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void session(Socket socket) {
        List<String> transcript = new CopyOnWriteArrayList<>();
        transcripts.add(transcript);
        mostActive.accumulateAndGet(active.incrementAndGet(), Math::max);
        try (Socket closing = socket) {
            new Dialogue(socket, transcript).run();
        } catch (IOException e) {
            // the client went away
        } finally {
            active.decrementAndGet();
        }
    }

    /** The state of one session. */
    private final class Dialogue {
        private final Socket plain;
        private final List<String> transcript;
        private InputStream in;
        private OutputStream out;
        private boolean secure;
        private String helo;
        private String authUser;
        private String mailFrom;
        private final List<String> rcptTo = new ArrayList<>();
        private final StringBuilder held = new StringBuilder();

        Dialogue(Socket plain, List<String> transcript) throws IOException {
            this.plain = plain;
            this.transcript = transcript;
            use(plain);
        }

        void run() throws IOException {
            if (!send(greeting)) return;
            for (String line = readLine(); line != null; line = readLine()) {
                transcript.add(line);
                String upper = line.toUpperCase(Locale.ROOT);
                String scripted = scripted(upper);
                if (scripted != null && !upper.startsWith("DATA")) {
                    boolean transaction = upper.startsWith("MAIL") || upper.startsWith("RCPT");
                    if (transaction && scripted.startsWith("2")) {
                        if (upper.startsWith("MAIL")) mailFrom = line;
                        else rcptTo.add(line);
                    }
                    if (!(transaction ? answerOrHold(scripted) : send(scripted))) return;
                    continue;
                }
                if (!answer(line, upper, scripted)) return;
            }
        }

        /** @return false when the session is over */
        private boolean answer(String line, String upper, String scripted) throws IOException {
            if (upper.startsWith("EHLO")) {
                helo = line.substring(5);
                StringBuilder reply = new StringBuilder("250-scripted.test");
                List<String> offered = new ArrayList<>(extensions);
                if (tls != null && !secure) offered.add("STARTTLS");
                if (user != null && (secure || tls == null)) offered.add("AUTH " + mechanisms);
                for (String keyword : offered) reply.append("\r\n250-").append(keyword);
                int last = reply.lastIndexOf("250-");
                reply.setCharAt(last + 3, ' ');
                return send(reply.toString());
            }
            if (upper.startsWith("HELO")) {
                helo = line.substring(5);
                return send("250 scripted.test");
            }
            if (upper.equals("STARTTLS") && tls != null && !secure) {
                send("220 2.0.0 Ready to start TLS");
                use(tls.serverHandshake(plain));
                secure = true;
                helo = null;
                return true;
            }
            if (upper.startsWith("AUTH ") && user != null) return authenticate(line);
            if (upper.startsWith("MAIL")) {
                mailFrom = line;
                rcptTo.clear();
                return answerOrHold("250 2.1.0 Ok");
            }
            if (upper.startsWith("RCPT")) {
                rcptTo.add(line);
                return answerOrHold("250 2.1.5 Ok");
            }
            if (upper.equals("DATA")) return data(scripted);
            if (upper.equals("RSET")) {
                mailFrom = null;
                rcptTo.clear();
                return send("250 2.0.0 Ok");
            }
            if (upper.equals("NOOP")) return send("250 2.0.0 Ok");
            if (upper.equals("QUIT")) {
                send("221 2.0.0 Bye");
                return false;
            }
            return send("502 5.5.2 Command not recognized");
        }

        private boolean answerOrHold(String reply) throws IOException {
            if (!holdReplies || reply.equals(CLOSE) || reply.equals(STALL)) return send(reply);
            held.append(reply).append("\r\n");
            return true;
        }

        private boolean data(String scripted) throws IOException {
            if (!held.isEmpty()) {
                out.write(held.toString().getBytes(StandardCharsets.UTF_8));
                held.setLength(0);
            }
            if (mailFrom == null || rcptTo.isEmpty()) return send("554 5.5.1 No valid recipients");
            String reply = scripted != null ? scripted : "354 End data with <CR><LF>.<CR><LF>";
            if (reply.equals(STALL_DATA)) {
                send("354 Go ahead");
                reply = STALL;
            }
            if (!send(reply)) return false;
            if (!reply.startsWith("354")) return true;
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            String end;
            try {
                new DataReader(in, Long.MAX_VALUE, BareLineEndings.REJECT).transferTo(content);
                end = scripted(".");
                if (end == null) end = "250 2.0.0 Ok: queued as " + (received.size() + 1);
                if (end.startsWith("2")) {
                    received.add(new Received(helo, mailFrom, List.copyOf(rcptTo), content.toByteArray(), secure, authUser));
                }
            } catch (MessageRejectedException e) {
                end = e.reply().wireText().strip();
            }
            transcript.add(".");
            sleep(endOfDataDelay);
            mailFrom = null;
            rcptTo.clear();
            return send(end);
        }

        private boolean authenticate(String line) throws IOException {
            String[] words = line.split(" ");
            String given;
            String secret;
            if (words[1].equalsIgnoreCase("PLAIN")) {
                String response = words.length > 2 ? words[2] : challenge("");
                String[] parts = decode(response).split("\0", -1);
                given = parts[1];
                secret = parts[2];
            } else {
                given = decode(challenge("VXNlcm5hbWU6"));
                secret = decode(challenge("UGFzc3dvcmQ6"));
            }
            if (given.equals(user) && secret.equals(password)) {
                authUser = given;
                return send("235 2.7.0 Authentication successful");
            }
            return send("535 5.7.8 Authentication credentials invalid");
        }

        private String challenge(String text) throws IOException {
            send("334 " + text);
            String response = readLine();
            transcript.add(response);
            return response;
        }

        /** @return false when the reply closed the session */
        private boolean send(String reply) throws IOException {
            if (reply.equals(CLOSE)) return false;
            if (reply.equals(BAD_TLS)) {
                // STARTTLS accepted, then an answer to the client's hello that is not TLS at all
                out.write("220 2.0.0 Ready to start TLS\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                if (in.read() < 0) return false;
                out.write("this is not TLS\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return false;
            }
            if (reply.equals(STALL)) {
                while (!plain.isClosed()) sleep(Duration.ofMillis(50));
                return false;
            }
            out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return true;
        }

        private String scripted(String upperLine) {
            for (Rule rule : rules) {
                if (upperLine.startsWith(rule.prefix())) {
                    synchronized (rule) {
                        String reply = rule.replies().poll();
                        if (reply != null) return reply;
                    }
                }
            }
            return null;
        }

        private String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) return null;
                if (c != '\r') line.write(c);
            }
            return line.toString(StandardCharsets.UTF_8);
        }

        private void use(Socket socket) throws IOException {
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
            if (socket instanceof SSLSocket) secure = true;
        }

        private String decode(String base64) {
            return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
        }

        private void sleep(Duration duration) {
            try {
                Thread.sleep(duration);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
