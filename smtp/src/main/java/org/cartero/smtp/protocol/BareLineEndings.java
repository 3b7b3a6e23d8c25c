package org.cartero.smtp.protocol;

/**
 * What a {@link DataReader} does with a CR or LF in the message data that is not part of a CRLF
 * pair. RFC 5321 section 2.3.8 forbids them, and servers that took a bare LF (or CR) as a line end
 * let "\n.\n" end a message early: the rest of the data then ran as commands, and a sender could
 * slip a second, forged message past the first one's checks (SMTP smuggling, CVE-2023-51766 and
 * its kin). Under either policy Cartero ends the data only at CRLF "." CRLF, so no bare line end
 * ever ends a message; the policies differ in what becomes of a message that contains one.
 */
public enum BareLineEndings {

    /**
     * Accept the message with every bare CR and bare LF turned into CRLF, so the stored message
     * holds only CRLF line ends and cannot smuggle anything when relayed on. Only a CRLF starts a
     * line, so a "." after a bare line end is plain content: neither the end of the data nor a
     * stuffed dot. This is Postfix's {@code smtpd_forbid_bare_newline = normalize}.
     */
    NORMALIZE,

    /**
     * Read the data to its CRLF "." CRLF, then refuse the message with 550 5.5.2, so the session
     * stays in step with the client. Postfix's {@code smtpd_forbid_bare_newline = reject}.
     */
    REJECT
}
