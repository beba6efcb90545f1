package io.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real browser: Debian's headless Chromium driven through its chromedriver, against a
 * relay, an agent and the simulated SAP on loopback. An operator signs in with the admin key, sees the agent
 * online, finds the job SAP refused, reads SAP's message and retries it. Screenshots go to
 * {@code target/console-screenshots/}.
 *
 * <p>Without Chromium this test fails in CI (env {@code CI} set) with the fix, and is skipped elsewhere.
 */
class ConsoleBrowserTest {

  static final Path CHROMIUM = Path.of(System.getProperty("ferry.chromium", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER = Path.of(System.getProperty("ferry.chromedriver", "/usr/bin/chromedriver"));
  static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
  /** A customer name that would run script if the console ever rendered data as HTML. */
  static final String HOSTILE_NAME = "<img src=x id=pwned>&amp;";

  @TempDir Path dir;
  private FerryStack stack;
  private WebDriver browser;
  private WebDriverWait wait;

  @BeforeEach
  void start() throws Exception {
    requireChromium();
    stack = new FerryStack(dir, FerryStack.Sap.BAPI).start();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
    // The browser's console log: a script error or a Content-Security-Policy violation fails the test.
    options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=1400,900", "--user-data-dir=" + dir.resolve("chromium-profile"), "--no-first-run",
        "--disable-extensions", "--disable-background-networking", "--disable-component-update");
    // The driver is Debian's: with its path given, Selenium Manager downloads nothing.
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort()
        .build();
    browser = new ChromeDriver(service, options);
    wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    Files.createDirectories(SCREENSHOTS);
  }

  @AfterEach
  void stop() throws IOException {
    if (browser != null) {
      // What the page showed last: the first thing to look at when a step above failed.
      screenshot("last-" + getClass().getSimpleName() + ".png");
      System.out.println("console page at the end: " + browser.getCurrentUrl() + "\n"
          + browser.findElement(By.tagName("body")).getText());
      browser.quit();
    }
    if (stack != null) {
      stack.close();
    }
  }

  static void requireChromium() {
    if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
      return;
    }
    String message = "the console's browser test needs Debian's Chromium and its driver at " + CHROMIUM + " and "
        + CHROMEDRIVER + "; install them with: apt-get update && apt-get install -y chromium chromium-driver "
        + "(.ci/run installs them when absent)";
    if (System.getenv("CI") != null) {
      Assertions.fail(message);
    }
    Assumptions.abort(message);
  }

