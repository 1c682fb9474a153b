package dev.graphmodel.neo4j;

import java.nio.file.Files;
import java.nio.file.Path;

import org.neo4j.cli.AdminTool;
import org.neo4j.cli.ExecutionContext;

/**
 * Runs {@code neo4j-admin database import full ...} in-process on a DBMS home laid
 * out as {@link DevServer} uses it (data in {@code HOME/data}), with the importer
 * from the jars the project already resolves ({@code org.neo4j:neo4j-import-tool}).
 * No server may run on that home. See ../../../../../../README.md.
 *
 * <pre>
 *   java -cp 'target/neo4j-dev-server.jar:target/lib/*' dev.graphmodel.neo4j.BulkImport \
 *       --home /path/to/state  --nodes=Agency=DIR/nodes-Agency.csv ... neo4j
 * </pre>
 *
 * Every argument after {@code --home DIR} goes to {@code database import full}
 * unchanged; the exit code is the importer's. (With {@code --verbose} a failed
 * import prints its stack trace, whose causes name the file, line, field and
 * value at fault; scripts/neo4j-dev reads them from there.)
 */
public final class BulkImport {

    private BulkImport() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 3 || !args[0].equals("--home")) {
            System.err.println("usage: java -cp 'neo4j-dev-server.jar:lib/*' dev.graphmodel.neo4j.BulkImport"
                    + " --home DIR IMPORT-FULL-ARGUMENTS... DATABASE");
            System.exit(2);
        }
        Path home = Path.of(args[1]).toAbsolutePath().normalize();
        Files.createDirectories(home.resolve("conf"));
        String[] command = new String[args.length + 1];
        command[0] = "database";
        command[1] = "import";
        command[2] = "full";
        System.arraycopy(args, 2, command, 3, args.length - 2);

        long t0 = System.nanoTime();
        int code = AdminTool.execute(new ExecutionContext(home, home.resolve("conf")), command);
        System.out.printf("BULKIMPORT EXIT %d in %d ms%n", code, (System.nanoTime() - t0) / 1_000_000);
        System.out.flush();
        System.exit(code);
    }
}
