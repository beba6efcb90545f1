package io.ferry.agent.secrets;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryPermission;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Files only their owner may read, readable by nobody else at any moment: created with their permissions
 * (POSIX mode 0600, or on Windows an ACL granting the owner alone), never created first and restricted later.
 *
 * <p>Windows' DPAPI would additionally tie the key to the service account, but it is reachable from Java
 * only through native code, which Ferry does not ship; the owner-only ACL is what protects the key there.
 */
public final class OwnerOnlyFiles {

  private OwnerOnlyFiles() {}

  /** Writes a new file owner-only; fails if it exists. */
  public static void write(Path file, byte[] content) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (SeekableByteChannel channel = Files.newByteChannel(file,
        Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), ownerOnly(file));
        OutputStream out = Channels.newOutputStream(channel)) {
      out.write(content);
    }
  }

  /** Refuses a file that others can read (as ssh refuses a private key others can read). */
  static void requireOwnerOnly(Path file) throws IOException {
    if (posix()) {
      Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
      EnumSet<PosixFilePermission> others = EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);
      others.retainAll(p);
      if (!others.isEmpty()) {
        throw new SecretsException(file + " is readable or writable by others (" + PosixFilePermissions.toString(p)
            + "); it holds the secrets' key. Run: chmod 600 " + file);
      }
    }
  }

  private static FileAttribute<?>[] ownerOnly(Path file) throws IOException {
    if (posix()) {
      return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
    }
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("acl")) {
      UserPrincipal owner = Files.getOwner(file.toAbsolutePath().getParent());
      String me = System.getProperty("user.name");
      try {
        owner = file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(me);
      } catch (IOException | UnsupportedOperationException e) {
        // the directory's owner, then
      }
      AclEntry entry = AclEntry.newBuilder().setType(AclEntryType.ALLOW).setPrincipal(owner)
          .setPermissions(EnumSet.allOf(AclEntryPermission.class)).build();
      List<AclEntry> acl = List.of(entry);
      return new FileAttribute<?>[] {new FileAttribute<List<AclEntry>>() {
        @Override
        public String name() {
          return "acl:acl";
        }

        @Override
        public List<AclEntry> value() {
          return acl;
        }
      }};
    }
    return new FileAttribute<?>[0];
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }
}
