using Custom.Data.Fetch;
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

    /// A front-door run of several stages: one bar per stage, each shown while it runs.
    public static T Run<T>(CliContext context, Func<IProgress<PipelineProgress>?, T> work) =>
        Stages<T, PipelineProgress>(context, work, p => (p.Stage, p.Done, p.Total, p.Detail));

    /// A download and extraction: one bar per stage, in bytes.
    public static T Run<T>(CliContext context, Func<IProgress<FetchProgress>?, T> work) =>
        Stages<T, FetchProgress>(context, work, p => (p.Stage, p.Done, p.Total, p.Total > 0
            ? $"{p.Stage} {p.Done / 1e6:N1} of {p.Total / 1e6:N1} MB"
            : $"{p.Stage} {p.Done / 1e6:N1} MB"));

    private static T Stages<T, TProgress>(CliContext context, Func<IProgress<TProgress>?, T> work, Func<TProgress, (string Stage, double Done, double Total, string Detail)> view)
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
                var tasks = new Dictionary<string, ProgressTask>();
                var gate = new object();
                return work(new Reporter<TProgress>(value =>
                {
                    var p = view(value);
                    lock (gate)
                    {
                        if (!tasks.TryGetValue(p.Stage, out var task))
                        {
                            foreach (var earlier in tasks.Values)
                            {
                                earlier.StopTask();
                            }

                            task = tasks[p.Stage] = ctx.AddTask(Markup.Escape(p.Stage));
                        }

                        task.IsIndeterminate = p.Total <= 0;
                        task.MaxValue = Math.Max(1, p.Total);
                        task.Value = Math.Max(task.Value, p.Done); // reports from worker threads may arrive out of order
                        task.Description = Markup.Escape(p.Detail);
                    }
                }));
            });
    }

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
