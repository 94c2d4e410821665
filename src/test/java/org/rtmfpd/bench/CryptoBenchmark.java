package org.rtmfpd.bench;

import io.netty.buffer.Unpooled;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.interfaces.DHPublicKey;
import javax.crypto.spec.DHParameterSpec;
import javax.crypto.spec.DHPrivateKeySpec;
import javax.crypto.spec.DHPublicKeySpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.agreement.DHBasicAgreement;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.generators.DHKeyPairGenerator;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.crypto.modes.CBCModeCipher;
import org.bouncycastle.crypto.params.DHKeyGenerationParameters;
import org.bouncycastle.crypto.params.DHParameters;
import org.bouncycastle.crypto.params.DHPrivateKeyParameters;
import org.bouncycastle.crypto.params.DHPublicKeyParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.util.BigIntegers;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.rtmfpd.crypto.DhGroup;
import org.rtmfpd.crypto.DhKeyPair;
import org.rtmfpd.crypto.KeyingComponent;
import org.rtmfpd.crypto.Negotiation;
import org.rtmfpd.crypto.PacketCipher;
import org.rtmfpd.crypto.SessionKeys;
import org.rtmfpd.testing.Resources;
import org.rtmfpd.wire.Checksum;
import org.rtmfpd.wire.Vlu;
import org.rtmfpd.wire.WireException;

