package dev.tokenauth.audit;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The network a source address stands for, in one spelling: an IPv4 address as itself, an IPv6
 * address as its /64 (one subscriber's network, RFC 6177; any host in it is the same client to a
 * per-address limit). Upper case, leading zeros, {@code ::} compression and IPv4-mapped IPv6 give
 * the same value.
 */
public final class SourceAddress {

    /** Only address characters: a string of these is parsed as a literal, never looked up in DNS. */
    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f:.]{1,44}");
    private static final Pattern IPV4_LITERAL = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    /** What an unparseable source is cut to: it still keys a budget, but never a large item. */
    private static final int MAX_OTHER = 64;

    private SourceAddress() {
    }

    /** The canonical IPv4 address, the IPv6 /64 as {@code xxxx:xxxx:xxxx:xxxx::/64}, or the input, lower-cased and cut. */
    public static String network(String address) {
        String text = address == null ? "" : address.strip();
        var v4 = IPV4_LITERAL.matcher(text);
        if (v4.matches()) {
            return ipv4(text, v4);
        }
        if (text.indexOf(':') >= 0 && IPV6_LITERAL.matcher(text).matches()) {
            try {
                // A literal with a colon is parsed, or refused, without any lookup.
                InetAddress parsed = InetAddress.getByName(text);
                if (parsed instanceof Inet4Address mapped) {
                    return mapped.getHostAddress();
                }
                if (parsed instanceof Inet6Address v6) {
                    byte[] bytes = v6.getAddress();
                    var hex = HexFormat.of();
                    var network = new StringBuilder();
                    for (int i = 0; i < 8; i += 2) {
                        network.append(hex.toHexDigits(bytes[i])).append(hex.toHexDigits(bytes[i + 1])).append(':');
                    }
                    return network.append(":/64").toString();
                }
            } catch (UnknownHostException e) {
                // not an address: keyed as written, below
            }
        }
        String lower = text.toLowerCase(Locale.ROOT);
        return lower.length() > MAX_OTHER ? lower.substring(0, MAX_OTHER) : lower;
    }

    private static String ipv4(String text, Matcher octets) {
        var canonical = new StringBuilder();
        for (int i = 1; i <= 4; i++) {
            int octet = Integer.parseInt(octets.group(i));
            if (octet > 255) {
                return text;
            }
            canonical.append(i > 1 ? "." : "").append(octet);
        }
        return canonical.toString();
    }
}
