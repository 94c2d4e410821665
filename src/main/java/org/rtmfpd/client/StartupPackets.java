package org.rtmfpd.client;

import java.util.List;
import org.rtmfpd.crypto.PacketCipher;
import org.rtmfpd.session.Datagrams;
import org.rtmfpd.wire.Chunk;
import org.rtmfpd.wire.Packet;

/**
 * Turns one handshake chunk into a startup datagram and back (RFC 7016 §2.2.4, RFC 7425 §4.1): flags
 * 0x0b (timestamp, startup mode), encrypted with the default key, to session ID 0 or, for RIKeying and
 * Cookie Change, to the initiator's session ID.
 */
final class StartupPackets {
    static final int FLAGS = Packet.TS | Packet.MODE_STARTUP;

    private StartupPackets() {
    }

    static byte[] encode(int sessionId, Chunk chunk, long nowMillis) {
        int timestamp = (int) ((nowMillis / Packet.TIMESTAMP_TICK_MILLIS) & 0xffff);
        return Datagrams.encode(sessionId, PacketCipher.DEFAULT, 0, new Packet(FLAGS, timestamp, Packet.ABSENT, List.of(chunk)));
    }

    /** The chunks of a startup-mode packet under the default key, or null when it is not one. */
    static List<Chunk> decode(byte[] datagram) {
        try {
            Packet packet = Datagrams.decode(datagram, PacketCipher.DEFAULT).packet();
            return packet.mode() == Packet.MODE_STARTUP ? packet.chunks() : null;
        } catch (RuntimeException e) { // hostile input: any decoding failure drops the datagram
            return null;
        }
    }
}
