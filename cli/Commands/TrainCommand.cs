using System.CommandLine;
using Custom.Data;
using Custom.Evaluation;
using Custom.Training;
using Custom.Training.Features;
using Custom.Training.OpenSet;
using Custom.Training.Packaging;
using Custom.Training.Trainers;

namespace Custom.Cli.Commands;

/// `custom train`: compares candidates by cross-validation on bal_train, scores them on eval, saves the winner.
internal static class TrainCommand
{
    public static Command Create(CliContext context)
    {
        var common = new CommonOptions();
        var output = new Option<string>("--out", "-o")
        {
            Description = "Folder for the package (model.zip, model.onnx, manifest.json), metrics.json, leaderboard.json/.md, timings.json and report.html/.md (replaced as a whole, only on success)",
            DefaultValueFactory = _ => Path.Combine("artifacts", "model"),
            HelpName = "DIR",
        };
        var trainers = new Option<string[]>("--trainers")
        {
            Description = $"Trainers to compare: {string.Join(", ", TrainerCatalog.All.Select(t => t.Name))} [default: all but {string.Join(", ", TrainerCatalog.All.Where(t => !t.InDefaultComparison).Select(t => t.Name))}]",
            AllowMultipleArgumentsPerToken = true,
            HelpName = "NAME",
        };
        var features = new Option<string[]>("--features")
        {
            Description = "Feature kinds: mean (128), stats (mean+std+max, 384), flat (10×128 zero-padded, 1,280) [default: mean stats; mlp on mean only, attention on flat only]",
            AllowMultipleArgumentsPerToken = true,
            HelpName = "KIND",
        };
        var noWeighted = new Option<bool>("--no-weighted") { Description = "Leave out the class-weighted variants (weight ∝ 1 / class frequency)" };
        var offsets = new Option<bool>("--offsets")
        {
            Description = "Also compare an offsets variant of each candidate: per-class score offsets tuned for macro-F1 on its " +
                "out-of-fold predictions without lowering accuracy (reuses the same fits; cross-validated with offsets tuned on the other folds)",
        };
        var openSet = new Option<bool>("--open-set")
        {
            Description = "Open-set mode: also learn \"other\" from the training clips that carry none of the classes, calibrated by " +
                "cross-validation against the same candidate trained without them, and report on every eval clip [default candidates: mlp/mean, lbfgs-maxent/mean, attention/flat]",
        };
        var openSetDrop = new Option<double?>("--open-set-drop")
        {
            Description = "With --open-set: how far the classes' macro-F1 and accuracy on their own clips (out of fold, an \"other\" answer " +
                "counting wrong) may fall below the closed model's, so that fewer clips of none of the classes are given one of them. " +
                "Read the cv trade-off that train prints to choose; 0.12, say, gives up 0.12 of accuracy for far fewer false answers " +
                $"[default: {TrainingOptions.DefaultOpenSetMaxDrop}, within the 0.02 the mode promises]",
            HelpName = "DROP",
        };
        var seed = new Option<int>("--seed") { Description = "Seed for folds and trainers; equal seeds give byte-identical metrics", DefaultValueFactory = _ => TrainingOptions.DefaultSeed };
        var folds = new Option<int>("--folds", "-k") { Description = "Stratified cross-validation folds on the training split", DefaultValueFactory = _ => 5 };
        var repeats = new Option<int>("--repeats")
        {
            Description = "Repeat cross-validation with this many fold assignments (seed, seed+1, …) and rank by the mean over all of " +
                "their folds: steadier ranking of close candidates, k more fits per candidate per repeat",
            DefaultValueFactory = _ => 1,
        };
        var budget = new Option<string>("--budget")
        {
            Description = "Bound the comparison's time, e.g. 90s, 20m, 1h30m: features, cross-validation and the chosen candidate's final fit " +
                "end within it. Without --trainers/--features the search widens: every trainer on mean and stats, with weighted and offsets " +
                "variants, and attention on flat. Candidates start cheapest first, each only when its fits, estimated from the fits already measured, and a reserve " +
                "for the final fit are predicted to end within what is left; the others are left out, listed with the reason in the leaderboard " +
                "(a started one stopped partway says so too). Only the chosen candidate is fit on the whole split and scored on the eval split. " +
                "Which candidates complete depends on the machine's speed; each one's figures do not. A budget no candidate fits in is an error",
            HelpName = "DURATION",
        };
        var trainSplit = new Option<string>("--train-split") { Description = "Split to cross-validate and fit on", DefaultValueFactory = _ => "bal_train" };
        var evalSplit = new Option<string>("--eval-split") { Description = "Split to report on (never used to choose)", DefaultValueFactory = _ => "eval" };

        var command = new Command("train",
            "Compare multiclass trainers × feature kinds by stratified k-fold macro-F1 on the training split, fit each on the " +
            "whole split (with --budget, only the winner), report them on the eval split, and save the winner. Accuracy alone " +
            "would reward always answering Speech (~80% of clips), so the ranking uses macro-F1.");
        common.Threads.Description = "Files read at once, and fits run at once (results do not depend on it)";
        common.AddTo(command);
        foreach (var option in new Option[] { output, common.Force, trainers, features, noWeighted, offsets, openSet, openSetDrop, seed, folds, repeats, budget, trainSplit, evalSplit })
        {
            command.Options.Add(option);
        }

        command.SetAction(result => CliApp.Guard(context, () =>
        {
            var ingest = common.Ingest(result);
            var trainerSpecs = Names(result.GetValue(trainers)).Select(TrainerCatalog.Get).ToList();
            var kinds = Names(result.GetValue(features)).Select(FeatureKinds.Parse).ToList();
            bool isOpenSet = result.GetValue(openSet);
            var maxDrop = result.GetValue(openSetDrop);
            if (maxDrop is not null && !isOpenSet)
            {
                throw new InvalidInputException("--open-set-drop goes with --open-set");
            }

            var budgetText = result.GetValue(budget);
            var timeBudget = budgetText is null ? (TimeSpan?)null : DurationText.Parse("--budget", budgetText);
            bool defaultSearch = trainerSpecs.Count == 0 && kinds.Count == 0;
            var candidates = isOpenSet && defaultSearch ? OpenSetSession.DefaultCandidates
                : timeBudget is not null && defaultSearch ? TrainingOptions.BudgetCandidates.Where(c => !(c.Weighted && result.GetValue(noWeighted))).ToList()
                : Candidate.Grid(
                    trainerSpecs.Count == 0 ? TrainingOptions.DefaultTrainers : trainerSpecs,
                    kinds.Count == 0 ? null : kinds,
                    weightedVariants: !result.GetValue(noWeighted),
                    offsetVariants: result.GetValue(offsets));
            var request = new TrainingRequest
            {
                Data = result.GetValue(common.Data),
                Output = result.GetValue(output)!,
                Force = result.GetValue(common.Force),
                Warning = warning => context.Error.WriteLine($"custom: warning: {warning}"),
                Classes = result.GetValue(common.Classes) ?? [],
                Policy = common.PolicyOf(result),
                TrainSplit = result.GetValue(trainSplit)!,
                EvalSplit = result.GetValue(evalSplit)!,
                Ingest = ingest,
                Options = new TrainingOptions
                {
                    Seed = result.GetValue(seed),
                    Folds = result.GetValue(folds),
                    Repeats = result.GetValue(repeats),
                    Candidates = candidates,
                    OpenSet = isOpenSet,
                    OpenSetMaxDrop = maxDrop ?? TrainingOptions.DefaultOpenSetMaxDrop,
                    Parallelism = ingest.Threads,
                    Budget = timeBudget,
                },
            };
            var run = ProgressDisplay.Run(context, progress => TrainingPipeline.Run(request with { Progress = progress }));
            var chosen = run.Result.Chosen;
            var metrics = run.Metrics.Metrics;
            context.Output.Write(run.Leaderboard.ToMarkdown());
            context.Output.WriteLine();
            context.Output.WriteLine($"chosen: {chosen.Candidate.Name} (cv macro-F1 {chosen.CvMacroF1Mean:F4} ± {chosen.CvMacroF1Std:F4}); " +
                $"on {request.EvalSplit}: macro-F1 {metrics.MacroF1:F4}, accuracy {metrics.Accuracy:F4}, balanced accuracy {metrics.BalancedAccuracy:F4}");
            if (run.Result.Budget is { } spent)
            {
                context.Output.WriteLine($"budget {spent.Budget}: the comparison took {spent.Elapsed:hh\\:mm\\:ss}; {run.Leaderboard.Ranked.Count} candidates ranked, {spent.Skipped.Count} left out (leaderboard.md says why)");
            }

            if (run.Result.OpenSet is { } open)
            {
                OpenSetSummary.Write(context.Output, open, run.Result.Options.OpenSetMaxDrop, run.Result.Classes.Names, request.EvalSplit);
            }

            if (run.Manifest.OnnxRefused is not null)
            {
                context.Error.WriteLine($"custom: warning: {run.Manifest.OnnxRefused}");
            }

            if (SimdPath.Note is { } note)
            {
                context.Error.WriteLine($"custom: note: {note}");
            }

            context.Output.WriteLine($"wrote {request.Output}/ ({string.Join(", ", run.Manifest.Files!.Keys)}, {ModelManifest.FileName}, {MetricsDocument.FileName}, leaderboard.json/.md, timings.json, report.html/.md)");
            return 0;
        }));
        return command;
    }

    // Accepts both "--trainers a b" and "--trainers a,b".
    private static IEnumerable<string> Names(string[]? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
