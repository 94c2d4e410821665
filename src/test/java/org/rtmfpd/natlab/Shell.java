package org.rtmfpd.natlab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the lab's short set-up commands ({@code ip}, {@code nft}, {@code sysctl}) and fails with their output. */
final class Shell {
    private static final long COMMAND_LIMIT_SECONDS = 20;

    private Shell() {
    }

    /** Runs {@code command} and returns its standard output; fails if it exits non-zero. */
    static String run(String... command) {
        return run(List.of(command), null);
    }

    /** Runs {@code command} with {@code input} on its standard input. */
    static String run(List<String> command, String input) {
        String out = attempt(command, input);
        if (out == null) {
            throw new LabException("failed: " + String.join(" ", command) + ": " + lastError.get());
        }
        return out;
    }

    /** Runs {@code command}; its output, or null when it failed (the reason in {@link #lastError}). */
    static String attempt(List<String> command, String input) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        try {
            Process process = builder.start();
            if (input != null) {
                process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
            }
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(COMMAND_LIMIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                lastError.set("no exit within " + COMMAND_LIMIT_SECONDS + " s");
                return null;
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                lastError.set("exit " + process.exitValue() + ": " + text.strip());
                return null;
            }
            return text;
        } catch (IOException e) {
            lastError.set(e.getMessage());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted running " + String.join(" ", command));
        }
    }

    /** Prefixes {@code command} with {@code ip netns exec NAMESPACE}. */
    static List<String> in(String namespace, String... command) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        all.addAll(Arrays.asList(command));
        return all;
    }

    static final ThreadLocal<String> lastError = ThreadLocal.withInitial(() -> "");
}
