using Custom.Data.Ingest;
using Spectre.Console;

namespace Custom.Cli.Commands;

/// Draws a progress bar for file-by-file work on a terminal; does nothing when output is redirected.
internal static class ProgressDisplay
{
    public static T Run<T>(CliContext context, string title, Func<IProgress<IngestProgress>?, T> work)
    {
        if (!context.Interactive)
        {
            return work(null);
        }

        return context.Console.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(title));
                var progress = new Reporter(p =>
                {
                    task.MaxValue = p.FilesTotal;
                    task.Value = Math.Max(task.Value, p.FilesDone); // reports from worker threads may arrive out of order
                });
                return work(progress);
            });
    }

    /// Unlike Progress&lt;T&gt;, reports synchronously on the worker thread: there is no UI thread to post to.
    private sealed class Reporter(Action<IngestProgress> report) : IProgress<IngestProgress>
    {
        public void Report(IngestProgress value) => report(value);
    }
}
