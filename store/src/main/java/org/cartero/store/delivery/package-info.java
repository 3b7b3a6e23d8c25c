/** Local delivery: the store's entry for SMTP, one message for one recipient into INBOX. */
package org.cartero.store.delivery;
