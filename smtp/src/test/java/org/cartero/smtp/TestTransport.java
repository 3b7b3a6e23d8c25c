package org.cartero.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.cartero.smtp.protocol.Reply;
import org.cartero.smtp.queue.RemoteTransport;

/**
 * A remote transport for tests, standing in for the SMTP client: it records every message it is
 * given (with its content) and answers each recipient as scripted — by default "accepted by
 * mx.remote.test" without DSN support.
 */
public final class TestTransport implements RemoteTransport {

    /** One delivery the transport was asked for, with the content it read. */
    public record Sent(OutboundMessage message, String content) {}

    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final Deque<Function<OutboundRecipient, Outcome>> script = new ArrayDeque<>();

    public static final String REMOTE_MTA = "mx.remote.test";

    public static Outcome accepted() {
        return new Outcome.Accepted(REMOTE_MTA, Reply.of(250, "2.0.0", "OK queued"), false);
    }

    public static Outcome deferred() {
        return new Outcome.Deferred(Optional.of(REMOTE_MTA), Reply.of(451, "4.2.0", "greylisted, try again"), true);
    }

    public static Outcome failed() {
        return new Outcome.Failed(Optional.of(REMOTE_MTA), Reply.of(550, "5.1.1", "no such user here"), true);
    }

    /** The next delivery calls answer each of their recipients with these outcomes, one call per entry. */
    public synchronized TestTransport thenAnswer(Function<OutboundRecipient, Outcome> answer) {
        script.add(answer);
        return this;
    }

    public List<Sent> sent() {
        return List.copyOf(sent);
    }

    @Override
    public List<Outcome> deliver(OutboundMessage message) {
        String content;
        try (InputStream in = message.content().open()) {
            content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        sent.add(new Sent(message, content));
        Function<OutboundRecipient, Outcome> answer;
        synchronized (this) {
            answer = script.isEmpty() ? r -> accepted() : script.poll();
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (OutboundRecipient r : message.recipients()) outcomes.add(answer.apply(r));
        return outcomes;
    }
}
