using System.Numerics.Tensors;
using Custom.Training.Features;
using Custom.Training.Trainers.Mlp;

namespace Custom.Training.Trainers.Attention;

/// Trains <see cref="AttentionNetwork"/> on flat features: each real frame standardized per dimension (the same
/// statistics for every frame, taken over real frames only), frames left out at random in each step, a shared ReLU
/// layer of <see cref="HiddenUnits"/> units with dropout, class-wise attention pooling over the real frames, and a
/// cross-entropy loss in which each class weighs (1 / frequency)^½. Mini-batch Adam with a cosine-decayed step and L2
/// regularisation added to the gradient (coupled, scikit-learn's convention: α / batch size · W). Single-threaded and
/// driven by seeded generators, so a seed gives the same network every time on the same machine.
internal static class AttentionTraining
{
    // Chosen by 5-fold out-of-fold macro-F1 on bal_train (seed 42) within the default run's time budget
    // (docs/experiments.md has every configuration). At α = 0.1: 64 units 0.635, 128 0.649; 30 epochs 0.644 for half as
    // much time again; dropout 0.4 0.646; two networks of 64 averaged 0.645. At α = 0.3: 15 epochs 0.647, two networks
    // of 15 epochs averaged 0.649 at 1.5 times the cost; learning rate 1e-3 0.646; 192 units 0.640; 256 units for 12
    // epochs 0.647; against 0.651 for the values below.
    public const int HiddenUnits = 128;
    public const int Epochs = 20;
    public const int BatchSize = 32;
    public const float LearningRate = 2e-3f;
    public const float Dropout = 0.2f;

    /// The chance that a real frame is left out of a clip for one training step (at least one frame stays), so the
    /// network learns to find a class in whichever frames a clip has. Out-of-fold macro-F1 over 3 × 5 folds: no frame
    /// dropping 0.650, 0.1 → 0.651, 0.2 → 0.654, 0.3 → 0.650 (docs/experiments.md).
    public const float FrameDropout = 0.2f;

    /// Networks trained from consecutive seeds whose clip logits are averaged; one is enough here (see above).
    public const int Members = 1;

    /// The L2 coefficient α (the gradient gains α / batch size · W). Out-of-fold macro-F1 over α: 0.01 → 0.637,
    /// 0.03 → 0.645, 0.1 → 0.649, 0.3 → 0.651, 1 → 0.625.
    public const float L2 = 0.3f;

    /// The exponent of the class weights, as the perceptron's (MlpTraining).
    public const double ClassWeightExponent = 0.5;

    public static AttentionNetwork Train(IReadOnlyList<float[]> features, IReadOnlyList<int> labels, int classes, int seed, float frameDropout = FrameDropout, int frameSize = Featurizer.FrameSize)
    {
        if (features.Count == 0)
        {
            throw new ArgumentException("no training rows");
        }

        // Each clip's real frames, standardized with statistics of all real frames.
        var counts = features.Select(x => AttentionNetwork.FrameCount(x, frameSize)).ToArray();
        var (mean, scale) = NetworkTraining.Standardization(features, counts, frameSize);
        var clips = new float[features.Count][][];
        for (int i = 0; i < clips.Length; i++)
        {
            clips[i] = new float[counts[i]][];
            for (int t = 0; t < counts[i]; t++)
            {
                var x = features[i].AsSpan(t * frameSize, frameSize);
                var row = new float[frameSize];
                TensorPrimitives.Subtract(x, mean, row);
                TensorPrimitives.Multiply(row, scale, row);
                clips[i][t] = row;
            }
        }

        var classWeights = NetworkTraining.ClassWeights(labels, classes, ClassWeightExponent);
        var members = Enumerable.Range(0, Members).Select(m => new MemberTraining(frameSize, classes, seed + m, frameDropout).Run(clips, labels, classWeights)).ToList();
        foreach (var member in members)
        {
            NetworkTraining.FoldStandardization(member.W.Span, member.B.Span, mean, scale, frameSize);
        }

        return AttentionNetwork.Pack(frameSize, HiddenUnits, classes, members);
    }

    /// One network's training state: parameters, Adam moments and scratch buffers for a batch.
    private sealed class MemberTraining
    {
        private const int MaxFrames = Featurizer.MaxFrames;
        private const int Stride = BatchSize * MaxFrames;

