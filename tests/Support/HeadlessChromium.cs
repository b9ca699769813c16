using Microsoft.Playwright;

namespace Custom.Tests.Support;

/// Debian's Chromium (tests/debian-packages.txt) launched headless through Playwright, which downloads no browser of
/// its own here: the one browser every page test uses. A missing Chromium fails the test, never skips it, so CI
/// (.ci/run installs the package) cannot pass without the page checks.
internal sealed class HeadlessChromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// No sandbox (Chromium refuses one when run as root, as CI's container does), no GPU, and none of Chromium's own
    /// background traffic, which the pages' request routing would not see.
    private static readonly string[] Quiet = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private readonly IPlaywright _playwright;

    private HeadlessChromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    /// Launches Chromium with <paramref name="args"/> added to the quiet defaults.
    public static async Task<HeadlessChromium> LaunchAsync(params IEnumerable<string> args)
    {
        Assert.True(File.Exists(ExecutablePath), $"{ExecutablePath} is missing: install Debian's chromium package (.ci/run does)");
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ExecutablePath, Headless = true, Args = [.. Quiet, .. args] });
            return new HeadlessChromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
