package io.ferry.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's files as the relay serves them: no API key needed for the files themselves (they hold
 * no data), a strict Content-Security-Policy on each, no inline script, and nothing else under /console.
 * The browser test (cli's ConsoleBrowserTest) drives the pages themselves.
 */
class ConsoleTest {

  @TempDir
  static Path dataDir;
  static TestRelay relay;

  @BeforeAll
  static void start() {
    relay = TestRelay.start(dataDir, c -> c);
  }

  @AfterAll
  static void stop() {
    relay.close();
  }

  @Test
  void theFilesAreServedWithAStrictContentSecurityPolicyAndNoInlineScript() {
    Engine browser = new Engine(relay.base(), null);
    Reply index = browser.get("/console/");
    assertThat(index.status()).isEqualTo(200);
    assertThat(index.header("Content-Type")).startsWith("text/html");
    String csp = index.header("Content-Security-Policy");
    assertThat(csp).contains("default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'")
        .doesNotContain("unsafe-inline", "unsafe-eval", "http:", "https:");
    assertThat(index.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(index.header("Set-Cookie")).isNull();
    assertThat(index.body()).contains("<script type=\"module\" src=\"app.js\"></script>")
        .doesNotContainPattern("<script>|<script [^>]*>[^<]+</script>|\\son[a-z]+=|javascript:|https?://");

    for (String file : new String[] {"app.js", "api.js", "dom.js", "pages.js"}) {
      Reply js = browser.get("/console/" + file);
      assertThat(js.status()).as(file).isEqualTo(200);
      assertThat(js.header("Content-Type")).startsWith("text/javascript");
      assertThat(js.header("Content-Security-Policy")).isEqualTo(csp);
      assertThat(js.body()).as(file + " renders data as text only").doesNotContain("innerHTML", "outerHTML",
          "insertAdjacentHTML", "document.write", "eval(", "localStorage.", "document.cookie");
    }
    assertThat(browser.get("/console/console.css").header("Content-Type")).startsWith("text/css");
  }

  @Test
  void theBarePathLeadsToThePageAndOtherFilesDoNotExist() {
    Engine browser = new Engine(relay.base(), null);
    Reply bare = browser.get("/console"); // the client follows the redirect to /console/
    assertThat(bare.status()).isEqualTo(200);
    assertThat(bare.body()).contains("Ferry console");
    assertThat(browser.get("/console/relay.db").status()).isEqualTo(404);
    assertThat(browser.get("/console/..%2Frelay.db").status()).isEqualTo(404);
  }
}
