package io.ferry.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What can be checked of the Windows service without Windows: the WinSW definition is well-formed and
 * names the paths, account, recovery and logs install.ps1 sets up; install.ps1 pins WinSW by checksum;
 * the wrapper's place matches what {@code ferry agent service} drives; the permissions install.ps1 grants
 * (icacls) leave the service account nothing to change but its data and logs; agent-service.cmd keeps an
 * invalid setting from being restarted and reports to the event log. (Neither PowerShell nor cmd.exe is
 * available on this build host: the scripts are read, not executed.)
 */
class WindowsServiceDefinitionTest {

  private static final Path WINDOWS = Path.of("windows").toAbsolutePath();

  private static Element service() throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Document doc = f.newDocumentBuilder().parse(WINDOWS.resolve("FerryAgent.xml").toFile());
    return doc.getDocumentElement();
  }

  private static String text(Element parent, String tag) {
    NodeList nodes = parent.getElementsByTagName(tag);
    assertThat(nodes.getLength()).as("<" + tag + ">").isEqualTo(1);
    return nodes.item(0).getTextContent().strip();
  }

  @Test
  void theDefinitionRunsTheCurrentReleaseWithTheProgramDataConfiguration() throws Exception {
    Element s = service();
    assertThat(s.getTagName()).isEqualTo("service");
    assertThat(text(s, "id")).isEqualTo("FerryAgent");
    assertThat(text(s, "executable")).isEqualTo("%ProgramFiles%\\Ferry\\current\\windows\\agent-service.cmd");
    assertThat(text(s, "arguments")).isEqualTo("--config \"%ProgramData%\\Ferry\\agent.properties\"");
    assertThat(text(s, "workingdirectory")).isEqualTo("%ProgramData%\\Ferry");
    assertThat(text(s, "logpath")).isEqualTo("%ProgramData%\\Ferry\\logs");
    assertThat(text(s, "startmode")).isEqualTo("Automatic");
  }

  @Test
  void itRunsAsTheVirtualAccountWithoutAPasswordAndRestartsAfterFailures() throws Exception {
    Element s = service();
    Element account = (Element) s.getElementsByTagName("serviceaccount").item(0);
    assertThat(text(account, "domain")).isEqualTo("NT SERVICE");
    assertThat(text(account, "user")).isEqualTo("FerryAgent");
    assertThat(account.getElementsByTagName("password").getLength()).isZero();

    NodeList failures = s.getElementsByTagName("onfailure");
    List<String> actions = new ArrayList<>();
    for (int i = 0; i < failures.getLength(); i++) {
      actions.add(((Element) failures.item(i)).getAttribute("action"));
    }
    assertThat(actions).isNotEmpty().allMatch("restart"::equals);
    assertThat(text(s, "resetfailure")).isNotBlank();
    Element log = (Element) s.getElementsByTagName("log").item(0);
    assertThat(log.getAttribute("mode")).isEqualTo("roll-by-size");
  }

  @Test
  void installPs1PinsWinswByItsSha256AndUsesTheDefinition() throws Exception {
    String script = Files.readString(WINDOWS.resolve("install.ps1"));
    Matcher url = Pattern.compile("\\$WinSWUrl = '(https://github\\.com/winsw/winsw/releases/download/v[0-9.]+/WinSW-x64\\.exe)'")
        .matcher(script);
    Matcher sha = Pattern.compile("\\$WinSWSha256 = '([0-9a-f]{64})'").matcher(script);
    assertThat(url.find()).as("a pinned WinSW release URL").isTrue();
    assertThat(sha.find()).as("a pinned SHA-256").isTrue();
    assertThat(script).contains("Get-FileHash -LiteralPath $Path -Algorithm SHA256", "Test-WinSW $download",
        "$ServiceName = 'FerryAgent'", "Join-Path $PSScriptRoot \"$ServiceName.xml\"", "\"NT SERVICE\\$ServiceName\"");
    // The folders install.ps1 rewrites when -InstallDir or -DataDir differ are the ones the definition uses.
    String xml = Files.readString(WINDOWS.resolve("FerryAgent.xml"));
    assertThat(script).contains(".Replace('%ProgramFiles%\\Ferry', $InstallDir).Replace('%ProgramData%\\Ferry', $DataDir)");
    assertThat(xml).contains("%ProgramFiles%\\Ferry\\current", "%ProgramData%\\Ferry\\");
  }

  /**
   * The service account could rewrite its own policy when it had Modify on all of DataDir (inherited by
   * FerryAgent.xml, where an {@code <env>} overrides any setting, and by FerryAgent.exe). Every grant
   * install.ps1 makes is read here: the account may change its data and its logs and nothing else, and
   * every folder it is granted anything on inherits nothing from above.
   */
  @Test
  void theServiceAccountMayChangeOnlyItsDataAndItsLogs() throws Exception {
    String script = Files.readString(WINDOWS.resolve("install.ps1"));
    Map<String, Set<String>> grants = grants(script);
    assertThat(grants).containsOnlyKeys("$InstallDir", "$DataDir", "$serviceDir", "$agentData", "$logs", "$config");

    Map<String, Set<String>> service = new TreeMap<>();
    grants.forEach((target, list) -> list.stream().filter(g -> g.startsWith("${ServiceAccount}:"))
        .forEach(g -> service.computeIfAbsent(target, t -> new TreeSet<>()).add(g.substring(g.indexOf(':') + 1))));
    assertThat(service).isEqualTo(Map.of(
        "$DataDir", Set.of("(RX)"), // this folder only: nothing below inherits it
        "$serviceDir", Set.of("(OI)(CI)RX"),
        "$config", Set.of("R"),
        "$agentData", Set.of("(OI)(CI)M"),
        "$logs", Set.of("(OI)(CI)M")));
    assertThat(grants.get("$InstallDir")).containsExactlyInAnyOrder("${System}:(OI)(CI)F", "${Administrators}:(OI)(CI)F",
        "${Users}:(OI)(CI)RX");
    grants.forEach((target, list) -> assertThat(list).as(target)
        .anyMatch(g -> g.startsWith("${System}:")).anyMatch(g -> g.startsWith("${Administrators}:"))
        .allMatch(g -> g.startsWith("${System}:") || g.startsWith("${Administrators}:") || !g.matches(".*:(\\(..\\))*[FMWD]$")
            || Set.of("$agentData", "$logs").contains(target)));

    // Well-known SIDs, which a localised Windows does not translate; inheritance broken on every folder.
    assertThat(script).contains("$System = '*S-1-5-18'", "$Administrators = '*S-1-5-32-544'", "$Users = '*S-1-5-32-545'",
        "& icacls.exe $Path /inheritance:r /grant:r @Grants", "& icacls.exe (Join-Path $Path '*') /reset /T /C /Q");
    assertThat(script).doesNotContain("BUILTIN\\Administrators", "'SYSTEM:");
  }

  /** Each {@code Set-FolderAccess TARGET @(...)} and {@code icacls.exe TARGET /inheritance:r /grant:r ...} line: its grants. */
  static Map<String, Set<String>> grants(String script) {
    Pattern folder = Pattern.compile("^\\s*Set-FolderAccess (\\$\\w+) @\\((.*)\\)\\s*$");
    Pattern file = Pattern.compile("^\\s*& icacls\\.exe (\\$\\w+) /inheritance:r /grant:r (.*) \\| Out-Null\\s*$");
    Pattern quoted = Pattern.compile("\"([^\"]+)\"");
    Map<String, Set<String>> all = new TreeMap<>();
    for (String line : script.lines().toList()) {
      for (Pattern p : List.of(folder, file)) {
        Matcher m = p.matcher(line);
        if (m.matches()) {
          Matcher q = quoted.matcher(m.group(2));
          while (q.find()) {
            all.computeIfAbsent(m.group(1), t -> new TreeSet<>()).add(q.group(1));
          }
        }
      }
    }
    return all;
  }

  /**
   * systemd's RestartPreventExitStatus=3, on Windows: WinSW restarts after any exit but 0, so
   * agent-service.cmd answers an invalid setting (3) with an error event and exit 0, and passes every
   * other failure on. The event source it writes with is the one install.ps1 registers.
   */
  @Test
  void anInvalidSettingStopsTheServiceWithoutRestartsAndIsReportedToTheEventLog() throws Exception {
    String cmd = Files.readString(WINDOWS.resolve("agent-service.cmd"));
    List<String> lines = cmd.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("rem ") && !l.equals("rem"))
        .toList();
    assertThat(lines).containsSubsequence(
        "call \"%~dp0..\\bin\\ferry.cmd\" agent run %*",
        "set \"CODE=%ERRORLEVEL%\"",
        "if \"%CODE%\"==\"0\" exit /b 0",
        "if \"%CODE%\"==\"3\" (",
        "exit /b 0",
        ")",
        "exit /b %CODE%");
    int three = lines.indexOf("if \"%CODE%\"==\"3\" (");
    assertThat(lines.get(three + 1)).startsWith("eventcreate /L APPLICATION /SO \"%SOURCE%\" /T ERROR /ID 3 /D \"")
        .contains("not restarted");
    assertThat(lines.get(three + 2)).isEqualTo("exit /b 0");
    assertThat(lines.get(three + 4)).startsWith("eventcreate /L APPLICATION /SO \"%SOURCE%\" /T ERROR /ID 1 ");
    assertThat(lines.get(lines.size() - 1)).isEqualTo("exit /b %CODE%");
    // Blocks closed: every ( outside a quoted string has its ).
    String unquoted = String.join("\n", lines).replaceAll("\"[^\"\n]*\"", "");
    assertThat(unquoted.chars().filter(c -> c == '(').count()).isEqualTo(unquoted.chars().filter(c -> c == ')').count());

    Matcher source = Pattern.compile("set \"SOURCE=([^\"]+)\"").matcher(cmd);
    assertThat(source.find()).isTrue();
    String install = Files.readString(WINDOWS.resolve("install.ps1"));
    assertThat(install).contains("$EventSource = '" + source.group(1) + "'",
        "& eventcreate.exe /L APPLICATION /SO $EventSource /T INFORMATION");
    assertThat(Files.readString(WINDOWS.resolve("uninstall.ps1"))).contains("foreach ($source in '" + source.group(1) + "', $ServiceName)",
        "[Diagnostics.EventLog]::DeleteEventSource($source)");

    // The JVM's ExitOnOutOfMemoryError also ends with 3: out of memory must be restarted, so it is not used.
    Element s = service();
    NodeList envs = s.getElementsByTagName("env");
    for (int i = 0; i < envs.getLength(); i++) {
      assertThat(((Element) envs.item(i)).getAttribute("value")).doesNotContain("ExitOnOutOfMemoryError");
    }
    assertThat(Files.readString(WINDOWS.resolve("FerryAgent.xml"))).contains("-XX:+CrashOnOutOfMemoryError");
  }

  /** WinSW is MIT-licensed: its licence text goes with the scripts that install it, and next to it. */
  @Test
  void winswsLicenceTextComesAlong() throws Exception {
    assertThat(Files.readString(WINDOWS.resolve("WinSW-LICENSE.txt"))).startsWith("MIT License")
        .contains("Kohsuke Kawaguchi", "Permission is hereby granted, free of charge");
    assertThat(Files.readString(WINDOWS.resolve("install.ps1")))
        .contains("Copy-Item -LiteralPath (Join-Path $PSScriptRoot 'WinSW-LICENSE.txt') -Destination $serviceDir");
  }

  /** {@code ferry agent service} on Windows drives <DataDir>\service\FerryAgent.exe: where install.ps1 puts WinSW. */
  @Test
  void theWrapperLivesWhereTheCliLooksForIt() throws Exception {
    String script = Files.readString(WINDOWS.resolve("install.ps1"));
    assertThat(script).contains("$serviceDir = Join-Path $DataDir 'service'", "$winsw = Join-Path $serviceDir \"$ServiceName.exe\"");
    String uninstall = Files.readString(WINDOWS.resolve("uninstall.ps1"));
    assertThat(uninstall).contains("Join-Path $DataDir \"service\\$ServiceName.exe\"", "[switch]$Purge");
  }

  /**
   * Without a PowerShell parser here, a structural check catches the commonest breakage: every (, [
   * and { closed in order, outside strings, here-strings and comments.
   */
  @Test
  void thePowerShellScriptsAreBalanced() throws Exception {
    for (String name : List.of("install.ps1", "uninstall.ps1")) {
      assertThat(unbalanced(Files.readString(WINDOWS.resolve(name)))).as(name).isEmpty();
    }
  }

  static String unbalanced(String s) {
    StringBuilder stack = new StringBuilder();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (s.startsWith("<#", i)) {
        i = s.indexOf("#>", i) + 2;
      } else if (c == '#') {
        int nl = s.indexOf('\n', i);
        i = nl < 0 ? s.length() : nl;
      } else if (c == '\'') {
        i = s.indexOf('\'', i + 1) + 1;
      } else if (c == '"') {
        int j = i + 1;
        while (j < s.length() && !(s.charAt(j) == '"' && s.charAt(j - 1) != '`')) {
          j++;
        }
        i = j + 1;
      } else if (c == '`') {
        i += 2;
      } else {
        if ("([{".indexOf(c) >= 0) {
          stack.append(c);
        } else if (")]}".indexOf(c) >= 0) {
          char open = "([{".charAt(")]}".indexOf(c));
          if (stack.isEmpty() || stack.charAt(stack.length() - 1) != open) {
            return "unexpected " + c + " at offset " + i;
          }
          stack.setLength(stack.length() - 1);
        }
        i++;
      }
      if (i <= 0) {
        return "unterminated string or comment";
      }
    }
    return stack.isEmpty() ? "" : "unclosed " + stack;
  }
}
