package org.cartero.smtp.protocol;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The parameters of a RCPT command (RFC 5321 section 4.1.1.3, Rcpt-parameters): the delivery
 * status notification requests of RFC 3461.
 *
 * @param notifyOn          NOTIFY= (RFC 3461 section 4.1); empty when not given, {NEVER} alone
 *                          or any of SUCCESS, FAILURE, DELAY
 * @param originalRecipient ORCPT= (RFC 3461 section 4.2)
 */
public record RcptParameters(Set<Notify> notifyOn, Optional<OriginalRecipient> originalRecipient) {

    public static final RcptParameters NONE = new RcptParameters(Set.of(), Optional.empty());

    public RcptParameters {
        notifyOn = notifyOn.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(notifyOn));
        if (notifyOn.contains(Notify.NEVER) && notifyOn.size() > 1) {
            throw new IllegalArgumentException("NOTIFY=NEVER cannot be combined with other values");
        }
    }

    /** NOTIFY= values. */
    public enum Notify {
        NEVER, SUCCESS, FAILURE, DELAY
    }

    /** The parameters as they follow the path on the wire, each preceded by a space. */
    String encode() {
        StringBuilder out = new StringBuilder();
        if (!notifyOn.isEmpty()) {
            out.append(" NOTIFY=").append(EnumSet.copyOf(notifyOn).stream().map(Enum::name).collect(Collectors.joining(",")));
        }
        originalRecipient.ifPresent(o -> out.append(" ORCPT=").append(o.encode()));
        return out.toString();
    }
}
