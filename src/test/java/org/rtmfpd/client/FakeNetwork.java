package org.rtmfpd.client;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.rtmfpd.session.Clock;
import org.rtmfpd.session.Datagrams;
import org.rtmfpd.session.Transmitter;
import org.rtmfpd.wire.Chunk;

/** A clock the test moves by hand and a transmitter that keeps what was sent, for sans-IO tests. */
final class FakeNetwork {
    private FakeNetwork() {
    }

    static final class ManualClock implements Clock {
        long now = 1_000_000;

        @Override
        public long nowMillis() {
            return now;
        }

        void advance(long millis) {
            now += millis;
        }
    }

    record Sent(InetSocketAddress to, byte[] datagram) {
        int sessionId() {
            return Datagrams.sessionId(datagram);
        }

        /** The single chunk of a startup packet. */
        Chunk startupChunk() {
            List<Chunk> chunks = StartupPackets.decode(datagram);
            if (chunks == null || chunks.size() != 1) {
                throw new AssertionError("not a one-chunk startup packet: " + chunks);
            }
            return chunks.get(0);
        }
    }

    static final class Recorder implements Transmitter {
        final List<Sent> sent = new ArrayList<>();

        @Override
        public void send(InetSocketAddress to, byte[] datagram) {
            sent.add(new Sent(to, datagram));
        }

        List<Sent> drain() {
            List<Sent> out = new ArrayList<>(sent);
            sent.clear();
            return out;
        }
    }
}
