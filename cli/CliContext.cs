using Spectre.Console;

namespace Custom.Cli;

/// Where a command writes: the real console, or writers a test captures. Progress bars only when interactive.
internal sealed class CliContext
{
    public CliContext(TextWriter output, TextWriter error, bool interactive)
    {
        Output = output;
        Error = error;
        Interactive = interactive;
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
    }

    public TextWriter Output { get; }

    public TextWriter Error { get; }

    /// True on a terminal: progress bars are drawn. Redirected output stays quiet.
    public bool Interactive { get; }

    public IAnsiConsole Console { get; }

    public static CliContext FromConsole() =>
        new(System.Console.Out, System.Console.Error, !System.Console.IsOutputRedirected && !System.Console.IsErrorRedirected);
}
