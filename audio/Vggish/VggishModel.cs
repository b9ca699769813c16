using Custom.Audio.Features;
using Custom.Data;
using Microsoft.ML.OnnxRuntime;

namespace Custom.Audio.Vggish;

/// <summary>
/// A user-supplied VGGish network in ONNX: one float input of log-mel examples in one of the layouts the common
/// exports use — [N,96,64] (TensorFlow), [N,96,64,1] (NHWC) or [N,1,96,64] (PyTorch NCHW) — and one float output
/// [N,128]. All three layouts hold the same bytes in the same order; only the declared shape differs. A fixed batch
/// size is honoured by padding the last batch. Thread-safe: ONNX Runtime sessions accept concurrent runs.
/// </summary>
internal sealed class VggishModel : IDisposable
{
    public const int EmbeddingSize = 128;

    private readonly InferenceSession _session;
    private readonly string _input;
    private readonly string _output;
    private readonly int[] _exampleShape;
    private readonly int _fixedBatch;

    // Held for the model's lifetime: ONNX Runtime reads it during runs.
    private readonly RunOptions _runOptions = new();

    private VggishModel(InferenceSession session, string input, string output, int[] exampleShape, int fixedBatch)
    {
        _session = session;
        _input = input;
        _output = output;
        _exampleShape = exampleShape;
        _fixedBatch = fixedBatch;
    }

    /// The input layout, e.g. "[N,96,64]".
    public string Layout => "[N," + string.Join(",", _exampleShape) + "]";

    /// Loads and checks the model; <paramref name="threads"/> 0 lets ONNX Runtime choose.
    public static VggishModel Load(string path, int threads = 0)
    {
        if (!File.Exists(path))
        {
            throw new InvalidInputException($"{path}: VGGish model file not found");
        }

        using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 };
        InferenceSession session;
        try
        {
            session = new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidInputException($"{path}: ONNX Runtime cannot load it as a model ({FirstLine(e.Message)})", e);
        }

        try
        {
            var (input, shape, batch) = CheckInput(session, path);
            string output = CheckOutput(session, path);
            return new VggishModel(session, input, output, shape, batch);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// Raw embeddings [count, 128] of <paramref name="count"/> examples [count, 96, 64].
    public float[] Embed(float[] examples, int count)
    {
        var embeddings = new float[count * EmbeddingSize];
        int batch = _fixedBatch > 0 ? _fixedBatch : Math.Max(count, 1);
        for (int start = 0; start < count; start += batch)
        {
            int real = Math.Min(batch, count - start);
            int rows = _fixedBatch > 0 ? _fixedBatch : real;
            var input = new float[rows * VggishLogMel.ExampleSize];
            examples.AsSpan(start * VggishLogMel.ExampleSize, real * VggishLogMel.ExampleSize).CopyTo(input);
            long[] shape = [rows, .. _exampleShape.Select(d => (long)d)];
            using var value = OrtValue.CreateTensorValueFromMemory(input, shape);
            using var outputs = _session.Run(_runOptions, [_input], [value], [_output]);
            var resultShape = outputs[0].GetTensorTypeAndShape().Shape;
            if (resultShape.Length != 2 || resultShape[0] != rows || resultShape[1] != EmbeddingSize)
            {
                throw new InvalidInputException($"the VGGish model returned shape [{string.Join(",", resultShape)}], expected [{rows},{EmbeddingSize}]");
            }

            outputs[0].GetTensorDataAsSpan<float>()[..(real * EmbeddingSize)].CopyTo(embeddings.AsSpan(start * EmbeddingSize));
        }

        return embeddings;
    }

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }

    private static (string Name, int[] ExampleShape, int FixedBatch) CheckInput(InferenceSession session, string path)
    {
        if (session.InputMetadata.Count != 1)
        {
            throw new InvalidInputException($"{path}: a VGGish model has one input; this one has {session.InputMetadata.Count} ({string.Join(", ", session.InputMetadata.Keys)})");
        }

        var (name, meta) = session.InputMetadata.Single();
        int[] dims = meta.Dimensions;
        int[][] layouts = [[96, 64], [96, 64, 1], [1, 96, 64]];
        var layout = meta.ElementType == typeof(float) && dims.Length >= 3
            ? layouts.FirstOrDefault(l => dims.Skip(1).SequenceEqual(l))
            : null;
        if (layout is null)
        {
            throw new InvalidInputException(
                $"{path}: input '{name}' is {Describe(meta)}; a VGGish model takes float [N,96,64], [N,96,64,1] or [N,1,96,64]");
        }

        return (name, layout, dims[0] > 0 ? dims[0] : 0);
    }

    private static string CheckOutput(InferenceSession session, string path)
    {
        if (session.OutputMetadata.Count != 1)
        {
            throw new InvalidInputException($"{path}: a VGGish model has one output [N,128]; this one has {session.OutputMetadata.Count} ({string.Join(", ", session.OutputMetadata.Keys)})");
        }

        var (name, meta) = session.OutputMetadata.Single();
        int[] dims = meta.Dimensions;
        if (meta.ElementType != typeof(float) || dims.Length != 2 || (dims[1] != EmbeddingSize && dims[1] > 0))
        {
            throw new InvalidInputException($"{path}: output '{name}' is {Describe(meta)}; a VGGish model gives float [N,128]");
        }

        return name;
    }

    private static string Describe(NodeMetadata meta) =>
        $"{meta.ElementType.Name} [{string.Join(",", meta.Dimensions.Select(d => d > 0 ? d.ToString(System.Globalization.CultureInfo.InvariantCulture) : "N"))}]";

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
