package org.rtmfpd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rtmfpd.client.ClientIdentity;
import org.rtmfpd.client.ClientSettings;
import org.rtmfpd.client.RtmfpClient;
import org.rtmfpd.session.SendFlow;
import org.rtmfpd.wire.AckRanges;
import org.rtmfpd.wire.Chunk;
import org.rtmfpd.wire.NextUserData;
import org.rtmfpd.wire.Option;
import org.rtmfpd.wire.OptionList;
import org.rtmfpd.wire.UserData;

/**
 * A client floods a new flow with empty fragments after a gap in its sequence numbers, over real UDP: the
 * server holds a bounded number of them, says so in its acknowledgements, and keeps serving.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SessionFloodEndToEndTest {
    private static final int FRAGMENTS = 300_000;
    private static final int FRAGMENTS_PER_PACKET = 250;
    private static final int PACKETS_PER_BURST = 20;
    private static final long FLOOD_FLOW = 1000;
    /** A TC flow for stream 1, which the server accepts. */
    private static final byte[] STREAM_METADATA = {'T', 'C', 4, 1};
    /** The server's bounds on one flow (RecvFlow.MAX_PENDING_FRAGMENTS, RecvFlow.MAX_SEQUENCE_AHEAD). */
    private static final long HELD_LIMIT = 256;
    private static final long AHEAD_LIMIT = 1024;
    private static final long WAIT_MILLIS = 10_000;
    /** How long the flooder waits for an acknowledgement of each burst before it sends the next. */
    private static final long BURST_WAIT_MILLIS = 2_000;

    @TempDir
    Path dir;

    private final List<AckRanges> floodAcks = new ArrayList<>();

    private void inspect(List<Chunk> chunks) {
        for (Chunk chunk : chunks) {
            if (chunk instanceof AckRanges a && a.flowId() == FLOOD_FLOW) {
                floodAcks.add(a);
            }
        }
    }

    /** One packet of empty fragments from {@code first} on; sequence number 1 is never sent. */
    private static List<Chunk> emptyFragments(long first, int count) {
        List<Chunk> chunks = new ArrayList<>(count);
        chunks.add(new UserData(UserData.OPT | UserData.FRA_WHOLE, FLOOD_FLOW, first, first,
                OptionList.of(Option.of(SendFlow.OPTION_METADATA, STREAM_METADATA)), new byte[0]));
        for (int i = 1; i < count; i++) {
            chunks.add(new NextUserData(UserData.FRA_WHOLE, OptionList.EMPTY, new byte[0]));
        }
        return chunks;
    }

    @Test
    void emptyFragmentsAfterAGapAreHeldWithinBoundsAndTheServerKeepsServing() throws Exception {
        try (TestServer server = new TestServer(dir);
             RawSessionClient flooder = new RawSessionClient(server.address, this::inspect)) {
            assertEquals("NetConnection.Connect.Success", flooder.connect(server.url(TestServer.KEY_A), WAIT_MILLIS));

            long seq = 2;
            int packets = 0;
            while (seq < 2 + FRAGMENTS) {
                flooder.sendRaw(emptyFragments(seq, FRAGMENTS_PER_PACKET));
                seq += FRAGMENTS_PER_PACKET;
                if (++packets % PACKETS_PER_BURST == 0) {
                    int acked = floodAcks.size();
                    // a server short of CPU reads a burst in fewer batches and acknowledges each batch once
                    flooder.pumpUntil(() -> floodAcks.size() > acked, BURST_WAIT_MILLIS);
                }
            }
            flooder.drain(50);

            // the server acknowledged most bursts (UDP may lose one whole): the flood reached it all along
            assertTrue(floodAcks.size() >= packets / PACKETS_PER_BURST / 2,
                    floodAcks.size() + " acknowledgements for " + packets / PACKETS_PER_BURST + " bursts");
            for (AckRanges ack : floodAcks) {
                assertEquals(0, ack.cumulativeAck(), "sequence number 1 never came");
                long held = ack.ranges().stream().mapToLong(r -> r.end() - r.start() + 1).sum();
                long highest = ack.ranges().isEmpty() ? 0 : ack.ranges().get(ack.ranges().size() - 1).end();
                assertTrue(held <= HELD_LIMIT, held + " fragments held: " + ack);
                assertTrue(highest <= AHEAD_LIMIT, "acknowledged up to " + highest);
            }

            CompletableFuture<Duration> ping = flooder.core().ping();
            assertTrue(flooder.pumpUntil(ping::isDone, WAIT_MILLIS), "the flooded session still answers a ping");
            assertNotNull(ping.get());
            assertEquals(1, server.sessions(), "and is still open");

            try (RtmfpClient other = RtmfpClient.open(ClientIdentity.generate(new SecureRandom()),
                    ClientSettings.FLASH_LIKE.withOpenTimeout(Duration.ofSeconds(5)))) {
                assertEquals("NetConnection.Connect.Success",
                        other.connect(server.url(TestServer.KEY_A)).get(WAIT_MILLIS, TimeUnit.MILLISECONDS).get("code"));
            }
        }
    }
}
