using System.CommandLine;
using Custom.Data;
using Custom.Data.Ingest;
using Custom.Data.Reports;
using Custom.Data.Selection;
using Custom.Evaluation.Reports;
using Spectre.Console;

namespace Custom.Cli.Commands;

/// `custom report`: class distribution of every split, as a table, class-distribution.json and .md.
internal static class ReportCommand
{
    public const string JsonFile = "class-distribution.json";
    public const string MarkdownFile = "class-distribution.md";
    public const string HtmlFile = "class-distribution.html";

    public static Command Create(CliContext context)
    {
        var common = new CommonOptions();
        var output = new Option<string>("--out", "-o")
        {
            Description = $"Folder for {JsonFile}, {MarkdownFile} and {HtmlFile} (with plotly.min.js beside it: works offline)",
            DefaultValueFactory = _ => "artifacts",
            HelpName = "DIR",
        };
        var command = new Command("report", "Count clips per class in every split (bal_train, eval, unbal_train) and write the class distribution.");
        common.AddTo(command);
        command.Options.Add(output);
        command.SetAction(result => CliApp.Guard(context, () =>
        {
            var folder = common.OpenFolder(result);
            var selector = common.Selector(result, folder);
            var ingest = common.Ingest(result);
            var splits = new List<KeyValuePair<string, SelectionStats>>();
            foreach (string split in folder.Splits)
            {
                var files = folder.FilesOf(split);
                var stats = ProgressDisplay.Run(context, $"{split}: {files.Count:N0} files",
                    progress => AudioSetIngest.Scan(files, selector, ingest with { Progress = progress }));
                splits.Add(new(split, stats));
            }

            var distribution = new ClassDistribution(selector.Classes, selector.Policy, splits);
            Write(context, distribution, result.GetValue(output)!);
            return 0;
        }));
        return command;
    }

    private static void Write(CliContext context, ClassDistribution distribution, string outDir)
    {
        context.Console.Write(ToTable(distribution));
        foreach (var (split, stats) in distribution.Splits.Where(s => s.Value.RecordsSkipped > 0))
        {
            context.Error.WriteLine($"custom: warning: {split}: skipped {stats.RecordsSkipped:N0} corrupt records, first: {stats.SkippedSamples[0]}");
        }

        string jsonPath = Path.Combine(outDir, JsonFile);
        string markdownPath = Path.Combine(outDir, MarkdownFile);
        AtomicFile.WriteAllText(jsonPath, distribution.ToJson());
        AtomicFile.WriteAllText(markdownPath, distribution.ToMarkdown());
        string htmlPath = Path.Combine(outDir, HtmlFile);
        DistributionReport.Build(distribution).Save(htmlPath);
        context.Output.WriteLine($"wrote {jsonPath}, {markdownPath} and {htmlPath}");
    }

    private static Table ToTable(ClassDistribution distribution)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"class distribution ({distribution.Policy.ToName()})");
        table.AddColumn("class");
        table.AddColumn(new TableColumn("index").RightAligned());
        foreach (var (split, _) in distribution.Splits)
        {
            table.AddColumn(new TableColumn(split).RightAligned());
            table.AddColumn(new TableColumn("%").RightAligned());
        }

        for (int i = 0; i < distribution.Classes.Count; i++)
        {
            var row = new List<string> { Markup.Escape(distribution.Classes[i].Name), distribution.Classes[i].Index.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            foreach (var (_, stats) in distribution.Splits)
            {
                row.Add(ClassDistribution.Count(stats.PerClass[i]));
                row.Add(ClassDistribution.Percent(stats.PerClass[i], stats.ClipsSelected));
            }

            table.AddRow(row.ToArray());
        }

        table.AddEmptyRow();
        AddTotal(table, distribution, "selected", s => s.ClipsSelected);
        AddTotal(table, distribution, "dropped: several", s => s.ClipsMulti);
        AddTotal(table, distribution, "dropped: none", s => s.ClipsNone);
        AddTotal(table, distribution, "skipped (corrupt)", s => s.RecordsSkipped);
        AddTotal(table, distribution, "total clips", s => s.ClipsTotal);
        return table;
    }

    private static void AddTotal(Table table, ClassDistribution distribution, string label, Func<SelectionStats, long> value)
    {
        var row = new List<string> { label, "" };
        foreach (var (_, stats) in distribution.Splits)
        {
            row.Add(ClassDistribution.Count(value(stats)));
            row.Add("");
        }

        table.AddRow(row.ToArray());
    }
}
