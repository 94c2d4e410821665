package org.rtmfpd.handshake;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.math.BigInteger;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.rtmfpd.crypto.Certificate;
import org.rtmfpd.crypto.CertificateOptions;
import org.rtmfpd.crypto.DhGroup;
import org.rtmfpd.crypto.KeyingComponent;
import org.rtmfpd.wire.IIKeying;
import org.rtmfpd.wire.Option;
import org.rtmfpd.wire.Vlu;
import org.rtmfpd.wire.WireException;

/**
 * Turns an IIKeying's certificate and SKIC into a fully checked keying request (RFC 7425 §4.3, §4.6),
 * or into the reason it is refused. Everything that can be wrong with what the initiator sent is found
 * here, on the protocol thread and before any Diffie-Hellman work is queued, so that the worker only
 * does arithmetic on values known to be good.
 *
 * @param certificate  the initiator's certificate
 * @param skic         the initiator's session keying component
 * @param group        the group the SKIC selects, one of this server's
 * @param initiatorKey the initiator's static public key for that group, checked per RFC 7425 §4.6.2
 */
public record InitiatorKeying(Certificate certificate, KeyingComponent skic, DhGroup group, byte[] initiatorKey) {

    /** The outcome of {@link #check}: a request or a refusal. */
    public sealed interface Checked permits Accepted, Refused {
    }

    public record Accepted(InitiatorKeying request) implements Checked {
    }

    public record Refused(KeyingRefusal reason, String detail) implements Checked {
    }

    /** Checks {@code iikeying} against the groups this server offers. */
    public static Checked check(IIKeying iikeying, List<DhGroup> offered) {
        Certificate certificate;
        try {
            certificate = Certificate.parse(iikeying.certificate());
        } catch (WireException e) {
            return refuse(KeyingRefusal.CERTIFICATE_MALFORMED, e.getMessage());
        }
        Optional<Refused> certificateProblem = checkCertificate(certificate);
        if (certificateProblem.isPresent()) {
            return certificateProblem.get();
        }
        KeyingComponent skic;
        try {
            skic = KeyingComponent.parseOptions(iikeying.skic());
        } catch (WireException e) {
            return refuse(KeyingRefusal.SKIC_MALFORMED, e.getMessage());
        }
        Optional<Refused> negotiationProblem = checkNegotiation(skic);
        if (negotiationProblem.isPresent()) {
            return negotiationProblem.get();
        }
        List<Option> selects = skic.options().all(CertificateOptions.DH_GROUP_SELECT);
        if (selects.isEmpty()) {
            return refuse(KeyingRefusal.SKIC_NO_GROUP_SELECT, "static initiator without a group select option");
        }
        if (selects.size() > 1 || skic.options().first(CertificateOptions.EPHEMERAL_DH_PUBLIC_KEY).isPresent()) {
            return refuse(KeyingRefusal.SKIC_GROUP_AMBIGUOUS, selects.size() + " group selects");
        }
        long selected;
        try {
            selected = wholeVlu(selects.get(0).value());
        } catch (WireException e) {
            return refuse(KeyingRefusal.SKIC_MALFORMED, "group select: " + e.getMessage());
        }
        Optional<DhGroup> group = DhGroup.byId(selected).filter(offered::contains);
        if (group.isEmpty()) {
            return refuse(KeyingRefusal.GROUP_NOT_SUPPORTED, "group " + selected);
        }
        Optional<byte[]> key = certificate.staticKey(group.get());
        if (key.isEmpty()) {
            return refuse(KeyingRefusal.CERTIFICATE_NO_KEY_FOR_GROUP, "group " + selected);
        }
        if (!group.get().isAcceptablePublicKey(new BigInteger(1, key.get()))) {
            return refuse(KeyingRefusal.PUBLIC_KEY_REJECTED, key.get().length + "-byte key for group " + selected);
        }
        return new Accepted(new InitiatorKeying(certificate, skic, group.get(), key.get()));
    }

    /** RFC 7425 §4.3.3: static keys only, well-formed, one per group. */
    private static Optional<Refused> checkCertificate(Certificate certificate) {
        boolean ephemeral = certificate.options().first(CertificateOptions.SUPPORTED_GROUP).isPresent();
        List<Option> staticKeys = certificate.options().all(CertificateOptions.STATIC_DH_PUBLIC_KEY);
        if (ephemeral && !staticKeys.isEmpty()) {
            return Optional.of(new Refused(KeyingRefusal.CERTIFICATE_STATIC_AND_EPHEMERAL, "0x15 and 0x1d options"));
        }
        if (staticKeys.isEmpty()) {
            return Optional.of(new Refused(KeyingRefusal.CERTIFICATE_NOT_STATIC, "no 0x1d option"));
        }
        Set<DhGroup> seen = EnumSet.noneOf(DhGroup.class);
        Set<Long> unknown = new HashSet<>();
        for (Option option : staticKeys) {
            ByteBuf value = Unpooled.wrappedBuffer(option.value());
            long id;
            try {
                id = Vlu.read(value);
            } catch (WireException e) {
                return Optional.of(new Refused(KeyingRefusal.CERTIFICATE_MALFORMED, "static key: " + e.getMessage()));
            }
            if (!value.isReadable()) {
                return Optional.of(new Refused(KeyingRefusal.CERTIFICATE_MALFORMED, "static key for group " + id + " is empty"));
            }
            Optional<DhGroup> group = DhGroup.byId(id);
            boolean repeated = group.isPresent() ? !seen.add(group.get()) : !unknown.add(id);
            if (repeated) {
                return Optional.of(new Refused(KeyingRefusal.CERTIFICATE_GROUP_REPEATED, "group " + id));
            }
        }
        return Optional.empty();
    }

    /** RFC 7425 §4.6.4: the negotiation options, when present, carry flags (and a tag length in range). */
    private static Optional<Refused> checkNegotiation(KeyingComponent skic) {
        try {
            skic.hmac();
        } catch (WireException e) {
            return Optional.of(new Refused(KeyingRefusal.HMAC_NEGOTIATION_INVALID, e.getMessage()));
        }
        try {
            skic.sseq();
        } catch (WireException e) {
            return Optional.of(new Refused(KeyingRefusal.SSEQ_NEGOTIATION_INVALID, e.getMessage()));
        }
        return Optional.empty();
    }

    /** A value that must be exactly one VLU, nothing before or after it. */
    private static long wholeVlu(byte[] bytes) {
        ByteBuf in = Unpooled.wrappedBuffer(bytes);
        long value = Vlu.read(in);
        if (in.isReadable()) {
            throw new WireException(in.readableBytes() + " bytes after the group number");
        }
        return value;
    }

    private static Refused refuse(KeyingRefusal reason, String detail) {
        return new Refused(reason, detail);
    }
}
