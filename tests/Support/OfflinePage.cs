using Microsoft.Playwright;

namespace Custom.Tests.Support;

/// A page opened in Chromium with every request outside one origin aborted (and listed), and the console's and the
/// page's errors collected: what the offline page tests (reports, the service's page, the notebooks' HTML) all check.
internal static class OfflinePage
{
    public static async Task<(IPage Page, List<string> Errors, List<string> Blocked)> OpenAsync(IBrowser browser, string url, string allowedPrefix, int height)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1200, Height = height } });
        var blocked = new List<string>();
        await context.RouteAsync("**/*", route =>
        {
            if (route.Request.Url.StartsWith(allowedPrefix, StringComparison.Ordinal))
            {
                return route.ContinueAsync();
            }

            blocked.Add(route.Request.Url);
            return route.AbortAsync();
        });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => errors.Add(error);
        await page.GotoAsync(url);
        return (page, errors, blocked);
    }

    /// How many charts (div.chart, as the reports and the notebooks write them) plotly.js drew: an SVG inside each.
    public static Task<int> DrawnCharts(IPage page) =>
        page.EvaluateAsync<int>("() => [...document.querySelectorAll('div.chart')].filter(c => c.querySelector('svg.main-svg')).length");
}
