package org.rtmfpd.crypto;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.rtmfpd.wire.Option;
import org.rtmfpd.wire.OptionList;
import org.rtmfpd.wire.Vlu;
import org.rtmfpd.wire.WireException;

/**
 * An RTMFP Flash-profile certificate (RFC 7425 §4.3): the option list an endpoint sends in RHello or
 * IIKeying, turned into its fingerprint, the groups it supports and its static keys.
 */
public final class Certificate {
    private final byte[] encoded;
    private final OptionList options;
    private final byte[] fingerprint;

    private Certificate(byte[] encoded) {
        this.encoded = encoded;
        this.options = OptionList.parse(encoded);
        this.fingerprint = HmacSha256.sha256(Arrays.copyOf(encoded, canonicalLength(encoded)));
    }

    /** Parses a received certificate; throws {@link WireException} if its options are malformed. */
    public static Certificate parse(byte[] encoded) {
        return new Certificate(encoded.clone());
    }

    public static Certificate of(OptionList options) {
        return new Certificate(options.toBytes());
    }

    /**
     * A responder certificate for ephemeral keying (RFC 7425 §4.3.3.3), with its options in the order
     * Stratus sent them: accepts ancillary data, extra randomness, then one supported group each
     * ({@code 01 0a | 41 0e <64 bytes> | 02 15 02 | 02 15 05 | 02 15 0e}).
     */
    public static Certificate ephemeral(List<DhGroup> groups, byte[] extraRandomness) {
        List<Option> list = new ArrayList<>();
        list.add(Option.of(CertificateOptions.ANCILLARY_DATA, new byte[0]));
        list.add(Option.of(CertificateOptions.EXTRA_RANDOMNESS, extraRandomness));
        for (DhGroup group : groups) {
            list.add(Option.ofVlu(CertificateOptions.SUPPORTED_GROUP, group.id()));
        }
        return of(new OptionList(list));
    }

    /** An initiator certificate holding static public keys (RFC 7425 §4.3.3.5), as Flash Player sends. */
    public static Certificate staticKeys(List<DhKeyPair> keyPairs) {
        List<Option> list = new ArrayList<>();
        for (DhKeyPair pair : keyPairs) {
            list.add(Option.of(CertificateOptions.STATIC_DH_PUBLIC_KEY, groupAndKey(pair.group(), pair.publicKeyBytes())));
        }
        return of(new OptionList(list));
    }

    static byte[] groupAndKey(DhGroup group, byte[] key) {
        ByteBuf buf = Unpooled.buffer(Vlu.size(group.id()) + key.length);
        Vlu.write(buf, group.id());
        buf.writeBytes(key);
        return buf.array();
    }

    /**
     * The canonical part ends at the first marker, the marker included, as the reference implementation
     * hashes it (RFC 7425 §4.3.2); without a marker it is the whole certificate.
     */
    private static int canonicalLength(byte[] encoded) {
        ByteBuf in = Unpooled.wrappedBuffer(encoded);
        while (in.isReadable()) {
            int length = Vlu.readInt(in);
            if (length == OptionList.MARKER) {
                return in.readerIndex();
            }
            in.skipBytes(Math.min(length, in.readableBytes()));
        }
        return encoded.length;
    }

    public byte[] encoded() {
        return encoded.clone();
    }

    public int length() {
        return encoded.length;
    }

    public OptionList options() {
        return options;
    }

    /** SHA-256 of the canonical certificate: a peer ID for clients, a fingerprint for servers. */
    public byte[] fingerprint() {
        return fingerprint.clone();
    }

    /** Whether {@code candidate} is this certificate's fingerprint (no copy is made). */
    public boolean hasFingerprint(byte[] candidate) {
        return java.util.Arrays.equals(fingerprint, candidate);
    }

    public boolean acceptsAncillaryData() {
        return options.first(CertificateOptions.ANCILLARY_DATA).isPresent();
    }

    /** The groups listed in 0x15 options, in the certificate's order; unknown group numbers are skipped. */
    public List<DhGroup> supportedGroups() {
        List<DhGroup> groups = new ArrayList<>();
        for (Option option : options.all(CertificateOptions.SUPPORTED_GROUP)) {
            DhGroup.byId(Vlu.read(Unpooled.wrappedBuffer(option.value()))).ifPresent(groups::add);
        }
        return groups;
    }

    /** The static public key for {@code group}, if the certificate carries one (RFC 7425 §4.3.3.5). */
    public Optional<byte[]> staticKey(DhGroup group) {
        for (Option option : options.all(CertificateOptions.STATIC_DH_PUBLIC_KEY)) {
            ByteBuf value = Unpooled.wrappedBuffer(option.value());
            if (Vlu.read(value) == group.id()) {
                byte[] key = new byte[value.readableBytes()];
                value.readBytes(key);
                return Optional.of(key);
            }
        }
        return Optional.empty();
    }

    public boolean isStatic() {
        return options.first(CertificateOptions.STATIC_DH_PUBLIC_KEY).isPresent();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Certificate other && Arrays.equals(encoded, other.encoded);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encoded);
    }

    @Override
    public String toString() {
        return "Certificate[" + encoded.length + " bytes, fingerprint " + java.util.HexFormat.of().formatHex(fingerprint) + "]";
    }
}
