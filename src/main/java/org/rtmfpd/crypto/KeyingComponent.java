package org.rtmfpd.crypto;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.rtmfpd.wire.Option;
import org.rtmfpd.wire.OptionList;
import org.rtmfpd.wire.Vlu;
import org.rtmfpd.wire.WireException;

/**
 * A session keying component, SKIC or SKRC (RFC 7425 §4.6.1): the option list that carries a DH
 * public key or group selection and the HMAC/sequence-number negotiation. The exact bytes are kept,
 * because key derivation hashes them as sent.
 */
public final class KeyingComponent {
    /** The shortest and longest HMAC tag a side may ask to send (RFC 7425 §4.6.4). */
    public static final int MIN_HMAC_LENGTH = 4;
    public static final int MAX_HMAC_LENGTH = 32;

    private final byte[] encoded;
    private final OptionList options;

    private KeyingComponent(byte[] encoded, OptionList options) {
        this.encoded = encoded;
        this.options = options;
    }

    /** Parses a received component; throws {@link WireException} when an option is malformed. */
    public static KeyingComponent parse(byte[] encoded) {
        KeyingComponent component = parseOptions(encoded);
        component.hmac();
        component.sseq();
        return component;
    }

    /**
     * Parses a received component's option list only, leaving the values of the negotiation options to
     * be checked by {@link #hmac()} and {@link #sseq()}; throws {@link WireException} when the list is
     * malformed.
     */
    public static KeyingComponent parseOptions(byte[] encoded) {
        byte[] copy = encoded.clone();
        return new KeyingComponent(copy, OptionList.parse(copy));
    }

    public static Builder builder() {
        return new Builder();
    }

    public byte[] encoded() {
        return encoded.clone();
    }

    public OptionList options() {
        return options;
    }

    /** The group of the sender's static key that it selects (option 0x1d), if any. */
    public OptionalInt groupSelect() {
        return options.first(CertificateOptions.DH_GROUP_SELECT)
                .map(o -> OptionalInt.of(Vlu.readInt(Unpooled.wrappedBuffer(o.value()))))
                .orElse(OptionalInt.empty());
    }

    /** The ephemeral public key (option 0x0d), as group and key bytes. */
    public Optional<EphemeralKey> ephemeralKey() {
        return options.first(CertificateOptions.EPHEMERAL_DH_PUBLIC_KEY).map(o -> {
            ByteBuf value = Unpooled.wrappedBuffer(o.value());
            int group = Vlu.readInt(value);
            byte[] key = new byte[value.readableBytes()];
            value.readBytes(key);
            return new EphemeralKey(group, key);
        });
    }

    /** The HMAC negotiation (option 0x1a); absent means flags 0. */
    public Hmac hmac() {
        return options.first(CertificateOptions.HMAC_NEGOTIATION).map(o -> {
            ByteBuf value = Unpooled.wrappedBuffer(o.value());
            if (!value.isReadable()) {
                throw new WireException("HMAC negotiation option has no flags");
            }
            Negotiation flags = new Negotiation(value.readUnsignedByte());
            int length = value.isReadable() ? Vlu.readInt(value) : 0;
            if (flags.flags() != 0 && (length < MIN_HMAC_LENGTH || length > MAX_HMAC_LENGTH)) {
                throw new WireException("HMAC length " + length + " is outside " + MIN_HMAC_LENGTH + ".." + MAX_HMAC_LENGTH);
            }
            return new Hmac(flags, length);
        }).orElse(new Hmac(Negotiation.NONE, 0));
    }

    /** The session sequence number negotiation (option 0x1e); absent means flags 0. */
    public Negotiation sseq() {
        return options.first(CertificateOptions.SSEQ_NEGOTIATION).map(o -> {
            byte[] value = o.value();
            if (value.length < 1) {
                throw new WireException("sequence number negotiation option has no flags");
            }
            return new Negotiation(value[0]);
        }).orElse(Negotiation.NONE);
    }

    /** An ephemeral DH public key as carried in option 0x0d. */
    public record EphemeralKey(int group, byte[] key) {
    }

    /** HMAC flags and the tag length that the component's sender sends. */
    public record Hmac(Negotiation negotiation, int length) {
    }

    /** Assembles a component in the order the caller gives. */
    public static final class Builder {
        private final List<Option> options = new ArrayList<>();

        public Builder groupSelect(DhGroup group) {
            options.add(Option.ofVlu(CertificateOptions.DH_GROUP_SELECT, group.id()));
            return this;
        }

        public Builder ephemeralKey(DhGroup group, byte[] publicKey) {
            options.add(Option.of(CertificateOptions.EPHEMERAL_DH_PUBLIC_KEY, Certificate.groupAndKey(group, publicKey)));
            return this;
        }

        public Builder extraRandomness(byte[] bytes) {
            options.add(Option.of(CertificateOptions.EXTRA_RANDOMNESS, bytes));
            return this;
        }

        public Builder hmac(Negotiation negotiation, int length) {
            ByteBuf value = Unpooled.buffer();
            value.writeByte(negotiation.flags());
            Vlu.write(value, length);
            options.add(Option.of(CertificateOptions.HMAC_NEGOTIATION, org.rtmfpd.wire.ByteBufs.toArray(value)));
            return this;
        }

        public Builder sseq(Negotiation negotiation) {
            options.add(Option.of(CertificateOptions.SSEQ_NEGOTIATION, new byte[] {(byte) negotiation.flags()}));
            return this;
        }

        public KeyingComponent build() {
            OptionList list = new OptionList(options);
            return new KeyingComponent(list.toBytes(), list);
        }
    }
}
