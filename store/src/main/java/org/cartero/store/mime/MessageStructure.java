package org.cartero.store.mime;

/**
 * What the store learns from a message once, when it arrives: its envelope, its MIME tree, its
 * size both as stored and on the wire (RFC822.SIZE), and the address of its first Return-Path
 * field (null if none; "" for the null sender), which an mbox's From_ line names.
 */
public record MessageStructure(Envelope envelope, Part root, long storedSize, long wireSize, String returnPath) {}
