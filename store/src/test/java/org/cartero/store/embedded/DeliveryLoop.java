package org.cartero.store.embedded;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.cartero.core.directory.Account;
import org.cartero.store.delivery.DeliveryException;
import org.cartero.store.delivery.LocalDelivery;

/**
 * A child process for the crash, disk-full and cross-process tests: delivers messages
 * "id-N" (N from FIRST to LAST) to an account of the store under ROOT and prints "OK N" once
 * each delivery returned, "FAIL N temporary status" when one was refused.
 * Usage: DeliveryLoop ROOT virtual|local FIRST LAST [BODY-BYTES]
 */
public final class DeliveryLoop {
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        long first = Long.parseLong(args[2]);
        long last = Long.parseLong(args[3]);
        int bodyBytes = args.length > 4 ? Integer.parseInt(args[4]) : 2000;
        try (EmbeddedMailStore store = new EmbeddedMailStore(StoreFixture.settings(root, Duration.ofSeconds(30)))) {
            Account account = args[1].equals("local") ? StoreFixture.bob(root, 0) : StoreFixture.virtual("alice@example.test", 0);
            LocalDelivery delivery = new LocalDelivery(store);
            for (long i = first; i <= last; i++) {
                try {
                    delivery.deliver(new ByteArrayInputStream(message(i, bodyBytes)), account, account.address(), "loop@example.org");
                    System.out.println("OK " + i);
                } catch (DeliveryException e) {
                    System.out.println("FAIL " + i + " " + e.temporary() + " " + e.enhancedStatus());
                }
                System.out.flush();
            }
        }
    }

    /** "id-N" with a body that ends in a line naming N, so a cut-off message is recognisable. */
    static byte[] message(long id, int bodyBytes) {
        StringBuilder sb = new StringBuilder("From: loop@example.org\r\nSubject: id-" + id + "\r\n\r\n");
        while (sb.length() < bodyBytes) sb.append("From the body of a message that quotes From lines, line ").append(sb.length()).append("\r\n");
        sb.append("end of id-").append(id).append("\r\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
