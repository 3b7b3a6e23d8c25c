/** Local delivery: the store's entry for SMTP, messages for recipients here into their INBOX. */
package org.cartero.store.delivery;
