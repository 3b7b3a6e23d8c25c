/**
 * Where mail for a domain goes, found in the DNS with dnsjava: {@link org.cartero.smtp.dns.MxResolver}
 * reads the MX records (RFC 5321 section 5.1, null MX of RFC 7505), falls back to the implicit MX,
 * looks up each host's AAAA and A addresses and orders them for connecting; a failure says whether
 * it is permanent, with its enhanced status code, in a {@link org.cartero.smtp.dns.DnsException}.
 */
package org.cartero.smtp.dns;
