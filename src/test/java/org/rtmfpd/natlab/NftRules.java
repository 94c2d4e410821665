package org.rtmfpd.natlab;

import java.net.InetAddress;
import org.rtmfpd.natlab.LabTopology.Attached;
import org.rtmfpd.natlab.LabTopology.Router;

/**
 * The nftables rule set of one lab router: a stateful firewall that drops unsolicited input and
 * unsolicited forwarding from the WAN, and for IPv4 the NAT of its {@link NatKind}, its hairpinning and
 * its port forward. Interface names are the lab's: {@code wan} upstream, {@code lan} the LAN bridge.
 */
final class NftRules {
    private NftRules() {
    }

    static String of(LabTopology topology, Router r) {
        String wan = Addresses.text(r.wanV4());
        String lanNet = r.lan().v4().toString();
        StringBuilder pre = new StringBuilder();
        StringBuilder post = new StringBuilder();
        switch (r.kind()) {
            case FIREWALL -> {
            }
            case PORT_RESTRICTED -> post.append("    oifname \"wan\" masquerade\n");
            case SYMMETRIC -> post.append("    oifname \"wan\" masquerade fully-random\n");
            case FULL_CONE -> {
                post.append("    oifname \"wan\" masquerade\n");
                Attached only = topology.attachedTo(r.name()).stream().findFirst()
                        .orElseThrow(() -> new IllegalArgumentException(r.name() + ": a full cone needs a host on its LAN"));
                pre.append("    iifname \"wan\" meta l4proto udp dnat ip to ").append(v4(only)).append('\n');
            }
        }
        r.forward().ifPresent(f -> pre.append("    iifname \"wan\" ip daddr ").append(wan).append(" udp dport ")
                .append(f.port()).append(" dnat ip to ").append(Addresses.text(f.host())).append('\n'));
        if (r.hairpin()) {
            for (Attached a : topology.attachedTo(r.name())) {
                a.ports().ifPresent(p -> pre.append("    iifname \"lan\" ip daddr ").append(wan).append(" udp dport ")
                        .append(p).append(" dnat ip to ").append(v4(a)).append('\n'));
            }
            post.append("    oifname \"lan\" ip saddr ").append(lanNet).append(" ct status dnat snat ip to ")
                    .append(wan).append('\n');
        }
        return """
                flush ruleset
                table inet filter {
                  chain input {
                    type filter hook input priority 0; policy drop;
                    iifname "lo" accept
                    ct state established,related accept
                    iifname "lan" accept
                    meta l4proto { icmp, ipv6-icmp } accept
                  }
                  chain forward {
                    type filter hook forward priority 0; policy drop;
                    ct state established,related accept
                    iifname "lan" accept
                    ct status dnat accept
                  }
                }
                table ip nat {
                  chain prerouting {
                    type nat hook prerouting priority dstnat;
                %s  }
                  chain postrouting {
                    type nat hook postrouting priority srcnat;
                %s  }
                }
                """.formatted(pre, post);
    }

    private static String v4(Attached a) {
        return a.addresses().stream().filter(x -> x instanceof java.net.Inet4Address).findFirst()
                .map(Addresses::text).orElseThrow(() -> new IllegalArgumentException(a.name() + " has no IPv4 address"));
    }
}
