package org.rtmfpd.handshake;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.rtmfpd.crypto.Certificate;
import org.rtmfpd.crypto.DhGroup;
import org.rtmfpd.crypto.DhKeyPair;
import org.rtmfpd.crypto.KeyingComponent;
import org.rtmfpd.crypto.Negotiation;
import org.rtmfpd.crypto.PacketCipher;
import org.rtmfpd.crypto.SessionCipher;
import org.rtmfpd.crypto.SessionKeys;
import org.rtmfpd.wire.IIKeying;
import org.rtmfpd.wire.WireException;

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

    public record Refused(String reason) implements Outcome {
    }

    public Outcome compute(IIKeying keying) {
        Certificate certificate;
        KeyingComponent skic;
        try {
            certificate = Certificate.parse(keying.certificate());
            skic = KeyingComponent.parse(keying.skic());
        } catch (WireException e) {
            return new Refused("malformed certificate or SKIC: " + e.getMessage());
        }
        OptionalInt selected = skic.groupSelect();
        if (selected.isEmpty()) {
            return new Refused("SKIC selects no Diffie-Hellman group");
        }
        Optional<DhGroup> group = DhGroup.byId(selected.getAsInt()).filter(groups::contains);
        if (group.isEmpty()) {
            return new Refused("SKIC selects group " + selected.getAsInt() + ", not one of this server's");
        }
        Optional<byte[]> initiatorKey = certificate.staticKey(group.get());
        if (initiatorKey.isEmpty()) {
            return new Refused("certificate has no static key for group " + group.get().id());
        }
        DhKeyPair ephemeral = ephemeralKeys.get(group.get());
        Optional<byte[]> secret = ephemeral.agree(initiatorKey.get());
        if (secret.isEmpty()) {
            return new Refused("initiator's public key fails the checks of RFC 7425 §4.6.2");
        }
        KeyingComponent.Hmac hmac = skic.hmac();
        Negotiation hmacAnswer = Negotiation.answering(hmac.negotiation());
        KeyingComponent skrc = KeyingComponent.builder()
                .hmac(hmacAnswer, hmacAnswer.flags() == 0 ? 0 : HMAC_LENGTH)
                .sseq(Negotiation.answering(skic.sseq()))
                .ephemeralKey(group.get(), ephemeral.publicKeyBytes())
                .build();
        byte[] skrcBytes = skrc.encoded();
        SessionKeys keys = SessionKeys.derive(secret.get(), skrcBytes, keying.skic());
        Optional<PacketCipher> cipher = SessionCipher.negotiate(keys, skrc, skic);
        if (cipher.isEmpty()) {
            return new Refused("HMAC or sequence-number negotiation failed");
        }
        return new Keyed(certificate, skrcBytes, cipher.get());
    }
}
