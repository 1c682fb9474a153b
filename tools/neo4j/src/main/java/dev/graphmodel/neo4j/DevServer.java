package dev.graphmodel.neo4j;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import inet.ipaddr.IPAddressString;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.configuration.ssl.ClientAuth;
import org.neo4j.configuration.ssl.SslPolicyConfig;
import org.neo4j.configuration.ssl.SslPolicyScope;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Transaction;
import org.neo4j.io.ByteUnit;
import org.neo4j.io.fs.DefaultFileSystemAbstraction;
import org.neo4j.kernel.impl.security.User;
import org.neo4j.kernel.internal.Version;
import org.neo4j.logging.NullLogProvider;
import org.neo4j.memory.EmptyMemoryTracker;
import org.neo4j.server.security.SecureHasher;
import org.neo4j.server.security.SystemGraphCredential;
import org.neo4j.server.security.auth.FileUserRepository;

/**
 * A single-instance Neo4j Community DBMS, run in-process and exposed over Bolt
 * on 127.0.0.1 only. Meant for development and tests: see ../../../../../../README.md.
 *
 * <pre>
 *   NEO4J_PASSWORD=... java -cp 'target/neo4j-dev-server.jar:target/lib/*' \
 *       dev.graphmodel.neo4j.DevServer --port 7687 --home /path/to/state
 * </pre>
 *
 * The password of the built-in {@code neo4j} user is read from the environment
 * variable {@code NEO4J_PASSWORD} (never from the command line).  On the very
 * first start the password is installed before the system database exists
 * (the same mechanism as {@code neo4j-admin dbms set-initial-password}), so the
 * Bolt port never serves the default {@code neo4j/neo4j} credentials; on later
 * starts it is re-applied with {@code ALTER USER} so a changed
 * {@code NEO4J_PASSWORD} takes effect.
 *
 * With {@code --tls DIR}, Bolt requires TLS with the key and certificate in DIR
 * ({@code private.key}, {@code public.crt}; Neo4j's {@code dbms.ssl.policy.bolt.*}
 * with {@code server.bolt.tls_level=REQUIRED}).
 *
 * With {@code --plugins DIR}, procedures are loaded from the jars in DIR (Neo4j's
 * {@code server.directories.plugins}; the same jars must be on the class path for
 * their extensions, as the packaged server does): the Graph Data Science plugin,
 * of which only {@link #GDS_USED} is loaded ({@code dbms.security.procedures.allowlist})
 * and may use internal APIs ({@code dbms.security.procedures.unrestricted}).
 *
 * In every profile {@code LOAD CSV} reads no file ({@code allow_csv_import_from_file_urls=false})
 * and fetches no URL (every address on the IP block list).
 *
 * Prints one line {@code DEVSERVER READY bolt://127.0.0.1:PORT ...} when Bolt
 * accepts authenticated connections; shuts down cleanly on SIGTERM/SIGINT.
 */
public final class DevServer {

    static final String PASSWORD_ENV = "NEO4J_PASSWORD";
    static final String USER = "neo4j";
    /** Salted PBKDF2 digest of the password last applied, so a restart can skip ALTER USER. */
    static final String PASSWORD_MARKER = "devserver-password.pbkdf2";
    /**
     * The only GDS procedures and functions loaded with {@code --plugins}: what graphmodel's
     * queries use (cypher/index.cypher) and {@code gds.version} for the tests. GDS marks all its
     * procedures READ, also those that change the shared graph catalog, export databases or run
     * Cypher strings ({@code gds.graph.project.cypher}); tests/devserver/test_security.py keeps
     * this list equal to the library's use.
     */
    static final List<String> GDS_USED = List.of(
            "gds.graph.project", "gds.betweenness.stream", "gds.util.asNode", "gds.graph.drop", "gds.version");
    /** Every IPv4 and IPv6 address: LOAD CSV (and any plugin's URL loader) fetches nothing. */
    static final List<IPAddressString> EVERY_ADDRESS = List.of(
            new IPAddressString("0.0.0.0/0"), new IPAddressString("::/0"));

    private DevServer() {}

