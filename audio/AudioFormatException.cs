using Custom.Data;

namespace Custom.Audio;

/// <summary>
/// Audio a user gave that cannot be used: empty, damaged, not audio, too long or too short. The message names the
/// file and what is wrong, written for people.
/// </summary>
public sealed class AudioFormatException : InvalidInputException
{
    /// <summary>Creates the exception with a message that names the file and the problem.</summary>
    public AudioFormatException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
