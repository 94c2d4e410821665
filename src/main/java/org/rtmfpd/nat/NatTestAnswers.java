package org.rtmfpd.nat;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * What the RFC 5780 tests of one local socket got back (§4.3 mapping, §4.4 filtering, §4.5 hairpinning).
 * An empty mapped address means no answer; an empty {@code Boolean} means the test was not run.
 *
 * @param local                the socket's own address (the IP it reaches the server from)
 * @param mapped               test I: XOR-MAPPED-ADDRESS of a request to IP1:PORT1
 * @param otherAddress         test I: OTHER-ADDRESS, present when the server has an alternate address
 * @param mappedViaAlternateIp mapping test II: XOR-MAPPED-ADDRESS from IP2:PORT1
 * @param mappedViaAlternateBoth mapping test III: XOR-MAPPED-ADDRESS from IP2:PORT2
 * @param changeIpAndPortAnswered filtering test II: an answer came to "change IP and port"
 * @param changePortAnswered   filtering test III: an answer came to "change port"
 * @param hairpin              a request sent to the mapped address came back to this socket
 */
public record NatTestAnswers(InetSocketAddress local, Optional<InetSocketAddress> mapped,
        Optional<InetSocketAddress> otherAddress, Optional<InetSocketAddress> mappedViaAlternateIp,
        Optional<InetSocketAddress> mappedViaAlternateBoth, Optional<Boolean> changeIpAndPortAnswered,
        Optional<Boolean> changePortAnswered, Optional<Boolean> hairpin) {

    /** No answer to test I: nothing else was run. */
    public static NatTestAnswers unanswered(InetSocketAddress local) {
        return new NatTestAnswers(local, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }
}
