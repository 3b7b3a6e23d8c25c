/** The per-account SQLite index (WAL): schema, transactions and the queries the store runs. */
package org.cartero.store.index;