    private static void usage(String error) {
        if (error != null) {
            System.err.println("DevServer: " + error);
        }
        System.err.println(
                "usage: NEO4J_PASSWORD=... java -cp 'neo4j-dev-server.jar:lib/*' dev.graphmodel.neo4j.DevServer\n"
                        + "           --port PORT --home DIR [--pagecache SIZE_MB] [--tls DIR] [--plugins DIR]\n"
                        + "  --port       Bolt port, bound on 127.0.0.1 only\n"
                        + "  --home       DBMS home: data/ and logs/ are created under it\n"
                        + "  --pagecache  page cache size in MiB (default 256)\n"
                        + "  --tls        require TLS on Bolt, with DIR/private.key and DIR/public.crt\n"
                        + "  --plugins    load the GDS procedures graphmodel uses from the jars in DIR");
        System.exit(error == null ? 0 : 2);
    }

    public static void main(String[] args) throws Exception {
        Integer port = null;
        Path home = null;
        long pagecacheMb = 256;
        Path tlsDir = null;
        Path pluginsDir = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-h", "--help" -> usage(null);
                case "--port", "--home", "--pagecache", "--tls", "--plugins" -> {
                    if (i + 1 >= args.length) {
                        usage("missing value for " + a);
                    }
                    String v = args[++i];
                    try {
                        switch (a) {
                            case "--port" -> port = Integer.parseInt(v);
                            case "--home" -> home = Path.of(v).toAbsolutePath().normalize();
                            case "--tls" -> tlsDir = Path.of(v).toAbsolutePath().normalize();
                            case "--plugins" -> pluginsDir = Path.of(v).toAbsolutePath().normalize();
                            default -> pagecacheMb = Long.parseLong(v);
                        }
                    } catch (NumberFormatException e) {
                        usage("bad number for " + a + ": " + v);
                    }
                }
                default -> usage("unknown argument: " + a);
            }
        }
        if (port == null || home == null) {
            usage("--port and --home are required");
        }
        if (port < 1 || port > 65535) {
            usage("port out of range: " + port);
        }
        String password = System.getenv(PASSWORD_ENV);
        if (password == null || password.isEmpty()) {
            System.err.println("DevServer: environment variable " + PASSWORD_ENV + " must hold the neo4j password");
            System.exit(2);
        }
        if (password.codePointCount(0, password.length()) < 8) {
            System.err.println("DevServer: " + PASSWORD_ENV + " must be at least 8 characters (Neo4j's minimum)");
            System.exit(2);
        }

        Files.createDirectories(home);
        Path data = home.resolve("data");
        Path logs = home.resolve("logs");
        Files.createDirectories(logs);
        boolean firstStart = !Files.isDirectory(data.resolve("databases").resolve("system"));
        long t0 = System.nanoTime();

        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home)
                .setConfig(GraphDatabaseSettings.data_directory, data)
                .setConfig(GraphDatabaseSettings.logs_directory, logs)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pagecacheMb))
                .setConfig(GraphDatabaseSettings.default_listen_address, new SocketAddress("127.0.0.1"))
                .setConfig(GraphDatabaseSettings.default_advertised_address, new SocketAddress("127.0.0.1"))
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                // LOAD CSV may not read files on this machine, nor fetch URLs (from here, any host of the
                // local network): a read-only query could otherwise leak them or reach what only this
                // machine can reach. The IP block list is also what keeps plugins' URL loaders away.
                .setConfig(GraphDatabaseSettings.allow_file_urls, false)
                .setConfig(GraphDatabaseInternalSettings.cypher_ip_blocklist, EVERY_ADDRESS)
                // A dev/test server: keep transaction logs small.
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "2 files")
                .setConfig(GraphDatabaseSettings.shutdown_transaction_end_timeout, Duration.ofSeconds(5))
                // Bolt waits 5 s + 5 s for connections/threads on shutdown by default;
                // a dev server should stop quickly.
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1));

        if (tlsDir != null) {
            SslPolicyConfig bolt = SslPolicyConfig.forScope(SslPolicyScope.BOLT);
            builder.setConfig(bolt.enabled, true)
                    .setConfig(bolt.base_directory, tlsDir)
                    .setConfig(bolt.client_auth, ClientAuth.NONE)
                    .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.REQUIRED);
        }

        if (pluginsDir != null) {
            builder.setConfig(GraphDatabaseSettings.plugin_dir, pluginsDir)
                    .setConfig(GraphDatabaseSettings.procedure_allowlist, GDS_USED)
                    .setConfig(GraphDatabaseSettings.procedure_unrestricted, GDS_USED);
        }

        Path authIni = data.resolve("dbms").resolve("auth.ini");
        Path pwMarker = data.resolve("dbms").resolve(PASSWORD_MARKER);
        if (firstStart) {
            writeInitialPassword(authIni, password);
        }

        // Registered before build() so that a SIGTERM during startup still shuts down cleanly.
        AtomicReference<DatabaseManagementService> running = new AtomicReference<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("DEVSERVER STOPPING");
            System.out.flush();
            try {
                DatabaseManagementService service = running.get();
                if (service != null) {
                    service.shutdown();
                }
            } catch (Throwable t) {
                System.err.println("DevServer: error during shutdown: " + t);
            } finally {
                System.out.println("DEVSERVER STOPPED");
                System.out.flush();
                stopped.countDown();
            }
        }, "devserver-shutdown"));

        DatabaseManagementService dbms;
        try {
            dbms = builder.build();
        } catch (Throwable t) {
            System.err.println("DevServer: startup failed: " + t);
            t.printStackTrace();
            System.exit(1);
            return;
        }
        running.set(dbms);

        try {
            if (firstStart) {
                // Consumed when the system database was created; do not leave a hash lying around.
                Files.deleteIfExists(authIni);
            } else if (!PasswordMarker.matches(pwMarker, password)) {
                applyPassword(dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME), password);
            }
            PasswordMarker.write(pwMarker, password);
            // Fail fast if the default database did not come up.
            GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
            if (!db.isAvailable(Duration.ofSeconds(60).toMillis())) {
                throw new IllegalStateException("database 'neo4j' is not available");
            }
        } catch (Throwable t) {
            System.err.println("DevServer: startup failed: " + t);
            t.printStackTrace();
            System.exit(1);
        }

        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("DEVSERVER READY bolt://127.0.0.1:%d neo4j=%s edition=community home=%s first_start=%s tls=%s plugins=%s startup_ms=%d%n",
                port, Version.getNeo4jVersion(), home, firstStart, tlsDir == null ? "off" : "required",
                pluginsDir == null ? "none" : pluginsDir, ms);
        System.out.flush();
        stopped.await();
    }

    /**
     * Same as {@code neo4j-admin dbms set-initial-password}: writes data/dbms/auth.ini,
     * which Neo4j reads when it creates the system database.
     */
    private static void writeInitialPassword(Path authIni, String password) throws IOException {
        Files.createDirectories(authIni.getParent());
        Files.deleteIfExists(authIni);
        try (DefaultFileSystemAbstraction fs = new DefaultFileSystemAbstraction()) {
            FileUserRepository repo = new FileUserRepository(
                    fs, authIni, NullLogProvider.getInstance(), EmptyMemoryTracker.INSTANCE);
            repo.start();
            try {
                SystemGraphCredential cred = SystemGraphCredential.createCredentialForPassword(
                        password.getBytes(StandardCharsets.UTF_8), new SecureHasher());
                repo.create(new User(USER, null, cred, false, false));
            } finally {
                repo.shutdown();
            }
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot write initial password file " + authIni, e);
        }
    }

    /** Re-applies the password (e.g. NEO4J_PASSWORD changed since the first start). */
    private static void applyPassword(GraphDatabaseService system, String password) {
        try (Transaction tx = system.beginTx()) {
            tx.execute("ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
            tx.commit();
        } catch (RuntimeException e) {
            // Neo4j refuses to "change" a password to the one already set; that is fine.
            String msg = String.valueOf(e.getMessage());
            if (!msg.contains("cannot be the same")) {
                throw e;
            }
        }
    }
}
