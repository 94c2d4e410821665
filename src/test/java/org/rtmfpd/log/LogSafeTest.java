package org.rtmfpd.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rtmfpd.wire.WireException;

class LogSafeTest {
    @Test
    void plainTextIsUnchanged() {
        assertEquals("connect", LogSafe.text("connect"));
        assertEquals("rtmfp://host:1935/app?x=1 y", LogSafe.text("rtmfp://host:1935/app?x=1 y"));
        assertEquals("caf\u00e9 \u4e2d\u6587 \ud83d\ude00", LogSafe.text("caf\u00e9 \u4e2d\u6587 \ud83d\ude00"));
        assertEquals("null", LogSafe.text(null));
        assertEquals("", LogSafe.text(""));
    }

    @Test
    void lineBreaksCannotForgeALogLine() {
        String forged = "x\n12:00:00.000 INFO  NetConnectionService - session 1: connected";
        String safe = LogSafe.text(forged, 200);
        assertFalse(safe.contains("\n"));
        assertTrue(safe.startsWith("x\\n12:00:00.000 INFO"), safe);
        assertEquals("a\\r\\nb\\tc", LogSafe.text("a\r\nb\tc"));
    }

    @Test
    void otherControlAndInvisibleCharactersAreEscaped() {
        assertEquals("\\u0000\\u001b[31m\\u007f", LogSafe.text("\u0000\u001b[31m\u007f"));
        assertEquals("\\u0085\\u2028\\u2029", LogSafe.text("\u0085\u2028\u2029")); // NEL, line and paragraph separators
        assertEquals("evil\\u202etxt.exe", LogSafe.text("evil\u202etxt.exe"));     // right-to-left override
        assertEquals("\\u200b\\ufeff", LogSafe.text("\u200b\ufeff"));             // zero-width space, BOM
        assertEquals("\\ud800x\\udc00", LogSafe.text("\ud800x\udc00"));           // unpaired surrogates
        assertEquals("a\\u00a0b", LogSafe.text("a\u00a0b"));                       // no-break space
    }

    @Test
    void backslashIsEscapedSoEscapesAreUnambiguous() {
        assertEquals("\\\\n", LogSafe.text("\\n"));
        assertEquals("\\\\\\n", LogSafe.text("\\\n"));
    }

    @Test
    void longTextIsCutAndItsLengthGiven() {
        String safe = LogSafe.text("a".repeat(1000));
        assertEquals("a".repeat(LogSafe.MAX_CHARS) + "\u2026(1000 chars)", safe);
        assertEquals("a".repeat(LogSafe.MAX_CHARS), LogSafe.text("a".repeat(LogSafe.MAX_CHARS)));
        assertEquals("abc\u2026(5 chars)", LogSafe.text("abcde", 3));
    }

    @Test
    void theCutNeverSplitsASurrogatePair() {
        String text = "a".repeat(LogSafe.MAX_CHARS - 1) + "\ud83d\ude00" + "b";
        assertEquals("a".repeat(LogSafe.MAX_CHARS - 1) + "\u2026(" + text.length() + " chars)", LogSafe.text(text));
    }

    @Test
    void escapesDoNotCountTowardsTheBoundButStayBounded() {
        String safe = LogSafe.text("\n".repeat(100_000));
        assertEquals("\\n".repeat(LogSafe.MAX_CHARS) + "\u2026(100000 chars)", safe);
    }

    @Test
    void exceptionMessagesAreEscapedAndBounded() {
        String safe = LogSafe.message(new WireException("bad name 'x\ny'"));
        assertEquals("WireException: bad name 'x\\ny'", safe);
        assertEquals("IllegalStateException", LogSafe.message(new IllegalStateException()));
        assertTrue(LogSafe.message(new IllegalStateException("z".repeat(10_000))).length() < 300);
    }

    @Test
    void bytesAreHexAndBounded() {
        assertEquals("00ff10", LogSafe.hex(new byte[] {0, (byte) 0xff, 0x10}));
        assertEquals("00".repeat(LogSafe.MAX_BYTES) + "\u2026(100 bytes)", LogSafe.hex(new byte[100]));
        assertEquals("null", LogSafe.hex(null));
    }
}
