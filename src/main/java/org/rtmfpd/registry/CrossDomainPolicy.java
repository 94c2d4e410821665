package org.rtmfpd.registry;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The Flash cross-domain policy file served at {@code /crossdomain.xml}: Flash Player fetches it before
 * it lets a SWF from another site call the registry. It allows the domains the operator lists
 * ({@code *} by default), from SWFs loaded over HTTP as well as HTTPS ({@code secure="false"}), and
 * names itself the only policy of this host ({@code master-only}).
 */
public final class CrossDomainPolicy {
    /** Domains allowed when the operator sets none: every site. */
    public static final List<String> ALLOW_ALL = List.of("*");
    /** A domain as Flash Player matches it: a host name or IP, optionally starting with {@code *.}, or {@code *}. */
    private static final Pattern DOMAIN = Pattern.compile("\\*|(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,62})"
            + "(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*");
    /** Most domains in a policy. */
    public static final int MAX_DOMAINS = 100;

    private CrossDomainPolicy() {
    }

    /** Why {@code domain} cannot be listed, or null if it can. */
    public static String problem(String domain) {
        if (domain.length() > 253 || !DOMAIN.matcher(domain).matches()) {
            return "'" + domain + "' is not a domain Flash Player can match: write a host name, *.example.com or *";
        }
        return null;
    }

    /** The policy document allowing {@code domains} (each checked by {@link #problem}). */
    public static String render(List<String> domains) {
        if (domains.isEmpty() || domains.size() > MAX_DOMAINS) {
            throw new IllegalArgumentException("list 1 to " + MAX_DOMAINS + " domains");
        }
        StringBuilder out = new StringBuilder(RegistryAnswer.DECLARATION)
                .append("<!DOCTYPE cross-domain-policy SYSTEM \"http://www.adobe.com/xml/dtds/cross-domain-policy.dtd\">\n")
                .append("<cross-domain-policy>\n")
                .append("  <site-control permitted-cross-domain-policies=\"master-only\"/>\n");
        for (String d : domains) {
            String p = problem(d);
            if (p != null) {
                throw new IllegalArgumentException(p);
            }
            out.append("  <allow-access-from domain=\"").append(d).append("\" secure=\"false\"/>\n");
        }
        return out.append("</cross-domain-policy>\n").toString();
    }
}
