namespace Custom.Inference;

/// <summary>A model package that cannot be used: missing files, a manifest that does not parse, or files whose
/// SHA-256 does not match the manifest (tampered or mixed packages). The message names the file.</summary>
public sealed class PackageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PackageException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
