namespace Custom.Inference;

/// <summary>A model package that cannot be used: missing files, a manifest that does not parse or that the library
/// cannot trust (unknown schema version, file names outside the package, duplicate or renamed classes, tensor names
/// the model lacks), irregular or oversized files, or files whose SHA-256 does not match the manifest (tampered or
/// mixed packages). The message names the file and the reason.</summary>
public sealed class PackageException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The file and the reason, in words.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public PackageException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
