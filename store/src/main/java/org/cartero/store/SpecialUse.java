package org.cartero.store;

import java.util.Locale;

/** The special-use folders of RFC 6154 section 2 that the store creates on first use. */
public enum SpecialUse {
    SENT("Sent"), DRAFTS("Drafts"), TRASH("Trash"), JUNK("Junk"), ARCHIVE("Archive");

    private final String defaultName;

    SpecialUse(String defaultName) {
        this.defaultName = defaultName;
    }

    /** The folder created for this use when the account has none yet. */
    public String defaultName() {
        return defaultName;
    }

    /** The attribute as IMAP LIST shows it: "\Sent". */
    public String attribute() {
        return "\\" + defaultName;
    }

    /** The use whose attribute is {@code attribute} ("\Sent", any case), or null. */
    public static SpecialUse ofAttribute(String attribute) {
        for (SpecialUse use : values()) if (use.attribute().equalsIgnoreCase(attribute)) return use;
        return null;
    }

    /** The use a folder named like the default has ("Sent" is \Sent), or null. */
    public static SpecialUse ofDefaultName(String name) {
        for (SpecialUse use : values()) if (use.defaultName.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) return use;
        return null;
    }
}
