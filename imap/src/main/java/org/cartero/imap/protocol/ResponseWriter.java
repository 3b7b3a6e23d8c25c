package org.cartero.imap.protocol;

import java.io.Flushable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.OptionalLong;
import org.cartero.store.ModifiedUtf7;
import org.cartero.store.mime.ByteSearch;

/**
 * Writes responses on a connection (RFC 9051 section 7 and section 9's response grammar).
 * Responses are buffered until {@link #flush()}.
 *
 * <p>Strings are written in the form their content allows: an atom where the grammar takes an
 * astring and the value is one; a quoted string for short text of printable characters (UTF-8
 * included once the client enabled UTF8=ACCEPT or IMAP4rev2); otherwise a literal "{n}". A NUL,
 * which no IMAP string may hold, is sent as 0x80, except in BINARY items, where data with NUL is
 * sent as a literal8 "~{n}" (RFC 3516). Streamed contents are copied into their literal without
 * being held in memory. Mailbox names are encoded in modified UTF-7, or UTF-8 once enabled.
 */
public final class ResponseWriter implements Flushable {

    private static final byte[] CRLF = {'\r', '\n'};
    /** Literals are copied in chunks this large: few reads of the file, few writes to the socket. */
    private static final int COPY_CHUNK = 64 * 1024;
    /** Longer strings are sent as literals, which clients read without scanning for quotes. */
    private static final int MAX_QUOTED = 1024;

    private final OutputStream out;
    private boolean utf8;

    /**
     * @param out where responses go, in many small writes: a buffered stream without locks (a
     *            connection's output), which sends nothing before {@link #flush()}
     */
    public ResponseWriter(OutputStream out) {
        this.out = out;
    }

