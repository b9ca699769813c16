using System.Net;
using System.Net.Sockets;

namespace Custom.Tests.Support;

/// A small HTTP server on 127.0.0.1 serving fixed files, honouring "Range: bytes=N-" requests. It can cut its first
/// full response short, as a dropped connection would.
internal sealed class LoopbackServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Dictionary<string, byte[]> _files;
    private readonly Task _loop;
    private long? _cutFirstAt;

    public LoopbackServer(Dictionary<string, byte[]> files, long? cutFirstResponseAt = null)
    {
        _files = files;
        _cutFirstAt = cutFirstResponseAt;
        int port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(BaseUrl);
        _listener.Start();
        _loop = Task.Run(Serve);
    }

    public string BaseUrl { get; }

    /// Each request's path and Range header ("" when none), in arrival order.
    public List<(string Path, string Range)> Requests { get; } = [];

    public string Url(string name) => BaseUrl + name;

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private async Task Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            try
            {
                await Answer(context);
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
            {
                // the client went away
            }
        }
    }

    private async Task Answer(HttpListenerContext context)
    {
        string path = context.Request.Url!.AbsolutePath.TrimStart('/');
        string range = context.Request.Headers["Range"] ?? "";
        lock (Requests)
        {
            Requests.Add((path, range));
        }

        var response = context.Response;
        if (!_files.TryGetValue(path, out var bytes))
        {
            response.StatusCode = 404;
            response.Close();
            return;
        }

        long start = 0;
        if (range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-'))
        {
            start = long.Parse(range["bytes=".Length..^1]);
            if (start >= bytes.Length)
            {
                response.StatusCode = 416;
                response.Close();
                return;
            }

            response.StatusCode = 206;
            response.AddHeader("Content-Range", $"bytes {start}-{bytes.Length - 1}/{bytes.Length}");
        }

        response.ContentLength64 = bytes.Length - start;
        if (start == 0 && _cutFirstAt is long cut)
        {
            _cutFirstAt = null;
            await response.OutputStream.WriteAsync(bytes.AsMemory(0, (int)cut));
            await response.OutputStream.FlushAsync();
            response.Abort();
            return;
        }

        await response.OutputStream.WriteAsync(bytes.AsMemory((int)start));
        response.Close();
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
