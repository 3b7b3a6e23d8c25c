package org.cartero.imap.imaptest;

import java.util.List;

/**
 * One argument of an IMAP line as imaptest's parser (Dovecot's imap-parser) sees it: an atom,
 * NIL, a string (quoted or literal) or a parenthesised list. Text is kept byte for byte: each
 * byte is one ISO-8859-1 char, so binary literals and 8-bit mailbox names compare exactly.
 */
sealed interface ImapArg {

    /** An atom; with imaptest's parser this is anything up to a space, line end or list end. */
    record Atom(String text) implements ImapArg {}

    /** The atom NIL in any letter case; the spelling is kept for reports. */
    record Nil(String text) implements ImapArg {}

    /** A quoted string or a literal; {@code form} only matters for reports. */
    record Str(String text, Form form) implements ImapArg {}

    /** A parenthesised list. */
    record ArgList(List<ImapArg> items) implements ImapArg {}

    enum Form { QUOTED, LITERAL, LITERAL8 }

    /** imap_arg_get_astring(): the text of an atom or string, null for NIL and lists. */
    default String astring() {
        return switch (this) {
            case Atom atom -> atom.text();
            case Str str -> str.text();
            case Nil nil -> null;
            case ArgList list -> null;
        };
    }

    /** The text of an atom, null for anything else. */
    default String atom() {
        return this instanceof Atom atom ? atom.text() : null;
    }

    /** Renders arguments the way a report shows them: IMAP syntax, long literals shortened. */
    static String render(List<ImapArg> args) {
        StringBuilder out = new StringBuilder();
        render(args, out);
        return out.toString();
    }

    private static void render(List<ImapArg> args, StringBuilder out) {
        for (int i = 0; i < args.size(); i++) {
            if (i > 0) {
                out.append(' ');
            }
            switch (args.get(i)) {
                case Atom atom -> out.append(atom.text());
                case Nil nil -> out.append(nil.text());
                case Str str -> renderString(str, out);
                case ArgList list -> {
                    out.append('(');
                    render(list.items(), out);
                    out.append(')');
                }
            }
        }
    }

    private static void renderString(Str str, StringBuilder out) {
        if (str.form() != Form.QUOTED) {
            out.append(str.form() == Form.LITERAL8 ? "~{" : "{").append(str.text().length()).append('}');
        }
        out.append(Text.quoteForReport(str.text()));
    }
}
