package sluice.server;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The system's headless Chromium ({@code chromium} and {@code chromium-driver} from Debian), driven by
 * Selenium with the driver and browser named explicitly so Selenium Manager never looks for (or
 * downloads) either. A fresh profile per instance, removed on close. Missing packages skip the test on
 * a workstation and fail it on CI ({@code CI=true}), where {@code .ci/run} installs them.
 */
final class HeadlessChromium implements AutoCloseable {

    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static final Dimension LAPTOP = new Dimension(1280, 800);
    static final Dimension PHONE = new Dimension(390, 844);

    final ChromeDriver driver;
    private final Path profile;
    private final Path screenshots;

    private HeadlessChromium(ChromeDriver driver, Path profile, Path screenshots) {
        this.driver = driver;
        this.profile = profile;
        this.screenshots = screenshots;
    }

    static void require() {
        String missing = !Files.isExecutable(BROWSER) ? BROWSER + " is not installed"
                : !Files.isExecutable(DRIVER) ? DRIVER + " is not installed" : null;
        if (missing == null) return;
        String message = missing + "; the admin center's browser tests need the Debian packages chromium and "
                + "chromium-driver (.ci/run installs them: apt-get install chromium chromium-driver)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) throw new AssertionError(message);
        Assumptions.abort(message);
    }

    /** Starts the browser; screenshots go to {@code screenshots}. */
    static HeadlessChromium start(Path screenshots) throws IOException {
        require();
        // Selenium Manager (which may download drivers and browsers) runs only when the driver or the
        // browser is unknown: both are named here.
        System.setProperty("webdriver.chrome.driver", DRIVER.toString());
        Path profile = Files.createTempDirectory("sluice-chromium-");
        ChromeOptions options = new ChromeOptions().setBinary(BROWSER.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-extensions", "--user-data-dir=" + profile,
                "--window-size=" + LAPTOP.width + "," + LAPTOP.height, "--lang=en-GB");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().withSilent(true).build();
        Files.createDirectories(screenshots);
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        HeadlessChromium chromium = new HeadlessChromium(driver, profile, screenshots);
        chromium.size(LAPTOP);
        return chromium;
    }

    WebDriverWait await() {
        return new WebDriverWait(driver, Duration.ofSeconds(15), Duration.ofMillis(50));
    }

    WebElement visible(By by) {
        return await().until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    void click(By by) {
        await().until(ExpectedConditions.elementToBeClickable(by)).click();
    }

    void type(By by, String text) {
        WebElement e = visible(by);
        e.clear();
        e.sendKeys(text);
    }

    /** Waits until the element's text contains {@code text}; returns the element's text. */
    String waitForText(By by, String text) {
        try {
            await().withMessage(() -> "'" + text + "' in " + by + "; the page says: " + mainText())
                    .until(ExpectedConditions.textToBePresentInElementLocated(by, text));
        } catch (org.openqa.selenium.TimeoutException e) {
            screenshot("failed-" + System.currentTimeMillis()); // what the page showed, for the report
            throw e;
        }
        return driver.findElement(by).getText();
    }

    String mainText() {
        List<WebElement> main = driver.findElements(By.tagName("main"));
        return main.isEmpty() ? driver.findElement(By.tagName("body")).getText() : main.getFirst().getText();
    }

    /** Opens {@code #/route} and waits for the page's heading and for what it loads (main is aria-busy until then). */
    void open(String route, String heading) {
        driver.navigate().to(driver.getCurrentUrl().replaceFirst("#.*$", "") + "#/" + route);
        waitForText(By.cssSelector("main h1"), heading);
        await().until(d -> d.findElements(By.cssSelector("main .progress, main[aria-busy]")).isEmpty());
    }

    /** Makes the page's viewport (not the window around it) {@code d}. */
    void size(Dimension d) {
        driver.manage().window().setSize(d);
        @SuppressWarnings("unchecked")
        List<Long> inner = (List<Long>) ((JavascriptExecutor) driver).executeScript("return [window.innerWidth, window.innerHeight]");
        int dw = d.width - inner.get(0).intValue(), dh = d.height - inner.get(1).intValue();
        if (dw != 0 || dh != 0) driver.manage().window().setSize(new Dimension(d.width + dw, d.height + dh));
        // two frames: the page's resize observers have run and painted
        ((JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done()))");
    }

    /** A PNG of what the window shows now, as {@code name.png}. */
    Path screenshot(String name) {
        try {
            ((JavascriptExecutor) driver).executeScript("document.activeElement && document.activeElement.blur && document.activeElement.blur()");
            Path file = screenshots.resolve(name + ".png");
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The page at laptop and phone size, saved as {@code name-laptop.png} and {@code name-phone.png}. */
    void screenshots(String name) {
        screenshot(name + "-laptop");
        size(PHONE);
        screenshot(name + "-phone");
        size(LAPTOP);
    }

    /** Runs {@code fetch} in the page (with its session cookie) and answers "status body". */
    String fetchInPage(String method, String path, String json) {
        Object r = ((JavascriptExecutor) driver).executeAsyncScript("""
                const [method, path, body, done] = arguments;
                fetch('/api/v1/session').then(r => r.json()).then(s => fetch(path, { method,
                    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrfToken }, body }))
                  .then(async r => done(r.status + ' ' + await r.text())).catch(e => done('error ' + e));
                """, method, path, json);
        return String.valueOf(r);
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temporary profile left behind is harmless
            }
        }
    }
}