        private readonly float _frameDropout;
        private readonly int _inputs;
        private readonly int _classes;
        private readonly Random _random;
        private readonly float[][] _parameters;
        private readonly bool[] _decays = [true, false, true, false, true, false];
        private readonly float[][] _gradients;
        private readonly float[][] _moments;
        private readonly float[][] _squares;

        // Per frame of the batch: hidden activations, their dropout mask, frame logits and attention scores.
        private readonly float[] _hidden;
        private readonly float[] _keep;
        private readonly float[] _logits;
        private readonly float[] _scores;
        private readonly float[] _attention;
        private readonly float[] _clip;
        private readonly float[] _pooled;
        private readonly float[] _hiddenGradient = new float[HiddenUnits];
        private readonly float[] _batchGradients = new float[HiddenUnits * Stride];
        private readonly float[][] _batchRows = new float[Stride][];
        private readonly float[][] _kept = new float[MaxFrames][];
        private DropoutDraws _dropout;

        public MemberTraining(int inputs, int classes, int seed, float frameDropout)
        {
            _frameDropout = frameDropout;
            _inputs = inputs;
            _classes = classes;
            _random = new Random(seed);

            // He initialisation for the ReLU layer, Glorot-like for the frame logits; the attention layer starts at
            // zero, so training starts from the mean of the frame logits.
            _parameters =
            [
                NetworkTraining.Gaussian(_random, HiddenUnits * inputs, MathF.Sqrt(2f / inputs)), new float[HiddenUnits],
                NetworkTraining.Gaussian(_random, classes * HiddenUnits, MathF.Sqrt(1f / HiddenUnits)), new float[classes],
                new float[classes * HiddenUnits], new float[classes],
            ];
            _gradients = _parameters.Select(p => new float[p.Length]).ToArray();
            _moments = _parameters.Select(p => new float[p.Length]).ToArray();
            _squares = _parameters.Select(p => new float[p.Length]).ToArray();
            _hidden = new float[Stride * HiddenUnits];
            _keep = new float[Stride * HiddenUnits];
            _logits = new float[Stride * classes];
            _scores = new float[Stride * classes];
            _attention = new float[MaxFrames * classes];
            _clip = new float[classes];
            _pooled = new float[classes];
            _dropout = new DropoutDraws((uint)_random.Next() | 1u);
        }

        public AttentionNetwork.MemberWeights Run(float[][][] clips, IReadOnlyList<int> labels, float[] classWeights)
        {
            var order = Enumerable.Range(0, clips.Length).ToArray();
            int step = 0;
            for (int epoch = 0; epoch < Epochs; epoch++)
            {
                _random.Shuffle(order);
                float rate = LearningRate * (float)(0.5 * (1 + Math.Cos(Math.PI * epoch / Epochs)));
                for (int start = 0; start < order.Length; start += BatchSize)
                {
                    // The frame layer's gradient needs no clearing: WeightedSums below writes all of it.
                    foreach (var g in _gradients[1..])
                    {
                        Array.Clear(g);
                    }

                    int batch = Math.Min(BatchSize, order.Length - start);
                    float batchWeight = 0;
                    int frame = 0;
                    for (int b = 0; b < batch; b++)
                    {
                        int row = order[start + b];
                        float weight = classWeights[labels[row]];
                        batchWeight += weight;
                        // Without frame dropout nothing is drawn, so the generator deals the same batches as it always has.
                        var frames = _frameDropout > 0 ? _kept.AsSpan(0, KeepFrames(clips[row], _random, _kept, _frameDropout)) : clips[row];
                        frame = Clip(frames, labels[row], weight, frame);
                    }

                    MlpKernels.WeightedSums(_batchGradients, Stride, _batchRows.AsSpan(0, frame), _gradients[0]);

                    step++;
                    for (int p = 0; p < _parameters.Length; p++)
                    {
                        Adam.Step(_parameters[p], _gradients[p], _moments[p], _squares[p], step, 1 / batchWeight, rate, _decays[p] ? L2 / batch : 0f);
                    }
                }
            }

            var w = _parameters;
            return new AttentionNetwork.MemberWeights(w[0], w[1], w[2], w[3], w[4], w[5]);
        }

