package org.rtmfpd.cli;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.rtmfpd.crypto.DhGroup;
import org.rtmfpd.rendezvous.DeveloperKeyStore;
import org.rtmfpd.rendezvous.DeveloperKeysException;
import org.rtmfpd.server.RtmfpServer;
import org.rtmfpd.server.ServerSettings;
import org.rtmfpd.session.SessionSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rtmfpd serve}: runs the rendezvous server until SIGTERM or SIGINT, reloading keys on SIGHUP. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the rendezvous server.")
public final class ServeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);
    private static final long SHUTDOWN_GRACE_MILLIS = 3_000;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Settings file; its names are this command's long option names (default: config/rtmfpd.conf if present).")
    Path config;

    @Option(names = "--listen", paramLabel = "HOST:PORT",
            description = "UDP address to listen on, repeatable (default: 0.0.0.0:1935). [::]:1935 for IPv6.")
    List<String> listen;

    @Option(names = "--developer-keys", paramLabel = "FILE",
            description = "Developer keys file (default: config/developer-keys.conf).")
    Path developerKeys;

    @Option(names = "--peer-cap", paramLabel = "N",
            description = "Most peers one peer is introduced to, and most members a NetGroup join receives (default: 5).")
    Integer peerCap;

    @Override
    public Integer call() throws Exception {
        ServerSettings settings = new ServerSettings(
                addresses(listen == null ? List.of("0.0.0.0:1935") : listen),
                List.of(DhGroup.GROUP_2, DhGroup.GROUP_14),
                peerCap == null ? 5 : peerCap,
                15_000, 10_000, 16, 60_000, SessionSettings.DEFAULT);
        Path keysFile = developerKeys == null ? Path.of("config/developer-keys.conf") : developerKeys;
        DeveloperKeyStore keys;
        try {
            keys = DeveloperKeyStore.load(keysFile);
        } catch (DeveloperKeysException e) {
            System.err.println("rtmfpd: " + e.getMessage());
            return 2;
        }
        RtmfpServer server = RtmfpServer.start(settings, keys);
        CountDownLatch stop = new CountDownLatch(1);
        Signals.on("TERM", stop::countDown);
        Signals.on("INT", stop::countDown);
        Signals.on("HUP", server::reloadKeys);
        stop.await();
        LOG.info("shutting down: closing sessions");
        server.shutdown(SHUTDOWN_GRACE_MILLIS);
        LOG.info("stopped");
        return 0;
    }

    static List<InetSocketAddress> addresses(List<String> specs) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String spec : specs) {
            out.add(ListenAddress.parse(spec));
        }
        return out;
    }
}
