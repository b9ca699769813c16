using System.Diagnostics;
using Custom.Data.Selection;
using Custom.Evaluation;
using Custom.Training.Offsets;
using Custom.Training.Trainers;
using Microsoft.ML;

namespace Custom.Training.Validation;

/// <summary>
/// One candidate's fold fits (k per cross-validation repeat) and final fit, which may run in any order and on any
/// threads (each step writes only its own slots), then its variants scored from the shared fits: the plain one and,
/// when asked, the offsets one.
/// </summary>
internal sealed class CandidateRun
{
    private readonly IReadOnlyList<Candidate> _variants;
    private readonly FeatureTable? _evalTable;
    private readonly int[]? _evalTruth;
    private readonly FoldRows _rows;
    private readonly int _seed;
    private float[][][]? _outOfFold;   // per repeat, per training row; released once the folds are scored
    private readonly double[] _stepSeconds;
    private (double[] FoldScores, float[]? FinalWeights)[]? _crossValidated;   // per variant
    private ITransformer? _final;
    private float[][]? _evalProbabilities;

    public CandidateRun(Candidate candidate, IReadOnlyList<Candidate> variants, FeatureTable table, FeatureTable? evalTable, int[]? evalTruth, FoldRows rows, int seed)
    {
        Candidate = candidate;
        _variants = variants;
        Table = table;
        _evalTable = evalTable;
        _evalTruth = evalTruth;
        _rows = rows;
        _seed = seed;
        _outOfFold = Enumerable.Range(0, rows.Repeats).Select(_ => new float[table.Count][]).ToArray();
        _stepSeconds = new double[rows.Splits + 1];
    }

    public Candidate Candidate { get; }

    public FeatureTable Table { get; }

    /// After every step has run and until the folds are scored (which releases them): per repeat, each training row's
    /// out-of-fold probabilities.
    public IReadOnlyList<float[][]> OutOfFold => _outOfFold ?? throw new InvalidOperationException("the out-of-fold predictions are released once the folds are scored");

    /// After the final step: the final model's probabilities for each evaluation row, or null without eval rows.
    public float[][]? EvalProbabilities => _evalProbabilities;

    /// After the final step: the fit on every training row.
    public ITransformer Final => _final!;

    /// Wall-clock seconds of the steps run so far.
    public double Seconds => _stepSeconds.Sum();

    public FoldRows Rows => _rows;

    /// Step 0…s−1 (s = folds × repeats): fit without split <paramref name="step"/>'s held-out rows and predict them;
    /// step s: the fit on every training clip, scored on eval.
    public void Fit(int step)
    {
        var watch = Stopwatch.StartNew();
        if (step < _rows.Splits)
        {
            var heldOut = _rows.HeldOut[step];
            var model = CandidateFit.Fit(Candidate, Table, _rows.Training[step], _seed);
            var probabilities = CandidateFit.Predict(model, Candidate, Table, heldOut, _seed);
            var outOfFold = _outOfFold![_rows.RepeatOf(step)];
            for (int i = 0; i < heldOut.Length; i++)
            {
                outOfFold[heldOut[i]] = probabilities[i];
            }
        }
        else
        {
            _final = CandidateFit.Fit(Candidate, Table, _rows.Final, _seed);
            _evalProbabilities = _evalTable is null || _evalTruth is null
                ? null
                : CandidateFit.Predict(_final, Candidate, _evalTable, Enumerable.Range(0, _evalTable.Count).ToArray(), _seed);
        }

        _stepSeconds[step] = watch.Elapsed.TotalSeconds;
    }

    /// After every cross-validation step has run: each variant's per-fold macro-F1 and, for an offsets variant, its
    /// final offsets; then the out-of-fold predictions are let go (a budgeted run scores each candidate as soon as its
    /// folds are done, so they never pile up).
    public void ScoreFolds(ClassSet classes)
    {
        if (_crossValidated is not null)
        {
            return;
        }

        var outOfFoldPerRepeat = _outOfFold!;
        var heldOutTruth = _rows.HeldOut.Select(rows => rows.Select(i => Table.Labels[i]).ToArray()).ToArray();
        _crossValidated = new (double[], float[]?)[_variants.Count];
        for (int v = 0; v < _variants.Count; v++)
        {
            var variant = _variants[v];

            // Offsets are tuned on the other folds' out-of-fold predictions (of the same repeat) and scored on the
            // held-out fold, so the cross-validated figure of an offsets variant never scores a fold with offsets tuned
            // on that fold.
            var foldScores = new double[_rows.Splits];
            for (int split = 0; split < _rows.Splits; split++)
            {
                var outOfFold = outOfFoldPerRepeat[_rows.RepeatOf(split)];
                var heldOut = _rows.HeldOut[split];
                var probabilities = heldOut.Select(i => outOfFold[i]).ToArray();
                if (variant.Offsets)
                {
                    var others = _rows.Training[split];
                    var weights = ClassOffsets.Tune(others.Select(i => outOfFold[i]).ToArray(), others.Select(i => Table.Labels[i]).ToArray(), classes.Count);
                    probabilities = ClassOffsets.Applied(probabilities, weights);
                }

                foldScores[split] = MulticlassMetrics.Compute(classes, heldOutTruth[split], probabilities).MacroF1;
            }

            // The final offsets see every repeat's out-of-fold predictions: each training clip once per repeat.
            var finalWeights = variant.Offsets
                ? ClassOffsets.Tune(outOfFoldPerRepeat.SelectMany(o => o).ToArray(), Enumerable.Repeat(Table.Labels, _rows.Repeats).SelectMany(l => l).ToArray(), classes.Count)
                : null;
            _crossValidated[v] = (foldScores, finalWeights);
        }

        _outOfFold = null;
    }

    /// After every cross-validation step has run: each variant's per-fold macro-F1 and, when the final step has run
    /// too, its final model and eval figures.
    public IReadOnlyList<CandidateResult> Score(ClassSet classes)
    {
        ScoreFolds(classes);
        double seconds = _stepSeconds.Sum();
        var results = new List<CandidateResult>();
        for (int v = 0; v < _variants.Count; v++)
        {
            var variant = _variants[v];
            var (foldScores, finalWeights) = _crossValidated![v];
            var variantEval = _evalProbabilities is null || finalWeights is null ? _evalProbabilities : ClassOffsets.Applied(_evalProbabilities, finalWeights);
            var evalMetrics = variantEval is null ? null : MulticlassMetrics.Compute(classes, _evalTruth!, variantEval);
            results.Add(new CandidateResult(variant, foldScores, evalMetrics, variantEval, seconds, _final, finalWeights));
        }

        return results;
    }
}
