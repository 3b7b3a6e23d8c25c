package org.cartero.store.index;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cartero.store.Flags;
import org.cartero.store.SpecialUse;
import org.cartero.store.UidSet;

/**
 * The queries of the index, run inside one transaction that {@link UserIndex} opened. Every
 * method is one or a few indexed statements; none scans a whole table except where noted.
 */
public final class IndexTx {
    private static final String FOLDER_COLUMNS =
            "id, name, uidvalidity, uidnext, highestmodseq, tombstone_floor, special_use, messages, unseen, size, sync_state, keywords";
    private static final String MESSAGE_COLUMNS =
            "uid, modseq, flags, keywords, internal_date, size, stored_size, file, mbox_offset, mbox_content, mbox_end, fingerprint, mbox_status";
    /** {@link #MESSAGE_COLUMNS} of the table aliased "m", for joins. */
    private static final String M_MESSAGE_COLUMNS = "m.uid, m.modseq, m.flags, m.keywords, m.internal_date, m.size, m.stored_size,"
            + " m.file, m.mbox_offset, m.mbox_content, m.mbox_end, m.fingerprint, m.mbox_status";

    private final Connection connection;
    private final Map<String, PreparedStatement> statements;

    IndexTx(Connection connection, Map<String, PreparedStatement> statements) {
        this.connection = connection;
        this.statements = statements;
    }

    /** Runs a statement without parameters or results (BEGIN, COMMIT), prepared once per connection. */
    void execute(String sql) throws SQLException {
        sql(sql).executeUpdate();
    }

