namespace Custom.Inference;

/// <summary>Checks a model package for readers of its other files (such as ML.NET reading <c>model.zip</c>).</summary>
public static class PackageCheck
{
    /// <summary>
    /// Applies every check of <see cref="SoundClassifier.Load"/> that the package allows: the manifest's schema version,
    /// file names and classes, every listed file's SHA-256, and, when the package has an ONNX model, its tensors and
    /// class names.
    /// </summary>
    /// <param name="packageDir">The package folder.</param>
    /// <param name="required">Files that must be listed in the manifest (and so are hash-checked), e.g. <c>model.zip</c>.</param>
    /// <returns>The class names, in label order.</returns>
    /// <exception cref="PackageException">The package fails a check; the message names the file and the reason.</exception>
    public static IReadOnlyList<string> Verify(string packageDir, params IEnumerable<string> required)
    {
        ArgumentNullException.ThrowIfNull(packageDir);
        var manifest = PackageManifest.Load(packageDir);
        manifest.Verify(required);
        if (manifest.Onnx is not null)
        {
            using var classifier = SoundClassifier.Load(packageDir);
        }

        return manifest.Classes;
    }
}
