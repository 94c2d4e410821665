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

    /**
     * The pages the package installs under /usr/share/doc/rtmfpd, as the pom's jdeb data entries map
     * them: README.md, and docs/ with its includes, relative to the doc folder.
     */
    private static java.util.Set<String> installedPages() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        java.util.Set<String> pages = new java.util.TreeSet<>();
        java.util.regex.Matcher data = java.util.regex.Pattern.compile("<data>(.*?)</data>", java.util.regex.Pattern.DOTALL)
                .matcher(pom);
        while (data.find()) {
            String entry = data.group(1);
            String src = tag(entry, "src").replace("${project.basedir}/", "").replace("${project.basedir}", "");
            String prefix = tag(entry, "prefix");
            if (!prefix.startsWith("/usr/share/doc/rtmfpd") || !src.endsWith(".md") && !entry.contains("<type>directory")) {
                continue;
            }
            String under = prefix.substring("/usr/share/doc/rtmfpd".length()).replaceFirst("^/", "");
            if (entry.contains("<type>directory")) {
                String glob = tag(entry, "includes");
                try (var files = Files.newDirectoryStream(Path.of(src), glob)) {
                    for (Path f : files) {
                        pages.add((under.isEmpty() ? "" : under + "/") + f.getFileName());
                    }
                }
            } else {
                pages.add((under.isEmpty() ? "" : under + "/") + Path.of(src).getFileName());
            }
        }
        return pages;
    }

    private static String tag(String xml, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<" + name + ">([^<]*)</" + name + ">").matcher(xml);
        return m.find() ? m.group(1).trim() : "";
    }

    @Test
    void everyPageAnInstalledPageLinksToIsInstalledToo() throws Exception {
        java.util.Set<String> pages = installedPages();
        assertTrue(pages.contains("README.md") && pages.contains("docs/operations.md"), pages.toString());
        java.util.regex.Pattern link = java.util.regex.Pattern.compile("\\]\\(([^)#:]+\\.md)");
        List<String> dangling = new java.util.ArrayList<>();
        for (String page : pages) {
            Path source = Path.of(page); // the package keeps the source tree's layout
            java.util.regex.Matcher m = link.matcher(Files.readString(source));
            while (m.find()) {
                Path target = (source.getParent() == null ? Path.of("") : source.getParent()).resolve(m.group(1)).normalize();
                if (!pages.contains(target.toString())) {
                    dangling.add(page + " -> " + m.group(1));
                }
            }
        }
        assertEquals(List.of(), dangling, "linked from an installed page but not installed");
        for (String file : List.of("rtmfpd.service", "rtmfpd.1", "rtmfpd.conf")) {
            java.util.regex.Matcher named = java.util.regex.Pattern.compile("/usr/share/doc/rtmfpd/([A-Za-z/._-]+\\.md)")
                    .matcher(Files.readString(FILES.resolve(file)));
            while (named.find()) {
                assertTrue(pages.contains(named.group(1)), file + " names /usr/share/doc/rtmfpd/" + named.group(1));
            }
        }
    }
}
