using System.Reflection;

namespace Custom.Serve;

/// The recording/upload page and its scripts, served from resources embedded in this assembly (no CDN, no files
/// beside the executable), each read once at start.
internal static class PageEndpoints
{
    private static readonly (string Route, string Resource, string ContentType)[] Files =
    [
        ("/", "page/index.html", "text/html; charset=utf-8"),
        ("/page/page.css", "page/page.css", "text/css; charset=utf-8"),
        ("/page/page.js", "page/page.js", "text/javascript; charset=utf-8"),
        ("/page/wav.js", "page/wav.js", "text/javascript; charset=utf-8"),
        ("/page/capture-worklet.js", "page/capture-worklet.js", "text/javascript; charset=utf-8"),
    ];

    public static void Map(IEndpointRouteBuilder app)
    {
        var assembly = typeof(PageEndpoints).Assembly;
        foreach (var (route, resource, contentType) in Files)
        {
            byte[] bytes = Read(assembly, resource);
            app.MapGet(route, () => TypedResults.Bytes(bytes, contentType)).ExcludeFromDescription();
        }
    }

    private static byte[] Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded resource {resource} is missing from {assembly.GetName().Name}");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