/**
 * The Flash-profile crypto as the project does it with the JDK's providers, against Bouncy Castle's
 * lightweight API and the JDK's JCA DH classes, doing the same work (same exponents, same checks, same
 * wire formats; every alternative is checked against the project's output in its {@code @Setup}).
 *
 * <p>Run: {@code mvn -B -q -Pjmh test-compile exec:exec -Djmh.args="CryptoBenchmark -rf json -rff /tmp/jmh-crypto.json"}.
 * Results and the choice of providers are in {@code docs/benchmarks.md}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CryptoBenchmark {
    private static final BigInteger G = BigInteger.TWO;
    private static final int PACKET_LENGTH = 1200;
    private static final int HMAC_LENGTH = 16;
    private static final long SEQUENCE_NUMBER = 1000;
    private static final Map<String, String> EXAMPLE = Resources.keyValues("/vectors/keying-example.txt");
    /** The SKIC of the keying example: group select 2, 64 bytes of randomness, HMAC and SSEQ on request (76 bytes). */
    private static final byte[] SKIC = Resources.hex(EXAMPLE.get("skic"));
    /** The SKRC of the keying example: SSEQ and HMAC on request, a 128-byte group-2 public key (139 bytes). */
    private static final byte[] SKRC = Resources.hex(EXAMPLE.get("skrc"));

    /** Private exponent sizes of {@link DhGroup}: 160, 224, 224 and 304 bits for groups 2, 5, 14 and 16. */
    static int privateKeyBits(DhGroup group) {
        return group.privateKeyBits();
    }

    static SecureRandom fixedRandom(long seed) {
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(seed);
            return random;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static void check(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("benchmark set-up check failed: " + what);
        }
    }

    /** Minimal big-endian bytes, as RFC 7425 §4.2 sends integers and as the project's agree returns them. */
    static byte[] stripLeadingZeros(byte[] bytes) {
        int i = 0;
        while (i < bytes.length - 1 && bytes[i] == 0) {
            i++;
        }
        return i == 0 ? bytes : Arrays.copyOfRange(bytes, i, bytes.length);
    }

    // ------------------------------------------------------------------------------------------------
    // 1. DH agreement per group, and ephemeral key-pair generation for group 2
    // ------------------------------------------------------------------------------------------------

    /** A fixed private exponent of the group's size and a peer public key, in each API's form. */
    @State(Scope.Thread)
    public static class DhState {
        @Param({"2", "14", "16"})
        public int group;

        DhGroup dh;
        BigInteger x;
        byte[] peerPublic;
        SecureRandom random;

        DHParameters bcParams;
        DHPrivateKeyParameters bcPrivate;
        DHBasicAgreement bcAgreement;

        KeyFactory jdkKeyFactory;
        PrivateKey jdkPrivate;
        KeyAgreement jdkAgreement;
        DHParameterSpec jdkSpec;

        @Setup
        public void setUp() throws GeneralSecurityException {
            dh = DhGroup.byId(group).orElseThrow();
            SecureRandom seeded = fixedRandom(group);
            DhKeyPair own = dh.generateKeyPair(seeded);
            x = own.privateExponent();
            peerPublic = dh.generateKeyPair(seeded).publicKeyBytes();
            random = new SecureRandom();

            bcParams = new DHParameters(dh.prime(), G, null, privateKeyBits(dh));
            bcPrivate = new DHPrivateKeyParameters(x, bcParams);
            bcAgreement = new DHBasicAgreement();

            jdkSpec = new DHParameterSpec(dh.prime(), G, privateKeyBits(dh));
            jdkKeyFactory = KeyFactory.getInstance("DH");
            jdkPrivate = jdkKeyFactory.generatePrivate(new DHPrivateKeySpec(x, dh.prime(), G));
            jdkAgreement = KeyAgreement.getInstance("DH");

            byte[] expected = dh.agree(x, peerPublic).orElseThrow();
            check(Arrays.equals(expected, bcAgree(this)), "BC agreement equals DhGroup.agree, group " + group);
            check(Arrays.equals(expected, jdkAgree(this)), "JDK agreement equals DhGroup.agree, group " + group);
        }
    }

    static byte[] bcAgree(DhState s) {
        BigInteger y = new BigInteger(1, s.peerPublic);
        if (!s.dh.isAcceptablePublicKey(y)) {
            throw new IllegalArgumentException("unacceptable key");
        }
        DHPublicKeyParameters peer = new DHPublicKeyParameters(y, s.bcParams);
        s.bcAgreement.init(new ParametersWithRandom(s.bcPrivate, s.random));
        return BigIntegers.asUnsignedByteArray(s.bcAgreement.calculateAgreement(peer));
    }

    static byte[] jdkAgree(DhState s) throws GeneralSecurityException {
        BigInteger y = new BigInteger(1, s.peerPublic);
        if (!s.dh.isAcceptablePublicKey(y)) {
            throw new IllegalArgumentException("unacceptable key");
        }
        PublicKey peer = s.jdkKeyFactory.generatePublic(new DHPublicKeySpec(y, s.dh.prime(), G));
        s.jdkAgreement.init(s.jdkPrivate);
        s.jdkAgreement.doPhase(peer, true);
        return stripLeadingZeros(s.jdkAgreement.generateSecret());
    }

    /** The project: DhGroup.agree (key checks of RFC 7425 §4.6.2, BigInteger.modPow, minimal bytes). */
    @Benchmark
    public void dhAgree_project(DhState s, Blackhole bh) {
        bh.consume(s.dh.agree(s.x, s.peerPublic).orElseThrow());
    }

    /** Bouncy Castle lightweight DHBasicAgreement, same exponent, same key checks and minimal bytes. */
    @Benchmark
    public void dhAgree_bc(DhState s, Blackhole bh) {
        bh.consume(bcAgree(s));
    }

    /** JDK KeyAgreement "DH" (SunJCE), same exponent, same key checks and minimal bytes. */
    @Benchmark
    public void dhAgree_jdkKeyAgreement(DhState s, Blackhole bh) throws GeneralSecurityException {
        bh.consume(jdkAgree(s));
    }

    /** Group 2 parameters and generators for ephemeral key pairs, and everything a handshake needs. */
    @State(Scope.Thread)
    public static class Group2State {
        final DhGroup dh = DhGroup.GROUP_2;
        SecureRandom random;
        byte[] clientPublic;

        DHParameters bcParams;
        DHKeyPairGenerator bcGenerator;
        DHBasicAgreement bcAgreement;
        HMac bcHmac;

        KeyPairGenerator jdkGenerator;
        KeyFactory jdkKeyFactory;
        KeyAgreement jdkAgreement;

        @Setup
        public void setUp() throws GeneralSecurityException {
            random = new SecureRandom();
            clientPublic = dh.generateKeyPair(fixedRandom(7)).publicKeyBytes();
            bcParams = new DHParameters(dh.prime(), G, null, privateKeyBits(dh));
            bcGenerator = new DHKeyPairGenerator();
            bcGenerator.init(new DHKeyGenerationParameters(random, bcParams));
            bcAgreement = new DHBasicAgreement();
            bcHmac = new HMac(SHA256Digest.newInstance());
            jdkGenerator = KeyPairGenerator.getInstance("DH");
            jdkGenerator.initialize(new DHParameterSpec(dh.prime(), G, privateKeyBits(dh)), random);
            jdkKeyFactory = KeyFactory.getInstance("DH");
            jdkAgreement = KeyAgreement.getInstance("DH");

            check(new BigInteger(1, bcKeyGen(this)).bitLength() > 1000, "BC public key");
            check(new BigInteger(1, jdkKeyGen(this)).bitLength() > 1000, "JDK public key");
            SessionKeys a = handshakeProject(this);
            check(a.encryptKey().length == 16, "project handshake");
            SessionKeys b = handshakeBc(this);
            check(b.encryptKey().length == 16, "BC handshake");
            SessionKeys c = handshakeJdkJca(this);
            check(c.encryptKey().length == 16, "JDK JCA handshake");
        }
    }

    static byte[] bcKeyGen(Group2State s) {
        AsymmetricCipherKeyPair pair = s.bcGenerator.generateKeyPair();
        return BigIntegers.asUnsignedByteArray(((DHPublicKeyParameters) pair.getPublic()).getY());
    }

    static byte[] jdkKeyGen(Group2State s) {
        KeyPair pair = s.jdkGenerator.generateKeyPair();
        return BigIntegers.asUnsignedByteArray(((DHPublicKey) pair.getPublic()).getY());
    }

    /** The project: DhGroup.generateKeyPair (random 160-bit exponent, one modPow of g) and its wire bytes. */
    @Benchmark
    public void dhKeyGen2_project(Group2State s, Blackhole bh) {
        DhKeyPair pair = s.dh.generateKeyPair(s.random);
        bh.consume(pair.privateExponent());
        bh.consume(pair.publicKeyBytes());
    }

    /** Bouncy Castle lightweight DHKeyPairGenerator, 160-bit exponent. */
    @Benchmark
    public void dhKeyGen2_bc(Group2State s, Blackhole bh) {
        bh.consume(bcKeyGen(s));
    }

    /** JDK KeyPairGenerator "DH" (SunJCE), 160-bit exponent. */
    @Benchmark
    public void dhKeyGen2_jdkKeyPairGenerator(Group2State s, Blackhole bh) {
        bh.consume(jdkKeyGen(s));
    }

    // ------------------------------------------------------------------------------------------------
    // 2. Key derivation (RFC 7425 §4.6.3, §4.6.5): six HMAC-SHA256
    // ------------------------------------------------------------------------------------------------

    @State(Scope.Thread)
    public static class DeriveState {
        byte[] secret;
        HMac bcHmac;

        @Setup
        public void setUp() {
            secret = new byte[128];
            fixedRandom(128).nextBytes(secret);
            secret[0] |= (byte) 0x80;
            bcHmac = new HMac(SHA256Digest.newInstance());
            SessionKeys jdk = SessionKeys.derive(secret, SKRC, SKIC);
            SessionKeys bc = bcDerive(bcHmac, secret, SKRC, SKIC);
            check(Arrays.equals(jdk.encryptKey(), bc.encryptKey()) && Arrays.equals(jdk.receiveHmacKey(), bc.receiveHmacKey())
                    && Arrays.equals(jdk.farNonce(), bc.farNonce()), "BC derivation equals SessionKeys.derive");
        }
    }

    static byte[] bcMac(HMac hmac, byte[] key, byte[] message) {
        hmac.init(new KeyParameter(key));
        hmac.update(message, 0, message.length);
        byte[] out = new byte[hmac.getMacSize()];
        hmac.doFinal(out, 0);
        return out;
    }

    /** SessionKeys.derive with Bouncy Castle's HMac(SHA256Digest) in place of the JDK's Mac. */
    static SessionKeys bcDerive(HMac hmac, byte[] secret, byte[] near, byte[] far) {
        byte[] encryptFull = bcMac(hmac, secret, bcMac(hmac, far, near));
        byte[] decryptFull = bcMac(hmac, secret, bcMac(hmac, near, far));
        return new SessionKeys(
                Arrays.copyOf(encryptFull, SessionKeys.AES_KEY_LENGTH),
                Arrays.copyOf(decryptFull, SessionKeys.AES_KEY_LENGTH),
                bcMac(hmac, secret, encryptFull),
                bcMac(hmac, secret, decryptFull),
                bcMac(hmac, secret, near),
                bcMac(hmac, secret, far));
    }

    /** The project: SessionKeys.derive, JDK HmacSHA256 (SunJCE) from a thread-local Mac. */
    @Benchmark
    public void derive_project(DeriveState s, Blackhole bh) {
        bh.consume(SessionKeys.derive(s.secret, SKRC, SKIC));
    }

    /** The same derivation with Bouncy Castle's lightweight HMac(SHA256Digest), one instance re-keyed. */
    @Benchmark
    public void derive_bcHMac(DeriveState s, Blackhole bh) {
        bh.consume(bcDerive(s.bcHmac, s.secret, SKRC, SKIC));
    }

    // ------------------------------------------------------------------------------------------------
    // 3. Seal + open of a 1200-byte packet
    // ------------------------------------------------------------------------------------------------

    /**
     * The framing of {@link PacketCipher} ({@code [SSEQ] | [checksum] | packet | 0xff padding}, AES-128-CBC
     * under a zero IV, then a truncated HMAC-SHA256 of the ciphertext), with the primitives left to a
     * subclass that keeps them initialised per session direction instead of re-initialising per packet.
     */
    abstract static class FramedCipher {
        private static final int BLOCK = PacketCipher.BLOCK;
        final int sendHmacLength;
        final int receiveHmacLength;
        final boolean sendSequenceNumbers;
        final boolean receiveSequenceNumbers;

        FramedCipher(int sendHmacLength, int receiveHmacLength, boolean sendSequenceNumbers, boolean receiveSequenceNumbers) {
            this.sendHmacLength = sendHmacLength;
            this.receiveHmacLength = receiveHmacLength;
            this.sendSequenceNumbers = sendSequenceNumbers;
            this.receiveSequenceNumbers = receiveSequenceNumbers;
        }

        /** Encrypts {@code buf[0, length)} in place from the zero IV. */
        abstract void encrypt(byte[] buf, int length);

        /** Decrypts {@code length} bytes from {@code in[offset]} into {@code out[0..]} from the zero IV. */
        abstract void decrypt(byte[] in, int offset, int length, byte[] out);

        /** The full 32-byte HMAC-SHA256 with the send key. */
        abstract byte[] sendTag(byte[] data, int offset, int length);

        /** The full 32-byte HMAC-SHA256 with the receive key. */
        abstract byte[] receiveTag(byte[] data, int offset, int length);

        byte[] seal(byte[] packet, int offset, int length, long sequenceNumber) {
            int front = (sendSequenceNumbers ? Vlu.size(sequenceNumber) : 0) + (sendHmacLength == 0 ? 2 : 0);
            int plainLength = (front + length + BLOCK - 1) / BLOCK * BLOCK;
            byte[] out = new byte[plainLength + sendHmacLength];
            System.arraycopy(packet, offset, out, front, length);
            Arrays.fill(out, front + length, plainLength, (byte) 0xff);
            int cursor = 0;
            if (sendSequenceNumbers) {
                var seq = Unpooled.wrappedBuffer(out).writerIndex(0);
                Vlu.write(seq, sequenceNumber);
                cursor = seq.writerIndex();
            }
            if (sendHmacLength == 0) {
                int sum = Checksum.of(io.netty.buffer.Unpooled.wrappedBuffer(out), front, plainLength - front);
                out[cursor] = (byte) (sum >>> 8);
                out[cursor + 1] = (byte) sum;
            }
            encrypt(out, plainLength);
            if (sendHmacLength > 0) {
                System.arraycopy(sendTag(out, 0, plainLength), 0, out, plainLength, sendHmacLength);
            }
            return out;
        }

        PacketCipher.Opened open(byte[] data, int offset, int length) {
            int cipherLength = length - receiveHmacLength;
            if (cipherLength <= 0 || cipherLength % BLOCK != 0) {
                throw new WireException("not a whole number of blocks");
            }
            byte[] plain = new byte[cipherLength];
            if (receiveHmacLength > 0) {
                byte[] expected = Arrays.copyOf(receiveTag(data, offset, cipherLength), receiveHmacLength);
                byte[] actual = Arrays.copyOfRange(data, offset + cipherLength, offset + length);
                if (!MessageDigest.isEqual(expected, actual)) {
                    throw new WireException("HMAC tag does not match");
                }
            }
            decrypt(data, offset, cipherLength, plain);
            var in = Unpooled.wrappedBuffer(plain);
            long sequenceNumber = receiveSequenceNumbers ? Vlu.read(in) : -1;
            if (receiveHmacLength == 0) {
                int stored = in.readUnsignedShort();
                if (stored != Checksum.of(io.netty.buffer.Unpooled.wrappedBuffer(plain), in.readerIndex(), in.readableBytes())) {
                    throw new WireException("checksum does not match");
                }
            }
            return new PacketCipher.Opened(sequenceNumber, plain, in.readerIndex(), plain.length);
        }
    }

    /** JDK AES/CBC/NoPadding and HmacSHA256 initialised once per direction; doFinal returns to the zero IV. */
    static final class JdkReusedCipher extends FramedCipher {
        private final Cipher encryptor;
        private final Cipher decryptor;
        private final Mac sendMac;
        private final Mac receiveMac;

        JdkReusedCipher(SessionKeys keys, int sendHmacLength, int receiveHmacLength, boolean sendSeq, boolean receiveSeq)
                throws GeneralSecurityException {
            super(sendHmacLength, receiveHmacLength, sendSeq, receiveSeq);
            IvParameterSpec zeroIv = new IvParameterSpec(new byte[PacketCipher.BLOCK]);
            encryptor = Cipher.getInstance("AES/CBC/NoPadding");
            encryptor.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keys.encryptKey(), "AES"), zeroIv);
            decryptor = Cipher.getInstance("AES/CBC/NoPadding");
            decryptor.init(Cipher.DECRYPT_MODE, new SecretKeySpec(keys.decryptKey(), "AES"), zeroIv);
            sendMac = Mac.getInstance("HmacSHA256");
            sendMac.init(new SecretKeySpec(keys.sendHmacKey(), "HmacSHA256"));
            receiveMac = Mac.getInstance("HmacSHA256");
            receiveMac.init(new SecretKeySpec(keys.receiveHmacKey(), "HmacSHA256"));
        }

        @Override
        void encrypt(byte[] buf, int length) {
            try {
                encryptor.doFinal(buf, 0, length, buf, 0);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        void decrypt(byte[] in, int offset, int length, byte[] out) {
            try {
                decryptor.doFinal(in, offset, length, out, 0);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        byte[] sendTag(byte[] data, int offset, int length) {
            sendMac.update(data, offset, length);
            return sendMac.doFinal();
        }

        @Override
        byte[] receiveTag(byte[] data, int offset, int length) {
            receiveMac.update(data, offset, length);
            return receiveMac.doFinal();
        }
    }

    /** Bouncy Castle CBCBlockCipher(AESEngine) and HMac(SHA256Digest), keyed once per direction, reset per packet. */
    static final class BcCipher extends FramedCipher {
        private final CBCModeCipher encryptor;
        private final CBCModeCipher decryptor;
        private final HMac sendMac;
        private final HMac receiveMac;

        BcCipher(SessionKeys keys, int sendHmacLength, int receiveHmacLength, boolean sendSeq, boolean receiveSeq) {
            super(sendHmacLength, receiveHmacLength, sendSeq, receiveSeq);
            byte[] zeroIv = new byte[PacketCipher.BLOCK];
            encryptor = CBCBlockCipher.newInstance(AESEngine.newInstance());
            encryptor.init(true, new ParametersWithIV(new KeyParameter(keys.encryptKey()), zeroIv));
            decryptor = CBCBlockCipher.newInstance(AESEngine.newInstance());
            decryptor.init(false, new ParametersWithIV(new KeyParameter(keys.decryptKey()), zeroIv));
            sendMac = new HMac(SHA256Digest.newInstance());
            sendMac.init(new KeyParameter(keys.sendHmacKey()));
            receiveMac = new HMac(SHA256Digest.newInstance());
            receiveMac.init(new KeyParameter(keys.receiveHmacKey()));
        }

        @Override
        void encrypt(byte[] buf, int length) {
            encryptor.reset();
            for (int i = 0; i < length; i += PacketCipher.BLOCK) {
                encryptor.processBlock(buf, i, buf, i);
            }
        }

        @Override
        void decrypt(byte[] in, int offset, int length, byte[] out) {
            decryptor.reset();
            for (int i = 0; i < length; i += PacketCipher.BLOCK) {
                decryptor.processBlock(in, offset + i, out, i);
            }
        }

        @Override
        byte[] sendTag(byte[] data, int offset, int length) {
            sendMac.update(data, offset, length);
            byte[] tag = new byte[sendMac.getMacSize()];
            sendMac.doFinal(tag, 0);
            return tag;
        }

        @Override
        byte[] receiveTag(byte[] data, int offset, int length) {
            receiveMac.update(data, offset, length);
            byte[] tag = new byte[receiveMac.getMacSize()];
            receiveMac.doFinal(tag, 0);
            return tag;
        }
    }

    /** Both ends of one session in each implementation; one 1200-byte packet goes client to server. */
    @State(Scope.Thread)
    public static class PacketState {
        /** CHECKSUM: no HMAC, 2-byte checksum (Flash Player with Stratus); HMAC16_SSEQ: 16-byte tags and sequence numbers. */
        @Param({"CHECKSUM", "HMAC16_SSEQ"})
        public String protection;

        byte[] packet;
        PacketCipher projectClient;
        PacketCipher projectServer;
        FramedCipher jdkClient;
        FramedCipher jdkServer;
        FramedCipher bcClient;
        FramedCipher bcServer;

        @Setup
        public void setUp() throws GeneralSecurityException {
            boolean hmac = protection.equals("HMAC16_SSEQ");
            int tag = hmac ? HMAC_LENGTH : 0;
            byte[] secret = new byte[128];
            fixedRandom(1).nextBytes(secret);
            SessionKeys client = SessionKeys.derive(secret, SKIC, SKRC);
            SessionKeys server = SessionKeys.derive(secret, SKRC, SKIC);
            projectClient = PacketCipher.forSession(client, tag, tag, hmac, hmac);
            projectServer = PacketCipher.forSession(server, tag, tag, hmac, hmac);
            jdkClient = new JdkReusedCipher(client, tag, tag, hmac, hmac);
            jdkServer = new JdkReusedCipher(server, tag, tag, hmac, hmac);
            bcClient = new BcCipher(client, tag, tag, hmac, hmac);
            bcServer = new BcCipher(server, tag, tag, hmac, hmac);
            packet = new byte[PACKET_LENGTH];
            fixedRandom(2).nextBytes(packet);

            byte[] expected = projectClient.seal(packet, 0, PACKET_LENGTH, SEQUENCE_NUMBER);
            byte[] plain = projectServer.open(expected, 0, expected.length).plain();
            for (int round = 0; round < 3; round++) {
                check(Arrays.equals(expected, jdkClient.seal(packet, 0, PACKET_LENGTH, SEQUENCE_NUMBER)), "JDK reused cipher seals as PacketCipher");
                check(Arrays.equals(expected, bcClient.seal(packet, 0, PACKET_LENGTH, SEQUENCE_NUMBER)), "BC seals as PacketCipher");
                check(Arrays.equals(plain, jdkServer.open(expected, 0, expected.length).plain()), "JDK reused cipher opens as PacketCipher");
                check(Arrays.equals(plain, bcServer.open(expected, 0, expected.length).plain()), "BC opens as PacketCipher");
            }
        }
    }

    /** The project: PacketCipher.seal then open, re-initialising the thread-local Cipher (and Mac) per packet. */
    @Benchmark
    public void packet_project(PacketState s, Blackhole bh) {
        byte[] sealed = s.projectClient.seal(s.packet, 0, PACKET_LENGTH, SEQUENCE_NUMBER);
        bh.consume(s.projectServer.open(sealed, 0, sealed.length));
    }

    /** Group 2's agreement with the server's exponent as now sized (160 bits, twice 80-bit strength). */
    @Benchmark
    public void group2Agree_160bitExponent(ExponentState s, Blackhole bh) {
        bh.consume(DhGroup.GROUP_2.agree(s.x160, s.peer));
    }

    /** The same with the 224-bit exponent used before. */
    @Benchmark
    public void group2Agree_224bitExponent(ExponentState s, Blackhole bh) {
        bh.consume(DhGroup.GROUP_2.agree(s.x224, s.peer));
    }

    @State(Scope.Thread)
    public static class ExponentState {
        java.math.BigInteger x160;
        java.math.BigInteger x224;
        byte[] peer;

        @Setup
        public void setUp() {
            SecureRandom random = fixedRandom(11);
            x160 = new java.math.BigInteger(160, random).setBit(159);
            x224 = new java.math.BigInteger(224, random).setBit(223);
            peer = DhGroup.GROUP_2.generateKeyPair(random).publicKeyBytes();
        }
    }

    /**
     * A startup packet's crypto (an IHello or Redirect: 96 bytes) under the default key, sealed and
     * opened: {@code PacketCipher.DEFAULT}, whose thread's Ciphers are keyed once.
     */
    @Benchmark
    public void startup_preKeyed(StartupState s, Blackhole bh) {
        byte[] sealed = PacketCipher.DEFAULT.seal(s.packet, 0, s.packet.length, 0);
        bh.consume(PacketCipher.DEFAULT.open(sealed, 0, sealed.length));
    }

    /** The same with a cipher whose keys are the default key's bytes but which is keyed per packet, as before. */
    @Benchmark
    public void startup_initPerPacket(StartupState s, Blackhole bh) {
        byte[] sealed = s.perPacket.seal(s.packet, 0, s.packet.length, 0);
        bh.consume(s.perPacket.open(sealed, 0, sealed.length));
    }

    @State(Scope.Thread)
    public static class StartupState {
        final byte[] packet = new byte[96];
        PacketCipher perPacket;

        @Setup
        public void setUp() {
            new java.util.Random(3).nextBytes(packet);
            byte[] k = PacketCipher.DEFAULT_KEY.clone();
            k[15] ^= 1; // another key: the per-packet path, with the same work per packet as the default key had
            perPacket = PacketCipher.forSession(new SessionKeys(k, k, k, k, new byte[32], new byte[32]), 0, 0, false, false);
        }
    }

    /** The same format with the JDK Cipher and Mac initialised once per session direction. */
    @Benchmark
    public void packet_jdkReusedCipher(PacketState s, Blackhole bh) {
        byte[] sealed = s.jdkClient.seal(s.packet, 0, PACKET_LENGTH, SEQUENCE_NUMBER);
        bh.consume(s.jdkServer.open(sealed, 0, sealed.length));
    }

    /** The same format with Bouncy Castle CBCBlockCipher(AESEngine) and HMac(SHA256Digest) kept per direction. */
    @Benchmark
    public void packet_bc(PacketState s, Blackhole bh) {
        byte[] sealed = s.bcClient.seal(s.packet, 0, PACKET_LENGTH, SEQUENCE_NUMBER);
        bh.consume(s.bcServer.open(sealed, 0, sealed.length));
    }

    // ------------------------------------------------------------------------------------------------
    // 4. Server-side crypto of one IIKeying, group 2
    // ------------------------------------------------------------------------------------------------

    /** The responder's SKRC as the project builds it: SSEQ and HMAC (16) on request, ephemeral key. */
    static byte[] buildSkrc(DhGroup group, byte[] publicKey) {
        return KeyingComponent.builder().sseq(Negotiation.ON_REQUEST).hmac(Negotiation.ON_REQUEST, HMAC_LENGTH)
                .ephemeralKey(group, publicKey).build().encoded();
    }

    static SessionKeys handshakeProject(Group2State s) {
        DhKeyPair pair = s.dh.generateKeyPair(s.random);
        byte[] skrc = buildSkrc(s.dh, pair.publicKeyBytes());
        byte[] secret = pair.agree(s.clientPublic).orElseThrow();
        return SessionKeys.derive(secret, skrc, SKIC);
    }

    static SessionKeys handshakeBc(Group2State s) {
        AsymmetricCipherKeyPair pair = s.bcGenerator.generateKeyPair();
        byte[] skrc = buildSkrc(s.dh, BigIntegers.asUnsignedByteArray(((DHPublicKeyParameters) pair.getPublic()).getY()));
        BigInteger y = new BigInteger(1, s.clientPublic);
        if (!s.dh.isAcceptablePublicKey(y)) {
            throw new IllegalArgumentException("unacceptable key");
        }
        s.bcAgreement.init(new ParametersWithRandom(pair.getPrivate(), s.random));
        byte[] secret = BigIntegers.asUnsignedByteArray(s.bcAgreement.calculateAgreement(new DHPublicKeyParameters(y, s.bcParams)));
        return bcDerive(s.bcHmac, secret, skrc, SKIC);
    }

    static SessionKeys handshakeJdkJca(Group2State s) throws GeneralSecurityException {
        KeyPair pair = s.jdkGenerator.generateKeyPair();
        byte[] skrc = buildSkrc(s.dh, BigIntegers.asUnsignedByteArray(((DHPublicKey) pair.getPublic()).getY()));
        BigInteger y = new BigInteger(1, s.clientPublic);
        if (!s.dh.isAcceptablePublicKey(y)) {
            throw new IllegalArgumentException("unacceptable key");
        }
        s.jdkAgreement.init(pair.getPrivate());
        s.jdkAgreement.doPhase(s.jdkKeyFactory.generatePublic(new DHPublicKeySpec(y, s.dh.prime(), G)), true);
        byte[] secret = stripLeadingZeros(s.jdkAgreement.generateSecret());
        return SessionKeys.derive(secret, skrc, SKIC);
    }

    /**
     * The project, per IIKeying: ephemeral group-2 pair (DhGroup), SKRC, agreement with the initiator's
     * key (DhGroup.agree) and session keys (SessionKeys.derive, JDK HmacSHA256).
     */
    @Benchmark
    public void handshake2_project(Group2State s, Blackhole bh) {
        bh.consume(handshakeProject(s));
    }

    /** The same with Bouncy Castle: DHKeyPairGenerator, DHBasicAgreement, HMac(SHA256Digest). */
    @Benchmark
    public void handshake2_bc(Group2State s, Blackhole bh) {
        bh.consume(handshakeBc(s));
    }

    /** The same with the JDK's JCA DH classes: KeyPairGenerator, KeyFactory, KeyAgreement "DH". */
    @Benchmark
    public void handshake2_jdkJca(Group2State s, Blackhole bh) throws GeneralSecurityException {
        bh.consume(handshakeJdkJca(s));
    }
}
