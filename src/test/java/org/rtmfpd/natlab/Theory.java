package org.rtmfpd.natlab;

/**
 * What RFC 7016's introduction (§3.5.1.4–§3.5.1.6: the Redirect gives the initiator the target's
 * addresses, the Forwarded IHello makes the target answer the initiator's) allows between two NAT kinds
 * of RFC 4787. Both ends send toward an address the server saw: that works unless a packet must reach a
 * port that was never announced. A symmetric NAT (address and port-dependent mapping) opens a new port
 * for the peer that the server never saw; that port is reachable only through a NAT whose filtering lets
 * in packets from the symmetric side's new port, so a symmetric NAT meets only peers without NAT, behind
 * full cones (endpoint-independent filtering), and never another symmetric NAT or a port-restricted one.
 * Written apart from {@code org.rtmfpd.nat.DirectReach} (the rule the probe and the check page apply)
 * on purpose: the lab checks real NATs against it, so it must not share that rule's mistakes.
 */
final class Theory {
    private Theory() {
    }

    static boolean allows(String targetKind, String initiatorKind) {
        boolean symmetric = targetKind.equals("symmetric") || initiatorKind.equals("symmetric");
        if (!symmetric) {
            return true;
        }
        String other = targetKind.equals("symmetric") ? initiatorKind : targetKind;
        return other.equals("no NAT") || other.equals("full cone");
    }
}
