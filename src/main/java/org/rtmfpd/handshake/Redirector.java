package org.rtmfpd.handshake;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * Where a new client goes instead of this server: RFC 7016 §3.5.1.4 (a server answers an IHello with a
 * Redirect to other responders) used for §3.5.1.7 (load balancing). Asked for each IHello addressed to
 * this server; an empty answer means "answer it here", with an RHello, as a lone server does.
 */
@FunctionalInterface
public interface Redirector {
    /** Never redirects: one server alone. */
    Redirector NONE = full -> List.of();

    /**
     * The addresses of other servers to send a new client to, given whether this server holds its
     * max-sessions sessions now; empty to answer the client here.
     */
    List<InetSocketAddress> elsewhere(boolean full);
}
