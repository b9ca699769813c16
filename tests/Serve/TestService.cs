using Custom.Serve;
using Custom.Serve.Audio;
using Custom.Serve.Models;
using Custom.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Playwright;

namespace Custom.Tests.Serve;

/// The service started for a test: in memory (TestServer) for API tests, or on a loopback port for the browser.
internal sealed class TestService : IAsyncDisposable
{
    private readonly ModelCatalog _catalog;

    private TestService(WebApplication app, ModelCatalog catalog, HttpClient client)
    {
        App = app;
        _catalog = catalog;
        Client = client;
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public static Task<TestService> InMemory(IReadOnlyList<ModelSource> models, IAudioFrontEnd? audio = null, long maxBodyBytes = ServeOptions.DefaultMaxBodyBytes, bool bare = false) =>
        Start(models, audio, maxBodyBytes, bare, loopback: false);

    public static Task<TestService> OnLoopback(IReadOnlyList<ModelSource> models, IAudioFrontEnd? audio = null) =>
        Start(models, audio, ServeOptions.DefaultMaxBodyBytes, bare: false, loopback: true);

    /// Opens <paramref name="path"/> of the service (on loopback) in <paramref name="browser"/>: requests anywhere but
    /// the service are refused and listed, console errors collected.
    public Task<(IPage Page, List<string> Errors, List<string> Blocked)> OpenPage(IBrowser browser, string path = "/")
    {
        string origin = App.Urls.First();
        return OfflinePage.OpenAsync(browser, origin.TrimEnd('/') + path, origin, height: 1000);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        _catalog.Dispose();
    }

    private static async Task<TestService> Start(IReadOnlyList<ModelSource> models, IAudioFrontEnd? audio, long maxBodyBytes, bool bare, bool loopback)
    {
        var catalog = ModelCatalog.Load(models);
        var options = new ServeOptions { Models = models, Urls = "http://127.0.0.1:0", AudioFrontEnd = audio, MaxBodyBytes = maxBodyBytes, BareEndpoint = bare };
        var app = ServiceHost.Build(options, catalog, builder =>
        {
            if (!loopback)
            {
                builder.WebHost.UseTestServer();
            }
        });
        await app.StartAsync();
        var client = loopback ? new HttpClient { BaseAddress = new Uri(app.Urls.First()) } : app.GetTestClient();
        return new TestService(app, catalog, client);
    }
}
