package org.rtmfpd.natlab;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rtmfpd.natlab.LabTopology.Attached;
import org.rtmfpd.natlab.LabTopology.Cidr;
import org.rtmfpd.natlab.LabTopology.Host;
import org.rtmfpd.natlab.LabTopology.Net;
import org.rtmfpd.natlab.LabTopology.Router;

/**
 * A {@link LabTopology} made real: one network namespace a node plus one for the internet's bridge, joined
 * by veth pairs, the routers' NAT rules loaded into nftables. Nothing is connected to the host's own
 * interfaces, so no packet leaves the lab. {@link #close} kills what runs in the namespaces and deletes
 * them; a lab left behind by a killed run (its owner process gone) is deleted when the next one starts.
 */
final class Lab implements AutoCloseable {
    /** Namespace names: {@code nl<owner pid>-<node>}. */
    private static final Pattern NAMESPACE = Pattern.compile("nl(\\d+)-\\S+");
    private static final String INTERNET = "internet";
    private static final String BRIDGE = "br0";
    private static final String LAN = "lan";

    final LabTopology topology;
    final Path logs;
    private final String prefix = "nl" + ProcessHandle.current().pid() + "-";
    private final Set<String> namespaces = new LinkedHashSet<>();
    private final List<LabProcess> processes = new ArrayList<>();
    private final AtomicInteger veths = new AtomicInteger();
    private final Thread hook = new Thread(this::close, "lab-cleanup");
    private boolean closed;

    private Lab(LabTopology topology, Path logs) {
        this.topology = topology;
        this.logs = logs;
    }