    private PreparedStatement sql(String sql) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = connection.prepareStatement(sql);
            statements.put(sql, ps);
        }
        ps.clearParameters();
        return ps;
    }

    // ---- folders

    public List<FolderRow> folders() throws SQLException {
        List<FolderRow> out = new ArrayList<>();
        try (ResultSet rs = sql("SELECT " + FOLDER_COLUMNS + " FROM folder ORDER BY name").executeQuery()) {
            while (rs.next()) out.add(folder(rs));
        }
        return out;
    }

    public FolderRow folder(String name) throws SQLException {
        PreparedStatement ps = sql("SELECT " + FOLDER_COLUMNS + " FROM folder WHERE name = ?");
        ps.setString(1, name);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? folder(rs) : null;
        }
    }

    public FolderRow folder(long id) throws SQLException {
        PreparedStatement ps = sql("SELECT " + FOLDER_COLUMNS + " FROM folder WHERE id = ?");
        ps.setLong(1, id);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? folder(rs) : null;
        }
    }

    private static FolderRow folder(ResultSet rs) throws SQLException {
        String use = rs.getString(7);
        return new FolderRow(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6),
                use == null ? null : SpecialUse.valueOf(use), rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getString(11),
                Flags.fromIndex(0, rs.getString(12)).keywords());
    }

    public long insertFolder(String name, long uidValidity, long uidNext, long highestModseq, long tombstoneFloor,
                             SpecialUse use) throws SQLException {
        PreparedStatement ps = sql("INSERT INTO folder(name, uidvalidity, uidnext, highestmodseq, tombstone_floor, special_use)"
                + " VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
        ps.setString(1, name);
        ps.setLong(2, uidValidity);
        ps.setLong(3, uidNext);
        ps.setLong(4, highestModseq);
        ps.setLong(5, tombstoneFloor);
        if (use == null) ps.setNull(6, Types.VARCHAR);
        else ps.setString(6, use.name());
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public void renameFolder(long id, String newName) throws SQLException {
        PreparedStatement ps = sql("UPDATE folder SET name = ? WHERE id = ?");
        ps.setString(1, newName);
        ps.setLong(2, id);
        ps.executeUpdate();
    }

    public void setSpecialUse(long id, SpecialUse use) throws SQLException {
        PreparedStatement ps = sql("UPDATE folder SET special_use = ? WHERE id = ?");
        if (use == null) ps.setNull(1, Types.VARCHAR);
        else ps.setString(1, use.name());
        ps.setLong(2, id);
        ps.executeUpdate();
    }

    public void deleteFolder(long id) throws SQLException {
        for (String table : List.of("structure", "message", "expunged")) {
            PreparedStatement ps = sql("DELETE FROM " + table + " WHERE folder_id = ?");
            ps.setLong(1, id);
            ps.executeUpdate();
        }
        PreparedStatement ps = sql("DELETE FROM folder WHERE id = ?");
        ps.setLong(1, id);
        ps.executeUpdate();
    }

    public void setSyncState(long id, String state) throws SQLException {
        PreparedStatement ps = sql("UPDATE folder SET sync_state = ? WHERE id = ?");
        ps.setString(1, state);
        ps.setLong(2, id);
        ps.executeUpdate();
    }

    /** Gives the folder a new MODSEQ for the changes of this transaction and returns it. */
    public long nextModseq(long folderId) throws SQLException {
        PreparedStatement ps = sql("UPDATE folder SET highestmodseq = highestmodseq + 1 WHERE id = ? RETURNING highestmodseq");
        ps.setLong(1, folderId);
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) throw new SQLException("folder " + folderId + " vanished");
            return rs.getLong(1);
        }
    }

    /** Reserves {@code count} UIDs and returns the first. */
    public long allocateUids(long folderId, int count) throws SQLException {
        PreparedStatement ps = sql("UPDATE folder SET uidnext = uidnext + ? WHERE id = ? RETURNING uidnext");
        ps.setInt(1, count);
        ps.setLong(2, folderId);
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) throw new SQLException("folder " + folderId + " vanished");
            return rs.getLong(1) - count;
        }
    }

    /** Raises UIDNEXT to at least {@code uidNext} (adopting a UID found in a file name). */
    public void raiseUidNext(long folderId, long uidNext) throws SQLException {
        PreparedStatement ps = sql("UPDATE folder SET uidnext = max(uidnext, ?) WHERE id = ?");
        ps.setLong(1, uidNext);
        ps.setLong(2, folderId);
        ps.executeUpdate();
    }

    /** Sum of sizes and count of messages over all folders: the quota's usage. */
    public long[] totals() throws SQLException {
        try (ResultSet rs = sql("SELECT coalesce(sum(size), 0), coalesce(sum(messages), 0) FROM folder").executeQuery()) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    // ---- messages

    public void insertMessage(long folderId, MessageRow m, byte[] envelope, byte[] tree) throws SQLException {
        PreparedStatement ps = sql("INSERT INTO message(folder_id, " + MESSAGE_COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
        ps.setLong(1, folderId);
        ps.setLong(2, m.uid());
        ps.setLong(3, m.modseq());
        ps.setInt(4, m.flags().system());
        ps.setString(5, m.flags().keywordText());
        ps.setLong(6, m.internalDate().toEpochMilli());
        ps.setLong(7, m.size());
        ps.setLong(8, m.storedSize());
        ps.setString(9, m.file());
        ps.setLong(10, m.mboxOffset());
        ps.setLong(11, m.mboxContent());
        ps.setLong(12, m.mboxEnd());
        ps.setLong(13, m.fingerprint());
        ps.setInt(14, m.mboxStatus());
        ps.executeUpdate();
        PreparedStatement st = sql("INSERT OR REPLACE INTO structure(folder_id, uid, envelope, tree) VALUES (?,?,?,?)");
        st.setLong(1, folderId);
        st.setLong(2, m.uid());
        st.setBytes(3, envelope);
        st.setBytes(4, tree);
        st.executeUpdate();
    }

    public MessageRow message(long folderId, long uid) throws SQLException {
        PreparedStatement ps = sql("SELECT " + MESSAGE_COLUMNS + " FROM message WHERE folder_id = ? AND uid = ?");
        ps.setLong(1, folderId);
        ps.setLong(2, uid);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? message(rs) : null;
        }
    }

    /** Messages with UIDs in [first, last], ascending, at most {@code limit}. */
    public List<MessageRow> messages(long folderId, long first, long last, int limit) throws SQLException {
        PreparedStatement ps = sql("SELECT " + MESSAGE_COLUMNS + " FROM message WHERE folder_id = ? AND uid BETWEEN ? AND ?"
                + " ORDER BY uid LIMIT ?");
        ps.setLong(1, folderId);
        ps.setLong(2, first);
        ps.setLong(3, last);
        ps.setInt(4, limit);
        List<MessageRow> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(message(rs));
        }
        return out;
    }

    /**
     * Like {@link #messages}, each message with the folder's synchronisation state (read in this
     * transaction) and, when asked, its encoded envelope and/or MIME tree (null when not asked).
     */
    public List<ReadMessage> messagesWithStructure(long folderId, String syncState, long first, long last, int limit,
                                                   boolean envelope, boolean tree) throws SQLException {
        PreparedStatement ps = sql("SELECT " + M_MESSAGE_COLUMNS
                + (envelope ? ", s.envelope" : ", NULL") + (tree ? ", s.tree" : ", NULL") + " FROM message m"
                + " JOIN structure s ON s.folder_id = m.folder_id AND s.uid = m.uid"
                + " WHERE m.folder_id = ? AND m.uid BETWEEN ? AND ? ORDER BY m.uid LIMIT ?");
        ps.setLong(1, folderId);
        ps.setLong(2, first);
        ps.setLong(3, last);
        ps.setInt(4, limit);
        List<ReadMessage> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(new ReadMessage(message(rs), syncState, rs.getBytes(14), rs.getBytes(15)));
        }
        return out;
    }

    /** Every message of the folder (a whole-folder scan, for synchronisation). */
    public List<MessageRow> allMessages(long folderId) throws SQLException {
        return messages(folderId, 1, UidSet.MAX_UID, Integer.MAX_VALUE);
    }

    /** Messages whose MODSEQ is above {@code modseq}, by UID. */
    public List<MessageRow> changedSince(long folderId, long modseq) throws SQLException {
        PreparedStatement ps = sql("SELECT " + MESSAGE_COLUMNS + " FROM message WHERE folder_id = ? AND modseq > ? ORDER BY uid");
        ps.setLong(1, folderId);
        ps.setLong(2, modseq);
        List<MessageRow> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(message(rs));
        }
        return out;
    }

    private static MessageRow message(ResultSet rs) throws SQLException {
        return new MessageRow(rs.getLong(1), rs.getLong(2), Flags.fromIndex(rs.getInt(3), rs.getString(4)),
                Instant.ofEpochMilli(rs.getLong(5)), rs.getLong(6), rs.getLong(7), rs.getString(8),
                rs.getLong(9), rs.getLong(10), rs.getLong(11), rs.getLong(12), rs.getInt(13));
    }

    /** The folder's UIDs in ascending order, as unsigned ints. */
    public int[] uids(long folderId, int expectedCount) throws SQLException {
        PreparedStatement ps = sql("SELECT uid FROM message WHERE folder_id = ? ORDER BY uid");
        ps.setLong(1, folderId);
        int[] out = new int[Math.max(expectedCount, 16)];
        int n = 0;
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (n == out.length) out = java.util.Arrays.copyOf(out, n * 2);
                out[n++] = (int) rs.getLong(1);
            }
        }
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    public void updateMessage(long folderId, MessageRow m) throws SQLException {
        PreparedStatement ps = sql("UPDATE message SET modseq = ?, flags = ?, keywords = ?, file = ?, mbox_offset = ?,"
                + " mbox_content = ?, mbox_end = ?, fingerprint = ?, size = ?, stored_size = ?, mbox_status = ?"
                + " WHERE folder_id = ? AND uid = ?");
        ps.setLong(1, m.modseq());
        ps.setInt(2, m.flags().system());
        ps.setString(3, m.flags().keywordText());
        ps.setString(4, m.file());
        ps.setLong(5, m.mboxOffset());
        ps.setLong(6, m.mboxContent());
        ps.setLong(7, m.mboxEnd());
        ps.setLong(8, m.fingerprint());
        ps.setLong(9, m.size());
        ps.setLong(10, m.storedSize());
        ps.setInt(11, m.mboxStatus());
        ps.setLong(12, folderId);
        ps.setLong(13, m.uid());
        ps.executeUpdate();
    }

    /** Records that a message's file was renamed (nothing else changed: no trigger runs, no MODSEQ moves). */
    public void setFile(long folderId, long uid, String file) throws SQLException {
        PreparedStatement ps = sql("UPDATE message SET file = ? WHERE folder_id = ? AND uid = ?");
        ps.setString(1, file);
        ps.setLong(2, folderId);
        ps.setLong(3, uid);
        ps.executeUpdate();
    }

    public void updateStructure(long folderId, long uid, byte[] envelope, byte[] tree) throws SQLException {
        PreparedStatement st = sql("INSERT OR REPLACE INTO structure(folder_id, uid, envelope, tree) VALUES (?,?,?,?)");
        st.setLong(1, folderId);
        st.setLong(2, uid);
        st.setBytes(3, envelope);
        st.setBytes(4, tree);
        st.executeUpdate();
    }

    /** Removes a message and leaves a tombstone with the expunge's MODSEQ (RFC 7162 QRESYNC). */
    public void expungeMessage(long folderId, long uid, long modseq) throws SQLException {
        for (String delete : List.of("DELETE FROM message WHERE folder_id = ? AND uid = ?",
                "DELETE FROM structure WHERE folder_id = ? AND uid = ?")) {
            PreparedStatement ps = sql(delete);
            ps.setLong(1, folderId);
            ps.setLong(2, uid);
            ps.executeUpdate();
        }
        PreparedStatement ps = sql("INSERT OR REPLACE INTO expunged(folder_id, uid, modseq) VALUES (?, ?, ?)");
        ps.setLong(1, folderId);
        ps.setLong(2, uid);
        ps.setLong(3, modseq);
        ps.executeUpdate();
    }

    /**
     * Forgets the oldest tombstones of a folder beyond {@code keep}, raising the folder's
     * tombstone floor so readers know expunges at or below it are no longer listed (RFC 7162
     * section 3.2.5.2 lets QRESYNC fall back to the client's known UIDs then).
     */
    public void pruneTombstones(long folderId, int keep) throws SQLException {
        PreparedStatement count = sql("SELECT count(*) FROM expunged WHERE folder_id = ?");
        count.setLong(1, folderId);
        long n;
        try (ResultSet rs = count.executeQuery()) {
            rs.next();
            n = rs.getLong(1);
        }
        if (n <= keep) return;
        PreparedStatement cut = sql("SELECT modseq FROM expunged WHERE folder_id = ? ORDER BY modseq LIMIT 1 OFFSET ?");
        cut.setLong(1, folderId);
        cut.setLong(2, n - keep / 2 - 1); // the newest keep/2 stay
        long floor;
        try (ResultSet rs = cut.executeQuery()) {
            if (!rs.next()) return;
            floor = rs.getLong(1);
        }
        PreparedStatement delete = sql("DELETE FROM expunged WHERE folder_id = ? AND modseq <= ?");
        delete.setLong(1, folderId);
        delete.setLong(2, floor);
        delete.executeUpdate();
        PreparedStatement raise = sql("UPDATE folder SET tombstone_floor = max(tombstone_floor, ?) WHERE id = ?");
        raise.setLong(1, floor);
        raise.setLong(2, folderId);
        raise.executeUpdate();
    }

    public UidSet expungedSince(long folderId, long modseq) throws SQLException {
        PreparedStatement ps = sql("SELECT uid FROM expunged WHERE folder_id = ? AND modseq > ? ORDER BY uid");
        ps.setLong(1, folderId);
        ps.setLong(2, modseq);
        UidSet.Builder b = new UidSet.Builder();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) b.add(rs.getLong(1));
        }
        return b.build();
    }

    /** The lowest UID without \Seen, or 0. */
    public long firstUnseen(long folderId) throws SQLException {
        PreparedStatement ps = sql("SELECT uid FROM message WHERE folder_id = ? AND (flags & 1) = 0 ORDER BY uid LIMIT 1");
        ps.setLong(1, folderId);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    public boolean wasExpunged(long folderId, long uid) throws SQLException {
        PreparedStatement ps = sql("SELECT 1 FROM expunged WHERE folder_id = ? AND uid = ?");
        ps.setLong(1, folderId);
        ps.setLong(2, uid);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    /**
     * A message row as one snapshot read it, with the folder's synchronisation state in that
     * snapshot (the state of the files for which the row's location holds) and, when read, its
     * encoded envelope and MIME tree.
     */
    public record ReadMessage(MessageRow row, String syncState, byte[] envelope, byte[] tree) {}

    /** A message with its folder's synchronisation state, in one query; null when there is no such message. */
    public ReadMessage located(long folderId, long uid) throws SQLException {
        PreparedStatement ps = sql("SELECT " + M_MESSAGE_COLUMNS + ", f.sync_state FROM message m JOIN folder f ON f.id = m.folder_id"
                + " WHERE m.folder_id = ? AND m.uid = ?");
        ps.setLong(1, folderId);
        ps.setLong(2, uid);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? new ReadMessage(message(rs), rs.getString(14), null, null) : null;
        }
    }

    /** A message with its folder's synchronisation state and its structure, in one query; null when there is no such message. */
    public ReadMessage messageWithStructure(long folderId, long uid) throws SQLException {
        PreparedStatement ps = sql("SELECT " + M_MESSAGE_COLUMNS + ", s.envelope, s.tree, f.sync_state FROM message m"
                + " JOIN structure s ON s.folder_id = m.folder_id AND s.uid = m.uid JOIN folder f ON f.id = m.folder_id"
                + " WHERE m.folder_id = ? AND m.uid = ?");
        ps.setLong(1, folderId);
        ps.setLong(2, uid);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? new ReadMessage(message(rs), rs.getString(16), rs.getBytes(14), rs.getBytes(15)) : null;
        }
    }

    /** The stored envelope and tree of a message: [envelope, tree], or null. */
    public byte[][] structure(long folderId, long uid) throws SQLException {
        PreparedStatement ps = sql("SELECT envelope, tree FROM structure WHERE folder_id = ? AND uid = ?");
        ps.setLong(1, folderId);
        ps.setLong(2, uid);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? new byte[][] {rs.getBytes(1), rs.getBytes(2)} : null;
        }
    }

    /** Adds keywords to the folder's list of known keywords (kept even when no message has them). */
    public void addFolderKeywords(FolderRow folder, Flags flags) throws SQLException {
        if (flags.keywords().isEmpty()) return;
        Flags known = new Flags(0, folder.keywords());
        Flags all = known.with(new Flags(0, flags.keywords()));
        if (all.keywords().size() == known.keywords().size()) return;
        PreparedStatement ps = sql("UPDATE folder SET keywords = ? WHERE id = ?");
        ps.setString(1, all.keywordText());
        ps.setLong(2, folder.id());
        ps.executeUpdate();
    }
}
