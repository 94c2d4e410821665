package org.rtmfpd.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.rtmfpd.rendezvous.DeveloperKey;
import org.rtmfpd.rendezvous.PeerId;

/**
 * The name registry's decisions, without sockets: turns a request path and its query parameters into a
 * {@link RegistryAnswer}, asking the {@link NameStore} and the {@link ConnectedPeers}. The protocol is
 * the Stratus sample's ({@code reg.cgi}, {@code HttpIdManager.as}), reached at {@code /KEY} or any path
 * under it ({@code /KEY/reg.cgi}):
 * <ul>
 *   <li>{@code ?username=U&identity=PEERID[&time=MS]}: register or refresh;</li>
 *   <li>{@code ?username=U&identity=0}: unregister;</li>
 *   <li>{@code ?friends=U[&friends=V...][&time=MS]}: look up (with a register in the same request, both
 *       answers come in one {@code result}, as in the original).</li>
 * </ul>
 * Stricter than the original, which let anyone overwrite any name: unless {@code open}, only a peer
 * connected with the developer key may register, only under its own peer ID; a name whose peer is still
 * connected is kept for that peer (others get {@code <update>false</update>}); a look-up shows only
 * names of connected peers; an unregister of a name whose peer is still connected (which anyone could
 * send: it carries no proof) takes effect when that peer leaves. With {@code open}, registration needs
 * no connection and look-ups show every live name, but a name whose peer is connected here is still
 * kept for it.
 */
public final class RegistryService {
    /** Most {@code friends} parameters in one request. */
    public static final int MAX_FRIENDS = 16;
    /** The value of {@code identity} that unregisters. */
    static final String UNREGISTER = "0";
    static final String CROSSDOMAIN_PATH = "/crossdomain.xml";
    /** The NAT check page's path (docs/nat.md), when the server has STUN on. */
    public static final String CHECK_PATH = "/check";

    private final Function<String, Optional<DeveloperKey>> keys;
    private final NameStore store;
    private final ConnectedPeers peers;
    private final boolean open;
    private final LongSupplier clock;
    /** The NAT check page, or null when STUN is off. */
    private volatile String checkPage;
    private final String policy;

    /**
     * @param keys   the current developer keys (the server passes {@code store::find})
     * @param store  the registrations
     * @param peers  who is connected, with which key
     * @param open   register and show names of peers not connected (the original's behaviour)
     * @param clock  milliseconds, for expiry
     * @param policy the cross-domain policy document ({@link CrossDomainPolicy#render})
     */
    public RegistryService(Function<String, Optional<DeveloperKey>> keys, NameStore store, ConnectedPeers peers,
            boolean open, LongSupplier clock, String policy) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.store = Objects.requireNonNull(store, "store");
        this.peers = Objects.requireNonNull(peers, "peers");
        this.open = open;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /**
     * The answer to a GET of {@code path} (percent-decoded) with {@code params} (decoded query
     * parameters, each with its values in order). Never completes exceptionally: a failing store is
     * answered with a 503.
     */
    /** Serves {@code html} at {@link #CHECK_PATH}. */
    public RegistryService checkPage(String html) {
        this.checkPage = html;
        return this;
    }

    public CompletionStage<RegistryAnswer> answer(String path, Map<String, List<String>> params) {
        String page = checkPage;
        if (CHECK_PATH.equals(path) && page != null) {
            return done(new RegistryAnswer(200, RegistryAnswer.HTML, page, List.of(RegistryEvent.CHECK_PAGE),
                    Optional.empty()));
        }
        if (CROSSDOMAIN_PATH.equals(path)) {
            return done(new RegistryAnswer(200, RegistryAnswer.POLICY, policy, List.of(RegistryEvent.CROSSDOMAIN),
                    Optional.empty()));
        }
        String key = firstSegment(path);
        if (key.isEmpty()) {
            return done(RegistryAnswer.error(404, RegistryEvent.BAD_REQUEST,
                    "put the developer key in the path: /KEY or /KEY/reg.cgi"));
        }
        if (keys.apply(key).isEmpty()) {
            return done(RegistryAnswer.error(404, RegistryEvent.UNKNOWN_KEY,
                    "unknown developer key; use the key of your rtmfp:// URL as the first path segment"));
        }
        Request request;
        try {
            request = Request.parse(params);
        } catch (IllegalArgumentException e) {
            return done(RegistryAnswer.error(400, RegistryEvent.BAD_REQUEST, e.getMessage()));
        }
        long now = clock.getAsLong();
        List<RegistryEvent> events = new ArrayList<>();
        StringBuilder xml = new StringBuilder();
        String[] refusal = new String[1];
        CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
        if (request.name.isPresent()) {
            UserName name = request.name.get();
            chain = chain.thenCompose(v -> request.peer.isPresent()
                    ? register(key, name, request.peer.get(), now)
                    : unregister(key, name, now))
                    .thenAccept(event -> {
                        events.add(event);
                        xml.append(RegistryAnswer.update(!event.refusal()));
                        if (event.refusal()) {
                            refusal[0] = event.label();
                        }
                    });
        }
        for (Friend f : request.friends) {
            chain = chain.thenCompose(v -> lookup(key, f, now)).thenAccept(found -> {
                events.add(found.isPresent() ? RegistryEvent.LOOKUP_FOUND : RegistryEvent.LOOKUP_MISSING);
                xml.append(RegistryAnswer.friend(f.asked, found));
            });
        }
        return chain.handle((v, failure) -> failure != null
                ? RegistryAnswer.error(503, RegistryEvent.STORE_FAILED, "the name store is not answering; try again")
                : new RegistryAnswer(200, RegistryAnswer.XML, RegistryAnswer.result(xml), events,
                        Optional.ofNullable(refusal[0])));
    }

