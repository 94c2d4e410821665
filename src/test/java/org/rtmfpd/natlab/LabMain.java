package org.rtmfpd.natlab;

import java.nio.file.Path;
import java.util.List;

/**
 * The NAT lab held up by hand (docs/nat.md, "Running other clients in the lab"): builds the matrix's
 * topology, starts its two rtmfpd servers, prints every namespace with its addresses, and removes it all
 * after the given number of seconds (at most an hour) or on Ctrl-C. Other clients then run inside a
 * namespace with {@code ip netns exec NAMESPACE ...}. Run it with the test class path, as scripts/natlab
 * {@code hold SECONDS} does.
 */
public final class LabMain {
    private static final long MAX_SECONDS = 3600;

    private LabMain() {
    }

    public static void main(String[] args) throws Exception {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 600;
        if (seconds < 1 || seconds > MAX_SECONDS) {
            System.err.println("natlab hold: give the seconds to hold the lab, 1 to " + MAX_SECONDS);
            System.exit(64);
        }
        Path dir = Path.of("target", "natlab");
        try (Lab lab = Lab.build(LabTopology.parse(NatLabTest.TOPOLOGY), dir)) {
            List<LabProcess> servers = NatLabTest.startServers(lab, dir);
            for (LabProcess server : servers) {
                server.await(l -> l.contains("server fingerprint"), NatLabTest.START_MILLIS);
            }
            System.out.println("servers: " + NatLabTest.PUBLIC_SERVER + " " + NatLabTest.PUBLIC_SERVER_V6
                    + " (in namespace " + lab.namespace("server") + "), " + NatLabTest.NATTED_SERVER_OUTSIDE
                    + " from outside, " + NatLabTest.NATTED_SERVER_INSIDE + " from " + lab.namespace("srvlan"));
            lab.topology.hosts().values().forEach(h -> System.out.println("host " + lab.namespace(h.name()) + " "
                    + h.addresses().stream().map(Addresses::text).toList() + " behind " + h.on()
                    + (lab.topology.routers().containsKey(h.on()) ? " (" + lab.topology.routers().get(h.on()).kind().word + ")" : "")
                    + h.ports().map(p -> " ports " + p).orElse("")));
            System.out.println("holding the lab for " + seconds + " s; logs in " + dir.toAbsolutePath());
            Thread.sleep(seconds * 1000);
        }
        System.out.println("lab removed");
    }
}
