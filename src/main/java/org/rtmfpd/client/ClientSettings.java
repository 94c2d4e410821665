package org.rtmfpd.client;

import java.time.Duration;
import org.rtmfpd.crypto.KeyingComponent;
import org.rtmfpd.crypto.Negotiation;
import org.rtmfpd.session.SessionSettings;

/**
 * What a client offers in its keying components and how long it tries: the HMAC and session sequence
 * number negotiation of RFC 7425 §4.6.4, the deadline for opening a session (RFC 7016 §3.5.1), the
 * session timers, and what its {@code connect} command says about it.
 *
 * @param hmac HMAC negotiation flags sent in the SKIC (option 0x1a)
 * @param hmacLength the tag length this client sends when HMAC is used, 4..32
 * @param sseq session sequence number negotiation flags (option 0x1e)
 * @param openTimeoutMillis give up opening a session after this long (RFC 7016 §3.5.1: 95 s)
 * @param session keepalive and idle timers of open sessions
 * @param flashVersion the {@code flashVer} of {@code connect}
 * @param objectEncoding the {@code objectEncoding} of {@code connect}: 3 (AMF3) as Flash 10+, or 0
 */
public record ClientSettings(Negotiation hmac, int hmacLength, Negotiation sseq, long openTimeoutMillis,
                             SessionSettings session, String flashVersion, double objectEncoding) {
    public static final long DEFAULT_OPEN_TIMEOUT_MILLIS = 95_000;
    public static final String DEFAULT_FLASH_VERSION = "WIN 32,0,0,465";

    /** What Flash Player offers: HMAC (10-byte tags) and sequence numbers "on request" only, flags 0x02. */
    public static final ClientSettings FLASH_LIKE = new ClientSettings(Negotiation.ON_REQUEST, 10,
            Negotiation.ON_REQUEST, DEFAULT_OPEN_TIMEOUT_MILLIS, SessionSettings.DEFAULT, DEFAULT_FLASH_VERSION, 3.0);

    /** What rtmfp-cpp's clients offer by default: both always sent and required (flags 0x07), 16-byte tags. */
    public static final ClientSettings HMAC_SSEQ_REQUIRED = new ClientSettings(Negotiation.REQUIRED, 16,
            Negotiation.REQUIRED, DEFAULT_OPEN_TIMEOUT_MILLIS, SessionSettings.DEFAULT, DEFAULT_FLASH_VERSION, 3.0);

    public ClientSettings {
        if (hmacLength < KeyingComponent.MIN_HMAC_LENGTH || hmacLength > KeyingComponent.MAX_HMAC_LENGTH) {
            throw new IllegalArgumentException("HMAC length " + hmacLength + " is outside 4..32");
        }
        if (openTimeoutMillis <= 0) {
            throw new IllegalArgumentException("the open timeout must be positive");
        }
    }

    public ClientSettings withOpenTimeout(Duration timeout) {
        return new ClientSettings(hmac, hmacLength, sseq, timeout.toMillis(), session, flashVersion, objectEncoding);
    }

    public ClientSettings withSession(SessionSettings settings) {
        return new ClientSettings(hmac, hmacLength, sseq, openTimeoutMillis, settings, flashVersion, objectEncoding);
    }

    public ClientSettings withObjectEncoding(double encoding) {
        return new ClientSettings(hmac, hmacLength, sseq, openTimeoutMillis, session, flashVersion, encoding);
    }
}