        // Forward and backward pass of one clip whose frames take batch slots from `first` on; adds to the gradients of
        // every layer but the frame layer's weights, whose per-frame coefficients go to _batchGradients. Returns the
        // next free slot.
        private int Clip(ReadOnlySpan<float[]> frames, int label, float weight, int first)
        {
            int n = frames.Length;
            int k = _classes;
            var (w, b, u, ub, v, vb) = (_parameters[0], _parameters[1], _parameters[2], _parameters[3], _parameters[4], _parameters[5]);
            for (int t = 0; t < n; t++)
            {
                int slot = first + t;
                var hidden = _hidden.AsSpan(slot * HiddenUnits, HiddenUnits);
                var keep = _keep.AsSpan(slot * HiddenUnits, HiddenUnits);
                MlpKernels.Affine(w, b, frames[t], hidden);
                for (int j = 0; j < HiddenUnits; j++)
                {
                    // Inverted dropout; a unit ReLU silences needs no draw.
                    keep[j] = hidden[j] > 0 && _dropout.NextSingle() >= Dropout ? 1f / (1 - Dropout) : 0f;
                    hidden[j] *= keep[j];
                }

                MlpKernels.Affine(u, ub, hidden, _logits.AsSpan(slot * k, k));
                MlpKernels.Affine(v, vb, hidden, _scores.AsSpan(slot * k, k));
            }

            var logits = _logits.AsSpan(first * k, n * k);
            var scores = _scores.AsSpan(first * k, n * k);
            var attention = _attention.AsSpan(0, n * k);
            for (int c = 0; c < k; c++)
            {
                _clip[c] = AttentionNetwork.Pool(logits, scores, n, k, c, attention);
            }

            // d(loss)/dz = weight · (p − onehot); then through the pooling:
            // dc_tc = α_tc · dz_c and de_tc = α_tc · dz_c · (c_tc − z_c).
            var z = _pooled;
            _clip.CopyTo(z, 0);
            MlpNetwork.Softmax(_clip);
            for (int c = 0; c < k; c++)
            {
                _clip[c] = weight * (_clip[c] - (c == label ? 1f : 0f));
            }

            var (gu, gub, gv, gvb) = (_gradients[2], _gradients[3], _gradients[4], _gradients[5]);
            for (int t = 0; t < n; t++)
            {
                int slot = first + t;
                var hidden = _hidden.AsSpan(slot * HiddenUnits, HiddenUnits);
                Array.Clear(_hiddenGradient);
                for (int c = 0; c < k; c++)
                {
                    float a = attention[t * k + c];
                    float dc = a * _clip[c];
                    float de = dc * (logits[t * k + c] - z[c]);
                    gub[c] += dc;
                    gvb[c] += de;
                    var guRow = gu.AsSpan(c * HiddenUnits, HiddenUnits);
                    var gvRow = gv.AsSpan(c * HiddenUnits, HiddenUnits);
                    TensorPrimitives.MultiplyAdd(hidden, dc, guRow, guRow);
                    TensorPrimitives.MultiplyAdd(hidden, de, gvRow, gvRow);
                    TensorPrimitives.MultiplyAdd(u.AsSpan(c * HiddenUnits, HiddenUnits), dc, _hiddenGradient, _hiddenGradient);
                    TensorPrimitives.MultiplyAdd(v.AsSpan(c * HiddenUnits, HiddenUnits), de, _hiddenGradient, _hiddenGradient);
                }

                TensorPrimitives.Multiply(_hiddenGradient, _keep.AsSpan(slot * HiddenUnits, HiddenUnits), _hiddenGradient);
                TensorPrimitives.Add(_gradients[1], _hiddenGradient, _gradients[1]);
                for (int j = 0; j < HiddenUnits; j++)
                {
                    _batchGradients[j * Stride + slot] = _hiddenGradient[j];
                }

                _batchRows[slot] = frames[t];
            }

            return first + n;
        }
    }

    /// <summary>
    /// The frames a clip shows for one training step, in order: each is left out with chance <paramref name="rate"/>,
    /// and when every one would be, one drawn at random stays. A clip of one frame keeps it without a draw.
    /// </summary>
    /// <returns>How many frames were written to <paramref name="kept"/>.</returns>
    internal static int KeepFrames(ReadOnlySpan<float[]> frames, Random random, Span<float[]> kept, float rate = FrameDropout)
    {
        if (frames.Length == 1)
        {
            kept[0] = frames[0];
            return 1;
        }

        int count = 0;
        foreach (var frame in frames)
        {
            if (random.NextSingle() >= rate)
            {
                kept[count++] = frame;
            }
        }

        if (count == 0)
        {
            kept[count++] = frames[random.Next(frames.Length)];
        }

        return count;
    }
}
