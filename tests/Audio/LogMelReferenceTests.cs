using Custom.Audio;
using Custom.Audio.Features;

namespace Custom.Tests.Audio;

/// The log-mel examples against the public VGGish reference (mel_features.py / vggish_input.py run with numpy on the
/// same signals, float64): every stored value within 1e-6; the sums within 1e-6 per value.
public sealed class LogMelReferenceTests
{
    private const double Tolerance = 1e-6;

    private sealed record Expected(int Samples, int Examples, double Sum, double SumOfSquares, (int Example, int Frame, int Band, double Value)[] Values);

    private static readonly Dictionary<string, Expected> Reference = new()
    {
        ["tone"] = new(32000, 2, -42796.456622697369, 203230.01501500828, [(0, 0, 0, -3.739316798087339), (0, 0, 63, -4.5188455384809378), (0, 47, 10, 1.7924788619820615), (0, 95, 32, -4.5581963321772418), (1, 20, 20, -4.187685069742705), (1, 0, 5, -0.34937084248346206), (1, 50, 40, -4.5793963545699476), (1, 95, 63, -4.521268408818429)]),
        ["chirp"] = new(48000, 3, -72755.996248105948, 343443.1151276679, [(0, 0, 0, 3.3171788785734857), (0, 0, 63, -4.5307371197903832), (0, 47, 10, -4.4710911252355734), (0, 95, 32, -2.9660377188613865), (1, 20, 20, -4.5741818795208786), (2, 0, 5, -4.590621874862082), (2, 50, 40, -4.5798295172871155), (2, 95, 63, -2.5755171752487032)]),
        ["noise"] = new(24000, 1, 8924.7244420697716, 16864.747680697685, [(0, 0, 0, 1.3012922039572989), (0, 0, 63, 2.5180881233234444), (0, 47, 10, -0.38580545794021798), (0, 95, 32, 0.51942911366013866), (0, 20, 20, 1.2191287598240936), (0, 0, 5, -0.32938311054682257), (0, 50, 40, 1.5646869939180468), (0, 95, 63, 2.6156082946210253)]),
        ["mix"] = new(160000, 10, 42777.773211157735, 83927.587820632267, [(0, 0, 0, -0.68480138296051085), (0, 0, 63, 1.6476785474793523), (0, 47, 10, 0.4235404044065606), (0, 95, 32, 1.3344525957864573), (5, 20, 20, 3.6219924984556697), (9, 0, 5, -0.10591391580505227), (9, 50, 40, 1.3881387283582425), (9, 95, 63, 1.6444092610104559)]),
        ["voice"] = new(24000, 1, -7613.4378567898175, 40488.440691177122, [(0, 0, 0, -1.0174568126437342), (0, 0, 63, -4.5487139006399113), (0, 47, 10, -1.3577921532545154), (0, 95, 32, -0.90392973313413949), (0, 20, 20, -0.64897047139113362), (0, 0, 5, -1.9013834661088178), (0, 50, 40, -2.754579974823856), (0, 95, 63, -4.5076626492427492)]),
        ["silence"] = new(16000, 1, -28294.165622710836, 130299.44796311708, [(0, 0, 0, -4.6051701859880909), (0, 0, 63, -4.6051701859880909), (0, 47, 10, -4.6051701859880909), (0, 95, 32, -4.6051701859880909), (0, 20, 20, -4.6051701859880909), (0, 0, 5, -4.6051701859880909), (0, 50, 40, -4.6051701859880909), (0, 95, 63, -4.6051701859880909)]),
    };

    // The int16 signals' checksums as numpy computed them: the C# generator makes the same signals.
    [Theory]
    [InlineData("tone", 80L, 4294696238160L)]
    [InlineData("chirp", 331026L, 4122897606714L)]
    [InlineData("noise", -916782L, 535601723248L)]
    [InlineData("mix", 442099L, 8286850215967L)]
    [InlineData("voice", -89L, 252368917717L)]
    public void Test_signals_are_the_ones_the_reference_saw(string name, long sum, long sumOfSquares)
    {
        var x = TestSignals.Get(name);
        Assert.Equal(sum, x.Sum(s => (long)s));
        Assert.Equal(sumOfSquares, x.Sum(s => (long)s * s));
    }

    [Theory]
    [InlineData("tone")]
    [InlineData("chirp")]
    [InlineData("noise")]
    [InlineData("mix")]
    [InlineData("voice")]
    [InlineData("silence")]
    public void Examples_equal_the_reference_to_1e6(string name)
    {
        var expected = Reference[name];
        var samples = TestSignals.ToUnit(TestSignals.Get(name));
        Assert.Equal(expected.Samples, samples.Length);

        var examples = VggishLogMel.Compute(samples);

        Assert.Equal(expected.Examples * VggishLogMel.ExampleSize, examples.Length);
        foreach (var (e, f, b, value) in expected.Values)
        {
            Assert.InRange(examples[(e * VggishLogMel.ExampleSize) + (f * VggishLogMel.MelBands) + b] - value, -Tolerance, Tolerance);
        }

        double bound = Tolerance * examples.Length;
        Assert.InRange(examples.Sum(v => (double)v) - expected.Sum, -bound, bound);
        Assert.InRange(examples.Sum(v => (double)v * v) - expected.SumOfSquares, -bound * 20, bound * 20);
    }

    [Fact]
    public void A_16_bit_wav_gives_the_same_examples_as_its_samples()
    {
        var samples = TestSignals.ToUnit(TestSignals.Get("voice"));
        var decoded = AudioEmbedder.Decode(new MemoryStream(WavBuilder.Mono16(samples)), "voice.wav", CancellationToken.None);
        Assert.Equal(samples, decoded);
    }

    [Theory]
    [InlineData(15_599, 0)]
    [InlineData(15_600, 1)]
    [InlineData(30_959, 1)]
    [InlineData(30_960, 2)]
    [InlineData(160_000, 10)]
    [InlineData(0, 0)]
    public void Incomplete_examples_are_dropped(int samples, int examples)
    {
        Assert.Equal(examples, VggishLogMel.ExampleCount(samples));
        Assert.Equal(examples * VggishLogMel.ExampleSize, VggishLogMel.Compute(new double[samples]).Length);
    }

    [Fact]
    public void Mel_matrix_gives_the_dc_bin_no_weight_and_triangles_peak_at_most_one()
    {
        var mel = MelMatrix.Create(64, 257, 16_000, 125, 7500);
        for (int b = 0; b < 64; b++)
        {
            Assert.Equal(0.0, mel.Weight(0, b));
            var column = Enumerable.Range(0, 257).Select(k => mel.Weight(k, b)).ToArray();
            Assert.InRange(column.Max(), 0.5, 1.0);
            Assert.All(column, w => Assert.InRange(w, 0.0, 1.0));
        }

        // 7500 Hz is bin 240; nothing above the upper edge.
        Assert.All(Enumerable.Range(241, 16), k => Assert.Equal(0.0, mel.Weight(k, 63)));
    }
}
