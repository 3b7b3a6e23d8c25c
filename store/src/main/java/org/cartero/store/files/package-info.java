/**
 * File durability (flushing directories, telling a full disk), the ownership of users' files, and
 * reading ranges of files.
 */
package org.cartero.store.files;
