package org.rtmfpd.crypto;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.rtmfpd.wire.WireException;

/**
 * Coverage-guided fuzzing of what the handshake reads out of a peer's option lists (docs/testing.md):
 * certificates, session keying components and endpoint discriminators. Parsing and every accessor
 * return values or throw {@link WireException}. Without JAZZER_FUZZ=1 the targets replay the corpus
 * under {@code src/test/resources/org/rtmfpd/crypto/CryptoFuzzTestInputs/}.
 */
class CryptoFuzzTest {
    @FuzzTest(maxDuration = "5m")
    void certificate(byte[] data) {
        Certificate certificate;
        try {
            certificate = Certificate.parse(data);
        } catch (WireException expected) {
            return;
        }
        if (certificate.fingerprint().length != 32) {
            throw new AssertionError("fingerprint of " + certificate.fingerprint().length + " bytes");
        }
        certificate.acceptsAncillaryData();
        certificate.isStatic();
        try {
            certificate.supportedGroups();
        } catch (WireException expected) {
            // a malformed group number
        }
        for (DhGroup group : DhGroup.values()) {
            try {
                certificate.staticKey(group);
            } catch (WireException expected) {
                // a malformed group number
            }
        }
    }

    @FuzzTest(maxDuration = "5m")
    void keyingComponent(byte[] data) {
        KeyingComponent component;
        try {
            component = KeyingComponent.parseOptions(data);
        } catch (WireException expected) {
            return;
        }
        try {
            KeyingComponent.parse(data);
        } catch (WireException expected) {
            // a negotiation option out of range
        }
        for (Runnable accessor : new Runnable[] {component::groupSelect, component::ephemeralKey, component::hmac,
                component::sseq}) {
            try {
                accessor.run();
            } catch (WireException expected) {
                // a malformed value
            }
        }
    }

    @FuzzTest(maxDuration = "5m")
    void endpointDiscriminator(byte[] data) {
        try {
            EndpointDiscriminator.parse(data);
        } catch (WireException expected) {
            // malformed input is refused
        }
    }
}
