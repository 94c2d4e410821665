package org.rtmfpd.server;

import org.rtmfpd.config.ConfigFile;
import org.rtmfpd.config.ServerConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rtmfpd.rendezvous.DeveloperKeys;

/** What the Debian package installs (src/deb), checked without dpkg: the files parse and the unit is sandboxed. */
class DebianPackageFilesTest {
    private static final Path FILES = Path.of("src/deb/files");

    @Test
    void theInstalledKeysFileParsesAndHoldsNoKey() throws Exception {
        assertTrue(DeveloperKeys.load(FILES.resolve("developer-keys.conf")).isEmpty(), "no usable key out of the box");
    }

    @Test
    void theInstalledConfigurationParsesAndNamesTheInstalledKeysFile() throws Exception {
        ServerConfig config = ConfigFile.read(FILES.resolve("rtmfpd.conf"), ServerConfig.builder()).build();
        assertEquals(Path.of("/etc/rtmfpd/developer-keys.conf"), config.developerKeys());
        assertTrue(config.metricsListen().orElseThrow().getAddress().isLoopbackAddress(), "metrics stay on loopback");
    }

    @Test
    void theUnitRunsTheInstalledCommandAsItsOwnUserInASandbox() throws Exception {
        List<String> unit = Files.readAllLines(FILES.resolve("rtmfpd.service"));
        for (String line : List.of("ExecStart=/usr/bin/rtmfpd serve --config /etc/rtmfpd/rtmfpd.conf", "User=rtmfpd",
                "ExecReload=/bin/kill -HUP $MAINPID", "NoNewPrivileges=true", "ProtectSystem=strict", "PrivateTmp=true",
                "ProtectHome=true", "CapabilityBoundingSet=CAP_NET_BIND_SERVICE", "WantedBy=multi-user.target")) {
            assertTrue(unit.contains(line), "the unit lacks " + line);
        }
        assertTrue(unit.stream().anyMatch(l -> l.contains("MemoryMax=")), "the unit says how to bound memory");
    }

    @Test
    void theMaintainerScriptsAreShellScriptsThatStopOnErrors() throws Exception {
        for (String script : List.of("postinst", "prerm", "postrm")) {
            List<String> lines = Files.readAllLines(Path.of("src/deb/control", script));
            assertEquals("#!/bin/sh", lines.get(0), script);
            assertTrue(lines.contains("set -e"), script);
            assertTrue(Files.isExecutable(Path.of("src/deb/control", script)), script + " is executable");
        }
    }
}
