package org.rtmfpd.wire;

/**
 * Turns the size limits this server applies to packets and chunks into named constants. RFC 7016 fixes
 * none of them; the values are those of the reference implementation, rtmfp-cpp.
 */
public final class Limits {
    /**
     * Largest plaintext packet in a session, before padding (rtmfp-cpp {@code MAX_SESSION_PACKET_LENGTH}):
     * with IPv6, UDP, the session ID and the padding added it stays under the IPv6 minimum MTU of 1280.
     */
    public static final int MAX_SESSION_PACKET = 1200;
    /**
     * Largest plaintext startup packet (rtmfp-cpp {@code MAX_STARTUP_PACKET_LENGTH}); big certificates
     * need IP fragmentation. Flash's startup packets are 100 to 300 bytes.
     */
    public static final int MAX_STARTUP_PACKET = 4256;
    /**
     * Longest IHello tag accepted (RFC 7016 §2.3.2 sets no limit). Flash and rtmfp-cpp send 16 bytes; a
     * longer tag would be echoed in the answer and amplify a spoofed request.
     */
    public static final int MAX_IHELLO_TAG = 64;

    private Limits() {
    }
}
