package org.rtmfpd.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

class SessionIdScramblerTest {
    static final String STRATUS_DATAGRAM = "95bd4a12d97ae8af4cc7a2bd26397719d74231a231bb057c0de4032a4efac39b"
            + "11d8b8983fd6aab7a198f25f75ede241e5200b30fc5d463305f58b93a9be902d8f07728720b15e15089583a9"
            + "c1c99a6aec9304ff2b66a5256de70648d438016b8ac6678b";

    @Test
    void stratusIhelloIsForSessionZero() {
        ByteBuf datagram = Bytes.buf(STRATUS_DATAGRAM);
        assertEquals(0, SessionIdScrambler.sessionIdOf(datagram));
        assertEquals(0, datagram.readerIndex());
    }

    @Test
    void scramblesWithTheFirstTwoCiphertextWords() {
        ByteBuf ciphertext = Bytes.buf(STRATUS_DATAGRAM.substring(8));
        assertEquals(0x95bd4a12, SessionIdScrambler.scramble(0, ciphertext));
        assertEquals(0x95bd4a12 ^ 0x02000000, SessionIdScrambler.scramble(0x02000000, ciphertext));
        assertEquals(0x02000000, SessionIdScrambler.unscramble(0x95bd4a12 ^ 0x02000000, ciphertext));
    }

    @Test
    void missingCiphertextBytesCountAsZero() {
        assertEquals(0x11223344, SessionIdScrambler.unscramble(0x11223344, Bytes.buf("")));
        assertEquals(0x11223344 ^ 0xaabb0000, SessionIdScrambler.unscramble(0x11223344, Bytes.buf("aa bb")));
        assertEquals(0x11223344 ^ 0x01020304 ^ 0x05000000,
                SessionIdScrambler.unscramble(0x11223344, Bytes.buf("01 02 03 04 05")));
    }

    @Test
    void aDatagramShorterThanTheSsidThrows() {
        assertThrows(WireException.class, () -> SessionIdScrambler.sessionIdOf(Bytes.buf("95 bd 4a")));
        assertEquals(0x95bd4a12, SessionIdScrambler.sessionIdOf(Bytes.buf("95 bd 4a 12")));
    }
}
