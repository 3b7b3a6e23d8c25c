package org.cartero.store.mime;

/** A MIME parameter as written (RFC 2045 section 5.1; RFC 2231 names such as "filename*" kept as is). */
public record Param(String name, String value) {}
