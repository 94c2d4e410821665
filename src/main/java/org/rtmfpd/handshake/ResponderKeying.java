package org.rtmfpd.handshake;

import java.util.List;
import java.util.Optional;
import org.rtmfpd.crypto.Certificate;
import org.rtmfpd.crypto.DhGroup;
import org.rtmfpd.crypto.DhKeyPair;
import org.rtmfpd.crypto.KeyingComponent;
import org.rtmfpd.crypto.Negotiation;
import org.rtmfpd.crypto.PacketCipher;
import org.rtmfpd.crypto.SessionCipher;
import org.rtmfpd.crypto.SessionKeys;
import org.rtmfpd.wire.IIKeying;

/**
 * The responder's Diffie-Hellman work for one IIKeying (RFC 7425 §4.6, §7): takes the initiator's
 * static key for the group its SKIC selects, agrees with an ephemeral key, answers its HMAC and
 * sequence-number requests in the SKRC, and derives the session cipher. Pure and thread-safe, so it can
 * run on a worker thread.
 */
public final class ResponderKeying {
    /** The tag length this server sends when the initiator asks for HMAC (RFC 7425 §4.6.4). */
    public static final int HMAC_LENGTH = 16;

    private final List<DhGroup> groups;
    private final EphemeralKeys ephemeralKeys;

    public ResponderKeying(List<DhGroup> groups, EphemeralKeys ephemeralKeys) {
        this.groups = List.copyOf(groups);
        this.ephemeralKeys = ephemeralKeys;
    }

    /** The outcome: a cipher and SKRC, or why the IIKeying is refused. */
    public sealed interface Outcome permits Keyed, Refused {
    }

    /** The handshake can complete: answer with {@code skrc} and use {@code cipher}. */
    public record Keyed(Certificate initiatorCertificate, byte[] skrc, PacketCipher cipher) implements Outcome {
    }

    public record Refused(KeyingRefusal reason, String detail) implements Outcome {
    }

    /** The groups this responder offers, in its certificate's order. */
    public List<DhGroup> groups() {
        return groups;
    }

    /** Checks {@code keying} (see {@link InitiatorKeying#check}) and computes it when it is good. */
    public Outcome compute(IIKeying keying) {
        InitiatorKeying.Checked checked = InitiatorKeying.check(keying, groups);
        if (checked instanceof InitiatorKeying.Refused refused) {
            return new Refused(refused.reason(), refused.detail());
        }
        return compute(((InitiatorKeying.Accepted) checked).request());
    }

    /**
     * The Diffie-Hellman agreement and key derivation for a checked request. Never throws: an unexpected
     * failure is an {@link KeyingRefusal#INTERNAL_ERROR} refusal, so that whoever queued the work always
     * gets an outcome back.
     */
    public Outcome compute(InitiatorKeying request) {
        try {
            DhKeyPair ephemeral = ephemeralKeys.get(request.group());
            Optional<byte[]> secret = ephemeral.agree(request.initiatorKey());
            if (secret.isEmpty()) {
                return new Refused(KeyingRefusal.PUBLIC_KEY_REJECTED, "RFC 7425 §4.6.2");
            }
            KeyingComponent skic = request.skic();
            Negotiation hmacAnswer = Negotiation.answering(skic.hmac().negotiation());
            KeyingComponent skrc = KeyingComponent.builder()
                    .hmac(hmacAnswer, hmacAnswer.flags() == 0 ? 0 : HMAC_LENGTH)
                    .sseq(Negotiation.answering(skic.sseq()))
                    .ephemeralKey(request.group(), ephemeral.publicKeyBytes())
                    .build();
            byte[] skrcBytes = skrc.encoded();
            SessionKeys keys = SessionKeys.derive(secret.get(), skrcBytes, skic.encoded());
            Optional<PacketCipher> cipher = SessionCipher.negotiate(keys, skrc, skic);
            if (cipher.isEmpty()) {
                return new Refused(KeyingRefusal.NEGOTIATION_FAILED, "HMAC or sequence-number negotiation");
            }
            return new Keyed(request.certificate(), skrcBytes, cipher.get());
        } catch (RuntimeException e) {
            return new Refused(KeyingRefusal.INTERNAL_ERROR, e.toString());
        }
    }
}
