package org.rtmfpd.rendezvous;

import org.rtmfpd.wire.ForwardedIHello;

/**
 * What the rendezvous asks the server to send to one of this node's sessions, whichever node decided
 * it: the Forwarded IHello of an introduction, a NetGroup referral, or the close of a session that a
 * newer one with the same peer ID replaced. Called on the server's protocol thread.
 *
 * @param <H> the server's session handle
 */
public interface Outbox<H> {
    /** Send {@code forward} to {@code target} (RFC 7016 §3.5.1.5). */
    void forward(H target, ForwardedIHello forward);

    /** Send {@code 0b <member>} to {@code recipient} on its GC flow for {@code group}. */
    void refer(H recipient, GroupId group, PeerId member);

    /** A newer session with the same peer ID connected (here or on another node): close this one. */
    void evict(H replaced);
}
