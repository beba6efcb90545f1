package io.ferry.relay.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed certificate for trying the relay over HTTPS ({@code ferry relay serve --tls-self-signed}):
 * an EC P-256 key and a certificate for {@code localhost}, the loopback addresses, this host's name and the
 * names given, valid for a year. Kept in {@code <data-dir>/tls/} and reused while valid, so agents that
 * trust it (with its PEM file as {@code agent.tls.ca-file}, or its pin) keep trusting it across restarts.
 * The private key file is owner-only from its first byte.
 */
public final class SelfSigned {

  public static final String CERTIFICATE_FILE = "relay-cert.pem";
  public static final String KEY_FILE = "relay-key.pem";
  static final Duration VALIDITY = Duration.ofDays(365);
  /** A certificate that expires sooner than this is replaced at the next start. */
  static final Duration RENEW_BEFORE = Duration.ofDays(7);

  /** What was used, and whether it was made just now. */
  public record Result(RelayTls tls, X509Certificate certificate, boolean created) {}

  private SelfSigned() {}

  /**
   * The certificate in {@code dataDir/tls/}, made now when there is none or it is about to expire.
   *
   * @param names host names or IP addresses the certificate is for, besides localhost, loopback and this host
   */
  public static Result ensure(Path dataDir, List<String> names, Clock clock) {
    Path dir = dataDir.resolve("tls");
    Path certificate = dir.resolve(CERTIFICATE_FILE);
    Path key = dir.resolve(KEY_FILE);
    Instant now = clock.instant();
    if (Files.isRegularFile(certificate) && Files.isRegularFile(key)) {
      X509Certificate existing = Certificates.read(certificate, "the self-signed certificate").get(0);
      if (existing.getNotAfter().toInstant().isAfter(now.plus(RENEW_BEFORE))) {
        return new Result(RelayTls.pem(certificate, key), existing, false);
      }
    }
    try {
      Files.createDirectories(dir);
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair pair = generator.generateKeyPair();
      X509Certificate cert = certificate(pair, subjectNames(names), now);
      writeOwnerOnly(key, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
      Path tmp = dir.resolve(CERTIFICATE_FILE + ".tmp");
      Files.writeString(tmp, pem("CERTIFICATE", cert.getEncoded()), StandardCharsets.US_ASCII);
      Files.move(tmp, certificate, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return new Result(RelayTls.pem(certificate, key), cert, true);
    } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot create a self-signed certificate in " + dir + ": " + e.getMessage(), e);
    }
  }

  static List<String> subjectNames(List<String> extra) {
    Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
    try {
      InetAddress local = InetAddress.getLocalHost();
      names.add(local.getHostName());
      names.add(local.getCanonicalHostName());
    } catch (IOException e) {
      // no host name: localhost and loopback only
    }
    for (String n : extra) {
      if (n != null && !n.isBlank() && !n.equals("0.0.0.0") && !n.equals("::")) {
        names.add(n.strip());
      }
    }
    return new ArrayList<>(names);
  }

  private static X509Certificate certificate(KeyPair pair, List<String> names, Instant now)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    X500Name subject = new X500Name("CN=Ferry relay (self-signed for trials),O=Ferry");
    BigInteger serial = new BigInteger(1, PrivateKeys.random(16));
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial,
        Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(VALIDITY)), subject, pair.getPublic());
    List<GeneralName> alternatives = new ArrayList<>();
    for (String n : names) {
      boolean ip = n.matches("[0-9.]+") || n.contains(":");
      alternatives.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, n));
    }
    builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alternatives.toArray(new GeneralName[0])));
    // An end-entity certificate that is its own trust anchor: an agent trusts it as agent.tls.ca-file.
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    return new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der) + "\n-----END " + type + "-----\n";
  }

  private static void writeOwnerOnly(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    FileAttribute<?>[] attributes = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
        : new FileAttribute<?>[0];
    try (SeekableByteChannel channel = Files.newByteChannel(tmp, Set.of(StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE), attributes); var out = Channels.newOutputStream(channel)) {
      out.write(text.getBytes(StandardCharsets.US_ASCII));
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
