package org.rtmfpd.cli.bench;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One process whose CPU time the bench counts as the server's: a {@code --server-pid PID[:NAME]}. The first
 * one given is the server that {@code --server} names (memory, {@code jcmd GC.run}, descriptors and threads
 * are read from it); every one adds its CPU time to the server CPU of each phase, so that a cluster's nodes
 * (and its Redis) are counted together.
 */
public record ServerProcess(long pid, String name) {
    /** Longest name accepted after the colon. */
    static final int MAX_NAME = 32;

    public ServerProcess {
        if (pid < 1) {
            throw new IllegalArgumentException("--server-pid: " + pid + " is not a process ID");
        }
        if (name != null && (name.isEmpty() || name.length() > MAX_NAME || !name.matches("[A-Za-z0-9._-]+"))) {
            throw new IllegalArgumentException("--server-pid: a name is 1.." + MAX_NAME + " letters, digits, '.', '_' or '-'");
        }
    }

    /** {@code PID} or {@code PID:NAME}, e.g. {@code 4242:node-1}. */
    public static ServerProcess parse(String spec) {
        String s = spec.trim();
        int colon = s.indexOf(':');
        String number = colon < 0 ? s : s.substring(0, colon);
        String name = colon < 0 ? null : s.substring(colon + 1);
        long pid;
        try {
            pid = Long.parseLong(number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--server-pid wants PID or PID:NAME, not '" + spec + "'");
        }
        return new ServerProcess(pid, name);
    }

    /** Every {@code --server-pid} in the order given; none twice. An empty list for none. */
    public static List<ServerProcess> parseAll(List<String> specs) {
        List<ServerProcess> out = new ArrayList<>();
        if (specs == null) {
            return out;
        }
        Set<Long> seen = new HashSet<>();
        for (String spec : specs) {
            ServerProcess p = parse(spec);
            if (!seen.add(p.pid())) {
                throw new IllegalArgumentException("--server-pid " + p.pid() + " is given twice");
            }
            out.add(p);
        }
        return out;
    }

    /** {@code pid 4242} or {@code pid 4242 (node-1)}. */
    public String describe() {
        return "pid " + pid + (name != null ? " (" + name + ")" : "");
    }
}
