package org.rtmfpd.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rtmfpd.testing.Generators.anyInt;
import static org.rtmfpd.testing.Generators.bytes;
import static org.rtmfpd.testing.Generators.forAll;

import io.netty.buffer.Unpooled;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The checksum and the session ID scrambling behave as their definitions say, for any bytes. */
class ChecksumPropertyTest {

    @Test
    void aRegionFollowedByItsChecksumSumsToZero() {
        forAll(1000, r -> {
            byte[] data = bytes(r, 200);
            byte[] even = data.length % 2 == 0 ? data : Arrays.copyOf(data, data.length + 1);
            int checksum = Checksum.of(Unpooled.wrappedBuffer(even), 0, even.length);
            byte[] withChecksum = Bytes.concat(even, new byte[] {(byte) (checksum >> 8), (byte) checksum});
            assertEquals(0, Checksum.of(Unpooled.wrappedBuffer(withChecksum), 0, withChecksum.length));
        });
    }

    @Test
    void anOddLastByteCountsAsAWordWithZeroHighByte() {
        forAll(1000, r -> {
            byte[] data = bytes(r, 1, 200);
            if (data.length % 2 == 0) {
                data = Arrays.copyOf(data, data.length - 1);
            }
            int last = data[data.length - 1];
            byte[] widened = Bytes.concat(Arrays.copyOf(data, data.length - 1), new byte[] {0, (byte) last});
            assertEquals(Checksum.of(Unpooled.wrappedBuffer(widened), 0, widened.length),
                    Checksum.of(Unpooled.wrappedBuffer(data), 0, data.length));
        });
    }

    @Test
    void unscramblingUndoesScrambling() {
        forAll(1000, r -> {
            int sessionId = anyInt(r);
            byte[] ciphertext = bytes(r, 40);
            int ssid = SessionIdScrambler.scramble(sessionId, Unpooled.wrappedBuffer(ciphertext));
            assertEquals(sessionId, SessionIdScrambler.unscramble(ssid, Unpooled.wrappedBuffer(ciphertext)));
            byte[] datagram = Bytes.concat(
                    new byte[] {(byte) (ssid >> 24), (byte) (ssid >> 16), (byte) (ssid >> 8), (byte) ssid}, ciphertext);
            assertEquals(sessionId, SessionIdScrambler.sessionIdOf(Unpooled.wrappedBuffer(datagram)));
        });
    }
}
