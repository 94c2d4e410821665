package org.rtmfpd.handshake;

import java.net.InetSocketAddress;
import org.rtmfpd.session.Session;

/**
 * An IHello whose endpoint discriminator names a peer other than this server (RFC 7016 §3.5.1.4):
 * the initiator, already in session with us from the same address, asks to be introduced.
 *
 * @param initiatorSession the session the IHello's source address holds, or null when it holds none
 * @param from the IHello's source address, the initiator's observed address
 * @param epd the endpoint discriminator as received, to forward unchanged
 * @param targetPeerId the 32-byte fingerprint the EPD names
 * @param tag the initiator's tag, to echo in the Redirect and forward in the Forwarded IHello
 */
public record IntroductionRequest(Session initiatorSession, InetSocketAddress from, byte[] epd, byte[] targetPeerId,
                                  byte[] tag) {
}
