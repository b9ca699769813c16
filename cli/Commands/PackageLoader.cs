using Custom.Data;
using Custom.Inference;

namespace Custom.Cli.Commands;

/// Opens a package with Custom.Inference, turning its package errors into the CLI's one-line user errors.
internal static class PackageLoader
{
    public static SoundClassifier Load(string packageDir)
    {
        try
        {
            return SoundClassifier.Load(packageDir);
        }
        catch (PackageException e)
        {
            throw new InvalidInputException(e.Message, e);
        }
    }

    public static void Verify(string packageDir, IEnumerable<string> required)
    {
        try
        {
            PackageCheck.Verify(packageDir, required);
        }
        catch (PackageException e)
        {
            throw new InvalidInputException(e.Message, e);
        }
    }
}
