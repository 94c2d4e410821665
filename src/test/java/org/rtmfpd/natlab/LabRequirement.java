package org.rtmfpd.natlab;

import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Whether this machine can run the NAT lab (root, network namespaces, iproute2, nftables). With
 * {@code RTMFPD_NATLAB=required} (as CI sets it) a machine that cannot fails the lab tests; otherwise
 * they are skipped with one line that says why.
 */
final class LabRequirement {
    static final String VARIABLE = "RTMFPD_NATLAB";

    private LabRequirement() {
    }

    static void check() {
        String problem = problem();
        if (problem == null) {
            return;
        }
        String line = "NAT lab not run: " + problem;
        if ("required".equals(System.getenv(VARIABLE))) {
            Assertions.fail(line + " (" + VARIABLE + "=required)");
        }
        System.out.println(line + "; set " + VARIABLE + "=required to make this a failure");
        Assumptions.abort(line);
    }

    /**
     * A tool that part of the lab needs is missing: a failure where the lab is required, otherwise one
     * line, and that part is skipped when {@code skip} (or left out, and the rest runs).
     */
    static void missing(String line, boolean skip) {
        if ("required".equals(System.getenv(VARIABLE))) {
            Assertions.fail(line + " (" + VARIABLE + "=required)");
        }
        System.out.println(line);
        if (skip) {
            Assumptions.abort(line);
        }
    }

    private static String problem() {
        if (!System.getProperty("os.name").startsWith("Linux")) {
            return "network namespaces need Linux";
        }
        if (Shell.attempt(List.of("ip", "-V"), null) == null) {
            return "no 'ip' command (Debian package iproute2)";
        }
        if (Shell.attempt(List.of("nft", "--version"), null) == null) {
            return "no 'nft' command (Debian package nftables)";
        }
        String probe = "nlprobe" + ProcessHandle.current().pid();
        if (Shell.attempt(List.of("ip", "netns", "add", probe), null) == null) {
            return "cannot create a network namespace (" + Shell.lastError.get().strip() + "; it needs root)";
        }
        Shell.attempt(List.of("ip", "netns", "del", probe), null);
        return null;
    }
}
