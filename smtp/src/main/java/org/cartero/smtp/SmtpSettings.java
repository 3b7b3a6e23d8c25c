package org.cartero.smtp;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.cartero.core.config.ConfigException;
import org.cartero.core.config.ConfigSection;
import org.cartero.core.mail.MailAddress;
import org.cartero.smtp.protocol.BareLineEndings;

/**
 * The {@code [smtp]} keys of the SMTP server, the queue and its scheduler. (The SMTP client's
 * keys — relay host, routes, resolver, connection limits — are read by the client's own settings
 * from the same section.) docs/configuration.md documents every key.
 *
 * @param maxMessageSize       the largest message accepted, announced with SIZE (RFC 1870)
 * @param maxRecipients        recipients per message; more get 452 4.5.3 (RFC 5321 section 4.5.3.1.10)
 * @param errorsBeforeDelay    failed commands in a session after which each reply waits {@code errorDelay}
 * @param maxErrors            failed commands after which the session is closed with 421
 * @param errorDelay           the wait before each reply once {@code errorsBeforeDelay} is reached
 * @param maxJunkCommands      commands that move no mail (NOOP, RSET, VRFY, EXPN, HELP, repeated HELO/EHLO)
 *                             a session may send before it is closed with 421
 * @param dataTimeout          how long the server waits for each block of DATA or BDAT content
 *                             (RFC 5321 section 4.5.3.2.5); between commands {@code [timeouts] smtp} applies
 * @param bareLineEndings      what happens to a message with a bare CR or LF
 * @param postmaster           where mail to postmaster@ a hosted domain goes when nothing in the
 *                             directory has that address; empty: postmaster@hostname, then root
 * @param srsDomain            the domain of SRS addresses; empty: the hostname
 * @param queueLifetime        how long a message may wait in the queue before it is returned
 * @param delayWarning         the age at which a sender is told once that the message is delayed; zero: never
 * @param retryMin             the wait after the first failed attempt; it doubles with each failure
 * @param retryMax             the longest wait between attempts
 * @param deliveryConcurrency  deliveries under way at once
 * @param bounceSizeLimit      the largest original message returned whole in a bounce; a larger
 *                             one is returned as its header only
 */
public record SmtpSettings(
        long maxMessageSize,
        int maxRecipients,
        int errorsBeforeDelay,
        int maxErrors,
        Duration errorDelay,
        int maxJunkCommands,
        Duration dataTimeout,
        BareLineEndings bareLineEndings,
        Optional<MailAddress> postmaster,
        Optional<String> srsDomain,
        Duration queueLifetime,
        Duration delayWarning,
        Duration retryMin,
        Duration retryMax,
        int deliveryConcurrency,
        long bounceSizeLimit) {

    public static SmtpSettings from(ConfigSection smtp) throws ConfigException {
        long maxMessageSize = smtp.size("max_message_size", 50L << 20);
        if (maxMessageSize < 1024) throw smtp.error("max_message_size", "must be at least 1K");
        int maxErrors = smtp.integer("max_errors", 20, 1, 10_000);
        int errorsBeforeDelay = smtp.integer("errors_before_delay", 10, 0, 10_000);
        if (errorsBeforeDelay > maxErrors) {
            throw smtp.error("errors_before_delay", "must not be larger than max_errors (" + maxErrors + ")");
        }
        BareLineEndings bare = switch (smtp.string("bare_newline", "normalize").toLowerCase(Locale.ROOT)) {
            case "normalize" -> BareLineEndings.NORMALIZE;
            case "reject" -> BareLineEndings.REJECT;
            default -> throw smtp.error("bare_newline", "expected \"normalize\" or \"reject\"");
        };
        Optional<MailAddress> postmaster = Optional.empty();
        String postmasterText = smtp.string("postmaster", "");
        if (!postmasterText.isEmpty()) {
            try {
                postmaster = Optional.of(MailAddress.parse(postmasterText));
            } catch (IllegalArgumentException e) {
                throw smtp.error("postmaster", "not an address: " + e.getMessage());
            }
        }
        String srsText = smtp.string("srs_domain", "").toLowerCase(Locale.ROOT);
        if (!srsText.isEmpty() && !MailAddress.isDomain(srsText)) throw smtp.error("srs_domain", "not a domain name");
        Duration retryMin = positive(smtp, "retry_min", Duration.ofMinutes(5));
        Duration retryMax = positive(smtp, "retry_max", Duration.ofHours(1));
        if (retryMax.compareTo(retryMin) < 0) throw smtp.error("retry_max", "must not be shorter than retry_min");
        return new SmtpSettings(
                maxMessageSize,
                smtp.integer("max_recipients", 1000, 1, 1_000_000),
                errorsBeforeDelay,
                maxErrors,
                smtp.duration("error_delay", Duration.ofSeconds(1)),
                smtp.integer("max_junk_commands", 100, 1, 1_000_000),
                positive(smtp, "data_timeout", Duration.ofMinutes(3)),
                bare,
                postmaster,
                srsText.isEmpty() ? Optional.empty() : Optional.of(srsText),
                positive(smtp, "queue_lifetime", Duration.ofDays(5)),
                smtp.duration("delay_warning", Duration.ofHours(4)),
                retryMin,
                retryMax,
                smtp.integer("delivery_concurrency", 100, 1, 10_000),
                smtp.size("bounce_size_limit", 1L << 20));
    }

    /** The SRS domain: {@code srs_domain}, else the server's host name. */
    public String srsDomain(String hostname) {
        return srsDomain.orElse(hostname);
    }

    private static Duration positive(ConfigSection smtp, String key, Duration defaultValue) throws ConfigException {
        Duration value = smtp.duration(key, defaultValue);
        if (value.isZero()) throw smtp.error(key, "must be longer than 0");
        return value;
    }
}