    /** Writes mailbox names and quoted strings in UTF-8 (RFC 6855 section 3, RFC 9051). */
    public void enableUtf8() {
        utf8 = true;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    /** A command continuation request: "+ text". */
    public void continuation(String text) throws IOException {
        ascii("+ ");
        text(text);
        out.write(CRLF);
    }

    /** A SASL challenge in a continuation request: "+ " and the data in BASE64 (RFC 9051 6.2.2). */
    public void challenge(byte[] data) throws IOException {
        ascii("+ ");
        ascii(Base64.getEncoder().encodeToString(data));
        out.write(CRLF);
    }

    /** Writes one response, ending with CRLF. */
    public void write(Response response) throws IOException {
        if (!(response instanceof StatusResponse status && status.tag() != null)) ascii("* ");
        switch (response) {
            case StatusResponse r -> status(r);
            case Response.Capability r -> atoms("CAPABILITY", r.capabilities());
            case Response.Enabled r -> atoms("ENABLED", r.capabilities());
            case Response.ListMailbox r -> listMailbox(r);
            case Response.MailboxStatus r -> mailboxStatus(r);
            case Response.Flags r -> {
                ascii("FLAGS ");
                list(r.flags());
            }
            case Response.Exists r -> ascii(r.count() + " EXISTS");
            case Response.Recent r -> ascii(r.count() + " RECENT");
            case Response.Expunge r -> ascii(r.sequenceNumber() + " EXPUNGE");
            case Response.Vanished r -> ascii((r.earlier() ? "VANISHED (EARLIER) " : "VANISHED ") + r.uids());
            case Response.Search r -> numbers("SEARCH", r.numbers(), r.modSeq());
            case Response.Sort r -> numbers("SORT", r.numbers(), r.modSeq());
            case Response.Esearch r -> esearch(r);
            case Response.Thread r -> thread(r);
            case Response.Quota r -> quota(r);
            case Response.QuotaRoot r -> {
                ascii("QUOTAROOT ");
                mailbox(r.mailbox());
                for (String root : r.roots()) {
                    ascii(" ");
                    astring(root);
                }
            }
            case Response.Namespace r -> namespace(r);
            case Response.Id r -> id(r);
            case Response.Fetch r -> fetch(r);
            case Response.GenUrlAuth r -> {
                ascii("GENURLAUTH");
                for (String url : r.urls()) {
                    ascii(" ");
                    astring(url);
                }
            }
            case Response.UrlFetch r -> urlFetch(r);
        }
        out.write(CRLF);
    }

    // ---- responses --------------------------------------------------------------------------

    private void status(StatusResponse r) throws IOException {
        if (r.tag() != null) ascii(r.tag() + " ");
        ascii(r.kind().name());
        if (r.code() != null) ascii(" [" + r.code().text() + "]");
        ascii(" ");
        text(r.text().isBlank() ? r.kind().name().toLowerCase(java.util.Locale.ROOT) : r.text());
    }

    private void atoms(String name, List<String> atoms) throws IOException {
        ascii(name);
        for (String atom : atoms) ascii(" " + atom);
    }

    /** mailbox-list = "(" [mbx-list-flags] ")" SP (DQUOTE QUOTED-CHAR DQUOTE / nil) SP mailbox [SP mbox-list-extended]. */
    private void listMailbox(Response.ListMailbox r) throws IOException {
        ascii(r.lsub() ? "LSUB " : "LIST ");
        list(r.attributes());
        ascii(" ");
        delimiter(r.delimiter());
        ascii(" ");
        mailbox(r.mailbox());
        if (r.childInfo().isEmpty() && r.oldName() == null) return;
        ascii(" (");
        if (!r.childInfo().isEmpty()) {
            ascii("\"CHILDINFO\" ");
            parenthesized(r.childInfo(), this::string);
        }
        if (r.oldName() != null) {
            if (!r.childInfo().isEmpty()) ascii(" ");
            ascii("\"OLDNAME\" (");
            mailbox(r.oldName());
            ascii(")");
        }
        ascii(")");
    }

    private void delimiter(Character delimiter) throws IOException {
        if (delimiter == null) {
            ascii("NIL");
        } else {
            string(delimiter.toString());
        }
    }

    private void mailboxStatus(Response.MailboxStatus r) throws IOException {
        ascii("STATUS ");
        mailbox(r.mailbox());
        ascii(" ");
        parenthesized(r.values(), value -> ascii(value.item().atom() + " " + (value.value() == null ? "NIL" : value.value())));
    }

    private void numbers(String name, long[] numbers, OptionalLong modSeq) throws IOException {
        ascii(name);
        for (long n : numbers) ascii(" " + n);
        // RFC 7162 section 3.1.5: the MODSEQ of the matches, only when there are matches
        if (modSeq.isPresent() && numbers.length > 0) ascii(" (MODSEQ " + modSeq.getAsLong() + ")");
    }

    /** RFC 4731 section 3.1, RFC 5267, RFC 9394. */
    private void esearch(Response.Esearch r) throws IOException {
        ascii("ESEARCH");
        if (r.tag() != null) ascii(" (TAG " + quote(r.tag()) + ")");
        if (r.uid()) ascii(" UID");
        if (r.min().isPresent()) ascii(" MIN " + r.min().getAsLong());
        if (r.max().isPresent()) ascii(" MAX " + r.max().getAsLong());
        if (r.all() != null) ascii(" ALL " + r.all());
        if (r.count().isPresent()) ascii(" COUNT " + r.count().getAsLong());
        if (r.partial() != null) {
            ascii(" PARTIAL (" + r.partial().range() + " " + (r.partial().set() == null ? "NIL" : r.partial().set()) + ")");
        }
        if (r.modSeq().isPresent()) ascii(" MODSEQ " + r.modSeq().getAsLong());
        for (Response.ContextUpdate update : r.updates()) {
            ascii((update.add() ? " ADDTO (" : " REMOVEFROM (") + update.position() + " " + update.set() + ")");
        }
    }

    /** RFC 5256 section 4: thread-list = "(" (thread-members / thread-nested) ")". */
    private void thread(Response.Thread r) throws IOException {
        ascii("THREAD");
        if (!r.threads().isEmpty()) ascii(" ");
        for (Response.ThreadNode root : r.threads()) {
            ascii("(");
            threadContent(root);
            ascii(")");
        }
    }

    /**
     * thread-members = nz-number *(SP nz-number) [SP thread-nested]; thread-nested = 2*thread-list.
     * A chain of single replies is written iteratively; a missing parent (0) writes only its children.
     */
    private void threadContent(Response.ThreadNode start) throws IOException {
        Response.ThreadNode node = start;
        boolean first = true;
        while (true) {
            if (node.message() != 0) {
                if (!first) ascii(" ");
                ascii(Long.toString(node.message()));
                first = false;
            }
            if (node.children().size() == 1) {
                node = node.children().getFirst();
                continue;
            }
            if (!node.children().isEmpty()) {
                if (!first) ascii(" ");
                for (Response.ThreadNode child : node.children()) {
                    ascii("(");
                    threadContent(child);
                    ascii(")");
                }
            }
            return;
        }
    }

    /** RFC 9208: "QUOTA" SP quota-root-name SP "(" [resource usage limit ...] ")". */
    private void quota(Response.Quota r) throws IOException {
        ascii("QUOTA ");
        astring(r.root());
        ascii(" ");
        parenthesized(r.resources(), resource -> ascii(resource.name() + " " + resource.usage() + " " + resource.limit()));
    }

    private void namespace(Response.Namespace r) throws IOException {
        ascii("NAMESPACE ");
        namespaces(r.personal());
        ascii(" ");
        namespaces(r.otherUsers());
        ascii(" ");
        namespaces(r.shared());
    }

    /** "(" 1*("(" string SP (DQUOTE QUOTED-CHAR DQUOTE / nil) ")") ")" / nil, the entries not separated. */
    private void namespaces(List<Response.NamespaceEntry> entries) throws IOException {
        if (entries.isEmpty()) {
            ascii("NIL");
            return;
        }
        ascii("(");
        for (Response.NamespaceEntry entry : entries) {
            ascii("(");
            string(encodeMailbox(entry.prefix()));
            ascii(" ");
            delimiter(entry.delimiter());
            ascii(")");
        }
        ascii(")");
    }

    private void id(Response.Id r) throws IOException {
        ascii("ID ");
        parenthesizedOrNil(r.fields(), field -> {
            string(field.name());
            ascii(" ");
            nstring(field.value());
        });
    }

    /** RFC 4467, RFC 5524. */
    private void urlFetch(Response.UrlFetch r) throws IOException {
        ascii("URLFETCH ");
        astring(r.url());
        ascii(" ");
        if (!r.extended()) {
            content(r.content(), false);
            return;
        }
        ascii("(");
        boolean space = false;
        if (r.structure() != null) {
            ascii("BODYPARTSTRUCTURE ");
            bodyStructure(r.structure(), true);
            space = true;
        }
        if (r.content() != null) {
            if (space) ascii(" ");
            ascii(r.binary() ? "BINARY " : "BODY ");
            content(r.content(), r.binary());
        }
        ascii(")");
    }

    // ---- FETCH ------------------------------------------------------------------------------

    private void fetch(Response.Fetch r) throws IOException {
        ascii(r.sequenceNumber() + " FETCH ");
        parenthesized(r.items(), this::fetchItem);
    }

    private void fetchItem(FetchItem item) throws IOException {
        switch (item) {
            case FetchItem.Uid i -> ascii("UID " + i.uid());
            case FetchItem.Flags i -> {
                ascii("FLAGS ");
                list(i.flags());
            }
            case FetchItem.InternalDate i -> ascii("INTERNALDATE \"" + ImapDates.formatDateTime(i.date()) + "\"");
            case FetchItem.Rfc822Size i -> ascii("RFC822.SIZE " + i.size());
            case FetchItem.EnvelopeItem i -> {
                ascii("ENVELOPE ");
                envelope(i.envelope());
            }
            case FetchItem.Structure i -> {
                ascii(i.extensible() ? "BODYSTRUCTURE " : "BODY ");
                bodyStructure(i.structure(), i.extensible());
            }
            case FetchItem.ModSeq i -> ascii("MODSEQ (" + i.modSeq() + ")");
            case FetchItem.BodySection i -> {
                ascii("BODY[");
                section(i.section());
                ascii("]");
                origin(i.origin());
                content(i.content(), false);
            }
            case FetchItem.Binary i -> {
                ascii("BINARY[" + partNumber(i.part()) + "]");
                origin(i.origin());
                content(i.content(), true);
            }
            case FetchItem.BinarySize i -> ascii("BINARY.SIZE[" + partNumber(i.part()) + "] " + i.size());
            case FetchItem.Rfc822 i -> {
                ascii(i.which().atom() + " ");
                content(i.content(), false);
            }
        }
    }

    private void section(Section section) throws IOException {
        String part = partNumber(section.part());
        ascii(part);
        if (section.text() != null) ascii((part.isEmpty() ? "" : ".") + section.text().atom());
        if (section.headerFields().isEmpty()) return;
        ascii(" ");
        parenthesized(section.headerFields(), this::astring);
    }

    private static String partNumber(List<Integer> part) {
        StringBuilder out = new StringBuilder();
        for (int number : part) {
            if (!out.isEmpty()) out.append('.');
            out.append(number);
        }
        return out.toString();
    }

    /** " &lt;origin&gt;" of a partial fetch's response, before the content. */
    private void origin(OptionalLong origin) throws IOException {
        ascii(origin.isPresent() ? "<" + origin.getAsLong() + "> " : " ");
    }

    /** envelope = "(" date SP subject SP from SP sender SP reply-to SP to SP cc SP bcc SP in-reply-to SP message-id ")". */
    private void envelope(Envelope e) throws IOException {
        ascii("(");
        nstring(e.date());
        ascii(" ");
        nstring(e.subject());
        for (List<Address> addresses : List.of(e.from(), e.sender(), e.replyTo(), e.to(), e.cc(), e.bcc())) {
            ascii(" ");
            addresses(addresses);
        }
        ascii(" ");
        nstring(e.inReplyTo());
        ascii(" ");
        nstring(e.messageId());
        ascii(")");
    }

    /** "(" 1*address ")" / nil; a group is its start marker, its members and its end marker. */
    private void addresses(List<Address> addresses) throws IOException {
        if (addresses.isEmpty()) {
            ascii("NIL");
            return;
        }
        ascii("(");
        for (Address address : addresses) {
            switch (address) {
                case Address.Mailbox m -> address(m);
                case Address.Group g -> {
                    address(new Address.Mailbox(null, null, g.name(), null));
                    for (Address.Mailbox member : g.members()) address(member);
                    address(new Address.Mailbox(null, null, null, null));
                }
            }
        }
        ascii(")");
    }

    /** address = "(" addr-name SP addr-adl SP addr-mailbox SP addr-host ")", each an nstring. */
    private void address(Address.Mailbox m) throws IOException {
        parenthesized(Arrays.asList(m.name(), m.adl(), m.mailbox(), m.host()), this::nstring);
    }

    /** body (RFC 9051 section 9); {@code extensible} adds the extension data (BODYSTRUCTURE). */
    private void bodyStructure(BodyStructure body, boolean extensible) throws IOException {
        ascii("(");
        switch (body) {
            case BodyStructure.Basic b -> {
                fields(b.fields());
                if (extensible) singlePartExtension(b.md5(), b.extension());
            }
            case BodyStructure.Text t -> {
                fields(t.fields());
                ascii(" " + t.lines());
                if (extensible) singlePartExtension(t.md5(), t.extension());
            }
            case BodyStructure.Message m -> {
                fields(m.fields());
                ascii(" ");
                envelope(m.envelope());
                ascii(" ");
                bodyStructure(m.body(), extensible);
                ascii(" " + m.lines());
                if (extensible) singlePartExtension(m.md5(), m.extension());
            }
            case BodyStructure.Multipart m -> {
                for (BodyStructure part : m.parts()) bodyStructure(part, extensible);
                ascii(" ");
                string(m.subtype());
                if (extensible) {
                    ascii(" ");
                    parameters(m.parameters());
                    extension(m.extension());
                }
            }
        }
        ascii(")");
    }

    /** body-type SP body-subtype SP body-fld-param SP body-fld-id SP body-fld-desc SP body-fld-enc SP body-fld-octets. */
    private void fields(BodyStructure.Fields f) throws IOException {
        string(f.type());
        ascii(" ");
        string(f.subtype());
        ascii(" ");
        parameters(f.parameters());
        ascii(" ");
        nstring(f.id());
        ascii(" ");
        nstring(f.description());
        ascii(" ");
        string(f.encoding() == null ? "7BIT" : f.encoding());
        ascii(" " + f.size());
    }

    private void singlePartExtension(String md5, BodyStructure.Extension extension) throws IOException {
        ascii(" ");
        nstring(md5);
        extension(extension);
    }

    /** SP body-fld-dsp SP body-fld-lang SP body-fld-loc. */
    private void extension(BodyStructure.Extension extension) throws IOException {
        ascii(" ");
        BodyStructure.Disposition disposition = extension.disposition();
        if (disposition == null) {
            ascii("NIL");
        } else {
            ascii("(");
            string(disposition.type());
            ascii(" ");
            parameters(disposition.parameters());
            ascii(")");
        }
        ascii(" ");
        // body-fld-lang = nstring / "(" string *(SP string) ")"
        List<String> language = extension.language();
        if (language.size() == 1) {
            string(language.getFirst());
        } else {
            parenthesizedOrNil(language, this::string);
        }
        ascii(" ");
        nstring(extension.location());
    }

    /** body-fld-param = "(" string SP string *(SP string SP string) ")" / nil. */
    private void parameters(List<BodyStructure.Parameter> parameters) throws IOException {
        parenthesizedOrNil(parameters, parameter -> {
            string(parameter.name());
            ascii(" ");
            string(parameter.value());
        });
    }

    // ---- strings and lists ------------------------------------------------------------------

    /** Writes one element of a list. */
    @FunctionalInterface
    private interface Element<T> {
        void write(T element) throws IOException;
    }

    /** "(" elements separated by SP ")". */
    private <T> void parenthesized(List<T> elements, Element<T> each) throws IOException {
        ascii("(");
        for (int i = 0; i < elements.size(); i++) {
            if (i > 0) ascii(" ");
            each.write(elements.get(i));
        }
        ascii(")");
    }

    /** NIL for no elements, else a parenthesised list. */
    private <T> void parenthesizedOrNil(List<T> elements, Element<T> each) throws IOException {
        if (elements.isEmpty()) {
            ascii("NIL");
        } else {
            parenthesized(elements, each);
        }
    }

    /** A parenthesised list of atoms (flags, attributes). */
    private void list(List<String> atoms) throws IOException {
        ascii("(" + String.join(" ", atoms) + ")");
    }

    /** A mailbox name: encoded, then written as an astring. */
    private void mailbox(String name) throws IOException {
        astring(encodeMailbox(name));
    }

    private String encodeMailbox(String name) {
        return utf8 ? name : ModifiedUtf7.encode(name);
    }

    /** astring: an atom when the value is one (and not NIL), else a string. */
    private void astring(String value) throws IOException {
        if (isAtom(value)) {
            ascii(value);
        } else {
            string(value);
        }
    }

    private static boolean isAtom(String value) {
        if (value.isEmpty() || value.equalsIgnoreCase("NIL")) return false;
        for (int i = 0; i < value.length(); i++) {
            if (!Arguments.isAstringChar(value.charAt(i))) return false;
        }
        return true;
    }

    private void nstring(String value) throws IOException {
        if (value == null) {
            ascii("NIL");
        } else {
            string(value);
        }
    }

    private void string(String value) throws IOException {
        string(value.getBytes(StandardCharsets.UTF_8));
    }

    /** string: quoted when every byte may be quoted, else a literal. NUL is sent as 0x80. */
    private void string(byte[] bytes) throws IOException {
        byte[] data = withoutNul(bytes);
        if (isQuotable(data)) {
            out.write('"');
            int start = 0;
            for (int i = 0; i < data.length; i++) {
                if (data[i] == '"' || data[i] == '\\') {
                    out.write(data, start, i - start);
                    out.write('\\');
                    start = i;
                }
            }
            out.write(data, start, data.length - start);
            out.write('"');
        } else {
            ascii("{" + data.length + "}\r\n");
            out.write(data);
        }
    }

    /**
     * quoted = DQUOTE *QUOTED-CHAR DQUOTE: TEXT-CHAR (no CR, LF or NUL) and, once UTF-8 is
     * enabled, UTF-8 (RFC 9051 section 9, RFC 6855 section 3).
     */
    private boolean isQuotable(byte[] data) {
        if (data.length > MAX_QUOTED) return false;
        boolean eightBit = false;
        for (byte b : data) {
            if (b == '\r' || b == '\n' || b == 0) return false;
            if (b < 0) eightBit = true;
        }
        return !eightBit || utf8 && isUtf8(data);
    }

    private static boolean isUtf8(byte[] data) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static byte[] withoutNul(byte[] bytes) {
        byte[] copy = null;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                if (copy == null) copy = bytes.clone();
                copy[i] = (byte) 0x80;
            }
        }
        return copy == null ? bytes : copy;
    }

    /**
     * A body item's content: NIL, a string, or a literal copied from its stream. In BINARY items
     * ({@code binaryItem}) data that may hold NUL is a literal8 (RFC 3516).
     */
    private void content(Content content, boolean binaryItem) throws IOException {
        switch (content) {
            case Content.Nil n -> ascii("NIL");
            case Content.Bytes b -> {
                if (binaryItem && hasNul(b.data())) {
                    ascii("~{" + b.data().length + "}\r\n");
                    out.write(b.data());
                } else {
                    string(b.data());
                }
            }
            case Content.Stream s -> {
                boolean literal8 = binaryItem && s.binary();
                ascii((literal8 ? "~{" : "{") + s.size() + "}\r\n");
                try (InputStream in = s.source().open()) {
                    copy(in, s.size(), !literal8);
                }
            }
        }
    }

    private static boolean hasNul(byte[] data) {
        for (byte b : data) {
            if (b == 0) return true;
        }
        return false;
    }

    /** Copies exactly {@code size} bytes; a source that ends early breaks the response, so it fails. */
    private void copy(InputStream in, long size, boolean replaceNul) throws IOException {
        byte[] chunk = new byte[(int) Math.min(COPY_CHUNK, Math.max(1, size))];
        long left = size;
        while (left > 0) {
            int n = in.read(chunk, 0, (int) Math.min(chunk.length, left));
            if (n < 0) throw new IOException("content ended " + left + " bytes before its announced size");
            if (replaceNul) {
                for (int i = ByteSearch.indexOf(chunk, 0, n, (byte) 0); i < n; i = ByteSearch.indexOf(chunk, i + 1, n, (byte) 0)) {
                    chunk[i] = (byte) 0x80;
                }
            }
            out.write(chunk, 0, n);
            left -= n;
        }
    }

    /** resp-text: CR, LF and NUL become spaces; 8-bit text only once UTF-8 is enabled. */
    private void text(String text) throws IOException {
        StringBuilder clean = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                clean.append(' ');
            } else if (c > 0x7e && !utf8) {
                clean.append('?');
            } else {
                clean.append(c);
            }
        }
        out.write(clean.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void ascii(String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A quoted string of printable ASCII, for response codes; other characters are left out. */
    static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) continue;
            if (c == '"' || c == '\\') out.append('\\');
            out.append(c);
        }
        return out.append('"').toString();
    }
}
