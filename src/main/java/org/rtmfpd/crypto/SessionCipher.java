package org.rtmfpd.crypto;

import java.util.Optional;

/**
 * Turns derived session keys and both keying components into the {@link PacketCipher} of one end,
 * applying the HMAC and session-sequence-number negotiation rules (RFC 7425 §4.6.4).
 */
public final class SessionCipher {
    private SessionCipher() {
    }

    /**
     * The cipher for the end whose own component is {@code near}; empty when {@code near} requires HMAC
     * or sequence numbers and {@code far} offers neither "always" nor "on request".
     */
    public static Optional<PacketCipher> negotiate(SessionKeys keys, KeyingComponent near, KeyingComponent far) {
        KeyingComponent.Hmac nearHmac = near.hmac();
        KeyingComponent.Hmac farHmac = far.hmac();
        Negotiation nearSseq = near.sseq();
        Negotiation farSseq = far.sseq();
        if (!Negotiation.compatible(nearHmac.negotiation(), farHmac.negotiation())
                || !Negotiation.compatible(nearSseq, farSseq)) {
            return Optional.empty();
        }
        boolean sendHmac = Negotiation.nearSends(nearHmac.negotiation(), farHmac.negotiation());
        boolean checkHmac = Negotiation.nearChecks(nearHmac.negotiation(), farHmac.negotiation());
        if ((sendHmac && !validLength(nearHmac.length())) || (checkHmac && !validLength(farHmac.length()))) {
            return Optional.empty();
        }
        return Optional.of(PacketCipher.forSession(keys,
                sendHmac ? nearHmac.length() : 0,
                checkHmac ? farHmac.length() : 0,
                Negotiation.nearSends(nearSseq, farSseq),
                Negotiation.nearChecks(nearSseq, farSseq)));
    }

    private static boolean validLength(int length) {
        return length >= KeyingComponent.MIN_HMAC_LENGTH && length <= KeyingComponent.MAX_HMAC_LENGTH;
    }
}
