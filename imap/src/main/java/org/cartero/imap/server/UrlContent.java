package org.cartero.imap.server;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.cartero.core.directory.Account;
import org.cartero.core.directory.DirectoryException;
import org.cartero.imap.protocol.BodyStructure;
import org.cartero.imap.protocol.Content;
import org.cartero.imap.protocol.FetchAttribute;
import org.cartero.imap.protocol.ResponseCode;
import org.cartero.imap.protocol.Section;
import org.cartero.store.AccountStore;
import org.cartero.store.Folder;
import org.cartero.store.MessageContent;
import org.cartero.store.MessageGoneException;
import org.cartero.store.StoreException;
import org.cartero.store.mime.Part;

/**
 * The message or part an IMAP URL names (RFC 5092), opened for CATENATE (RFC 4469) or URLFETCH
 * (RFC 4467, RFC 5524). A URL without URLAUTH names one of the user's own mailboxes; one with
 * URLAUTH may name another user's, and is honoured only with a valid token, an access
 * identifier that admits the user, and no expiry in the past.
 */
final class UrlContent implements AutoCloseable {

    private final AccountStore foreign;
    private final Folder folder;
    private final MessageContent message;
    private final Section section;
    private final ImapUrl url;

    private UrlContent(AccountStore foreign, Folder folder, MessageContent message, Section section, ImapUrl url) {
        this.foreign = foreign;
        this.folder = folder;
        this.message = message;
        this.section = section;
        this.url = url;
    }

    /**
     * The content a CATENATE URL part names (RFC 4469 section 5).
     *
     * @throws ImapException NO [BADURL] when the URL is invalid or names nothing the user may read
     */
    static UrlContent forCatenate(Session session, String text) throws IOException, ImapException {
        ImapUrl url;
        try {
            url = ImapUrl.parse(text);
        } catch (IllegalArgumentException e) {
            throw badUrl(text, e.getMessage());
        }
        UrlContent content = url.access() == null ? own(session, url) : authorized(session, url);
        if (content == null) throw badUrl(text, "it names nothing you may read");
        return content;
    }

