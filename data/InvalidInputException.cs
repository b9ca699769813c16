namespace Custom.Data;

/// <summary>
/// Bad input a user can cause and fix (a damaged file, a missing folder, an unknown class name).
/// The message is written for people: it names the file or option and the problem.
/// </summary>
public class InvalidInputException : Exception
{
    /// <summary>Creates the exception with a message that names the file or option and the problem.</summary>
    public InvalidInputException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
