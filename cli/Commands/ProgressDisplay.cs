using Custom.Data.Ingest;
using Custom.Training;
using Spectre.Console;

namespace Custom.Cli.Commands;

/// Draws a progress bar on a terminal; does nothing when output is redirected.
internal static class ProgressDisplay
{
    /// File-by-file ingest work.
    public static T Run<T>(CliContext context, string title, Func<IProgress<IngestProgress>?, T> work) =>
        Run(context, title, update => work(update is null ? null : new Reporter<IngestProgress>(p => update(p.FilesDone, p.FilesTotal, title))));

    /// Fit-by-fit training: "fit i/N name: fold j/k".
    public static T Run<T>(CliContext context, string title, Func<IProgress<TrainingProgress>?, T> work) =>
        Run(context, title, update => work(update is null ? null : new Reporter<TrainingProgress>(p =>
            update(
                p.FitsDone,
                p.Fits,
                $"fit {p.FitsDone + 1}/{p.Fits} {p.Name}: " + (p.Step < p.Steps ? $"fold {p.Step}/{p.Steps - 1}" : "final fit")))));

    private static T Run<T>(CliContext context, string title, Func<Action<double, double, string>?, T> work)
    {
        if (!context.Interactive)
        {
            return work(null);
        }

        return context.Console.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(title));
                var gate = new object();
                return work((done, total, description) =>
                {
                    lock (gate)
                    {
                        task.MaxValue = total;
                        task.Value = Math.Max(task.Value, done); // reports from worker threads may arrive out of order
                        task.Description = Markup.Escape(description);
                    }
                });
            });
    }

    /// Unlike Progress&lt;T&gt;, reports synchronously on the worker thread: there is no UI thread to post to.
    private sealed class Reporter<TValue>(Action<TValue> report) : IProgress<TValue>
    {
        public void Report(TValue value) => report(value);
    }
}
