package org.rtmfpd.natlab;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A lab described in a few lines, one node a line ({@code #} starts a comment):
 *
 * <pre>
 * internet 198.18.0.0/24 2001:db8::/64
 * router   NAME KIND on NET wan ADDR[,ADDR6] lan CIDR[,CIDR6] [hairpin] [forward PORT HOST]
 * host     NAME on NET ADDR[,ADDR...] [ports FIRST-LAST]
 * </pre>
 * {@code NET} is {@code internet} or a router's name (its LAN). KIND is a {@link NatKind} word. A host's
 * {@code ports} are the UDP ports its peers bind: a router that hairpins sends what arrives for its public
 * address on those ports to that host (as a NAT that preserves ports does), and so does a router's
 * {@code ports} for a router on its LAN (carrier-grade NAT in front of home routers).
 */
record LabTopology(Net internet, Map<String, Router> routers, Map<String, Host> hosts) {

    /** An IP network: its prefix and the first address, the gateway of a LAN. */
    record Cidr(InetAddress network, int length) {
        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            return new Cidr(Addresses.parse(text.substring(0, slash)), Integer.parseInt(text.substring(slash + 1)));
        }

        InetAddress gateway() {
            return Addresses.plus(network, 1);
        }

        boolean v6() {
            return !(network instanceof java.net.Inet4Address);
        }

        @Override
        public String toString() {
            return network.getHostAddress() + "/" + length;
        }
    }

    /** A network: the internet's bridge, or a router's LAN. */
    record Net(String name, Cidr v4, Optional<Cidr> v6) {
        Cidr of(InetAddress a) {
            return a instanceof java.net.Inet4Address ? v4 : v6.orElseThrow(
                    () -> new IllegalArgumentException(name + " has no IPv6 prefix for " + a.getHostAddress()));
        }
    }

    /** An inclusive UDP port range. */
    record Ports(int first, int last) {
        static Ports parse(String text) {
            int dash = text.indexOf('-');
            return new Ports(Integer.parseInt(text.substring(0, dash)), Integer.parseInt(text.substring(dash + 1)));
        }

        @Override
        public String toString() {
            return first + "-" + last;
        }
    }

    /** A node attached to a network, with its addresses there and the ports its traffic uses. */
    interface Attached {
        String name();

        String on();

        List<InetAddress> addresses();

        Optional<Ports> ports();
    }

    record Router(String name, NatKind kind, String on, List<InetAddress> addresses, Net lan, boolean hairpin,
                  Optional<Forward> forward, Optional<Ports> ports) implements Attached {
        InetAddress wanV4() {
            return addresses.stream().filter(a -> a instanceof java.net.Inet4Address).findFirst().orElseThrow();
        }

        Optional<InetAddress> wanV6() {
            return addresses.stream().filter(a -> !(a instanceof java.net.Inet4Address)).findFirst();
        }
    }

    /** A port forward: what reaches the router's public IPv4 address on {@code port} goes to {@code host}. */
    record Forward(int port, InetAddress host) {
    }

    record Host(String name, String on, List<InetAddress> addresses, Optional<Ports> ports) implements Attached {
        InetAddress v4() {
            return addresses.stream().filter(a -> a instanceof java.net.Inet4Address).findFirst().orElseThrow();
        }

        Optional<InetAddress> v6() {
            return addresses.stream().filter(a -> !(a instanceof java.net.Inet4Address)).findFirst();
        }
    }

    static LabTopology parse(String text) {
        Net internet = null;
        Map<String, Router> routers = new LinkedHashMap<>();
        Map<String, Host> hosts = new LinkedHashMap<>();
        int number = 0;
        for (String raw : text.split("\n")) {
            number++;
            String line = raw.replaceAll("#.*", "").strip();
            if (line.isEmpty()) {
                continue;
            }
            List<String> w = List.of(line.split("\\s+"));
            try {
                switch (w.get(0)) {
                    case "internet" -> internet = new Net("internet", Cidr.parse(w.get(1)),
                            w.size() > 2 ? Optional.of(Cidr.parse(w.get(2))) : Optional.empty());
                    case "router" -> {
                        Router r = router(w);
                        routers.put(r.name(), r);
                    }
                    case "host" -> {
                        Host h = new Host(w.get(1), after(w, "on"), addresses(w.get(4)),
                                w.contains("ports") ? Optional.of(Ports.parse(after(w, "ports"))) : Optional.empty());
                        hosts.put(h.name(), h);
                    }
                    default -> throw new IllegalArgumentException("unknown node type '" + w.get(0) + "'");
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("topology line " + number + " (" + line + "): " + e.getMessage(), e);
            }
        }
        if (internet == null) {
            throw new IllegalArgumentException("the topology has no 'internet' line");
        }
        return new LabTopology(internet, routers, hosts);
    }

    private static Router router(List<String> w) {
        String[] lan = after(w, "lan").split(",");
        Net net = new Net(w.get(1), Cidr.parse(lan[0]), lan.length > 1 ? Optional.of(Cidr.parse(lan[1])) : Optional.empty());
        Optional<Forward> forward = Optional.empty();
        int f = w.indexOf("forward");
        if (f >= 0) {
            forward = Optional.of(new Forward(Integer.parseInt(w.get(f + 1)), Addresses.parse(w.get(f + 2))));
        }
        return new Router(w.get(1), NatKind.of(w.get(2)), after(w, "on"), addresses(after(w, "wan")), net,
                w.contains("hairpin"), forward,
                w.contains("ports") ? Optional.of(Ports.parse(after(w, "ports"))) : Optional.empty());
    }

    private static String after(List<String> w, String word) {
        int i = w.indexOf(word);
        if (i < 0 || i + 1 >= w.size()) {
            throw new IllegalArgumentException("'" + word + "' and its value are missing");
        }
        return w.get(i + 1);
    }

    private static List<InetAddress> addresses(String list) {
        List<InetAddress> out = new ArrayList<>();
        for (String a : list.split(",")) {
            out.add(Addresses.parse(a));
        }
        return out;
    }

    /** The network a node is attached to. */
    Net net(String name) {
        if (name.equals("internet")) {
            return internet;
        }
        Router r = routers.get(name);
        if (r == null) {
            throw new IllegalArgumentException("no network '" + name + "'");
        }
        return r.lan();
    }

    /** Every node attached to network {@code name}. */
    List<Attached> attachedTo(String name) {
        List<Attached> out = new ArrayList<>();
        routers.values().stream().filter(r -> r.on().equals(name)).forEach(out::add);
        hosts.values().stream().filter(h -> h.on().equals(name)).forEach(out::add);
        return out;
    }
}
