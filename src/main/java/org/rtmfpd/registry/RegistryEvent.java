package org.rtmfpd.registry;

import java.util.Locale;

/**
 * What the name registry did with a request: each constant is also its metric label
 * ({@code rtmfpd_events_total{event="registry_registered"}}, refusals under
 * {@code rtmfpd_refused_total}) and the word its debug log line starts with.
 */
public enum RegistryEvent {
    REGISTERED(false),
    REFRESHED(false),
    /** Registered a name whose holder had left. */
    TAKEN_OVER(false),
    UNREGISTERED(false),
    /** An unregister of a name whose peer is still connected: it stops resolving when that peer leaves. */
    UNREGISTER_DEFERRED(false),
    LOOKUP_FOUND(false),
    LOOKUP_MISSING(false),
    CROSSDOMAIN(false),
    /** The NAT check page was served. */
    CHECK_PAGE(false),
    /** A register for a peer ID that is not connected with the developer key. */
    NOT_CONNECTED(true),
    /** A register for a name that another connected peer holds. */
    NAME_HELD(true),
    KEY_FULL(true),
    STORE_FULL(true),
    BAD_REQUEST(true),
    UNKNOWN_KEY(true),
    TOO_MANY_CONNECTIONS(true),
    TIMEOUT(true),
    TOO_LARGE(true),
    STORE_FAILED(true);

    private final boolean refusal;
    private final String label;

    RegistryEvent(boolean refusal) {
        this.refusal = refusal;
        this.label = "registry_" + name().toLowerCase(Locale.ROOT);
    }

    /** Whether this is a refusal (counted with the refusals) rather than a service done. */
    public boolean refusal() {
        return refusal;
    }

    /** The metric label and log word, such as {@code registry_name_held}. */
    public String label() {
        return label;
    }
}
