package org.rtmfpd.nat;

/**
 * The four transport addresses of an RFC 5780 server (§3, §4.1): the primary IP1:PORT1 (the RTMFP
 * listen address) and, with {@code stun-alternate = IP2:PORT2}, IP1:PORT2, IP2:PORT1 and IP2:PORT2.
 */
public enum SocketRole {
    /** IP1:PORT1, the RTMFP listen socket. */
    PRIMARY(false, false),
    /** IP1:PORT2. */
    ALTERNATE_PORT(false, true),
    /** IP2:PORT1. */
    ALTERNATE_ADDRESS(true, false),
    /** IP2:PORT2. */
    ALTERNATE_BOTH(true, true);

    private final boolean alternateIp;
    private final boolean alternatePort;

    SocketRole(boolean alternateIp, boolean alternatePort) {
        this.alternateIp = alternateIp;
        this.alternatePort = alternatePort;
    }

    public boolean alternateIp() {
        return alternateIp;
    }

    public boolean alternatePort() {
        return alternatePort;
    }

    /** The socket that answers a request arriving here with CHANGE-REQUEST {@code flags} (RFC 5780 §6.1). */
    public SocketRole changed(int flags) {
        return of(alternateIp ^ (flags & StunAttributes.CHANGE_IP) != 0,
                alternatePort ^ (flags & StunAttributes.CHANGE_PORT) != 0);
    }

    /** The socket whose IP and port are both the other ones: OTHER-ADDRESS (RFC 5780 §7.4). */
    public SocketRole other() {
        return of(!alternateIp, !alternatePort);
    }

    public static SocketRole of(boolean alternateIp, boolean alternatePort) {
        for (SocketRole r : values()) {
            if (r.alternateIp == alternateIp && r.alternatePort == alternatePort) {
                return r;
            }
        }
        throw new AssertionError();
    }
}
