package org.cartero.pop3.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Set;
import org.cartero.core.directory.Account;
import org.cartero.pop3.protocol.Pop3Exception;
import org.cartero.pop3.protocol.UniqueId;
import org.cartero.store.AccountStore;
import org.cartero.store.FlagOperation;
import org.cartero.store.Flags;
import org.cartero.store.Folder;
import org.cartero.store.FolderName;
import org.cartero.store.FolderStatus;
import org.cartero.store.MailStore;
import org.cartero.store.MaildropLock;
import org.cartero.store.MessageInfo;
import org.cartero.store.MessageLocation;
import org.cartero.store.StoreException;
import org.cartero.store.UidSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session's maildrop: the user's INBOX as it was at login, numbered 1 to n in UID order,
 * with the marks the session makes (RFC 1939 section 5), and the UPDATE state that carries them
 * out at QUIT (section 6). Message numbers stay fixed for the session: a message delivered
 * meanwhile waits for the next session, and a deleted one keeps its number, only hidden.
 *
 * <p>The maildrop lock (RFC 1939 section 8) is held from login until {@link #close()}: for a local
 * user it is the spool file's lock, so deliveries, mutt and procmail wait; a second POP3
 * session is refused with [IN-USE].
 *
 * <p>RETR marks a message \Seen, as Dovecot does: the flags are set when the session ends,
 * however it ends, for each message sent whole. Deletions happen only in the UPDATE state.
 */
final class Maildrop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Maildrop.class);

    private final AccountStore account;
    private final MaildropLock lock;
    private final Folder inbox;
    private final long uidValidity;
    private final long[] uids;
    private final long[] sizes;
    private final MessageLocation[] locations; // where each lies: RETR and TOP read no index
    private final BitSet seenAtLogin;
    private final long totalSize;
    private final BitSet deleted = new BitSet();
    private final BitSet retrieved = new BitSet();
    private long deletedSize;
    private boolean updated;

    private Maildrop(AccountStore account, MaildropLock lock, Folder inbox, long uidValidity, Listing listing) {
        this.account = account;
        this.lock = lock;
        this.inbox = inbox;
        this.uidValidity = uidValidity;
        this.uids = Arrays.copyOf(listing.uids, listing.count);
        this.sizes = Arrays.copyOf(listing.sizes, listing.count);
        this.locations = Arrays.copyOf(listing.locations, listing.count);
        this.seenAtLogin = listing.seen;
        this.totalSize = Arrays.stream(sizes).sum();
    }

    /**
     * Locks and reads {@code owner}'s maildrop.
     *
     * @throws org.cartero.store.MailboxLockedException when another session or program holds it
     */
    static Maildrop open(MailStore store, Account owner) throws IOException {
        AccountStore account = store.open(owner);
        MaildropLock lock = null;
        Folder inbox = null;
        try {
            lock = account.lockMaildrop();
            inbox = account.open(FolderName.INBOX);
            FolderStatus status = inbox.status();
            Listing listing = new Listing((int) Math.min(status.messages(), Integer.MAX_VALUE - 8));
            // Only the messages there at this moment: one delivered while we read gets a higher UID.
            long lastUid = Math.min(status.uidNext() - 1, UidSet.MAX_UID);
            if (lastUid >= 1) inbox.messages(UidSet.range(1, lastUid), Set.of(Folder.Include.LOCATION), listing::add);
            return new Maildrop(account, lock, inbox, status.uidValidity(), listing);
        } catch (IOException | RuntimeException e) {
            if (inbox != null) inbox.close();
            if (lock != null) lock.close();
            account.close();
            throw e;
        }
    }

    /** The messages not marked deleted. */
    int messageCount() {
        return uids.length - deleted.cardinality();
    }

    /** The size of the messages not marked deleted, in octets. */
    long octets() {
        return totalSize - deletedSize;
    }

    /** The highest message number: the count at login, deleted messages included. */
    int highestNumber() {
        return uids.length;
    }

    boolean isDeleted(int number) {
        return deleted.get(number - 1);
    }

    /**
     * Checks a message number from the client: it must name a message of the maildrop that is
     * not marked deleted (RFC 1939 section 5: a deleted message may not be referred to).
     */
    int message(long number) throws Pop3Exception {
        if (number < 1 || number > uids.length) {
            throw new Pop3Exception("no such message, only " + uids.length + " messages in maildrop");
        }
        int n = (int) number;
        if (deleted.get(n - 1)) throw new Pop3Exception("message " + n + " already deleted");
        return n;
    }

    /** The size of message {@code number} in octets, as it is sent (CRLF line ends, before byte-stuffing). */
    long size(int number) {
        return sizes[number - 1];
    }

    String uniqueId(int number) {
        return UniqueId.of(uidValidity, uids[number - 1]);
    }

    /**
     * The content of message {@code number} in wire form.
     *
     * @throws org.cartero.store.MessageGoneException when another session or program removed it
     */
    InputStream open(int number) throws IOException {
        return inbox.openMessage(uids[number - 1], locations[number - 1]);
    }

    void delete(int number) {
        deleted.set(number - 1);
        deletedSize += sizes[number - 1];
    }

    /** Notes that message {@code number} was sent whole by RETR. */
    void retrieved(int number) {
        retrieved.set(number - 1);
    }

    /** Unmarks every deleted message (RSET). */
    void reset() {
        deleted.clear();
        deletedSize = 0;
    }

    /**
     * The UPDATE state (RFC 1939 section 6): marks the retrieved messages \Seen and removes the
     * deleted ones (and, with {@code removeRetrieved}, the retrieved ones: EXPIRE 0). Returns how
     * many were removed.
     *
     * @throws StoreException when some deleted messages could not be removed ("-ERR some deleted
     *                        messages not removed")
     */
    int update(boolean removeRetrieved) throws IOException {
        updated = true;
        BitSet doomed = (BitSet) deleted.clone();
        if (removeRetrieved) doomed.or(retrieved);
        markSeen(doomed);
        if (doomed.isEmpty()) return 0;
        UidSet victims = uidSet(doomed);
        inbox.store(victims, FlagOperation.ADD, Flags.of(Flags.DELETED), -1);
        UidSet removed = inbox.expunge(victims);
        if (removed.size() < victims.size()) {
            // Some went before we came (another session expunged them), or are still there.
            long[] left = {0};
            inbox.messages(victims, Set.of(), m -> left[0]++);
            if (left[0] > 0) throw new StoreException(left[0] + " of the deleted messages could not be removed");
        }
        return (int) removed.size();
    }

    /** Releases the maildrop; a session that did not reach the UPDATE state still marks what it retrieved \Seen. */
    @Override
    public void close() {
        try {
            if (!updated) markSeen(new BitSet());
        } catch (IOException e) {
            log.warn("{}: cannot mark the retrieved messages seen: {}", account.account().name(), e.toString());
        } finally {
            inbox.close();
            lock.close();
            account.close();
        }
    }

    /** Sets \Seen on the retrieved messages that lacked it, except {@code skip}. */
    private void markSeen(BitSet skip) throws IOException {
        BitSet unseen = (BitSet) retrieved.clone();
        unseen.andNot(seenAtLogin);
        unseen.andNot(skip);
        if (!unseen.isEmpty()) inbox.store(uidSet(unseen), FlagOperation.ADD, Flags.of(Flags.SEEN), -1);
    }

    private UidSet uidSet(BitSet indexes) {
        UidSet.Builder set = new UidSet.Builder();
        for (int i = indexes.nextSetBit(0); i >= 0; i = indexes.nextSetBit(i + 1)) set.add(uids[i]);
        return set.build();
    }

    /** The INBOX as {@link Folder#messages} lists it, in ascending UID order. */
    private static final class Listing {
        long[] uids;
        long[] sizes;
        MessageLocation[] locations;
        final BitSet seen = new BitSet();
        int count;

        Listing(int expected) {
            uids = new long[Math.max(expected, 16)];
            sizes = new long[uids.length];
            locations = new MessageLocation[uids.length];
        }

        void add(MessageInfo message) {
            if (count == uids.length) {
                uids = Arrays.copyOf(uids, count * 2);
                sizes = Arrays.copyOf(sizes, count * 2);
                locations = Arrays.copyOf(locations, count * 2);
            }
            if (message.flags().has(Flags.SEEN)) seen.set(count);
            uids[count] = message.uid();
            sizes[count] = message.size();
            locations[count] = message.location();
            count++;
        }
    }
}