    /** The content a URLFETCH URL names, or null (NIL) when it is not valid or not authorized (RFC 4467 section 3.5). */
    static UrlContent forFetch(Session session, String text) throws IOException {
        try {
            ImapUrl url = ImapUrl.parse(text);
            return url.access() == null || url.token() == null ? null : authorized(session, url);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static ImapException badUrl(String url, String reason) {
        return ImapException.no(new ResponseCode.BadUrl(url), "Bad URL: " + reason);
    }

    /** A URL of the user's own mailboxes, relative or naming the user. */
    private static UrlContent own(Session session, ImapUrl url) throws IOException {
        if (url.user() != null && !isAccount(session.account(), url.user(), url.host())) return null;
        return open(session.store(), null, url);
    }

    /** A URLAUTH URL: its owner's, if the token, the access identifier and the expiry allow. */
    private static UrlContent authorized(Session session, ImapUrl url) throws IOException {
        if (url.user() == null || url.token() == null || !"INTERNAL".equals(url.mechanism())) return null;
        if (url.expire() != null && url.expire().isBefore(Instant.now())) return null;
        Account owner = owner(session, url);
        if (owner == null || !admits(session, url.access())) return null;
        if (!session.server.urlAuthKeys().verify(owner, url.mailbox(), url.rump(), url.token())) return null;
        if (isAccount(session.account(), owner.name(), null)) return open(session.store(), null, url);
        AccountStore store = session.server.mailStore().open(owner);
        try {
            UrlContent content = open(store, store, url);
            if (content == null) store.close();
            return content;
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * The account a URL names: its user as a login, or user@host (a virtual user's URL names
     * the user by local part and domain); the host must be this server or the user's domain.
     */
    static Account owner(Session session, ImapUrl url) throws IOException {
        try {
            Optional<Account> account = session.server.directory().account(url.user());
            if (account.isEmpty() && url.host() != null) account = session.server.directory().account(url.user() + "@" + url.host());
            if (account.isEmpty()) return null;
            String host = url.host();
            boolean here = host == null || host.equals(session.server.hostname())
                    || host.equalsIgnoreCase(account.get().address().domain());
            return here ? account.get() : null;
        } catch (DirectoryException e) {
            throw new IOException("the user directory cannot be read", e);
        }
    }

    /** Whether the URL user (and host) name this account. */
    static boolean isAccount(Account account, String user, String host) {
        if (account.name().equalsIgnoreCase(user)) return true;
        return host != null && account.name().equalsIgnoreCase(user + "@" + host);
    }

    /**
     * RFC 4467 section 3: "authuser" admits any user of the server, "anonymous" anyone,
     * "user+NAME" that user only; "submit+NAME" is for a submission server, not IMAP clients.
     */
    private static boolean admits(Session session, String access) {
        String lower = access.toLowerCase(Locale.ROOT);
        if (lower.equals("authuser") || lower.equals("anonymous")) return true;
        if (lower.startsWith("user+")) return isAccount(session.account(), access.substring(5), null);
        return false;
    }

    private static UrlContent open(AccountStore store, AccountStore foreign, ImapUrl url) throws IOException {
        Section section;
        try {
            section = url.section() == null ? Section.WHOLE : section(url.section());
        } catch (IllegalArgumentException e) {
            return null;
        }
        Folder folder;
        try {
            folder = store.open(url.mailbox());
        } catch (StoreException e) {
            return null;
        }
        try {
            if (url.uidValidity() != 0 && url.uidValidity() != folder.status().uidValidity()) {
                folder.close();
                return null;
            }
            MessageContent message = folder.content(url.uid());
            if (Sections.part(message.structure(), section.part()) == null) {
                folder.close();
                return null;
            }
            return new UrlContent(foreign, folder, message, section, url);
        } catch (MessageGoneException e) {
            folder.close();
            return null;
        } catch (IOException | RuntimeException e) {
            folder.close();
            throw e;
        }
    }

    /** ";SECTION=" as BODY[] writes a section: "1.2", "HEADER", "1.TEXT", "HEADER.FIELDS (A B)". */
    static Section section(String text) {
        String[] words = text.trim().split("\\.", -1);
        List<Integer> part = new ArrayList<>();
        int i = 0;
        while (i < words.length && words[i].matches("[1-9][0-9]{0,8}")) part.add(Integer.parseInt(words[i++]));
        if (i == words.length) return new Section(part, null, List.of());
        String rest = String.join(".", List.of(words).subList(i, words.length)).toUpperCase(Locale.ROOT);
        if (rest.equals("HEADER")) return new Section(part, Section.Text.HEADER, List.of());
        if (rest.equals("TEXT")) return new Section(part, Section.Text.TEXT, List.of());
        if (rest.equals("MIME") && !part.isEmpty()) return new Section(part, Section.Text.MIME, List.of());
        for (Section.Text kind : List.of(Section.Text.HEADER_FIELDS_NOT, Section.Text.HEADER_FIELDS)) {
            String prefix = kind.atom() + " (";
            if (rest.startsWith(prefix) && rest.endsWith(")")) {
                List<String> fields = List.of(rest.substring(prefix.length(), rest.length() - 1).trim().split("\\s+"));
                return new Section(part, kind, fields);
            }
        }
        throw new IllegalArgumentException("not a section: " + text);
    }

    /** The ;PARTIAL of the URL as a FETCH partial, or null. */
    private FetchAttribute.Partial partial() {
        if (url.partialOffset() < 0) return null;
        return new FetchAttribute.Partial(url.partialOffset(), url.partialLength() < 0 ? Long.MAX_VALUE : url.partialLength());
    }

    /** The bytes the URL names, as BODY[section]&lt;partial&gt; gives them. */
    Content body() throws IOException {
        return Sections.body(message, section, partial());
    }

    /** The content once decoded (URLFETCH BINARY, RFC 5524). */
    Content binary() throws IOException, ImapException {
        Part part = Sections.part(message.structure(), section.part());
        if (section.text() != null || section.part().isEmpty()) return body();
        return BinaryContent.of(message, part, partial());
    }

    /**
     * The structure of the part the URL names (URLFETCH BODYPARTSTRUCTURE, RFC 5524); with
     * {@code decoded}, of its content as BINARY gives it.
     */
    BodyStructure structure(boolean decoded) throws IOException, ImapException {
        Part part = Sections.part(message.structure(), section.part());
        return decoded ? Structures.decodedBody(message, part) : Structures.body(part);
    }

    /** The bytes, for CATENATE. */
    InputStream open() throws IOException {
        return switch (body()) {
            case Content.Nil nil -> InputStream.nullInputStream();
            case Content.Bytes bytes -> new ByteArrayInputStream(bytes.data());
            case Content.Stream stream -> stream.source().open();
        };
    }

    @Override
    public void close() {
        folder.close();
        if (foreign != null) foreign.close();
    }
}
