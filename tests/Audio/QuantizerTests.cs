using Custom.Audio.Vggish;

namespace Custom.Tests.Audio;

/// uint8((clip(v, −2, 2) + 2) · 255/4) with truncation, and the PCA in front of it.
public sealed class QuantizerTests
{
    [Theory]
    [InlineData(-2.0, 0)]
    [InlineData(-5.0, 0)]
    [InlineData(double.NegativeInfinity, 0)]
    [InlineData(2.0, 255)]
    [InlineData(7.0, 255)]
    [InlineData(double.PositiveInfinity, 255)]
    [InlineData(1.9999999, 254)]
    [InlineData(0.0, 127)] // 127.5 truncates
    [InlineData(-1.0, 63)] // 63.75
    [InlineData(1.0, 191)] // 191.25
    [InlineData(-1.9843137254901962, 0)] // 0.9999999999999964: still 0
    [InlineData(-1.984313725490196, 1)] // 1.0000000000000107: 1
    [InlineData(-2.0 + (4.0 / 255.0 * 100.5), 100)]
    public void Quantizes_with_truncation(double value, byte expected) => Assert.Equal(expected, PcaQuantizer.ToByte(value));

    [Fact]
    public void Nan_becomes_zero() => Assert.Equal(0, PcaQuantizer.ToByte(double.NaN));

    [Fact]
    public void Pca_is_eigenvectors_times_centred_embedding()
    {
        var random = new Random(5);
        var vectors = Enumerable.Range(0, 128 * 128).Select(_ => (random.NextDouble() - 0.5) * 0.1).ToArray();
        var means = Enumerable.Range(0, 128).Select(_ => random.NextDouble()).ToArray();
        var x = Enumerable.Range(0, 128).Select(_ => (float)(random.NextDouble() * 4)).ToArray();
        var frame = new byte[128];

        PcaQuantizer.FromArrays(vectors, means).Quantize(x, frame);

        for (int i = 0; i < 128; i++)
        {
            double value = 0;
            for (int j = 0; j < 128; j++)
            {
                value += vectors[(i * 128) + j] * (x[j] - means[j]);
            }

            Assert.Equal(PcaQuantizer.ToByte(value), frame[i]);
        }

        Assert.True(frame.Distinct().Count() > 20, "a test whose values all clip would not exercise the PCA");
    }

    [Fact]
    [Trait("Category", "Dataset")] // Google's PCA file, read from ../shared/vggish
    public void Googles_pca_file_loads_and_without_pca_only_quantizes()
    {
        var pca = PcaQuantizer.Load(AudioFiles.Pca);
        var frame = new byte[128];
        var zeros = new float[128];
        pca.Quantize(zeros, frame);
        Assert.True(frame.Distinct().Count() > 10);

        PcaQuantizer.WithoutPca.Quantize(Enumerable.Repeat(1f, 128).ToArray(), frame);
        Assert.All(frame, b => Assert.Equal(191, b));
    }

    [Fact]
    public void A_file_that_is_not_an_npz_is_refused_by_name()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "not a zip");
            var e = Assert.Throws<Custom.Data.InvalidInputException>(() => PcaQuantizer.Load(path));
            Assert.Contains(path, e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
