package io.ferry.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 * and the wrapper's place matches what {@code ferry agent service} drives. (PowerShell itself is not
 * available on this build host, so install.ps1 is not executed or parsed here.)
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
    assertThat(text(s, "executable")).isEqualTo("%ProgramFiles%\\Ferry\\current\\bin\\ferry.cmd");
    assertThat(text(s, "arguments")).isEqualTo("agent run --config \"%ProgramData%\\Ferry\\agent.properties\"");
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
