package org.cartero.store.delivery;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.PrimitiveIterator;
import java.util.List;
import org.cartero.core.directory.Account;
import org.cartero.core.mail.MailAddress;
import org.cartero.store.AccountStore;
import org.cartero.store.AppendResult;
import org.cartero.store.Appender;
import org.cartero.store.Flags;
import org.cartero.store.Folder;
import org.cartero.store.FolderName;
import org.cartero.store.MailStore;
import org.cartero.store.MailboxLockedException;
import org.cartero.store.OverQuotaException;
import org.cartero.store.StorageFullException;
import org.cartero.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local delivery: puts messages for recipients here into an account's INBOX, the last step of
 * SMTP's path for local and virtual users. Each message is streamed (never held in memory) with
 * a Return-Path field (RFC 5321 section 4.4: the final delivery records the envelope sender) and
 * a Delivered-To field (the recipient, as Postfix and qmail write it, which lets loops be seen)
 * in front. Messages are durable when {@link #deliver} or {@link #deliverAll} returns; on any
 * failure nothing is visible and a {@link DeliveryException} tells SMTP whether to answer 4xx or 5xx.
 */
public final class LocalDelivery {
    private static final Logger log = LoggerFactory.getLogger(LocalDelivery.class);

    /** Where the message went. */
    public record Delivered(String folder, long uidValidity, long uid) {}

    /**
     * One message for one recipient.
     *
     * @param content    CRLF or LF line ends, without SMTP dot-stuffing; the caller closes it
     * @param returnPath the envelope sender; "" for the null sender (bounces)
     */
    public record Incoming(InputStream content, MailAddress recipient, String returnPath) {}

    private final MailStore store;

    public LocalDelivery(MailStore store) {
        this.store = store;
    }

    /**
     * Delivers {@code message} (CRLF or LF line ends, without SMTP dot-stuffing) to
     * {@code account}'s INBOX.
     *
     * @param returnPath the envelope sender; "" for the null sender (bounces)
     */
    public Delivered deliver(InputStream message, Account account, MailAddress recipient, String returnPath)
            throws DeliveryException {
        return deliverAll(account, List.of(new Incoming(message, recipient, returnPath))).getFirst();
    }

    /**
     * Delivers several messages to {@code account}'s INBOX in one transaction (one index commit,
     * one round of directory flushes, so far cheaper than one by one): all of them, or none.
     *
     * @return where each went, in the order given
     */
    public List<Delivered> deliverAll(Account account, List<Incoming> messages) throws DeliveryException {
        try (AccountStore mailbox = store.open(account); Folder inbox = mailbox.open(FolderName.INBOX)) {
            AppendResult result;
            try (Appender appender = inbox.deliver()) {
                for (Incoming m : messages) {
                    appender.add(new SequenceInputStream(new ByteArrayInputStream(traceFields(m)), m.content()), Flags.NONE, null);
                }
                result = appender.commit();
            }
            List<Delivered> delivered = new ArrayList<>(messages.size());
            PrimitiveIterator.OfLong uids = result.uids().iterator();
            for (Incoming m : messages) {
                long uid = uids.nextLong();
                log.debug("delivered to {} ({}): UID {}", m.recipient(), account.name(), uid);
                delivered.add(new Delivered(FolderName.INBOX, result.uidValidity(), uid));
            }
            return delivered;
        } catch (OverQuotaException e) {
            throw new DeliveryException(true, "4.2.2", e.getMessage(), e); // "mailbox full: ..."
        } catch (StorageFullException e) {
            throw new DeliveryException(true, "4.3.1", "insufficient system storage", e);
        } catch (MailboxLockedException e) {
            throw new DeliveryException(true, "4.2.0", "mailbox busy: " + e.getMessage(), e);
        } catch (StoreException e) {
            throw new DeliveryException(e.isTemporary(), e.isTemporary() ? "4.3.0" : "5.2.0", e.getMessage(), e);
        } catch (IOException e) {
            log.warn("delivery to {} failed: {}", account.name(), e.toString());
            throw new DeliveryException(true, "4.3.0", "local delivery failed: " + e.getMessage(), e);
        }
    }

    /** Return-Path and Delivered-To, as the message's first lines. */
    private static byte[] traceFields(Incoming m) {
        return ("Return-Path: <" + clean(m.returnPath()) + ">\n"
                + "Delivered-To: " + clean(m.recipient().toString()) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** A header value cannot hold line breaks (a forged field would follow). */
    private static String clean(String s) {
        return s == null ? "" : s.replace("\r", "").replace("\n", "").replace("<", "").replace(">", "");
    }
}
