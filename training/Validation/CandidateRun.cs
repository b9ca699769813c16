using System.Diagnostics;
using Custom.Data.Selection;
using Custom.Evaluation;
using Custom.Training.Offsets;
using Custom.Training.Trainers;
using Microsoft.ML;

namespace Custom.Training.Validation;

/// <summary>
/// One candidate's k fold fits and final fit, which may run in any order and on any threads (each step writes only its
/// own slots), then its variants scored from the shared fits: the plain one and, when asked, the offsets one.
/// </summary>
internal sealed class CandidateRun
{
    private readonly IReadOnlyList<Candidate> _variants;
    private readonly FeatureTable? _evalTable;
    private readonly int[]? _evalTruth;
    private readonly FoldRows _rows;
    private readonly int _seed;
    private readonly float[][] _outOfFold;
    private readonly double[] _stepSeconds;
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
        _outOfFold = new float[table.Count][];
        _stepSeconds = new double[rows.Folds + 1];
    }

    public Candidate Candidate { get; }

    public FeatureTable Table { get; }

    /// Step 0…k−1: fit without fold <paramref name="step"/> and predict it; step k: the fit on every training clip,
    /// scored on eval.
    public void Fit(int step)
    {
        var watch = Stopwatch.StartNew();
        if (step < _rows.Folds)
        {
            var heldOut = _rows.HeldOut[step];
            var model = CandidateFit.Fit(Candidate, Table, _rows.Training[step], _seed);
            var probabilities = CandidateFit.Predict(model, Candidate, Table, heldOut, _seed);
            for (int i = 0; i < heldOut.Length; i++)
            {
                _outOfFold[heldOut[i]] = probabilities[i];
            }
        }
        else
        {
            _final = CandidateFit.Fit(Candidate, Table, Enumerable.Range(0, Table.Count).ToArray(), _seed);
            _evalProbabilities = _evalTable is null || _evalTruth is null
                ? null
                : CandidateFit.Predict(_final, Candidate, _evalTable, Enumerable.Range(0, _evalTable.Count).ToArray(), _seed);
        }

        _stepSeconds[step] = watch.Elapsed.TotalSeconds;
    }

    /// After every step has run: each variant's per-fold macro-F1 and eval figures.
    public IReadOnlyList<CandidateResult> Score(ClassSet classes)
    {
        double seconds = _stepSeconds.Sum();
        var results = new List<CandidateResult>();
        foreach (var variant in _variants)
        {
            // Offsets are tuned on the other folds' out-of-fold predictions and scored on the held-out fold, so the
            // cross-validated figure of an offsets variant never scores a fold with offsets tuned on that fold.
            var foldScores = new double[_rows.Folds];
            for (int fold = 0; fold < _rows.Folds; fold++)
            {
                var heldOut = _rows.HeldOut[fold];
                var probabilities = heldOut.Select(i => _outOfFold[i]).ToArray();
                if (variant.Offsets)
                {
                    var others = _rows.Training[fold];
                    var weights = ClassOffsets.Tune(others.Select(i => _outOfFold[i]).ToArray(), others.Select(i => Table.Labels[i]).ToArray(), classes.Count);
                    probabilities = ClassOffsets.Applied(probabilities, weights);
                }

                foldScores[fold] = MulticlassMetrics.Compute(classes, heldOut.Select(i => Table.Labels[i]).ToArray(), probabilities).MacroF1;
            }

            var finalWeights = variant.Offsets ? ClassOffsets.Tune(_outOfFold, Table.Labels.ToArray(), classes.Count) : null;
            var variantEval = _evalProbabilities is null || finalWeights is null ? _evalProbabilities : ClassOffsets.Applied(_evalProbabilities, finalWeights);
            var evalMetrics = variantEval is null ? null : MulticlassMetrics.Compute(classes, _evalTruth!, variantEval);
            results.Add(new CandidateResult(variant, foldScores, evalMetrics, variantEval, seconds, _final!, finalWeights));
        }

        return results;
    }
}
