package org.rtmfpd.cli.bench;

import java.security.SecureRandom;
import java.security.SecureRandomSpi;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The randomness of the bench's simulated clients: their IHello tags, session IDs and the extra
 * randomness of their keying components, which a server only needs to be distinct. Drawn from
 * {@link ThreadLocalRandom}, not a DRBG: unpredictable enough for a load test on loopback, not for a real
 * client (whose {@code SecureRandom} the project's client takes as it is given).
 */
final class BenchRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;

    BenchRandom() {
        super(new Spi(), null);
    }

    private static final class Spi extends SecureRandomSpi {
        private static final long serialVersionUID = 1L;

        @Override
        protected void engineSetSeed(byte[] seed) {
            // ThreadLocalRandom seeds itself
        }

        @Override
        protected void engineNextBytes(byte[] bytes) {
            ThreadLocalRandom.current().nextBytes(bytes);
        }

        @Override
        protected byte[] engineGenerateSeed(int numBytes) {
            byte[] seed = new byte[numBytes];
            engineNextBytes(seed);
            return seed;
        }
    }
}
