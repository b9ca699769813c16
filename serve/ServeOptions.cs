using Custom.Data;
using Custom.Serve.Audio;

namespace Custom.Serve;

/// What the service loads and how it listens. The first model is the default one.
internal sealed record ServeOptions
{
    public const string DefaultUrls = "http://127.0.0.1:5000";

    public const long DefaultMaxBodyBytes = 8L * 1024 * 1024;

    public required IReadOnlyList<ModelSource> Models { get; init; }

    /// Semicolon-separated listen addresses (ASP.NET Core's --urls format).
    public string Urls { get; init; } = DefaultUrls;

    /// Largest request body accepted, in bytes; larger ones get 413.
    public long MaxBodyBytes { get; init; } = DefaultMaxBodyBytes;

    /// Turns uploaded audio into VGGish frames; null when the server was started without one.
    public IAudioFrontEnd? AudioFrontEnd { get; init; }

    /// Maps POST /bench/bare, the ceiling `custom bench serve` compares /predict with.
    public bool BareEndpoint { get; init; }
}

/// A package folder and the name requests use for it.
internal sealed record ModelSource(string Name, string PackageDir)
{
    /// Reads NAME=PACKAGE, or PACKAGE alone (named after its folder).
    public static ModelSource Parse(string value)
    {
        int equals = value.IndexOf('=', StringComparison.Ordinal);
        if (equals == 0 || equals == value.Length - 1)
        {
            throw new InvalidInputException($"--model {value}: expected PACKAGE or NAME=PACKAGE");
        }

        if (equals > 0)
        {
            return new ModelSource(value[..equals], value[(equals + 1)..]);
        }

        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(value)));
        return new ModelSource(name, value);
    }
}