  @Test
  @SuppressWarnings("unchecked")
  void anOperatorSignsInSeesTheAgentOnlineAndReadsSapsMessageOnTheFailedJob() throws Exception {
    Engine engine = new Engine(stack.url(), stack.apiKey());
    String refused = CustomerLifecycleTest.customer("WEB-1", "DE", ",\"referenceCustomer\":\"9999\"")
        .replace("\"name\":\"Muster GmbH\"", "\"name\":\"" + HOSTILE_NAME.replace("\"", "\\\"") + "\"");
    Engine.Answer failed = engine.post("/v1/customers", refused);
    assertThat(failed.status()).as(failed.toString()).isEqualTo(422);
    String sapText = failed.body().get("sapMessages").get(0).get("message").asText();
    assertThat(sapText).contains("9999");
    assertThat(engine.post("/v1/customers", CustomerLifecycleTest.customer("WEB-2", "DE", "")).status()).isEqualTo(201);
    String adminKey = stack.adminKey();

    // Sign in.
    browser.get(stack.url() + "/console");
    WebElement keyField = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key")));
    keyField.sendKeys(adminKey);
    browser.findElement(By.id("sign-in-submit")).click();

    // Agents: the demo agent online, with its version.
    WebElement agents = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("agents")));
    WebElement agentRow = agents.findElement(By.cssSelector("tbody tr"));
    assertThat(agentRow.findElement(By.cssSelector(".badge")).getText()).isEqualTo("online");
    assertThat(agentRow.getText()).contains("default", "bapi");
    assertThat(browser.findElement(By.id("tenant-name")).getText()).isEqualTo("Tenant e2e");
    screenshot("agents.png");

    // The key is in this tab's sessionStorage only: not in the URL, no cookie.
    assertThat(browser.getCurrentUrl()).doesNotContain(adminKey).doesNotContain("fk_");
    assertThat(browser.manage().getCookies()).isEmpty();
    Object stored = ((JavascriptExecutor) browser).executeScript(
        "return [sessionStorage.getItem('ferry.console.adminKey'), localStorage.length, document.cookie]");
    assertThat((List<Object>) stored).containsExactly(adminKey, 0L, "");

    // Jobs, filtered to FAILED: the one SAP refused.
    browser.findElement(By.cssSelector("#nav a[data-page=jobs]")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("jobs")));
    assertThat(browser.findElement(By.id("tenant-filter")).getText()).contains("e2e", "own tenant only");
    new Select(browser.findElement(By.id("job-state-filter"))).selectByValue("FAILED");
    wait.until(ExpectedConditions.urlContains("state=FAILED"));
    wait.until(d -> d.findElements(By.cssSelector("#jobs tbody tr")).size() == 1
        && d.findElement(By.cssSelector("#jobs tbody tr")).getText().contains("FAILED"));
    WebElement failedRow = browser.findElement(By.cssSelector("#jobs tbody tr"));
    assertThat(failedRow.findElement(By.className("error-summary")).getText()).contains("9999");
    screenshot("jobs.png");

    // The job: SAP's message, and the hostile name shown as text, never as markup.
    String jobId = failedRow.findElement(By.cssSelector("a[data-job-id]")).getDomAttribute("data-job-id");
    failedRow.findElement(By.cssSelector("a[data-job-id]")).click();
    WebElement message = wait.until(ExpectedConditions.visibilityOfElementLocated(By.className("sap-message-text")));
    assertThat(message.getText()).isEqualTo(sapText);
    assertThat(browser.findElement(By.id("job-state")).getText()).isEqualTo("FAILED");
    assertThat(browser.findElement(By.id("problem-code")).getText()).isNotBlank();
    assertThat(browser.findElement(By.id("job-request")).getText()).contains(HOSTILE_NAME);
    assertThat(browser.findElements(By.id("pwned"))).as("data is never parsed as HTML").isEmpty();
    screenshot("job.png");

    // Retry: a new job that SAP refuses again (nothing changed there), linked to the old one.
    browser.findElement(By.id("retry-job")).click();
    wait.until(d -> !d.getCurrentUrl().endsWith(jobId) && d.getCurrentUrl().contains("#/jobs/"));
    wait.until(d -> {
      String state = d.findElement(By.id("job-state")).getText();
      if (!state.equals("FAILED")) {
        d.findElement(By.id("refresh")).click();
        return false;
      }
      return true;
    });
    assertThat(browser.findElement(By.cssSelector("a[data-job-id='" + jobId + "']")).getText()).isEqualTo(jobId);

    // Keys: the signed-in key is marked.
    browser.findElement(By.cssSelector("#nav a[data-page=keys]")).click();
    WebElement keys = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("keys")));
    assertThat(keys.getText()).contains("(this key)", "admin", "customers:read customers:write");
    assertThat(keys.getText()).doesNotContain(adminKey);
    screenshot("keys.png");

    // No script error and no Content-Security-Policy violation on the way.
    List<String> severe = browser.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue())
        .map(e -> e.getLevel() + " " + e.getMessage()).toList();
    assertThat(severe).as("the browser's console").isEmpty();

    // Signing out forgets the key.
    browser.findElement(By.id("sign-out")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key")));
    assertThat(((JavascriptExecutor) browser).executeScript("return sessionStorage.length")).isEqualTo(0L);
  }

  @Test
  void aKeyThatIsNoAdminKeyIsRefusedAtSignIn() throws Exception {
    browser.get(stack.url() + "/console/");
    WebElement keyField = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key")));
    keyField.sendKeys(stack.apiKey());
    browser.findElement(By.id("sign-in-submit")).click();
    wait.until(d -> !d.findElement(By.id("sign-in-error")).getText().isEmpty());
    assertThat(browser.findElement(By.id("sign-in-error")).getText()).contains("not an admin key", "admin");
    assertThat(browser.findElement(By.id("main")).isDisplayed()).isFalse();
    assertThat(((JavascriptExecutor) browser).executeScript("return sessionStorage.length")).isEqualTo(0L);
  }

  private void screenshot(String name) throws IOException {
    File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }
}