    private CompletionStage<RegistryEvent> register(String key, UserName name, PeerId peer, long now) {
        if (open) {
            return registerConnected(key, name, peer, now);
        }
        return peers.isConnected(key, peer).thenCompose(connected -> connected
                ? registerConnected(key, name, peer, now) : done(RegistryEvent.NOT_CONNECTED));
    }

    private CompletionStage<RegistryEvent> registerConnected(String key, UserName name, PeerId peer, long now) {
        return store.register(key, name, peer, now).thenCompose(r -> switch (r.outcome()) {
            case REGISTERED -> done(RegistryEvent.REGISTERED);
            case REFRESHED -> done(RegistryEvent.REFRESHED);
            case KEY_FULL -> done(RegistryEvent.KEY_FULL);
            case STORE_FULL -> done(RegistryEvent.STORE_FULL);
            case HELD -> {
                PeerId holder = r.holder().orElseThrow();
                yield peers.isConnected(key, holder).thenCompose(held -> held
                        ? done(RegistryEvent.NAME_HELD)
                        : store.takeOver(key, name, holder, peer, now)
                                .thenApply(ok -> ok ? RegistryEvent.TAKEN_OVER : RegistryEvent.NAME_HELD));
            }
        });
    }

    private CompletionStage<RegistryEvent> unregister(String key, UserName name, long now) {
        return store.lookup(key, name, now).thenCompose(b -> {
            if (b.isEmpty()) {
                return done(RegistryEvent.UNREGISTERED);
            }
            PeerId holder = b.get().peer();
            return peers.isConnected(key, holder).thenCompose(connected -> connected
                    ? done(RegistryEvent.UNREGISTER_DEFERRED)
                    : store.unregister(key, name, holder, now).thenApply(ok -> RegistryEvent.UNREGISTERED));
        });
    }

    private CompletionStage<Optional<PeerId>> lookup(String key, Friend f, long now) {
        if (f.name.isEmpty()) {
            return done(Optional.empty());
        }
        return store.lookup(key, f.name.get(), now).thenCompose(b -> {
            if (b.isEmpty() || open) {
                return done(b.map(NameStore.Binding::peer));
            }
            PeerId p = b.get().peer();
            return peers.isConnected(key, p).thenApply(connected -> connected ? Optional.of(p) : Optional.empty());
        });
    }

    /** The first segment of {@code path}: {@code /KEY/reg.cgi} gives {@code KEY}. */
    static String firstSegment(String path) {
        int start = 0;
        while (start < path.length() && path.charAt(start) == '/') {
            start++;
        }
        int end = path.indexOf('/', start);
        return path.substring(start, end < 0 ? path.length() : end);
    }

    private static <T> CompletionStage<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    /** A friend to look up: the name as asked, and the name if it is one that could be registered. */
    private record Friend(String asked, Optional<UserName> name) {
    }

    /** The parameters of one request, checked. */
    private record Request(Optional<UserName> name, Optional<PeerId> peer, List<Friend> friends) {
        static Request parse(Map<String, List<String>> params) {
            List<String> users = params.getOrDefault("username", List.of());
            List<String> identities = params.getOrDefault("identity", List.of());
            List<String> friendNames = params.getOrDefault("friends", List.of());
            if (users.size() > 1 || identities.size() > 1) {
                throw new IllegalArgumentException("give username and identity once each");
            }
            if (friendNames.size() > MAX_FRIENDS) {
                throw new IllegalArgumentException("look up at most " + MAX_FRIENDS + " friends at once, got "
                        + friendNames.size());
            }
            if (users.isEmpty() && friendNames.isEmpty()) {
                throw new IllegalArgumentException(identities.isEmpty()
                        ? "missing parameters: give username and identity to register, or friends to look up"
                        : "missing parameter username: identity is registered under a username");
            }
            Optional<UserName> name = Optional.empty();
            Optional<PeerId> peer = Optional.empty();
            if (!users.isEmpty()) {
                name = Optional.of(name("username", users.get(0)));
                if (identities.isEmpty() || identities.get(0).isEmpty()) {
                    throw new IllegalArgumentException("missing parameter identity: give the peer ID (64 hex"
                            + " digits, NetConnection.nearID) to register, or 0 to unregister");
                }
                String identity = identities.get(0);
                if (!UNREGISTER.equals(identity)) {
                    try {
                        peer = Optional.of(PeerId.fromHex(identity));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("identity must be a peer ID (64 hex digits,"
                                + " NetConnection.nearID) or 0 to unregister: " + e.getMessage());
                    }
                }
            }
            List<Friend> friends = new ArrayList<>();
            for (String f : friendNames) {
                if (f.length() > UserName.MAX_LENGTH) {
                    throw new IllegalArgumentException("friends: " + UserName.check(f).orElseThrow());
                }
                Optional<String> problem = UserName.check(f);
                if (problem.isPresent() && !f.isEmpty()) {
                    throw new IllegalArgumentException("friends: " + problem.get());
                }
                friends.add(new Friend(f, f.isEmpty() ? Optional.empty() : Optional.of(UserName.of(f))));
            }
            return new Request(name, peer, friends);
        }

        private static UserName name(String param, String value) {
            try {
                return UserName.of(value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(param + ": " + e.getMessage());
            }
        }
    }
}
