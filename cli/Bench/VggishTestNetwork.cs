using Custom.Training.Onnx;
using Google.Protobuf;
using static Custom.Training.Onnx.Protos.TensorProto.Types;

namespace Custom.Cli.Bench;

/// <summary>
/// An ONNX network with VGGish's architecture and seeded random weights, for tests and benchmarks where the real
/// weights are not at hand: 3×3 convolutions 64 → pool → 128 → pool → 256, 256 → pool → 512, 512 → pool (ReLU after
/// each, 2×2 max pools), then fully connected 4096 → 4096 (ReLU) → 128. <see cref="Narrow"/> divides every width by
/// 16 for fast tests. The input layout is chosen to exercise each one a VGGish export may have.
/// </summary>
internal static class VggishTestNetwork
{
    public const int Full = 1;
    public const int Narrow = 16;

    public enum Layout
    {
        /// [N,96,64], as the TensorFlow export.
        Frames,

        /// [N,96,64,1], channels last.
        ChannelsLast,

        /// [N,1,96,64], channels first (PyTorch ports).
        ChannelsFirst,
    }

    /// Writes the network to <paramref name="path"/>; widths are VGGish's divided by <paramref name="divisor"/>.
    public static void Write(string path, int seed, int divisor = Narrow, Layout layout = Layout.Frames)
    {
        var model = Build(seed, divisor, layout);
        using var file = File.Create(path);
        model.WriteTo(file);
    }

    public static Custom.Training.Onnx.Protos.ModelProto Build(int seed, int divisor, Layout layout)
    {
        var random = new Random(seed);
        var g = new OnnxGraph("vggish_test").Opset("", 13);
        string input = layout switch
        {
            Layout.Frames => g.Input("input", DataType.Float, "N", 96, 64),
            Layout.ChannelsLast => g.Input("input", DataType.Float, "N", 96, 64, 1),
            _ => g.Input("input", DataType.Float, "N", 1, 96, 64),
        };
        // One channel: every layout holds the same values in the same order, so a reshape gives NCHW.
        string x = g.Node("Reshape", [input, g.Constant([-1L, 1, 96, 64], 4)]);
        int channels = 1;
        foreach (int[] block in new[] { new[] { 64 }, [128], [256, 256], [512, 512] })
        {
            foreach (int width in block)
            {
                int outChannels = width / divisor;
                string weights = g.RawConstant(Uniform(random, outChannels * channels * 9, channels * 9), outChannels, channels, 3, 3);
                string bias = g.RawConstant(new float[outChannels], outChannels);
                x = g.Node("Conv", [x, weights, bias], attributes: [("kernel_shape", new long[] { 3, 3 }), ("pads", new long[] { 1, 1, 1, 1 })]);
                x = g.Node("Relu", [x]);
                channels = outChannels;
            }

            x = g.Node("MaxPool", [x], attributes: [("kernel_shape", new long[] { 2, 2 }), ("strides", new long[] { 2, 2 })]);
        }

        x = g.Node("Flatten", [x], attributes: ("axis", 1L));
        int features = channels * 6 * 4;
        foreach (var (width, relu) in new[] { (4096 / divisor, true), (4096 / divisor, true), (128, false) })
        {
            string weights = g.RawConstant(Uniform(random, features * width, features), features, width);
            string bias = g.RawConstant(new float[width], width);
            x = g.Node("Gemm", [x, weights, bias]);
            if (relu)
            {
                x = g.Node("Relu", [x]);
            }

            features = width;
        }

        g.Node("Identity", [x], "embedding");
        g.Output("embedding", DataType.Float, "N", 128);
        return g.Build("test");
    }

    /// He-uniform weights: keeps activations of a ReLU network at a similar scale layer after layer.
    private static float[] Uniform(Random random, int count, int fanIn)
    {
        float limit = MathF.Sqrt(6f / fanIn);
        var values = new float[count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = ((2 * random.NextSingle()) - 1) * limit;
        }

        return values;
    }
}
