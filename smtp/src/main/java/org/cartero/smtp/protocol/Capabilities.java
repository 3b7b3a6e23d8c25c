package org.cartero.smtp.protocol;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The reply to EHLO (RFC 5321 section 4.1.1.1): a greeting line, then one line per service
 * extension, "keyword *(SP param)". The server writes one with {@link #toReply()}, the client
 * reads one with {@link #parse(Reply)}.
 *
 * @param greeting   the first line: the server's domain and optional text
 * @param extensions upper-case keyword to parameters, in the order of the reply
 */
public record Capabilities(String greeting, Map<String, List<String>> extensions) {

    public Capabilities {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        extensions.forEach((keyword, parameters) -> copy.put(CommandParser.asciiUpperCase(keyword), List.copyOf(parameters)));
        extensions = Collections.unmodifiableMap(copy);
    }

    /**
     * Reads a 250 reply to EHLO. Lines that are empty are skipped; a keyword may appear once (a
     * second line for the same keyword, like the old "AUTH=LOGIN PLAIN" form, counts as another
     * keyword since "=" is not part of the grammar).
     *
     * @throws IllegalArgumentException if the reply is not a 250
     */
    public static Capabilities parse(Reply reply) {
        if (reply.code() != 250) throw new IllegalArgumentException("not a positive reply to EHLO: " + reply);
        Map<String, List<String>> extensions = new LinkedHashMap<>();
        for (String line : reply.lines().subList(1, reply.lines().size())) {
            String[] words = line.strip().split(" +");
            if (words[0].isEmpty()) continue;
            extensions.putIfAbsent(CommandParser.asciiUpperCase(words[0]), List.of(Arrays.copyOfRange(words, 1, words.length)));
        }
        return new Capabilities(reply.lines().getFirst(), extensions);
    }

    public boolean supports(Extension extension) {
        return extensions.containsKey(extension.keyword());
    }

    public List<String> parameters(Extension extension) {
        return extensions.getOrDefault(extension.keyword(), List.of());
    }

    /**
     * The server's fixed message size limit (RFC 1870 section 4): empty when SIZE is not offered,
     * has no number, or has 0 (no fixed limit).
     */
    public OptionalLong sizeLimit() {
        List<String> parameters = parameters(Extension.SIZE);
        if (parameters.isEmpty() || !parameters.getFirst().matches("[0-9]{1,18}")) return OptionalLong.empty();
        long limit = Long.parseLong(parameters.getFirst());
        return limit == 0 ? OptionalLong.empty() : OptionalLong.of(limit);
    }

    /** The SASL mechanisms after AUTH (RFC 4954 section 3), in upper case. */
    public Set<String> authMechanisms() {
        return parameters(Extension.AUTH).stream().map(CommandParser::asciiUpperCase)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** The 250 reply, without enhanced status codes (RFC 2034 section 4). */
    public Reply toReply() {
        List<String> lines = new ArrayList<>();
        lines.add(greeting);
        extensions.forEach((keyword, parameters) ->
                lines.add(parameters.isEmpty() ? keyword : keyword + " " + String.join(" ", parameters)));
        return new Reply(250, null, lines);
    }
}
