/** File durability (flushing directories, telling a full disk) and the ownership of users' files. */
package org.cartero.store.files;