    /** Builds {@code topology}; on any failure, removes what it made and throws. */
    static Lab build(LabTopology topology, Path logs) throws Exception {
        removeAbandoned();
        Files.createDirectories(logs);
        Lab lab = new Lab(topology, logs);
        Runtime.getRuntime().addShutdownHook(lab.hook);
        try {
            lab.make();
            return lab;
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    /** The namespace of node {@code name}. */
    String namespace(String name) {
        return prefix + name;
    }

    /**
     * Starts {@code main} in node {@code node}'s namespace on this JVM's own class path, with the tests'
     * logging (warnings to standard error) unless {@code jvmOptions} say otherwise.
     */
    LabProcess java(String node, String label, List<String> jvmOptions, String main, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(Shell.in(namespace(node), Path.of(System.getProperty("java.home"),
                "bin", "java").toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k",
                "-Xmx256m", "-cp", classPath()));
        command.addAll(jvmOptions);
        command.add(main);
        command.addAll(args);
        LabProcess p = LabProcess.start(label, command, logs.resolve(label + ".log"));
        synchronized (processes) {
            processes.add(p);
        }
        return p;
    }

    /** Starts {@code command} in node {@code node}'s namespace, as a process the lab stops when it ends. */
    LabProcess process(String node, String label, List<String> command) throws Exception {
        LabProcess p = LabProcess.start(label, Shell.in(namespace(node), command.toArray(String[]::new)),
                logs.resolve(label + ".log"));
        synchronized (processes) {
            processes.add(p);
        }
        return p;
    }

    /** Runs {@code command} in node {@code node}'s namespace and returns its output. */
    String exec(String node, String... command) {
        return Shell.run(Shell.in(namespace(node), command), null);
    }

    private static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    // ---------------------------------------------------------------- building

    private void make() {
        namespace(INTERNET, true);
        ip(INTERNET, "link", "add", BRIDGE, "type", "bridge");
        ip(INTERNET, "link", "set", BRIDGE, "up");
        for (Router r : topology.routers().values()) {
            namespace(r.name(), true);
            ip(r.name(), "link", "add", LAN, "type", "bridge");
            ip(r.name(), "link", "set", LAN, "up");
            address(r.name(), LAN, r.lan().v4().gateway(), r.lan().v4());
            r.lan().v6().ifPresent(c -> address(r.name(), LAN, c.gateway(), c));
            sysctl(r.name(), "net.ipv4.ip_forward=1");
            sysctl(r.name(), "net.ipv6.conf.all.forwarding=1");
        }
        for (Host h : topology.hosts().values()) {
            namespace(h.name(), false);
        }
        for (Router r : topology.routers().values()) {
            attach(r, "wan");
        }
        for (Host h : topology.hosts().values()) {
            attach(h, "eth0");
        }
        routeIpv6Lans();
        for (Router r : topology.routers().values()) {
            Shell.run(Shell.in(namespace(r.name()), "nft", "-f", "-"), NftRules.of(topology, r));
        }
    }

    private void namespace(String name, boolean router) {
        String ns = namespace(name);
        Shell.run("ip", "netns", "add", ns);
        namespaces.add(ns);
        ip(name, "link", "set", "lo", "up");
        if (!router) {
            sysctl(name, "net.ipv6.conf.all.forwarding=0");
        }
    }

    /** Joins {@code node} to its network by a veth pair whose inner end is called {@code inner}. */
    private void attach(Attached node, String inner) {
        String outer = "v" + ProcessHandle.current().pid() % 100000 + "x" + veths.incrementAndGet();
        String temp = outer + "i";
        Net net = topology.net(node.on());
        String netNode = net.name();
        String bridge = netNode.equals(INTERNET) ? BRIDGE : LAN;
        Shell.run("ip", "link", "add", outer, "netns", namespace(netNode), "type", "veth", "peer", "name", temp,
                "netns", namespace(node.name()));
        ip(netNode, "link", "set", outer, "master", bridge);
        ip(netNode, "link", "set", outer, "up");
        ip(node.name(), "link", "set", temp, "name", inner);
        ip(node.name(), "link", "set", inner, "up");
        for (InetAddress a : node.addresses()) {
            address(node.name(), inner, a, net.of(a));
        }
        if (!netNode.equals(INTERNET)) {
            ip(node.name(), "route", "add", "default", "via", Addresses.text(net.v4().gateway()));
            boolean v6 = node.addresses().stream().anyMatch(a -> !(a instanceof java.net.Inet4Address));
            if (v6) {
                net.v6().ifPresent(c -> ip(node.name(), "-6", "route", "add", "default", "via", Addresses.text(c.gateway())));
            }
        }
    }

    /** IPv6 is routed, not translated: every node on the internet learns the way to each router's LAN. */
    private void routeIpv6Lans() {
        for (Router r : topology.routers().values()) {
            Optional<InetAddress> via = r.wanV6();
            if (via.isEmpty() || r.lan().v6().isEmpty() || !r.on().equals(INTERNET)) {
                continue;
            }
            for (Attached other : topology.attachedTo(INTERNET)) {
                boolean v6 = other.addresses().stream().anyMatch(a -> !(a instanceof java.net.Inet4Address));
                if (v6 && !other.name().equals(r.name())) {
                    ip(other.name(), "-6", "route", "add", r.lan().v6().get().toString(), "via", Addresses.text(via.get()));
                }
            }
        }
    }

    private void address(String node, String dev, InetAddress a, Cidr net) {
        if (net.v6()) {
            ip(node, "-6", "addr", "add", Addresses.text(a) + "/" + net.length(), "dev", dev, "nodad");
        } else {
            ip(node, "addr", "add", Addresses.text(a) + "/" + net.length(), "dev", dev);
        }
    }

    private void ip(String node, String... args) {
        List<String> command = new ArrayList<>(List.of("ip", "-n", namespace(node)));
        command.addAll(List.of(args));
        Shell.run(command, null);
    }

    private void sysctl(String node, String setting) {
        exec(node, "sysctl", "-qw", setting);
    }

    // ---------------------------------------------------------------- removing

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        synchronized (processes) {
            processes.forEach(LabProcess::close);
        }
        for (String ns : namespaces) {
            remove(ns);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: this is the hook
        }
    }

    private static void remove(String ns) {
        String pids = Shell.attempt(List.of("ip", "netns", "pids", ns), null);
        if (pids != null) {
            for (String pid : pids.split("\\s+")) {
                if (!pid.isBlank()) {
                    ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
        Shell.attempt(List.of("ip", "netns", "del", ns), null);
    }

    /** Deletes the namespaces of labs whose owner process is gone. */
    static void removeAbandoned() {
        String list = Shell.attempt(List.of("ip", "netns", "list"), null);
        if (list == null) {
            return;
        }
        for (String line : list.split("\n")) {
            String ns = line.strip().split("\\s+")[0];
            Matcher m = NAMESPACE.matcher(ns);
            if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
                remove(ns);
            }
        }
    }

    /** The lab's namespaces still present (empty after {@link #close}). */
    List<String> present() {
        String list = Shell.attempt(List.of("ip", "netns", "list"), null);
        List<String> out = new ArrayList<>();
        if (list != null) {
            for (String line : list.split("\n")) {
                String ns = line.strip().split("\\s+")[0];
                if (ns.startsWith(prefix)) {
                    out.add(ns);
                }
            }
        }
        return out;
    }
}
