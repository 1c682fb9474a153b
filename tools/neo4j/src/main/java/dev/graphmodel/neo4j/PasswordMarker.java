package dev.graphmodel.neo4j;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Remembers (as a salted PBKDF2 digest, never the password itself) which password
 * was last applied to the {@code neo4j} user, so that a restart with an unchanged
 * password does not need to run {@code ALTER USER} (the first Cypher query of a
 * fresh JVM costs seconds).
 */
final class PasswordMarker {
    private static final int ITERATIONS = 20_000;
    private static final HexFormat HEX = HexFormat.of();

    private PasswordMarker() {}

    static boolean matches(Path marker, String password) {
        try {
            String[] parts = Files.readString(marker, StandardCharsets.US_ASCII).trim().split(":");
            if (parts.length != 2) {
                return false;
            }
            byte[] salt = HEX.parseHex(parts[0]);
            return MessageDigest.isEqual(HEX.parseHex(parts[1]), digest(password, salt));
        } catch (IOException | IllegalArgumentException | GeneralSecurityException e) {
            return false;
        }
    }

    static void write(Path marker, String password) throws IOException, GeneralSecurityException {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        Path tmp = marker.resolveSibling(marker.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, HEX.formatHex(salt) + ":" + HEX.formatHex(digest(password, salt)) + "\n",
                StandardCharsets.US_ASCII);
        Files.move(tmp, marker, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static byte[] digest(String password, byte[] salt) throws GeneralSecurityException {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, ITERATIONS, 256);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } finally {
            spec.clearPassword();
        }
    }
}
